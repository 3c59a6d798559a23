"""Notifications: each type, filters, single fetch, dismiss, clear, unread
count with the notifications marker, per-type preferences, and what must not
notify (own actions, deleted posts)."""
import urllib.parse

from conftest import assert_json_error
from social import ids, link, notes_of, settle, staff, wait_for, wait_note, walk

PREFS = "/api/parley/v1/notifications/preferences"

def react(who, sid, emoji="👍"):
    return who.ok("POST", f"/api/v1/statuses/{sid}/react/{urllib.parse.quote(emoji)}")


# ---- the types ------------------------------------------------------------------

def test_mention(server):
    a, b = staff(server), staff(server)
    st = b.post_status(f"hello @{a.name}", "public")
    n = wait_note(a, "mention", st["id"])
    assert n["account"]["id"] == b.id
    assert n["status"]["id"] == st["id"]
    assert isinstance(n["id"], str) and n["created_at"]


def test_reply_notifies_the_author_as_mention(server):
    a, b = staff(server), staff(server)
    st = a.post_status("a question", "public")
    rep = b.reply(st, "an answer without naming anyone", "public")
    n = wait_note(a, "mention", rep["id"])
    assert n["account"]["id"] == b.id
    # a reply that names the author notifies once, not twice
    rep2 = b.reply(st, f"@{a.name} and again", "public")
    wait_note(a, "mention", rep2["id"])
    assert len(notes_of(a, "mention", rep2["id"])) == 1


def test_follow(server):
    a, b = staff(server), staff(server)
    b.follow(a)
    n = wait_note(a, "follow", account_id=b.id)
    assert n.get("status") is None


def test_favourite(server):
    a, b = staff(server), staff(server)
    st = a.post_status("like me", "public")
    b.ok("POST", f"/api/v1/statuses/{st['id']}/favourite")
    n = wait_note(a, "favourite", st["id"])
    assert n["account"]["id"] == b.id


def test_reblog(server):
    a, b = staff(server), staff(server)
    st = a.post_status("share me", "public")
    b.ok("POST", f"/api/v1/statuses/{st['id']}/reblog")
    n = wait_note(a, "reblog", st["id"])
    assert n["account"]["id"] == b.id
    assert n["status"]["id"] == st["id"], "the notification shows the original"


def test_update_notifies_who_reblogged(server):
    a, b, c = staff(server), staff(server), staff(server)
    st = a.post_status("first draft", "public")
    b.ok("POST", f"/api/v1/statuses/{st['id']}/reblog")
    c.ok("POST", f"/api/v1/statuses/{st['id']}/favourite")
    a.ok("PUT", f"/api/v1/statuses/{st['id']}", data={"status": "second draft"})
    n = wait_note(b, "update", st["id"])
    assert n["account"]["id"] == a.id
    assert "second draft" in n["status"]["content"]
    assert notes_of(a, "update") == [], "not the author"


def test_emoji_reaction(server):
    a, b = staff(server), staff(server)
    st = a.post_status("react", "public")
    react(b, st["id"], "🎉")
    n = wait_note(a, "parley.reaction", st["id"])
    assert n["account"]["id"] == b.id
    assert n["parley"]["emoji"] == "🎉", n.get("parley")


def test_nothing_for_acting_on_your_own_post(server):
    a = staff(server)
    st = a.post_status(f"talking to myself @{a.name}", "public")
    a.ok("POST", f"/api/v1/statuses/{st['id']}/favourite")
    a.ok("POST", f"/api/v1/statuses/{st['id']}/reblog")
    react(a, st["id"])
    a.reply(st, "replying to myself", "public")
    a.ok("PUT", f"/api/v1/statuses/{st['id']}", data={"status": "edited"})
    settle()
    assert a.notifications() == []


# ---- listing and filters -----------------------------------------------------------

def three_kinds(server):
    """a gets a follow (from b), a favourite (from c) and a mention (from b)."""
    a, b, c = staff(server), staff(server), staff(server)
    st = a.post_status("post", "public")
    b.follow(a)
    wait_note(a, "follow")
    c.ok("POST", f"/api/v1/statuses/{st['id']}/favourite")
    wait_note(a, "favourite")
    m = b.post_status(f"@{a.name} hi", "public")
    wait_note(a, "mention")
    return a, b, c, st, m


def test_list_order_and_filters(server):
    a, b, c, st, m = three_kinds(server)
    all_ = a.notifications()
    assert [n["type"] for n in all_] == ["mention", "favourite", "follow"], "newest first"
    assert [int(n["id"]) for n in all_] == sorted((int(n["id"]) for n in all_), reverse=True)

    def types(**params):
        return [n["type"] for n in a.notifications(**params)]

    assert types(**{"types[]": ["mention"]}) == ["mention"]
    assert types(**{"types[]": ["mention", "follow"]}) == ["mention", "follow"]
    assert types(**{"exclude_types[]": ["mention"]}) == ["favourite", "follow"]
    assert types(**{"exclude_types[]": ["mention", "follow"]}) == ["favourite"]
    assert types(account_id=b.id) == ["mention", "follow"]
    assert types(account_id=c.id) == ["favourite"]
    assert types(limit=1) == ["mention"]
    assert types(max_id=all_[0]["id"]) == ["favourite", "follow"]
    assert types(since_id=all_[2]["id"]) == ["mention", "favourite"]
    assert types(min_id=all_[2]["id"], limit=1) == ["favourite"]


def test_pagination_link(server):
    a, *_ = three_kinds(server)
    r = a.get("/api/v1/notifications", params={"limit": 2})
    assert r.status_code == 200 and len(r.json()) == 2
    assert link(r, "next") and link(r, "prev"), r.headers.get("Link")
    items, _ = walk(server, a.s, "/api/v1/notifications", {"limit": 1})
    assert [n["type"] for n in items] == ["mention", "favourite", "follow"]
    assert len(set(ids(items))) == 3
    # the filters travel with the links
    items, _ = walk(server, a.s, "/api/v1/notifications",
                    {"limit": 1, "exclude_types[]": ["favourite"]})
    assert [n["type"] for n in items] == ["mention", "follow"]


def test_get_dismiss_clear(server):
    a, b, c, st, m = three_kinds(server)
    all_ = a.notifications()
    one = a.ok("GET", f"/api/v1/notifications/{all_[1]['id']}")
    assert one["id"] == all_[1]["id"] and one["type"] == "favourite"
    # someone else's notification is not yours to read or dismiss
    assert_json_error(b.get(f"/api/v1/notifications/{all_[1]['id']}"), 404)
    r = b.post(f"/api/v1/notifications/{all_[1]['id']}/dismiss")
    assert r.status_code == 404, r.status_code
    assert len(a.notifications()) == 3

    r = a.post(f"/api/v1/notifications/{all_[1]['id']}/dismiss")
    assert r.status_code == 200, r.text
    assert [n["type"] for n in a.notifications()] == ["mention", "follow"]
    assert_json_error(a.get(f"/api/v1/notifications/{all_[1]['id']}"), 404)
    assert_json_error(a.get("/api/v1/notifications/999999999999"), 404)

    r = a.post("/api/v1/notifications/clear")
    assert r.status_code == 200, r.text
    assert a.notifications() == []
    assert len(b.notifications()) >= 0  # b's own are untouched
    assert_json_error(server.get("/api/v1/notifications"), 401)


def test_clear_leaves_others_alone(server):
    a, b = staff(server), staff(server)
    sa = a.post_status("a", "public")
    sb = b.post_status("b", "public")
    b.ok("POST", f"/api/v1/statuses/{sa['id']}/favourite")
    a.ok("POST", f"/api/v1/statuses/{sb['id']}/favourite")
    wait_note(a, "favourite")
    wait_note(b, "favourite")
    a.ok("POST", "/api/v1/notifications/clear")
    assert a.notifications() == []
    assert [n["type"] for n in b.notifications()] == ["favourite"]


# ---- unread count and the marker -------------------------------------------------------

def test_unread_count_and_marker(server):
    a, b, c, st, m = three_kinds(server)
    all_ = a.notifications()
    assert a.ok("GET", "/api/v1/notifications/unread_count") == {"count": 3}

    mk = a.ok("POST", "/api/v1/markers", data={"notifications[last_read_id]": all_[1]["id"]})
    assert mk["notifications"]["last_read_id"] == all_[1]["id"]
    assert a.ok("GET", "/api/v1/notifications/unread_count") == {"count": 1}
    got = a.ok("GET", "/api/v1/markers", params={"timeline[]": ["notifications"]})
    assert got["notifications"]["last_read_id"] == all_[1]["id"]
    assert "updated_at" in got["notifications"]
    assert b.ok("GET", "/api/v1/notifications/unread_count")["count"] == 0

    a.ok("POST", "/api/v1/markers", data={"notifications[last_read_id]": all_[0]["id"]})
    assert a.ok("GET", "/api/v1/notifications/unread_count") == {"count": 0}
    c.post_status(f"@{a.name} one more", "public")
    assert wait_for(lambda: a.ok("GET", "/api/v1/notifications/unread_count")["count"] == 1)
    assert_json_error(server.get("/api/v1/notifications/unread_count"), 401)


def test_markers_version_grows(server):
    a, *_ = three_kinds(server)
    all_ = a.notifications()
    m1 = a.ok("POST", "/api/v1/markers", data={"notifications[last_read_id]": all_[2]["id"]})
    m2 = a.ok("POST", "/api/v1/markers", data={"notifications[last_read_id]": all_[1]["id"]})
    assert m2["notifications"]["version"] > m1["notifications"]["version"]


# ---- preferences -------------------------------------------------------------------

def test_preferences_disable_a_type(server):
    a, b = staff(server), staff(server)
    prefs = a.ok("GET", PREFS)
    for t in ("mention", "favourite", "reblog", "follow"):
        assert prefs[t] is True, (t, prefs)
    assert all(isinstance(v, bool) for v in prefs.values()), prefs

    new = a.ok("PUT", PREFS, json={"favourite": False})
    assert new["favourite"] is False and new["mention"] is True
    assert a.ok("GET", PREFS)["favourite"] is False
    assert b.ok("GET", PREFS)["favourite"] is True, "per account"

    st = a.post_status("like me or not", "public")
    b.ok("POST", f"/api/v1/statuses/{st['id']}/favourite")
    m = b.post_status(f"@{a.name} still heard", "public")
    wait_note(a, "mention", m["id"])
    settle()
    assert notes_of(a, "favourite") == []

    a.ok("PUT", PREFS, json={"favourite": True})
    st2 = a.post_status("like me again", "public")
    b.ok("POST", f"/api/v1/statuses/{st2['id']}/favourite")
    wait_note(a, "favourite", st2["id"])
    assert_json_error(server.get(PREFS), 401)


def test_preferences_for_parley_reaction(server):
    a, b = staff(server), staff(server)
    assert "parley.reaction" in a.ok("GET", PREFS)
    a.ok("PUT", PREFS, json={"parley.reaction": False})
    st = a.post_status("quiet", "public")
    react(b, st["id"])
    settle()
    assert notes_of(a, "parley.reaction") == []


# ---- deleted posts ---------------------------------------------------------------------

def test_deleted_post_takes_its_notifications(server):
    a, b = staff(server), staff(server)
    m = b.post_status(f"@{a.name} regrettable", "public")
    wait_note(a, "mention", m["id"])
    b.ok("DELETE", f"/api/v1/statuses/{m['id']}")
    assert wait_for(lambda: notes_of(a, status_id=m["id"]) == []), a.notifications()

    st = a.post_status("mine", "public")
    b.ok("POST", f"/api/v1/statuses/{st['id']}/favourite")
    react(b, st["id"])
    wait_note(a, "favourite", st["id"])
    a.ok("DELETE", f"/api/v1/statuses/{st['id']}")
    assert wait_for(lambda: notes_of(a, status_id=st["id"]) == []), a.notifications()
    assert a.ok("GET", "/api/v1/notifications/unread_count")["count"] == 0


def test_unfavourite_does_not_leave_a_dangling_count(server):
    # Mastodon keeps the notification; what matters is it still points at a
    # readable status and the list stays well-formed
    a, b = staff(server), staff(server)
    st = a.post_status("fickle", "public")
    b.ok("POST", f"/api/v1/statuses/{st['id']}/favourite")
    wait_note(a, "favourite", st["id"])
    b.ok("POST", f"/api/v1/statuses/{st['id']}/unfavourite")
    for n in a.notifications():
        assert n["status"]["id"] == st["id"]
