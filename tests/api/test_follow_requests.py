"""Locked accounts: following one makes a request, which its owner
authorizes or rejects (/api/v1/follow_requests); until then there is no
follow, and nothing meant for followers reaches the one who asked.
"""
from conftest import assert_json_error
from social import ids, link, staff


def locked(server):
    a = staff(server)
    r = a.patch("/api/v1/accounts/update_credentials", data={"locked": "true"})
    assert r.status_code == 200 and r.json()["locked"] is True
    return a


def test_request_then_authorize(server):
    owner, fan = locked(server), staff(server)
    secret = owner.post_status("for my followers", "private")
    rel = fan.acct(owner, "follow").json()
    assert rel["following"] is False and rel["requested"] is True
    assert fan.relationship(owner)["requested"] is True
    assert owner.relationship(fan)["requested_by"] is True
    # asking twice is still one request
    assert fan.acct(owner, "follow").json()["requested"] is True
    assert ids(owner.ok("GET", "/api/v1/follow_requests")) == [fan.id]
    assert owner.ok("GET", "/api/v1/accounts/verify_credentials")["source"]["follow_requests_count"] == 1
    notes = [n for n in owner.notifications() if n["account"]["id"] == fan.id]
    assert [n["type"] for n in notes] == ["follow_request"] and notes[0]["status"] is None
    assert owner.ok("GET", f"/api/v1/accounts/{owner.id}")["followers_count"] == 0
    assert fan.status(secret["id"]).status_code == 404

    rel = owner.post(f"/api/v1/follow_requests/{fan.id}/authorize").json()
    assert rel["id"] == fan.id and rel["followed_by"] is True and rel["requested_by"] is False
    rel = fan.relationship(owner)
    assert rel["following"] is True and rel["requested"] is False
    assert owner.ok("GET", "/api/v1/follow_requests") == []
    assert fan.status(secret["id"]).status_code == 200
    assert_json_error(owner.post(f"/api/v1/follow_requests/{fan.id}/authorize"), 404)


def test_reject_and_cancel(server):
    owner, a, b = locked(server), staff(server), staff(server)
    a.acct(owner, "follow")
    b.acct(owner, "follow")
    rel = owner.post(f"/api/v1/follow_requests/{a.id}/reject").json()
    assert rel["followed_by"] is False and rel["requested_by"] is False
    assert a.relationship(owner)["requested"] is False
    # unfollowing withdraws a request
    b.acct(owner, "unfollow")
    assert owner.ok("GET", "/api/v1/follow_requests") == []
    assert_json_error(owner.post(f"/api/v1/follow_requests/{b.id}/reject"), 404)
    assert_json_error(owner.post("/api/v1/follow_requests/notanid/authorize"), 404)


def test_block_drops_requests_both_ways(server):
    owner, fan = locked(server), staff(server)
    fan.acct(owner, "follow")
    owner.acct(fan, "block")
    assert owner.ok("GET", "/api/v1/follow_requests") == []
    owner.acct(fan, "unblock")
    assert fan.relationship(owner)["requested"] is False


def test_unlocked_follow_is_immediate_and_paging(server):
    owner = locked(server)
    fans = [staff(server) for _ in range(5)]
    for f in fans:
        f.acct(owner, "follow")
    r = owner.get("/api/v1/follow_requests", params={"limit": 2})
    first = ids(r.json())
    assert first == [fans[4].id, fans[3].id]             # newest first
    nxt = link(r, "next")
    assert nxt and "max_id=" in nxt
    second = owner.get(nxt).json()
    assert ids(second) == [fans[2].id, fans[1].id]
    # an account that is not locked takes follows at once
    open_one = staff(server)
    assert fans[0].acct(open_one, "follow").json()["following"] is True
    assert [n["type"] for n in open_one.notifications()] == ["follow"]


def test_unlocking_lets_everyone_in(server):
    owner, a, b = locked(server), staff(server), staff(server)
    a.acct(owner, "follow")
    b.acct(owner, "follow")
    r = owner.patch("/api/v1/accounts/update_credentials", data={"locked": "false"})
    assert r.status_code == 200 and r.json()["locked"] is False
    assert owner.ok("GET", "/api/v1/follow_requests") == []
    assert a.relationship(owner)["following"] is True
    assert b.relationship(owner)["following"] is True


def test_web_profile_and_notifications(server):
    owner, fan = locked(server), staff(server)
    s = server.signed_in_session(fan.name)
    csrf = server.page_csrf(s, f"/@{owner.name}")
    r = server.post(f"/@{owner.name}/follow", session=s, data={"csrf": csrf})
    assert r.status_code == 303
    page = server.get(f"/@{owner.name}", session=s).text
    assert "Your follow request is sent" in page and "Cancel the follow request" in page
    assert fan.relationship(owner)["requested"] is True
    so = server.signed_in_session(owner.name)
    assert "asked to follow you" in server.get("/notifications", session=so).text
