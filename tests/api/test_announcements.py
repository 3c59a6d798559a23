"""Instance announcements: written by admins (Parley's admin API and the
admin page), read by everyone signed in through Mastodon's
/api/v1/announcements, dismissed and reacted to one person at a time.
"""
import time

from conftest import assert_json_error
from social import api, staff

ADMIN_SCOPES = "read write admin:read admin:write"


def admin_api(server):
    name = server.create_user(role="admin")
    app = server.register_app(scopes=ADMIN_SCOPES)
    return api(server, server.token(name, scope=ADMIN_SCOPES, app=app))


def create(server, adm, **data):
    r = server.post("/api/parley/v1/admin/announcements", session=adm, data=data)
    assert r.status_code == 200, r.text
    return r.json()


def listed(actor, **params):
    return {a["id"]: a for a in actor.ok("GET", "/api/v1/announcements", params=params)}


def test_admin_crud_and_what_people_see(server):
    adm = admin_api(server)
    a = staff(server)
    ann = create(server, adm, text="Office closed on **Friday** #holiday",
                 starts_at="2030-01-03T00:00:00Z", ends_at="2030-01-04", all_day="true")
    assert "<strong>Friday</strong>" in ann["content"]
    assert ann["text"].startswith("Office closed") and ann["published"] is True
    assert ann["starts_at"] == "2030-01-03T00:00:00.000Z" and ann["all_day"] is True
    mine = listed(a)[ann["id"]]
    assert mine["read"] is False and mine["reactions"] == []
    for key in ("id", "content", "starts_at", "ends_at", "all_day", "published_at", "updated_at",
                "read", "mentions", "statuses", "tags", "emojis", "reactions"):
        assert key in mine, key
    assert "text" not in mine                     # the source is for admins

    # unpublished: gone from the list; published again: back
    r = server.request("PUT", f"/api/parley/v1/admin/announcements/{ann['id']}", session=adm,
                       json={"published": False, "text": "Office closed on Monday"})
    assert r.status_code == 200 and r.json()["published"] is False
    assert ann["id"] not in listed(a)
    r = server.request("PATCH", f"/api/parley/v1/admin/announcements/{ann['id']}", session=adm,
                       data={"published": "1"})
    assert r.status_code == 200
    assert "Monday" in listed(a)[ann["id"]]["content"]

    # admins see everything, drafts included
    every = server.get("/api/parley/v1/admin/announcements", session=adm).json()
    assert ann["id"] in [x["id"] for x in every]
    assert server.request("DELETE", f"/api/parley/v1/admin/announcements/{ann['id']}",
                          session=adm).status_code == 200
    assert ann["id"] not in listed(a)
    assert_json_error(server.request("DELETE", f"/api/parley/v1/admin/announcements/{ann['id']}",
                                     session=adm), 404)


def test_ended_announcements_are_not_listed(server):
    adm = admin_api(server)
    a = staff(server)
    past = create(server, adm, text="Old news", ends_at="2001-01-01T00:00:00Z")
    soon = create(server, adm, text="Soon over", ends_at=time.strftime(
        "%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 3600)))
    ids = listed(a)
    assert past["id"] not in ids and soon["id"] in ids


def test_validation(server):
    adm = admin_api(server)
    base = "/api/parley/v1/admin/announcements"
    assert_json_error(server.post(base, session=adm, data={"text": "  "}), 422)
    assert_json_error(server.post(base, session=adm, data={}), 422)
    assert_json_error(server.post(base, session=adm, data={"text": "x" * 5001}), 422)
    assert_json_error(server.post(base, session=adm, data={"text": "x", "starts_at": "tomorrow"}), 422)
    assert_json_error(server.post(base, session=adm, data={
        "text": "x", "starts_at": "2030-02-01T00:00:00Z", "ends_at": "2030-01-01T00:00:00Z"}), 422)
    assert_json_error(server.post(base, session=adm, data={"text": "x", "all_day": "perhaps"}), 422)


def test_only_admins_write(server):
    a = staff(server)
    base = "/api/parley/v1/admin/announcements"
    assert_json_error(a.post(base, data={"text": "me too"}), 403)
    assert_json_error(a.get(base), 403)
    assert_json_error(server.post(base, data={"text": "anyone?"}), 401)
    assert_json_error(server.get("/api/v1/announcements"), 401)
    # an admin whose token lacks the admin scopes is refused too
    name = server.create_user(role="admin")
    weak = api(server, server.token(name, scope="read write"))
    assert_json_error(server.post(base, session=weak, data={"text": "x"}), 403)


def test_dismiss_and_reactions_are_personal(server):
    adm = admin_api(server)
    a, b = staff(server), staff(server)
    ann = create(server, adm, text="React to me")
    path = f"/api/v1/announcements/{ann['id']}"
    thumbs = "\U0001F44D"
    assert a.put(f"{path}/reactions/{thumbs}").status_code == 200
    assert a.put(f"{path}/reactions/{thumbs}").status_code == 200      # twice: still one
    assert b.put(f"{path}/reactions/{thumbs}").status_code == 200
    assert b.put(f"{path}/reactions/\U0001F389").status_code == 200
    ra = {x["name"]: x for x in listed(a)[ann["id"]]["reactions"]}
    assert ra[thumbs]["count"] == 2 and ra[thumbs]["me"] is True
    assert ra["\U0001F389"]["count"] == 1 and ra["\U0001F389"]["me"] is False
    assert_json_error(a.put(f"{path}/reactions/smile"), 422)           # not an emoji
    assert b.delete(f"{path}/reactions/{thumbs}").status_code == 200
    assert {x["name"]: x["count"] for x in listed(a)[ann["id"]]["reactions"]}[thumbs] == 1

    assert a.post(f"{path}/dismiss").status_code == 200
    assert ann["id"] not in listed(a)
    assert listed(a, with_dismissed="true")[ann["id"]]["read"] is True
    assert listed(b)[ann["id"]]["read"] is False
    assert_json_error(a.post("/api/v1/announcements/123/dismiss"), 404)


def test_admin_web_page(server):
    s, _ = server.admin_session()
    a = staff(server)
    csrf = server.page_csrf(s, "/admin/instance")
    r = server.post("/admin/announcements", session=s, data={
        "csrf": csrf, "text": "From the *page*", "starts_at": "2031-05-06T07:08",
        "published": "1"})
    assert r.status_code == 303, r.text[:300]
    ann = [x for x in listed(a).values() if "From the" in x["content"]][0]
    assert ann["starts_at"] == "2031-05-06T07:08:00.000Z" and ann["all_day"] is False
    page = server.get("/admin/instance", session=s).text
    assert "From the <em>page</em>" in page and f'id="announcement-{ann["id"]}"' in page
    # an edit without the "published" box unpublishes (it is a checkbox)
    csrf = server.page_csrf(s, "/admin/instance")
    r = server.post(f"/admin/announcements/{ann['id']}", session=s,
                    data={"csrf": csrf, "text": "Edited", "starts_at": "", "ends_at": ""})
    assert r.status_code == 303
    assert ann["id"] not in listed(a)
    csrf = server.page_csrf(s, "/admin/instance")
    r = server.post(f"/admin/announcements/{ann['id']}/delete", session=s, data={"csrf": csrf})
    assert r.status_code == 303
    assert f'id="announcement-{ann["id"]}"' not in server.get("/admin/instance", session=s).text
    # without the form's token, nothing happens
    r = server.post("/admin/announcements", session=s, data={"text": "forged"})
    assert r.status_code == 403
