"""The HTML side, driven with requests.Session: setup, sessions, settings,
administration, invites and open sign-up."""
import re
from urllib.parse import urlparse

import requests

from conftest import PASSWORD, csrf_from, unique, unique_email

XSS = "<script>alert(1)</script>"
XSS_ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
INVITE_LINK_RE = re.compile(r'value="(https?://[^"]+/invite/([^"/]+))"')


def set_cookie_headers(r):
    """Every Set-Cookie header of a response, unmerged."""
    return r.raw.headers.getlist("Set-Cookie")


def session_cookie_header(r):
    for h in set_cookie_headers(r):
        if h.startswith("parley_session="):
            return h
    return None


def account_form(name, email=None, display_name=None, password=PASSWORD):
    return {"username": name, "email": email or unique_email(name),
            "display_name": display_name if display_name is not None else name,
            "password": password, "password_confirm": password}


def do_setup(srv, session, **kw):
    csrf = srv.page_csrf(session, "/setup")
    name = kw.pop("username", None) or unique("root")
    data = account_form(name, **kw)
    data["csrf"] = csrf
    return srv.post("/setup", session=session, data=data), name


def with_cookie(srv, value):
    s = srv.web_session()
    s.cookies.set("parley_session", value, domain="127.0.0.1", path="/")
    return s


def admin_post(srv, admin, path, data):
    csrf = srv.page_csrf(admin, "/admin")
    return srv.post(path, session=admin, data=dict(data, csrf=csrf))


def set_registration(srv, admin, mode, domains=""):
    r = admin_post(srv, admin, "/admin/registration", {"mode": mode, "domains": domains})
    assert r.status_code == 303, (r.status_code, r.text[:500])


def invite_links(srv, admin):
    r = srv.get("/admin", session=admin)
    assert r.status_code == 200
    return {m.group(1): m.group(2) for m in INVITE_LINK_RE.finditer(r.text)}


def create_invite(srv, admin, kind="guest", max_uses=1):
    before = invite_links(srv, admin)
    r = admin_post(srv, admin, "/admin/invites",
                   {"kind": kind, "max_uses": str(max_uses), "expires_days": "7"})
    assert r.status_code == 303, (r.status_code, r.text[:500])
    new = set(invite_links(srv, admin)) - set(before)
    assert len(new) == 1, new
    link = new.pop()
    assert link.startswith(srv.url + "/invite/"), link
    return urlparse(link).path


def accept_invite(srv, path, **kw):
    s = srv.web_session()
    csrf = srv.page_csrf(s, path)
    name = kw.pop("username", None) or unique("inv")
    data = account_form(name, **kw)
    data["csrf"] = csrf
    return s, name, srv.post(path, session=s, data=data)


# ---- first run -----------------------------------------------------------

def test_fresh_instance_redirects_to_setup(private_server):
    srv = private_server
    s = srv.web_session()
    r = srv.get("/", session=s)
    assert r.status_code == 303 and r.headers["Location"] == "/setup"
    r = srv.get("/signin", session=s)
    assert r.status_code == 303 and r.headers["Location"] == "/setup"
    r = srv.get("/setup", session=s)
    assert r.status_code == 200
    assert 'action="/setup"' in r.text
    csrf_from(r.text)


def test_setup_requires_csrf(private_server):
    srv = private_server
    s = srv.web_session()
    srv.page_csrf(s, "/setup")  # has the csrf cookie, but does not send the field
    data = account_form(unique("root"))
    r = srv.post("/setup", session=s, data=data)
    assert r.status_code == 403, r.status_code
    assert r.headers["Content-Type"].startswith("text/html")
    r = srv.post("/setup", session=s, data=dict(data, csrf="forged" * 8))
    assert r.status_code == 403
    # nothing was created
    r = srv.get("/", session=srv.web_session())
    assert r.status_code == 303 and r.headers["Location"] == "/setup"


def test_setup_creates_admin_with_session(private_server):
    srv = private_server
    s = srv.web_session()
    r, name = do_setup(srv, s)
    assert r.status_code == 303, (r.status_code, r.text[:1000])
    assert urlparse(r.headers["Location"]).path == "/"
    cookie = session_cookie_header(r)
    assert cookie, set_cookie_headers(r)
    attrs = [a.strip().lower() for a in cookie.split(";")]
    assert "httponly" in attrs, cookie
    assert "samesite=lax" in attrs, cookie
    assert "path=/" in attrs
    r = srv.get("/", session=s)
    assert r.status_code == 200 and "@" + name in r.text
    assert srv.get("/admin", session=s).status_code == 200
    # setup is over, for everybody
    r = srv.get("/setup", session=srv.web_session())
    assert r.status_code == 303 and r.headers["Location"] == "/signin"
    s2 = srv.web_session()
    csrf = srv.page_csrf(s2, "/signin")
    r = srv.post("/setup", session=s2, data=dict(account_form(unique("late")), csrf=csrf))
    assert r.status_code == 303 and r.headers["Location"].startswith("/signin")
    assert "parley_session" not in s2.cookies
    # the account is an admin on the API too
    a = srv.verify(srv.token(name)).json()
    assert a["parley"] == {"kind": "staff", "role": "admin", "profile_public": False}


def test_setup_escapes_display_name(private_server):
    srv = private_server
    s = srv.web_session()
    r, name = do_setup(srv, s, display_name=XSS)
    assert r.status_code == 303, (r.status_code, r.text[:1000])
    for path in ("/", "/settings", "/admin"):
        r = srv.get(path, session=s)
        assert r.status_code == 200, path
        assert XSS_ESCAPED in r.text, path
        assert XSS not in r.text, path


# ---- sessions --------------------------------------------------------------

def test_signin_rotates_session(server):
    name = server.create_user()
    s = server.signed_in_session(name)
    first = s.cookies.get("parley_session")
    # sign in again from the same browser: a new value, and the old one ends
    csrf = server.page_csrf(s, "/settings")
    r = server.post("/signin", session=s, data={"csrf": csrf, "username": name,
                                                "password": PASSWORD})
    assert r.status_code == 303
    second = s.cookies.get("parley_session")
    assert second and second != first
    assert server.get("/settings", session=s).status_code == 200
    assert server.get("/settings", session=with_cookie(server, second)).status_code == 200
    r = server.get("/settings", session=with_cookie(server, first))
    assert r.status_code == 303 and r.headers["Location"].startswith("/signin")
    # a value planted before sign-in is not kept either
    planted = "A" * len(first)
    s2 = with_cookie(server, planted)
    r = server.web_signin(s2, name)
    assert r.status_code == 303
    assert s2.cookies.get("parley_session") not in (None, planted)


def test_signin_next_stays_on_site(server):
    name = server.create_user()
    s = server.web_session()
    r = server.web_signin(s, name, next_path="//evil.example/x")
    assert r.status_code == 303
    assert r.headers["Location"] == "/"
    s = server.web_session()
    r = server.web_signin(s, name, next_path="/settings")
    assert r.status_code == 303 and r.headers["Location"] == "/settings"
    # browsers drop tabs and newlines in URLs and read '\' as '/': "/\t/evil" is "//evil"
    for sneaky in ("/\t/evil.example", "/\n/evil.example", "/\\evil.example", "/x\\..\\/evil"):
        s = server.web_session()
        r = server.web_signin(s, name, next_path=sneaky)
        assert r.status_code == 303 and r.headers["Location"] == "/", (sneaky, r.headers)
    # also for a visitor who is already signed in
    r = server.get("/signin", session=s, params={"next": "/\t/evil.example"})
    assert r.status_code == 303 and r.headers["Location"] == "/"


def test_signout_invalidates_session(server):
    name = server.create_user()
    s = server.signed_in_session(name)
    old = s.cookies.get("parley_session")
    assert server.get("/", session=with_cookie(server, old)).status_code == 200
    r = server.get("/", session=s)
    assert r.status_code == 200
    csrf = csrf_from(r.text)
    r = server.post("/signout", session=s, data={})
    assert r.status_code == 403, "sign-out needs the csrf token"
    r = server.post("/signout", session=s, data={"csrf": csrf})
    assert r.status_code == 303 and r.headers["Location"].startswith("/signin")
    cleared = session_cookie_header(r)
    assert cleared and "max-age=0" in cleared.lower(), cleared
    r = server.get("/", session=with_cookie(server, old))
    assert r.status_code == 303 and r.headers["Location"] == "/signin"


def test_settings_lists_sessions(server):
    name = server.create_user()
    s1 = server.signed_in_session(name)
    s2 = server.signed_in_session(name)
    r = server.get("/settings", session=s1)
    assert r.status_code == 200
    assert "@" + name in r.text
    assert s1.headers["User-Agent"] in r.text
    assert s2.headers["User-Agent"] in r.text
    assert r.text.count("(this one)") == 1
    assert "127.0.0.1" in r.text
    # signed out: the page asks to sign in first
    r = server.get("/settings")
    assert r.status_code == 303 and r.headers["Location"].startswith("/signin?next=")


def test_change_password_wrong_current_is_422(server):
    name = server.create_user()
    s = server.signed_in_session(name)
    csrf = server.page_csrf(s, "/settings")
    new_pw = "a much better passphrase"
    r = server.post("/settings/password", session=s,
                    data={"csrf": csrf, "current_password": "not the password",
                          "password": new_pw, "password_confirm": new_pw})
    assert r.status_code == 422, r.status_code
    assert "current password" in r.text.lower()
    # nothing changed
    server.token(name, PASSWORD)


def test_change_password_ends_other_sessions_and_tokens(server):
    name = server.create_user()
    s = server.signed_in_session(name)
    other = server.signed_in_session(name)
    tok = server.token(name)
    csrf = server.page_csrf(s, "/settings")
    new_pw = "a much better passphrase"
    r = server.post("/settings/password", session=s,
                    data={"csrf": csrf, "current_password": PASSWORD,
                          "password": new_pw, "password_confirm": new_pw})
    assert r.status_code == 303, (r.status_code, r.text[:500])
    assert server.get("/settings", session=s).status_code == 200
    assert server.get("/settings", session=other).status_code == 303
    assert server.verify(tok).status_code == 401
    server.token(name, new_pw)


# ---- administration ------------------------------------------------------

def test_admin_page_forbidden_for_staff(server):
    name = server.create_user(role="staff")
    s = server.signed_in_session(name)
    r = server.get("/admin", session=s)
    assert r.status_code == 403
    assert r.headers["Content-Type"].startswith("text/html")
    csrf = server.page_csrf(s, "/settings")
    r = server.post("/admin/registration", session=s, data={"csrf": csrf, "mode": "open",
                                                            "domains": "evil.test"})
    assert r.status_code == 403
    r = server.post("/admin/invites", session=s, data={"csrf": csrf, "kind": "staff"})
    assert r.status_code == 403
    # and anonymous visitors are sent to sign in
    r = server.get("/admin")
    assert r.status_code == 303 and r.headers["Location"].startswith("/signin")


def test_guest_invite_flow(server):
    admin, _ = server.admin_session()
    set_registration(server, admin, "invite")
    path = create_invite(server, admin, kind="guest", max_uses=1)
    s, name, r = accept_invite(server, path)
    assert r.status_code == 303, (r.status_code, r.text[:1000])
    assert urlparse(r.headers["Location"]).path == "/"
    assert s.cookies.get("parley_session")
    assert server.get("/", session=s).status_code == 200
    a = server.verify(server.token(name)).json()
    assert a["username"] == name
    assert a["parley"]["kind"] == "guest"
    assert a["parley"]["role"] == "guest"
    # the admin page shows the invite as used up
    r = server.get("/admin", session=admin)
    assert "@" + name in r.text


def test_invite_is_single_use(server):
    admin, _ = server.admin_session()
    set_registration(server, admin, "invite")
    path = create_invite(server, admin, kind="staff", max_uses=1)
    _, name, r = accept_invite(server, path)
    assert r.status_code == 303, (r.status_code, r.text[:1000])
    assert server.verify(server.token(name)).json()["parley"]["kind"] == "staff"
    s = server.web_session()
    r = server.get(path, session=s)
    assert r.status_code == 404, r.status_code
    assert r.headers["Content-Type"].startswith("text/html")
    # posting the form anyway does not make an account
    csrf = server.page_csrf(s, "/signin")
    late = unique("late")
    r = server.post(path, session=s, data=dict(account_form(late), csrf=csrf))
    assert r.status_code == 404
    assert server.cli("admin", "suspend", late).returncode != 0


def test_invite_with_closed_registration_is_403(server):
    admin, _ = server.admin_session()
    set_registration(server, admin, "invite")
    path = create_invite(server, admin, kind="guest", max_uses=1)
    set_registration(server, admin, "closed")
    try:
        r = server.get(path, session=server.web_session())
        assert r.status_code == 403, r.status_code
        assert r.headers["Content-Type"].startswith("text/html")
        assert "closed" in r.text.lower()
    finally:
        set_registration(server, admin, "invite")
    # the invite was not spent: it works again once invites are allowed
    r = server.get(path, session=server.web_session())
    assert r.status_code == 200


def test_open_registration_by_domain(server):
    admin, _ = server.admin_session()
    set_registration(server, admin, "open", "example.org, example.net")
    s = server.web_session()
    r = server.get("/signup", session=s)
    assert r.status_code == 200
    assert "example.org" in r.text
    csrf = csrf_from(r.text)
    good = unique("open")
    r = server.post("/signup", session=s,
                    data=dict(account_form(good, email=unique_email(good, "Example.ORG")), csrf=csrf))
    assert r.status_code == 303, (r.status_code, r.text[:1000])
    assert s.cookies.get("parley_session")
    assert server.verify(server.token(good)).json()["parley"] == {"kind": "staff", "role": "staff", "profile_public": False}

    s = server.web_session()
    csrf = server.page_csrf(s, "/signup")
    bad = unique("evil")
    r = server.post("/signup", session=s,
                    data=dict(account_form(bad, email=unique_email(bad, "evil.test")), csrf=csrf))
    assert r.status_code == 403, r.status_code
    assert "parley_session" not in s.cookies
    r = server.password_grant(server.register_app(), bad)
    assert r.status_code == 400

    set_registration(server, admin, "invite")
    r = server.get("/signup", session=server.web_session())
    assert r.status_code == 403


def test_invite_form_escapes_display_name(server):
    admin, _ = server.admin_session()
    set_registration(server, admin, "invite")
    path = create_invite(server, admin, kind="guest")
    s, name, r = accept_invite(server, path, display_name=XSS)
    assert r.status_code == 303, (r.status_code, r.text[:1000])
    for sess, page in ((admin, "/admin"), (s, "/settings"), (s, "/")):
        r = server.get(page, session=sess)
        assert r.status_code == 200
        assert XSS_ESCAPED in r.text, page
        assert XSS not in r.text, page
    # the form echo on an error is escaped too
    path2 = create_invite(server, admin, kind="guest")
    s2 = server.web_session()
    csrf = server.page_csrf(s2, path2)
    data = account_form(unique("bad"), display_name=XSS)
    data.update(csrf=csrf, password_confirm="something else entirely")
    r = server.post(path2, session=s2, data=data)
    assert r.status_code == 422
    assert XSS not in r.text and XSS_ESCAPED in r.text


def test_csrf_token_is_bound_to_the_session(server):
    a = server.signed_in_session(server.create_user())
    b = server.signed_in_session(server.create_user())
    csrf_a = server.page_csrf(a, "/settings")
    csrf_b = server.page_csrf(b, "/settings")
    assert csrf_a != csrf_b
    r = server.post("/settings/sessions/others/revoke", session=b, data={"csrf": csrf_a})
    assert r.status_code == 403
    r = server.post("/settings/sessions/others/revoke", session=b,
                    headers={"X-CSRF-Token": csrf_b})
    assert r.status_code == 303, r.status_code
    # the anonymous double-submit cookie is no substitute for the session's token
    anon_csrf = server.page_csrf(server.web_session(), "/signin")
    r = server.post("/settings/sessions/others/revoke", session=b, data={"csrf": anon_csrf})
    assert r.status_code == 403


def test_secrets_stay_out_of_the_log(server):
    admin, _ = server.admin_session()
    set_registration(server, admin, "invite")
    path = create_invite(server, admin, kind="guest")
    code = path.rsplit("/", 1)[1]
    _, name, r = accept_invite(server, path)
    assert r.status_code == 303
    tok = server.token(name)
    assert server.get("/api/v1/accounts/verify_credentials",
                      params={"access_token": tok}).status_code == 200
    log = server.log_path.read_text(errors="replace")
    assert "/invite/:code" in log, "the access log names the route instead"
    # also when no route matches: another method, a longer path
    server.request("PUT", path)
    server.get(path + "/more")
    server.get("/healthz")
    log = server.log_path.read_text(errors="replace")
    assert code not in log
    assert tok not in log
    assert PASSWORD not in log


def test_suspend_needs_a_clear_answer(server):
    admin, _ = server.admin_session()
    name = server.create_user()
    page = server.get("/admin", session=admin).text
    # find this user's row id through the role form label
    m = re.search(r'for="role-(\d+)">Role of @' + re.escape(name) + "<", page)
    assert m, page[:3000]
    r = admin_post(server, admin, f"/admin/accounts/{m.group(1)}/suspend", {"suspended": "maybe"})
    assert r.status_code == 422
    # the account was not touched: it can still get a token
    assert server.token(name)


def test_secure_cookies_with_https_base_url(parley_bin, tmp_path_factory):
    from conftest import start_private_server
    srv = start_private_server(tmp_path_factory, "https",
                               extra_args=["--base-url", "https://parley.example/"])
    try:
        # requests keeps Secure cookies off plain http, so send them by hand
        r = srv.get("/setup")
        csrf_cookie = [h for h in set_cookie_headers(r) if h.startswith("parley_csrf=")]
        assert csrf_cookie and "secure" in csrf_cookie[0].lower(), set_cookie_headers(r)
        value = csrf_cookie[0].split(";")[0]
        data = dict(account_form(unique("root")), csrf=csrf_from(r.text))
        r = srv.post("/setup", data=data, headers={"Cookie": value})
        assert r.status_code == 303, r.status_code
        cookie = session_cookie_header(r)
        attrs = [x.strip().lower() for x in cookie.split(";")]
        assert "secure" in attrs and "httponly" in attrs, cookie
        r = srv.get("/settings", headers={"Cookie": cookie.split(";")[0]})
        assert r.status_code == 200
        name = data["username"]
        a = srv.verify(srv.token(name)).json()
        assert a["url"] == f"https://parley.example/@{name}"
    finally:
        assert srv.stop() == 0, srv.log_tail()


def _race(n, fn):
    from concurrent.futures import ThreadPoolExecutor
    with ThreadPoolExecutor(n) as ex:
        return list(ex.map(lambda i: fn(i), range(n)))


def test_concurrent_setup_makes_one_admin(private_server):
    srv = private_server
    forms = []
    for _ in range(4):
        s = srv.web_session()
        forms.append((s, dict(account_form(unique("race")), csrf=srv.page_csrf(s, "/setup"))))
    results = _race(4, lambda i: srv.post("/setup", session=forms[i][0], data=forms[i][1]))
    statuses = [r.status_code for r in results]
    assert all(st < 500 for st in statuses), statuses
    winners = [i for i, r in enumerate(results)
               if r.status_code == 303 and session_cookie_header(r)]
    assert len(winners) == 1, [(r.status_code, r.headers.get("Location")) for r in results]
    for i, r in enumerate(results):
        if i != winners[0]:
            assert r.status_code == 303 and r.headers["Location"].startswith("/signin"), \
                (r.status_code, r.headers.get("Location"))
    # exactly one account exists: the losers cannot sign in
    for i, (s, form) in enumerate(forms):
        r = srv.password_grant(srv.register_app(), form["username"])
        assert r.status_code == (200 if i == winners[0] else 400), (i, r.text)


def test_concurrent_invite_redemption_is_single_use(server):
    admin, _ = server.admin_session()
    set_registration(server, admin, "invite")
    path = create_invite(server, admin, kind="guest", max_uses=1)
    forms = []
    for _ in range(4):
        s = server.web_session()
        forms.append((s, dict(account_form(unique("rinv")), csrf=server.page_csrf(s, path))))
    results = _race(4, lambda i: server.post(path, session=forms[i][0], data=forms[i][1]))
    statuses = sorted(r.status_code for r in results)
    assert statuses == [303, 404, 404, 404], statuses


def test_a_strange_user_agent_cannot_hide_a_session(server):
    name = server.create_user()
    hidden = server.web_session()
    # requests sends header text as latin-1: these are the bytes FF and E9, not UTF-8
    hidden.headers["User-Agent"] = "Evil\xff" + "\u00e9" * 200
    r = server.web_signin(hidden, name)
    assert r.status_code == 303
    viewer = server.signed_in_session(name)
    page = server.get("/settings", session=viewer).text
    # both sessions are listed: the one with the odd browser name too
    assert page.count('action="/settings/sessions/') >= 3, page  # 2 rows + "others"
    assert "Evil" in page


def test_change_password_guesses_are_rate_limited(parley_bin, tmp_path_factory):
    from conftest import start_private_server
    srv = start_private_server(tmp_path_factory, "pwguess")
    try:
        name = srv.create_user()
        s = srv.signed_in_session(name)
        codes = []
        for i in range(7):
            csrf = srv.page_csrf(s, "/settings")
            r = srv.post("/settings/password", session=s,
                         data={"csrf": csrf, "current_password": f"guess number {i}",
                               "password": "brand new password 1", "password_confirm": "brand new password 1"})
            codes.append(r.status_code)
        assert codes[:5] == [422] * 5, codes
        assert codes[5:] == [429, 429], codes
        assert int(r.headers["Retry-After"]) > 0
    finally:
        assert srv.stop() == 0, srv.log_tail()


def test_notices_cannot_be_set_from_a_link(server):
    name = server.create_user()
    s = server.signed_in_session(name)
    r = server.get("/", session=s, params={"notice": "Your session expired: sign in at evil.example"})
    assert r.status_code == 200
    assert "evil.example" not in r.text
    # a real notice comes from the redirect after an action, and shows once
    csrf = server.page_csrf(s, "/settings")
    r = server.post("/settings/sessions/others/revoke", session=s, data={"csrf": csrf})
    assert r.status_code == 303 and "notice" not in r.headers["Location"]
    first = server.get("/settings", session=s).text
    assert "Your other sessions are ended." in first
    again = server.get("/settings", session=s).text
    assert "Your other sessions are ended." not in again


def test_a_session_in_use_renews_its_cookie(server):
    import sqlite3
    name = server.create_user()
    s = server.signed_in_session(name)

    def age_session():
        """Pretend the session was last used an hour ago."""
        db = sqlite3.connect(str(server.data_dir / "parley.db"), timeout=10)
        with db:
            db.execute("UPDATE sessions SET last_used_at = last_used_at - 3600000 "
                       "WHERE account_id = (SELECT id FROM accounts WHERE username = ?)", (name,))
        db.close()
    age_session()
    r = server.get("/", session=s)
    assert r.status_code == 200
    cookies = [c for c in set_cookie_headers(r) if c.startswith("parley_session=")]
    assert cookies and "Max-Age=2592000" in cookies[0], set_cookie_headers(r)
    # signing out is not undone by a renewal in the same response
    csrf = server.page_csrf(s, "/settings")
    age_session()
    r = server.post("/signout", session=s, data={"csrf": csrf})
    sess = [c for c in set_cookie_headers(r) if c.startswith("parley_session=")]
    assert len(sess) == 1 and "Max-Age=0" in sess[0], sess


def test_a_planted_csrf_cookie_is_not_enough(server):
    """Someone who can set cookies (a sibling subdomain, plain http) must still
    not be able to make an anonymous form's token: it is signed by the server."""
    name = server.create_user()
    for planted in ("a", "A" * 43):
        s = server.web_session()
        s.cookies.set("parley_csrf", planted, domain="127.0.0.1", path="/")
        r = server.post("/signin", session=s, data={"csrf": planted, "username": name,
                                                     "password": PASSWORD})
        assert r.status_code == 403, (planted, r.status_code)
    # the real form still works, and its token is not the cookie value
    s = server.web_session()
    csrf = server.page_csrf(s, "/signin")
    assert csrf != s.cookies.get("parley_csrf")
    r = server.post("/signin", session=s, data={"csrf": csrf, "username": name, "password": PASSWORD})
    assert r.status_code == 303
