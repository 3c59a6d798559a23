"""Instance metadata as Mastodon clients read it before anything else:
/api/v1/instance (and with a trailing slash), /api/v2/instance, rules,
peers, activity, extended description, NodeInfo, custom emojis,
preferences, /health. Limits come from the configuration; rules and the
description from the admin page.
"""
import re
import time

import requests

from conftest import ParleyServer, assert_json_error, csrf_from
from social import Actor, guest, staff

ISO_MS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


def test_v1_instance_and_trailing_slash(server):
    for path in ("/api/v1/instance", "/api/v1/instance/"):
        r = server.get(path)
        assert r.status_code == 200, r.text
        assert r.headers["Access-Control-Allow-Origin"] == "*"
        j = r.json()
        assert j["uri"] == f"127.0.0.1:{server.port}"
        assert j["version"].startswith("4.3.0 (compatible; Parley ")
        assert j["urls"]["streaming_api"] == f"ws://127.0.0.1:{server.port}"
        for key in ("title", "short_description", "description", "email", "stats", "thumbnail",
                    "languages", "registrations", "approval_required", "invites_enabled",
                    "configuration", "contact_account", "rules"):
            assert key in j, key
        assert j["stats"]["user_count"] >= 1 and j["stats"]["domain_count"] == 1
        assert j["contact_account"]["username"] == "first_admin"   # the oldest admin


def test_v2_instance_every_documented_field(server):
    staff(server)                         # someone active this month
    j = server.get("/api/v2/instance").json()
    for key in ("domain", "title", "version", "source_url", "description", "usage", "thumbnail",
                "icon", "languages", "configuration", "registrations", "api_versions", "contact",
                "rules"):
        assert key in j, key
    c = j["configuration"]
    assert c["urls"]["streaming"] == f"ws://127.0.0.1:{server.port}"
    assert j["api_versions"] == {"mastodon": 2}
    assert c["statuses"]["max_characters"] == 5000
    assert c["statuses"]["max_media_attachments"] == 4
    assert "image/png" in c["media_attachments"]["supported_mime_types"]
    assert c["media_attachments"]["image_size_limit"] == 16 * 1024 * 1024
    assert c["polls"] == {"max_options": 4, "max_characters_per_option": 100,
                          "min_expiration": 300, "max_expiration": 31 * 86400}
    assert c["accounts"]["max_pinned_statuses"] == 5
    assert c["translation"] == {"enabled": False}
    assert set(j["registrations"]) == {"enabled", "approval_required", "message", "url"}
    assert j["usage"]["users"]["active_month"] >= 1
    assert j["thumbnail"]["url"].endswith("/static/header.png")
    assert j["contact"]["account"]["username"] == "first_admin"


def test_limits_follow_the_configuration(tmp_path_factory):
    srv = ParleyServer(tmp_path_factory.mktemp("inst"), env={
        "PARLEY_POST_MAX_CHARS": "777", "PARLEY_POLL_MAX_OPTIONS": "6",
        "PARLEY_MAX_UPLOAD": "2000000", "PARLEY_INSTANCE_NAME": "Acme Social"}).start()
    try:
        for path in ("/api/v1/instance", "/api/v2/instance"):
            j = srv.get(path).json()
            c = j["configuration"]
            assert j["title"] == "Acme Social"
            assert c["statuses"]["max_characters"] == 777
            assert c["polls"]["max_options"] == 6
            assert c["media_attachments"]["image_size_limit"] == 2000000
        info = srv.get("/nodeinfo/2.0").json()
        assert info["metadata"]["nodeName"] == "Acme Social"
        assert info["usage"]["users"]["total"] == 0
        assert srv.get("/api/v1/instance").json()["contact_account"] is None
    finally:
        assert srv.stop() == 0


def test_rules_description_and_contact_from_the_admin_page(server):
    s, _ = server.admin_session()
    csrf = server.page_csrf(s, "/admin/instance")
    r = server.post("/admin/instance", session=s, data={
        "csrf": csrf, "description": "Where Acme talks",
        "extended": "## About\n\nWe talk about **work**.",
        "rules": "Be kind | Assume good intent\n\n  No spam  \n",
        "contact_email": "help@acme.example"})
    assert r.status_code == 303, r.text[:500]
    rules = server.get("/api/v1/instance/rules").json()
    assert rules == [{"id": "1", "text": "Be kind", "hint": "Assume good intent"},
                     {"id": "2", "text": "No spam", "hint": ""}]
    v1 = server.get("/api/v1/instance").json()
    assert v1["description"] == "Where Acme talks" and v1["email"] == "help@acme.example"
    assert v1["rules"] == rules
    v2 = server.get("/api/v2/instance").json()
    assert v2["contact"]["email"] == "help@acme.example" and v2["rules"] == rules
    ext = server.get("/api/v1/instance/extended_description").json()
    assert "<strong>work</strong>" in ext["content"] and ISO_MS.match(ext["updated_at"])
    assert server.get("/nodeinfo/2.1").json()["metadata"]["nodeDescription"] == "Where Acme talks"
    # a bad address is refused with the page, nothing saved
    csrf = server.page_csrf(s, "/admin/instance")
    r = server.post("/admin/instance", session=s, data={"csrf": csrf, "contact_email": "nope"})
    assert r.status_code == 422
    assert server.get("/api/v1/instance").json()["email"] == "help@acme.example"


def test_admin_instance_page_is_for_admins(server):
    who = server.create_user(role="staff")
    s = server.signed_in_session(who)
    assert server.get("/admin/instance", session=s).status_code == 403
    assert server.post("/admin/instance", session=s,
                       data={"csrf": server.page_csrf(s, "/settings"), "description": "x"}).status_code == 403


def test_peers_emojis_health_and_stubs(server):
    assert server.get("/api/v1/instance/peers").json() == []
    assert server.get("/api/v1/custom_emojis").json() == []
    r = server.get("/health")
    assert r.status_code == 200 and r.text == "OK"
    assert server.get("/api/v1/instance/domain_blocks").json() == []
    assert server.get("/api/v1/trends/links").json() == []


def test_activity_counts_real_data(tmp_path_factory):
    srv = ParleyServer(tmp_path_factory.mktemp("act")).start()
    try:
        before = srv.get("/api/v1/instance/activity").json()
        assert len(before) == 12
        weeks = [int(w["week"]) for w in before]
        assert weeks == sorted(weeks, reverse=True) and all(a - b == 7 * 86400 for a, b in zip(weeks, weeks[1:]))
        assert weeks[0] <= time.time() < weeks[0] + 7 * 86400
        # a Monday, 00:00 UTC
        assert time.gmtime(weeks[0]).tm_wday == 0 and weeks[0] % 86400 == 0
        a = Actor(srv)
        b = Actor(srv)
        a.post_status("one", "public")
        a.post_status("two", "unlisted")
        st = b.post_status("three", "public")
        a.act(st["id"], "reblog")                     # a reblog is not a new status
        now = srv.get("/api/v1/instance/activity").json()[0]
        assert now["statuses"] == "3"
        assert now["registrations"] == "2"
        assert now["logins"] == "2"                   # both got a token this week
        assert all(isinstance(now[k], str) for k in now)
    finally:
        assert srv.stop() == 0


def test_nodeinfo(server):
    r = server.get("/.well-known/nodeinfo")
    links = r.json()["links"]
    assert [x["rel"] for x in links] == ["http://nodeinfo.diaspora.software/ns/schema/2.0",
                                         "http://nodeinfo.diaspora.software/ns/schema/2.1"]
    for version, link in zip(("2.0", "2.1"), links):
        assert link["href"] == f"http://127.0.0.1:{server.port}/nodeinfo/{version}"
        r = server.get(f"/nodeinfo/{version}")
        assert r.status_code == 200
        assert f'schema/{version}#' in r.headers["Content-Type"]
        j = r.json()
        assert j["version"] == version
        assert re.match(r"^[a-z0-9-]+$", j["software"]["name"])
        assert j["protocols"] and isinstance(j["openRegistrations"], bool)
        assert set(j["usage"]["users"]) == {"total", "activeMonth", "activeHalfyear"}
        assert isinstance(j["usage"]["localPosts"], int)
        assert isinstance(j["metadata"], dict) and j["metadata"]["nodeName"]
        assert j["services"] == {"inbound": [], "outbound": []}


def test_preferences(server):
    st, gu = staff(server), guest(server)
    p = st.ok("GET", "/api/v1/preferences")
    assert p == {"posting:default:visibility": "unlisted", "posting:default:sensitive": False,
                 "posting:default:language": None, "reading:expand:media": "default",
                 "reading:expand:spoilers": False}
    assert gu.ok("GET", "/api/v1/preferences")["posting:default:visibility"] == "private"
    assert_json_error(server.get("/api/v1/preferences"), 401)


def test_dates_are_iso_with_milliseconds(server):
    a = staff(server)
    b = staff(server)
    st = a.post_status("dated", "public", **{"poll[options][]": ["x", "y"], "poll[expires_in]": "600"})
    b.act(st["id"], "favourite")
    seen = []

    def walk(x, path=""):
        if isinstance(x, dict):
            for k, v in x.items():
                if k.endswith("_at") and isinstance(v, str) and k != "last_status_at":
                    seen.append((path + k, v))
                walk(v, path + k + ".")
        elif isinstance(x, list):
            for v in x:
                walk(v, path)

    walk(a.ok("GET", f"/api/v1/statuses/{st['id']}"))
    walk(a.notifications())
    walk(a.ok("GET", "/api/v1/accounts/verify_credentials"))
    assert {"created_at", "poll.expires_at", "account.created_at"} <= {k for k, _ in seen}
    for k, v in seen:
        assert ISO_MS.match(v), (k, v)
