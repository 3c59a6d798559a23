"""OAuth 2: apps, the token endpoint, scopes, the consent page, PKCE."""
import re
from urllib.parse import parse_qs, urlparse

from conftest import (OAUTH_CODE_RE, OOB, PASSWORD, assert_json_error, csrf_from, pkce_pair,
                      unique, unique_email)

ISO_MS_Z = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


# ---- app registration ----------------------------------------------------

def test_app_registration_returns_application(server):
    name = unique("reg")
    r = server.post("/api/v1/apps", data={"client_name": name, "redirect_uris": OOB,
                                          "scopes": "read write", "website": "https://app.example"})
    assert r.status_code == 200, r.text
    j = r.json()
    assert isinstance(j["id"], str) and j["id"].isdigit()
    assert j["name"] == name
    assert j["website"] == "https://app.example"
    assert isinstance(j["client_id"], str) and len(j["client_id"]) >= 20
    assert isinstance(j["client_secret"], str) and len(j["client_secret"]) >= 20
    assert j["client_id"] != j["client_secret"]
    assert j["scopes"] == ["read", "write"]
    assert j["redirect_uri"] == OOB
    assert j["redirect_uris"] == [OOB]

    # scopes default to read
    r = server.post("/api/v1/apps", data={"client_name": unique("reg"), "redirect_uris": OOB})
    assert r.status_code == 200
    assert r.json()["scopes"] == ["read"]


def test_app_registration_rejects_bad_input(server):
    r = server.post("/api/v1/apps", data={"redirect_uris": OOB})
    assert_json_error(r, 422)
    r = server.post("/api/v1/apps", data={"client_name": "x", "redirect_uris": "javascript:alert(1)"})
    assert_json_error(r, 422)
    r = server.post("/api/v1/apps", data={"client_name": "x", "redirect_uris": "/relative/cb"})
    assert_json_error(r, 422)
    r = server.post("/api/v1/apps", data={"client_name": "x", "redirect_uris": OOB,
                                          "scopes": "read launch:missiles"})
    assert_json_error(r, 422)


# ---- token endpoint ------------------------------------------------------

def test_password_grant(server):
    name = server.create_user()
    app = server.register_app(scopes="read write")
    r = server.password_grant(app, name, scope="read write")
    assert r.status_code == 200, r.text
    j = r.json()
    assert isinstance(j["access_token"], str) and len(j["access_token"]) >= 20
    assert j["token_type"] == "Bearer"
    assert j["scope"] == "read write"
    assert isinstance(j["created_at"], int) and j["created_at"] > 1_600_000_000
    assert isinstance(j["refresh_token"], str) and j["refresh_token"] != j["access_token"]
    assert server.verify(j["access_token"]).json()["username"] == name
    assert "no-store" in r.headers.get("Cache-Control", "")


def test_password_grant_with_email(server):
    name = unique("mail")
    email = unique_email(name)
    server.create_user(name, email)
    app = server.register_app()
    r = server.password_grant(app, email.upper())
    assert r.status_code == 200, r.text
    assert server.verify(r.json()["access_token"]).json()["username"] == name


def test_password_grant_wrong_password(server):
    name = server.create_user()
    app = server.register_app()
    r = server.password_grant(app, name, "not the right password")
    assert r.status_code == 400, r.text
    assert r.json()["error"] == "invalid_grant"


def test_token_wrong_client_secret(server):
    name = server.create_user()
    app = server.register_app()
    secret = app["client_secret"]
    wrong = secret[:-1] + ("A" if secret[-1] != "A" else "B")
    r = server.post("/oauth/token", data={"grant_type": "password", "client_id": app["client_id"],
                                          "client_secret": wrong,
                                          "username": name, "password": PASSWORD})
    assert r.status_code == 401, r.text
    assert r.json()["error"] == "invalid_client"


def test_password_grant_scope_beyond_app(server):
    name = server.create_user()
    app = server.register_app(scopes="read")
    r = server.password_grant(app, name, scope="read write")
    assert r.status_code == 400, r.text
    assert r.json()["error"] == "invalid_scope"


def test_verify_credentials_account_entity(server):
    name = unique("ent")
    server.create_user(name, display_name="Entity Tester")
    token = server.token(name)
    r = server.verify(token)
    assert r.status_code == 200, r.text
    a = r.json()
    assert isinstance(a["id"], str) and a["id"].isdigit()
    assert a["username"] == name
    assert a["acct"] == name
    assert a["display_name"] == "Entity Tester"
    assert a["note"] == ""
    assert a["url"] == f"{server.url}/@{name}"
    for key in ("avatar", "avatar_static", "header"):
        u = urlparse(a[key])
        assert u.scheme == "http" and u.netloc == f"127.0.0.1:{server.port}", a[key]
        img = server.get(u.path)
        assert img.status_code == 200, (a[key], img.status_code)
        assert img.headers["Content-Type"].startswith("image/")
    assert ISO_MS_Z.match(a["created_at"]), a["created_at"]
    for k in ("followers_count", "following_count", "statuses_count"):
        assert isinstance(a[k], int)
    assert a["emojis"] == [] and a["fields"] == []
    assert a["locked"] is False and a["bot"] is False
    src = a["source"]
    assert src["privacy"] in ("public", "unlisted", "private", "direct")
    assert src["sensitive"] is False
    assert "note" in src and isinstance(src["fields"], list)
    assert isinstance(a["role"], dict) and "permissions" in a["role"]
    assert a["parley"] == {"kind": "staff", "role": "staff", "profile_public": False}


def test_verify_credentials_needs_valid_token(server):
    r = server.get("/api/v1/accounts/verify_credentials")
    assert_json_error(r, 401)
    r = server.verify("this-is-not-a-token")
    assert_json_error(r, 401)
    r = server.get("/api/v1/accounts/verify_credentials",
                   headers={"Authorization": "Bearer " + "A" * 43})
    assert_json_error(r, 401)


def test_token_scopes_are_enforced(server):
    name = server.create_user()
    app = server.register_app(scopes="read write profile")
    write = server.token(name, scope="write", app=app)
    r = server.verify(write)
    assert_json_error(r, 403)
    profile = server.token(name, scope="profile", app=app)
    r = server.verify(profile)
    assert r.status_code == 200, r.text
    assert r.json()["username"] == name
    sub = server.token(name, scope="read:accounts", app=app)
    assert server.verify(sub).status_code == 200


def test_client_credentials_app_token(server):
    app = server.register_app(scopes="read write")
    r = server.post("/oauth/token", data={"grant_type": "client_credentials",
                                          "client_id": app["client_id"],
                                          "client_secret": app["client_secret"]})
    assert r.status_code == 200, r.text
    j = r.json()
    assert j["token_type"] == "Bearer" and j["scope"] == "read"
    assert "refresh_token" not in j
    tok = j["access_token"]
    r = server.get("/api/v1/apps/verify_credentials", headers=bearer(tok))
    assert r.status_code == 200, r.text
    assert r.json()["name"] == app["name"]
    assert "client_secret" not in r.json()
    r = server.verify(tok)
    assert_json_error(r, 422)


def test_refresh_token_rotation(server):
    name = server.create_user()
    app = server.register_app()
    first = server.password_grant(app, name).json()
    data = {"grant_type": "refresh_token", "client_id": app["client_id"],
            "client_secret": app["client_secret"], "refresh_token": first["refresh_token"]}
    r = server.post("/oauth/token", data=data)
    assert r.status_code == 200, r.text
    second = r.json()
    assert second["access_token"] != first["access_token"]
    assert second["refresh_token"] != first["refresh_token"]
    assert second["scope"] == first["scope"]
    assert server.verify(second["access_token"]).status_code == 200
    assert_json_error(server.verify(first["access_token"]), 401)
    r = server.post("/oauth/token", data=data)
    assert r.status_code == 400, r.text
    assert r.json()["error"] == "invalid_grant"
    # the second pair still works after the failed replay
    assert server.verify(second["access_token"]).status_code == 200
    # a refresh token only works for the app it was issued to
    other = server.register_app()
    r = server.post("/oauth/token", data=dict(data, client_id=other["client_id"],
                                              client_secret=other["client_secret"],
                                              refresh_token=second["refresh_token"]))
    assert r.status_code == 400 and r.json()["error"] == "invalid_grant"
    assert server.verify(second["access_token"]).status_code == 200


def test_revoke_token(server):
    name = server.create_user()
    app = server.register_app()
    tok = server.token(name, app=app)
    assert server.verify(tok).status_code == 200
    other = server.register_app()
    r = server.post("/oauth/revoke", data={"client_id": other["client_id"],
                                           "client_secret": other["client_secret"], "token": tok})
    assert r.status_code == 403, r.text
    assert server.verify(tok).status_code == 200
    r = server.post("/oauth/revoke", data={"client_id": app["client_id"],
                                           "client_secret": app["client_secret"], "token": tok})
    assert r.status_code == 200, r.text
    assert r.json() == {}
    assert_json_error(server.verify(tok), 401)


# ---- authorization code flow ---------------------------------------------

def _authorize(server, session, app, redirect_uri=OOB, scope="read", state=None,
               challenge=None):
    params = {"client_id": app["client_id"], "redirect_uri": redirect_uri,
              "response_type": "code", "scope": scope}
    if state is not None:
        params["state"] = state
    if challenge is not None:
        params["code_challenge"] = challenge
        params["code_challenge_method"] = "S256"
    r = server.get("/oauth/authorize", session=session, params=params)
    assert r.status_code == 200, (r.status_code, r.text[:1000])
    assert app["name"] in r.text
    form = dict(params)
    form["csrf"] = csrf_from(r.text)
    form["approve"] = "1"
    return server.post("/oauth/authorize", session=session, data=form)


def _oob_code(server, session, app, **kw):
    r = _authorize(server, session, app, **kw)
    assert r.status_code == 200, (r.status_code, r.text[:1000])
    m = OAUTH_CODE_RE.search(r.text)
    assert m, r.text[:2000]
    return m.group(1).strip()


def _exchange(server, app, code, redirect_uri=OOB, **extra):
    data = {"grant_type": "authorization_code", "client_id": app["client_id"],
            "client_secret": app["client_secret"], "code": code, "redirect_uri": redirect_uri}
    data.update(extra)
    return server.post("/oauth/token", data=data)


def test_authorization_code_flow_oob(server):
    name = server.create_user()
    s = server.signed_in_session(name)
    app = server.register_app(scopes="read write")
    code = _oob_code(server, s, app, scope="read")
    r = _exchange(server, app, code)
    assert r.status_code == 200, r.text
    j = r.json()
    assert j["scope"] == "read" and j["token_type"] == "Bearer" and j["refresh_token"]
    v = server.verify(j["access_token"])
    assert v.status_code == 200 and v.json()["username"] == name
    r = _exchange(server, app, code)
    assert r.status_code == 400, r.text
    assert r.json()["error"] == "invalid_grant"
    # a code only works for the app it was issued to
    other = server.register_app(scopes="read write")
    code = _oob_code(server, s, app, scope="read")
    r = _exchange(server, other, code)
    assert r.status_code == 400 and r.json()["error"] == "invalid_grant"


def test_client_basic_auth_and_query_token(server):
    import base64
    app = server.register_app(scopes="read")
    basic = base64.b64encode(f"{app['client_id']}:{app['client_secret']}".encode()).decode()
    r = server.post("/oauth/token", data={"grant_type": "client_credentials"},
                    headers={"Authorization": "Basic " + basic})
    assert r.status_code == 200, r.text
    tok = r.json()["access_token"]
    r = server.get("/api/v1/apps/verify_credentials", params={"access_token": tok})
    assert r.status_code == 200, r.text
    assert r.json()["name"] == app["name"]
    bad = base64.b64encode(f"{app['client_id']}:wrong".encode()).decode()
    r = server.post("/oauth/token", data={"grant_type": "client_credentials"},
                    headers={"Authorization": "Basic " + bad})
    assert r.status_code == 401 and r.json()["error"] == "invalid_client"
    r = server.post("/oauth/token", data={"grant_type": "magic", "client_id": app["client_id"],
                                          "client_secret": app["client_secret"]})
    assert r.status_code == 400 and r.json()["error"] == "unsupported_grant_type"


def test_authorization_code_redirects_with_state(server):
    name = server.create_user()
    s = server.signed_in_session(name)
    cb = "http://127.0.0.1/cb"
    app = server.register_app(scopes="read", redirect_uris=f"{cb} {OOB}")
    r = _authorize(server, s, app, redirect_uri=cb, state="st4te xyz")
    assert r.status_code == 303, (r.status_code, r.text[:500])
    loc = r.headers["Location"]
    assert loc.startswith(cb + "?"), loc
    q = parse_qs(urlparse(loc).query)
    assert q["state"] == ["st4te xyz"]
    code = q["code"][0]
    # the code is bound to the redirect URI it was issued for
    assert _exchange(server, app, code, redirect_uri=OOB).status_code == 400
    r = _authorize(server, s, app, redirect_uri=cb, state="again")
    code = parse_qs(urlparse(r.headers["Location"]).query)["code"][0]
    r = _exchange(server, app, code, redirect_uri=cb)
    assert r.status_code == 200, r.text
    assert server.verify(r.json()["access_token"]).json()["username"] == name


def test_authorization_code_deny(server):
    name = server.create_user()
    s = server.signed_in_session(name)
    cb = "http://127.0.0.1/cb"
    app = server.register_app(scopes="read", redirect_uris=cb)
    params = {"client_id": app["client_id"], "redirect_uri": cb, "response_type": "code",
              "scope": "read", "state": "s1"}
    page = server.get("/oauth/authorize", session=s, params=params)
    form = dict(params, csrf=csrf_from(page.text), deny="1")
    r = server.post("/oauth/authorize", session=s, data=form)
    assert r.status_code == 303
    q = parse_qs(urlparse(r.headers["Location"]).query)
    assert q["error"] == ["access_denied"] and q["state"] == ["s1"]
    assert "code" not in q


def test_pkce(server):
    name = server.create_user()
    s = server.signed_in_session(name)
    app = server.register_app(scopes="read")
    verifier, challenge = pkce_pair()
    assert len(challenge) == 43

    code = _oob_code(server, s, app, challenge=challenge)
    r = _exchange(server, app, code)
    assert r.status_code == 400, r.text
    assert r.json()["error"] == "invalid_grant"

    code = _oob_code(server, s, app, challenge=challenge)
    wrong, _ = pkce_pair()
    r = _exchange(server, app, code, code_verifier=wrong)
    assert r.status_code == 400, r.text
    assert r.json()["error"] == "invalid_grant"

    code = _oob_code(server, s, app, challenge=challenge)
    r = _exchange(server, app, code, code_verifier=verifier)
    assert r.status_code == 200, r.text
    assert server.verify(r.json()["access_token"]).json()["username"] == name


def test_authorize_unregistered_redirect_is_error_page(server):
    name = server.create_user()
    s = server.signed_in_session(name)
    app = server.register_app(redirect_uris="https://good.example/cb")
    for session in (s, None):
        r = server.get("/oauth/authorize", session=session,
                       params={"client_id": app["client_id"], "response_type": "code",
                               "redirect_uri": "https://evil.example/cb", "scope": "read"})
        assert r.status_code == 400, r.status_code
        assert "Location" not in r.headers
        assert r.headers["Content-Type"].startswith("text/html")
    r = server.get("/oauth/authorize", params={"client_id": "nope", "response_type": "code",
                                               "redirect_uri": OOB})
    assert r.status_code == 400 and "Location" not in r.headers


def test_authorize_signed_out_redirects_to_signin(server):
    app = server.register_app()
    r = server.get("/oauth/authorize", params={"client_id": app["client_id"],
                                               "redirect_uri": OOB, "response_type": "code",
                                               "scope": "read"})
    assert r.status_code == 303
    loc = r.headers["Location"]
    assert loc.startswith("/signin?next="), loc
    nxt = parse_qs(urlparse(loc).query)["next"][0]
    assert nxt.startswith("/oauth/authorize?")
    assert app["client_id"] in nxt


def _race(n, fn):
    from concurrent.futures import ThreadPoolExecutor
    with ThreadPoolExecutor(n) as ex:
        return list(ex.map(lambda _: fn(), range(n)))


def test_concurrent_redemptions_succeed_once(server):
    name = server.create_user()
    app = server.register_app()
    pair = server.password_grant(app, name).json()
    data = {"grant_type": "refresh_token", "client_id": app["client_id"],
            "client_secret": app["client_secret"], "refresh_token": pair["refresh_token"]}
    results = _race(6, lambda: server.post("/oauth/token", data=data))
    statuses = sorted(r.status_code for r in results)
    assert statuses == [200] + [400] * 5, statuses

    s = server.signed_in_session(name)
    code = _oob_code(server, s, app)
    results = _race(6, lambda: _exchange(server, app, code))
    statuses = sorted(r.status_code for r in results)
    assert statuses == [200] + [400] * 5, statuses


def test_app_website_must_be_a_web_address(server):
    r = server.post("/api/v1/apps", data={"client_name": "x", "redirect_uris": OOB,
                                          "website": "javascript:alert(1)"})
    assert_json_error(r, 422)
    r = server.post("/api/v1/apps", data={"client_name": "x", "redirect_uris": OOB,
                                          "website": "https://app.example"})
    assert r.status_code == 200, r.text
    assert r.json()["website"] == "https://app.example"


def test_pending_codes_die_with_a_password_change(server):
    """A code obtained before the password changes cannot be redeemed after."""
    name = server.create_user()
    s = server.signed_in_session(name)
    app = server.register_app(scopes="read")
    params = {"client_id": app["client_id"], "redirect_uri": OOB, "response_type": "code",
              "scope": "read"}
    page = server.get("/oauth/authorize", session=s, params=params).text
    r = server.post("/oauth/authorize", session=s, data=dict(params, csrf=csrf_from(page), approve="1"))
    code = OAUTH_CODE_RE.search(r.text).group(1)
    r = server.cli("admin", "reset-password", name, stdin="a completely new password\n")
    assert r.returncode == 0, r.stderr
    r = server.post("/oauth/token", data={"grant_type": "authorization_code", "code": code,
                                          "client_id": app["client_id"],
                                          "client_secret": app["client_secret"],
                                          "redirect_uri": OOB})
    assert r.status_code == 400 and r.json()["error"] == "invalid_grant", r.text
