"""Follow suggestions (from shared spaces and shared follows, never anyone
the viewer may not see) and trends (public posts only).

"""
import time
import uuid

from conftest import assert_json_error
from people_util import share_space as _share_space
from social import guest, ids, link, staff


def share_space(server, *actors):
    """One external space (made by a staff account among actors, or a new
    one) with every actor in it, through the spaces API."""
    return _share_space(server, *actors)


def suggested(actor, **params):
    return ids(actor.ok("GET", "/api/v1/suggestions", params=params))


def test_from_shared_spaces_and_follows(server):
    me, colleague, friend, friend_of_friend = (staff(server, public=False) for _ in range(4))
    share_space(server, me, colleague)
    me.follow(friend)
    friend.follow(friend_of_friend)
    got = suggested(me, limit=80)
    assert colleague.id in got and friend_of_friend.id in got
    assert friend.id not in got and me.id not in got      # followed already, oneself
    # spaces weigh more than follows of follows
    assert got.index(colleague.id) < got.index(friend_of_friend.id)
    v2 = {s["account"]["id"]: s for s in me.ok("GET", "/api/v2/suggestions", params={"limit": 80})}
    assert v2[colleague.id]["parley"]["shared_spaces"] == 1
    assert "friends_of_friends" in v2[friend_of_friend.id]["sources"]
    assert v2[colleague.id]["source"] == "past_interactions"


def test_exclusions_and_dismissal(server):
    me = staff(server)
    others = [staff(server) for _ in range(5)]
    share_space(server, me, *others)
    blocked, blocker, muted, requested, dismissed = others
    me.acct(blocked, "block")
    blocker.acct(me, "block")
    me.acct(muted, "mute")
    requested.patch("/api/v1/accounts/update_credentials", data={"locked": "true"})
    me.acct(requested, "follow")
    assert me.delete(f"/api/v1/suggestions/{dismissed.id}").status_code == 200
    got = suggested(me, limit=80)
    for o in others:
        assert o.id not in got
    assert me.delete("/api/v1/suggestions/12345").status_code == 200    # unknown: still fine
    assert_json_error(server.get("/api/v1/suggestions"), 401)


def test_guests_get_only_whom_they_may_see(server):
    g = guest(server, public=False)
    hidden_staff = staff(server, public=False)      # not public, shares no space with g
    public_staff = staff(server)                    # public profile
    bridge = staff(server)
    g.follow(bridge)
    bridge.follow(hidden_staff)
    bridge.follow(public_staff)
    got = suggested(g, limit=80)
    assert hidden_staff.id not in got
    assert public_staff.id in got
    share_space(server, g, hidden_staff)            # now they share a space
    assert hidden_staff.id in suggested(g, limit=80)


def test_trends_count_public_posts_only(server):
    a, b, c = staff(server), staff(server), staff(server)
    pub, org = "t" + uuid.uuid4().hex[:10], "o" + uuid.uuid4().hex[:10]
    s1 = a.post_status(f"#{pub} one", "public")
    b.post_status(f"#{pub} two", "public")
    c.post_status(f"#{pub} three", "public")
    a.post_status(f"#{org} internal", "unlisted")        # organisation
    b.post_status(f"#{org} internal", "unlisted")
    tags = {t["name"]: t for t in server.get("/api/v1/trends/tags", params={"limit": 20}).json()}
    assert pub in tags and org not in tags
    assert tags[pub]["history"][0]["accounts"] == "3"
    assert server.get("/api/v1/trends", params={"limit": 20}).status_code == 200

    secret = b.post_status("internal but loved", "unlisted")
    c.act(secret["id"], "favourite")
    c.act(s1["id"], "favourite")
    c.act(s1["id"], "reblog")
    got = ids(server.get("/api/v1/trends/statuses", params={"limit": 40}).json())
    assert s1["id"] in got and secret["id"] not in got
    quiet = a.post_status("nobody cares", "public")
    assert quiet["id"] not in ids(server.get("/api/v1/trends/statuses", params={"limit": 40}).json())
    # a block hides the author's trending post from the blocker
    a.acct(c, "block")
    assert s1["id"] not in ids(c.ok("GET", "/api/v1/trends/statuses", params={"limit": 40}))


def test_trends_paging(server):
    a = staff(server)
    for i in range(3):
        a.post_status(f"#page{uuid.uuid4().hex[:8]} x", "public")
    r = server.get("/api/v1/trends/tags", params={"limit": 1})
    assert len(r.json()) == 1
    nxt = link(r, "next")
    assert nxt and "offset=1" in nxt
    r2 = server.get(nxt)
    assert r2.status_code == 200 and ids(r2.json()) != ids(r.json())
    assert link(r2, "prev") and "offset=0" in link(r2, "prev")
