"""Relationships: follow, unfollow, block, unblock, mute, unmute; the
Relationship entity; followers and following lists; lookup; account counts."""

import threading
import time

from conftest import assert_json_error, unique
from social import anon_get, guest, ids, link, settle, staff, status_ids_in, wait_for, walk

REL_FIELDS = ("id", "following", "followed_by", "blocking", "blocked_by", "muting",
              "requested", "showing_reblogs")

def account(who, other):
    return who.ok("GET", f"/api/v1/accounts/{other.id}")


# ---- follow -------------------------------------------------------------------

def test_follow_and_unfollow(server):
    a, b = staff(server), staff(server)
    rel = a.follow(b)
    for f in REL_FIELDS:
        assert f in rel, (f, rel)
    assert rel["id"] == b.id
    assert rel["following"] is True and rel["followed_by"] is False
    assert rel["blocking"] is False and rel["muting"] is False and rel["requested"] is False

    assert account(a, b)["followers_count"] == 1
    assert account(a, a)["following_count"] == 1
    assert b.relationship(a)["followed_by"] is True
    assert b.relationship(a)["following"] is False
    again = a.follow(b)  # following twice is harmless
    assert again["following"] is True
    assert account(a, b)["followers_count"] == 1

    un = a.ok("POST", f"/api/v1/accounts/{b.id}/unfollow")
    assert un["id"] == b.id and un["following"] is False
    assert account(a, b)["followers_count"] == 0
    assert account(a, a)["following_count"] == 0
    assert b.relationship(a)["followed_by"] is False
    a.ok("POST", f"/api/v1/accounts/{b.id}/unfollow")  # twice is harmless


def test_staff_and_guests_follow_each_other(server):
    s, g = staff(server), guest(server)
    assert g.follow(s)["following"] is True
    assert s.follow(g)["following"] is True
    assert s.relationship(g)["followed_by"] is True


def test_follow_errors(server):
    a = staff(server)
    r = a.acct(a, "follow")
    assert r.status_code in (403, 422), (r.status_code, r.text)
    assert account(a, a)["following_count"] == 0
    assert_json_error(a.post("/api/v1/accounts/999999999999/follow"), 404)
    b = staff(server)
    assert_json_error(server.post(f"/api/v1/accounts/{b.id}/follow"), 401)
    ro = staff(server, scope="read")
    assert_json_error(ro.acct(b, "follow"), 403)


def test_relationships_many(server):
    a, b, c, d = staff(server), staff(server), staff(server), staff(server)
    a.follow(b)
    c.follow(a)
    a.ok("POST", f"/api/v1/accounts/{d.id}/mute")
    rels = a.ok("GET", "/api/v1/accounts/relationships", params={"id[]": [b.id, c.id, d.id]})
    assert [r["id"] for r in rels] == [b.id, c.id, d.id]
    by = {r["id"]: r for r in rels}
    assert by[b.id]["following"] is True and by[b.id]["followed_by"] is False
    assert by[c.id]["following"] is False and by[c.id]["followed_by"] is True
    assert by[d.id]["muting"] is True and by[d.id]["following"] is False
    # unknown ids are left out
    rels = a.ok("GET", "/api/v1/accounts/relationships",
                params={"id[]": [b.id, "999999999999"]})
    assert [r["id"] for r in rels] == [b.id]
    assert_json_error(anon_get(server, "/api/v1/accounts/relationships",
                               params={"id[]": [b.id]}), 401)


# ---- lists and lookup -------------------------------------------------------------

def test_followers_and_following_lists(server):
    target = staff(server)
    fans = [staff(server) for _ in range(3)]
    for f in fans:
        f.follow(target)
    target.follow(fans[0])
    want = [f.id for f in reversed(fans)]  # most recent follow first
    got = target.ok("GET", f"/api/v1/accounts/{target.id}/followers")
    assert ids(got) == want
    assert ids(target.ok("GET", f"/api/v1/accounts/{fans[1].id}/following")) == [target.id]
    assert ids(target.ok("GET", f"/api/v1/accounts/{target.id}/following")) == [fans[0].id]

    r = target.get(f"/api/v1/accounts/{target.id}/followers", params={"limit": 2})
    assert ids(r.json()) == want[:2]
    assert link(r, "next"), r.headers.get("Link")
    items, _ = walk(server, target.s, f"/api/v1/accounts/{target.id}/followers", {"limit": 2})
    assert ids(items) == want
    # a public profile's lists can be read without a token
    r = anon_get(server, f"/api/v1/accounts/{target.id}/followers")
    assert r.status_code == 200 and ids(r.json()) == want
    assert_json_error(target.get("/api/v1/accounts/999999999999/followers"), 404)


def test_lookup(server):
    a = staff(server)
    b = staff(server)
    got = a.ok("GET", "/api/v1/accounts/lookup", params={"acct": b.name})
    assert got["id"] == b.id and got["username"] == b.name
    assert got["parley"]["kind"] == "staff"
    assert anon_get(server, "/api/v1/accounts/lookup", params={"acct": b.name}).json()["id"] == b.id
    assert_json_error(a.get("/api/v1/accounts/lookup", params={"acct": unique("ghost")}), 404)


def test_statuses_count(server):
    a = staff(server)
    s1 = a.post_status("one", "public")
    a.post_status("two", "followers")
    assert account(a, a)["statuses_count"] == 2
    a.ok("DELETE", f"/api/v1/statuses/{s1['id']}")
    assert account(a, a)["statuses_count"] == 1


# ---- block ----------------------------------------------------------------------

def test_block_cuts_both_ways(server):
    a, b = staff(server), staff(server)
    a.follow(b)
    b.follow(a)
    pub = a.post_status("before the block", "public")
    b_pub = b.post_status("b before the block", "public")

    rel = a.ok("POST", f"/api/v1/accounts/{b.id}/block")
    assert rel["blocking"] is True
    assert rel["following"] is False and rel["followed_by"] is False
    rb = b.relationship(a)
    assert rb["blocked_by"] is True and rb["following"] is False and rb["followed_by"] is False
    assert account(a, a)["following_count"] == 0 and account(a, a)["followers_count"] == 0

    # the blocked cannot see, answer, react to or follow the blocker
    assert_json_error(b.status(pub["id"]), 404)
    r = b.post_status_raw("reply anyway", "public", in_reply_to_id=pub["id"])
    assert r.status_code in (404, 422), (r.status_code, r.text)
    for verb in ("favourite", "reblog", "bookmark"):
        assert b.act(pub["id"], verb).status_code == 404, verb
    r = b.acct(a, "follow")
    assert 400 <= r.status_code < 500, (r.status_code, r.text)
    assert b.relationship(a)["following"] is False
    # the blocker's account is hidden from the blocked: its statuses answer 404
    assert_json_error(b.get(f"/api/v1/accounts/{a.id}/statuses"), 404)
    assert_json_error(b.get(f"/api/v1/accounts/{a.id}"), 404)
    later = a.post_status("after the block", "public")
    settle()
    assert later["id"] not in status_ids_in(b.timeline("/api/v1/timelines/public", limit=40))
    assert later["id"] not in b.home_ids()
    # and the blocker no longer has the blocked in their timelines
    b_later = b.post_status("b after the block", "public")
    settle()
    pub_tl = status_ids_in(a.timeline("/api/v1/timelines/public", limit=40))
    assert b_later["id"] not in pub_tl and b_pub["id"] not in pub_tl
    assert b_later["id"] not in a.home_ids()

    # unblock: the posts are visible again, the follows do not come back
    un = a.ok("POST", f"/api/v1/accounts/{b.id}/unblock")
    assert un["blocking"] is False and un["following"] is False
    assert b.status(pub["id"]).status_code == 200
    assert b.relationship(a)["following"] is False
    assert b.follow(a)["following"] is True


def test_blocked_cannot_mention_into_notifications(server):
    a, b = staff(server), staff(server)
    a.ok("POST", f"/api/v1/accounts/{b.id}/block")
    st = b.post_status(f"hey @{a.name}", "public")
    settle()
    assert [n for n in a.notifications() if (n.get("status") or {}).get("id") == st["id"]] == []
    assert [n for n in a.notifications() if n["account"]["id"] == b.id] == []


def test_block_hides_earlier_notifications_and_their_count(server):
    a, b = staff(server), staff(server)
    bp = b.post_status("b's post", "public")
    m = a.post_status(f"@{b.name} hello", "public")
    a.ok("POST", f"/api/v1/statuses/{bp['id']}/favourite")
    assert wait_for(lambda: len(b.notifications()) == 2), b.notifications()
    a.ok("POST", f"/api/v1/accounts/{b.id}/block")
    notes = b.notifications()
    assert all((n.get("status") or {}).get("id") != m["id"] for n in notes), notes
    assert b.ok("GET", "/api/v1/notifications/unread_count")["count"] == len(notes), \
        "the unread count must not count what the list hides"


def test_block_errors(server):
    a = staff(server)
    r = a.acct(a, "block")
    assert r.status_code in (403, 422), (r.status_code, r.text)
    assert_json_error(a.post("/api/v1/accounts/999999999999/block"), 404)
    assert_json_error(server.post(f"/api/v1/accounts/{a.id}/block"), 401)


# ---- mute -----------------------------------------------------------------------

def test_mute_hides_from_home_not_from_direct_fetch(server):
    a, b = staff(server), staff(server)
    a.follow(b)
    rel = a.ok("POST", f"/api/v1/accounts/{b.id}/mute")
    assert rel["muting"] is True and rel["following"] is True, "a mute does not unfollow"
    assert b.relationship(a)["following"] is False and b.relationship(a)["followed_by"] is True
    st = b.post_status("muted words", "public")
    settle()
    assert st["id"] not in a.home_ids()
    assert st["id"] not in status_ids_in(a.timeline("/api/v1/timelines/public", limit=40))
    assert a.ok("GET", f"/api/v1/statuses/{st['id']}")["id"] == st["id"]
    # the muted account sees nothing different
    assert "muting" in b.relationship(a) and b.relationship(a)["muting"] is False

    un = a.ok("POST", f"/api/v1/accounts/{b.id}/unmute")
    assert un["muting"] is False
    st2 = b.post_status("heard again", "public")
    assert wait_for(lambda: st2["id"] in a.home_ids()), a.home_ids()


def test_mute_silences_notifications(server):
    a, b = staff(server), staff(server)
    st = a.post_status("mine", "public")
    rel = a.ok("POST", f"/api/v1/accounts/{b.id}/mute")
    assert rel["muting"] is True
    m = b.post_status(f"@{a.name} can you hear me", "public")
    b.ok("POST", f"/api/v1/statuses/{st['id']}/favourite")
    settle()
    assert [n for n in a.notifications() if n["account"]["id"] == b.id] == []
    assert a.ok("GET", "/api/v1/notifications/unread_count")["count"] == 0
    assert a.ok("GET", f"/api/v1/statuses/{m['id']}")["id"] == m["id"]


def test_mute_keeping_notifications(server):
    a, b = staff(server), staff(server)
    rel = a.ok("POST", f"/api/v1/accounts/{b.id}/mute", data={"notifications": "false"})
    assert rel["muting"] is True and rel["muting_notifications"] is False
    m = b.post_status(f"@{a.name} you still hear this", "public")
    wait_for(lambda: any((n.get("status") or {}).get("id") == m["id"] for n in a.notifications()))
    assert any((n.get("status") or {}).get("id") == m["id"] for n in a.notifications())
    rel = a.ok("POST", f"/api/v1/accounts/{b.id}/mute")
    assert rel["muting_notifications"] is True, "notifications=true is the default"


def test_mute_with_a_duration_ends(server):
    a, b = staff(server), staff(server)
    a.follow(b)
    rel = a.ok("POST", f"/api/v1/accounts/{b.id}/mute", data={"duration": "1"})
    assert rel["muting"] is True
    time.sleep(2.2)
    st = b.post_status("the mute is over", "public")
    assert wait_for(lambda: st["id"] in a.home_ids(), timeout=5), a.home_ids()
    assert a.relationship(b)["muting"] is False


def test_blocks_and_mutes_lists(server):
    a, b, c = staff(server), staff(server), staff(server)
    a.ok("POST", f"/api/v1/accounts/{b.id}/block")
    a.ok("POST", f"/api/v1/accounts/{c.id}/mute")
    assert ids(a.ok("GET", "/api/v1/blocks")) == [b.id]
    assert ids(a.ok("GET", "/api/v1/mutes")) == [c.id]
    assert b.ok("GET", "/api/v1/blocks") == [] and b.ok("GET", "/api/v1/mutes") == []
    a.ok("POST", f"/api/v1/accounts/{b.id}/unblock")
    assert a.ok("GET", "/api/v1/blocks") == []
    assert_json_error(server.get("/api/v1/blocks"), 401)


def test_mute_errors(server):
    a = staff(server)
    assert_json_error(a.post("/api/v1/accounts/999999999999/mute"), 404)
    assert_json_error(server.post(f"/api/v1/accounts/{a.id}/mute"), 401)


# ---- the Account entity ---------------------------------------------------------

def test_get_account(server):
    a, g = staff(server), guest(server)
    got = anon_get(server, f"/api/v1/accounts/{a.id}").json()
    assert got["id"] == a.id and got["username"] == a.name
    for f in ("followers_count", "following_count", "statuses_count"):
        assert got[f] == 0, f
    assert "source" not in got
    assert g.ok("GET", f"/api/v1/accounts/{a.id}")["parley"]["kind"] == "staff"
    assert_json_error(a.get("/api/v1/accounts/999999999999"), 404)
    assert_json_error(a.get("/api/v1/accounts/nope"), 404)


def test_concurrent_follows_are_all_counted(server):
    target = staff(server)
    fans = [staff(server) for _ in range(10)]
    gate = threading.Barrier(len(fans))
    codes = []

    def go(f):
        gate.wait()
        codes.append(f.acct(target, "follow").status_code)

    threads = [threading.Thread(target=go, args=(f,)) for f in fans]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert codes == [200] * 10, codes
    assert account(target, target)["followers_count"] == 10
    assert len(target.ok("GET", f"/api/v1/accounts/{target.id}/followers",
                         params={"limit": 40})) == 10
