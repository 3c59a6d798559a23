"""Spaces: the lead's own walk through the main paths (the full contract is
tested in test_spaces.py and test_space_audience.py)."""
from conftest import unique
from social import Actor


def make_space(owner, kind="internal", access=None, **extra):
    data = {"name": "Space " + unique("n"), "handle": unique("sp")[:30], "kind": kind}
    if access:
        data["access"] = access
    data.update(extra)
    return owner.ok("POST", "/api/parley/v1/spaces", json=data)


def test_external_space_walk(server):
    owner = Actor(server)
    guest = Actor(server, kind="guest", public=False)
    outsider = Actor(server, kind="guest", public=False)
    sp = make_space(owner, "external")
    assert sp["membership"]["role"] == "owner" and sp["access"] == "closed"
    # the guest cannot see it before being invited
    assert guest.get(f"/api/parley/v1/spaces/{sp['id']}").status_code == 404
    inv = owner.ok("POST", f"/api/parley/v1/spaces/{sp['id']}/invitations",
                   data={"username": guest.name})
    assert inv[0]["account"]["id"] == guest.id
    mine = guest.ok("GET", "/api/parley/v1/invitations")
    assert [i["space"]["id"] for i in mine] == [sp["id"]]
    got = guest.ok("POST", f"/api/parley/v1/invitations/{mine[0]['id']}/accept")
    assert got["membership"]["role"] == "member"
    # a post in the space reaches members only
    st = owner.ok("POST", f"/api/parley/v1/spaces/{sp['handle']}/statuses",
                  data={"status": "hello space " + unique("t")})
    assert st["parley"]["audience"] == "space" and st["parley"]["space"]["id"] == sp["id"]
    assert st["visibility"] == "private"
    assert guest.status(st["id"]).status_code == 200
    assert outsider.status(st["id"]).status_code == 404
    feed = guest.ok("GET", f"/api/parley/v1/spaces/{sp['id']}/feed")
    assert [s["id"] for s in feed] == [st["id"]]
    home = guest.ok("GET", "/api/v1/timelines/home")
    assert st["id"] in [s["id"] for s in home]
    # the guest now sees the owner's profile (shared space), the outsider does not
    assert guest.get(f"/api/v1/accounts/{owner.id}").status_code == 200
    # a reply stays in the space
    rep = guest.reply(st, "a reply", visibility="public")
    assert rep["parley"]["audience"] == "space"
    assert owner.status(st["id"]).json()["replies_count"] == 1
    assert outsider.status(rep["id"]).status_code == 404
    # removal takes effect at once
    owner.ok("DELETE", f"/api/parley/v1/spaces/{sp['id']}/members/{guest.id}")
    assert guest.status(st["id"]).status_code == 404
    assert guest.get(f"/api/parley/v1/spaces/{sp['id']}").status_code == 404


def test_guest_cannot_see_internal_or_staff(server):
    staff = Actor(server, public=False)
    guest = Actor(server, kind="guest", public=False)
    sp = make_space(staff, "internal", "open")
    assert guest.get(f"/api/parley/v1/spaces/{sp['id']}").status_code == 404
    assert guest.get(f"/api/parley/v1/spaces/{sp['handle']}").status_code == 404
    assert sp["id"] not in [s["id"] for s in guest.ok("GET", "/api/parley/v1/spaces")]
    assert guest.get(f"/api/v1/accounts/{staff.id}").status_code == 404
    assert guest.post(f"/api/parley/v1/spaces/{sp['id']}/join").status_code == 404
    r = guest.post("/api/parley/v1/spaces", json={"name": "x", "handle": unique("g")[:30],
                                                  "kind": "external"})
    assert r.status_code == 403


def test_secret_space_is_invisible(server):
    owner, other = Actor(server), Actor(server)
    sp = make_space(owner, "internal", "secret", name="Project Nightjar " + unique("n"))
    assert other.get(f"/api/parley/v1/spaces/{sp['handle']}").status_code == 404
    listing = other.get("/api/parley/v1/spaces", params={"q": "Nightjar"}).text
    assert "Nightjar" not in listing
    assert other.post(f"/api/parley/v1/spaces/{sp['id']}/join").status_code == 404


def test_open_internal_space_join_and_mention_posting(server):
    owner, member = Actor(server), Actor(server)
    sp = make_space(owner, "internal", "open")
    member.ok("POST", f"/api/parley/v1/spaces/{sp['handle']}/join")
    st = member.post_status(f"news for @{sp['handle']} " + unique("t"))
    assert st["parley"]["audience"] == "space" and st["parley"]["space"]["handle"] == sp["handle"]
    # reblogging a space post is refused
    assert member.post(f"/api/v1/statuses/{st['id']}/reblog").status_code == 422
    assert sp["id"] in [x["id"] for x in member.ok("GET", "/api/v1/lists")]


def test_spaces_and_personal_lists(server):
    owner, member, friend = Actor(server), Actor(server), Actor(server)
    sp = make_space(owner, "internal", "closed")
    owner.ok("POST", f"/api/parley/v1/spaces/{sp['id']}/invitations", data={"username": member.name})
    inv = member.ok("GET", "/api/parley/v1/invitations")[0]
    member.ok("POST", f"/api/parley/v1/invitations/{inv['id']}/accept")
    lists = member.ok("GET", "/api/v1/lists")
    assert [x["id"] for x in lists] == [sp["id"]] and lists[0]["title"] == sp["name"]
    assert member.put(f"/api/v1/lists/{sp['id']}", data={"title": "x"}).status_code == 422
    st = owner.ok("POST", f"/api/parley/v1/spaces/{sp['id']}/statuses", data={"status": "in the space"})
    tl = member.ok("GET", f"/api/v1/timelines/list/{sp['id']}")
    assert [s["id"] for s in tl] == [st["id"]]
    members = member.ok("GET", f"/api/v1/lists/{sp['id']}/accounts")
    assert {a["id"] for a in members} == {owner.id, member.id}
    # a personal list beside it
    mine = member.ok("POST", "/api/v1/lists", data={"title": "Friends", "replies_policy": "none"})
    assert mine["replies_policy"] == "none"
    r = member.post(f"/api/v1/lists/{mine['id']}/accounts", data={"account_ids[]": friend.id})
    assert r.status_code == 422  # not followed yet
    member.follow(friend)
    member.ok("POST", f"/api/v1/lists/{mine['id']}/accounts", data={"account_ids[]": friend.id})
    fs = friend.post_status("from a friend " + unique("t"))
    friend.reply(fs, "a reply to myself")
    tl = member.ok("GET", f"/api/v1/timelines/list/{mine['id']}")
    assert fs["id"] in [s["id"] for s in tl]
    assert [x["id"] for x in member.ok("GET", f"/api/v1/accounts/{friend.id}/lists")] == [mine["id"]]
    # someone else's list is not found
    assert friend.get(f"/api/v1/lists/{mine['id']}").status_code == 404
    assert friend.get(f"/api/v1/timelines/list/{sp['id']}").status_code == 404
    member.ok("DELETE", f"/api/v1/lists/{mine['id']}")
    assert member.get(f"/api/v1/lists/{mine['id']}").status_code == 404


def test_invite_a_whole_department(server):
    from people_util import set_profile
    owner = Actor(server)
    dept = "Treasury " + unique("d")
    a, b, other = Actor(server), Actor(server), Actor(server)
    g = Actor(server, kind="guest", public=False)
    for x in (a, b):
        set_profile(x, department=dept.upper())
    set_profile(other, department="Sales")
    sp = make_space(owner, "internal", "closed")
    invs = owner.ok("POST", f"/api/parley/v1/spaces/{sp['id']}/invitations", data={"department": dept})
    assert {i["account"]["id"] for i in invs} == {a.id, b.id}
    for x in (a, b):
        mine = x.ok("GET", "/api/parley/v1/invitations")
        assert [i["space"]["id"] for i in mine] == [sp["id"]]
    assert other.ok("GET", "/api/parley/v1/invitations") == []
    assert g.ok("GET", "/api/parley/v1/invitations") == []
    r = owner.post(f"/api/parley/v1/spaces/{sp['id']}/invitations", data={"department": "Nowhere " + unique("d")})
    assert r.status_code == 404
    # members do not invite
    inv = a.ok("GET", "/api/parley/v1/invitations")[0]
    a.ok("POST", f"/api/parley/v1/invitations/{inv['id']}/accept")
    assert a.post(f"/api/parley/v1/spaces/{sp['id']}/invitations", data={"department": dept}).status_code == 403


def test_status_search_follows_the_audience(server):
    """GET /api/v2/search?type=statuses: posts containing the words, only
    those the viewer may read (a space's posts only for its members)."""
    owner, member, outsider = Actor(server), Actor(server), Actor(server)
    word = unique("zq").replace("_", "")
    sp = make_space(owner, "internal", "closed")
    owner.ok("POST", f"/api/parley/v1/spaces/{sp['id']}/invitations", data={"username": member.name})
    member.ok("POST", f"/api/parley/v1/invitations/{member.ok('GET', '/api/parley/v1/invitations')[0]['id']}/accept")
    inside = owner.ok("POST", f"/api/parley/v1/spaces/{sp['id']}/statuses", data={"status": f"inside {word}"})
    public = owner.post_status(f"public {word}", visibility="public")

    def found(who):
        r = who.ok("GET", "/api/v2/search", params={"q": word, "type": "statuses"})
        return {s["id"] for s in r["statuses"]}
    assert found(member) == {inside["id"], public["id"]}
    assert found(outsider) == {public["id"]}
    r = server.get("/api/v2/search", params={"q": word, "type": "statuses"})
    assert r.status_code in (200, 401) and (r.status_code == 401 or r.json()["statuses"] == [])
