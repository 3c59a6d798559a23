"""
Idea boards (issue 7): /api/parley/v1/spaces/:space/ideas and /ideas/:id,
written from the contract (briefs/listening-api.md, "Ideas").

Most tests run on a server where no account counts as new
(PARLEY_IDEA_NEW_ACCOUNT_HOURS=0), so votes are counted; the new-account
flag and the rate limit get servers of their own.
"""
import sqlite3
import time

import pytest

from conftest import ParleyServer, unique
from social import Actor
import spacekit as sk

SP = "/api/parley/v1"


@pytest.fixture(scope="module")
def srv(parley_bin, tmp_path_factory):
    s = ParleyServer(tmp_path_factory.mktemp("ideas"),
                     env={"PARLEY_IDEA_NEW_ACCOUNT_HOURS": "0"}).start()
    try:
        s.create_user("first_admin", "first_admin@example.com", role="admin")
        yield s
    finally:
        assert s.stop() == 0, s.log_tail()


def board(owner, kind="internal", access="open"):
    sp = sk.create(owner, kind=kind, access=access)
    r = sk.patch_space(owner, sp, ideas=True)
    assert r.status_code == 200, r.text
    assert r.json()["ideas"] is True
    return sp


def propose_raw(actor, space, **fields):
    return actor.post(f"{SP}/spaces/{sk.sid(space)}/ideas", json=fields)


def propose(actor, space, title=None, description="It would help.", **extra):
    r = propose_raw(actor, space, title=title or unique("Idea "), description=description, **extra)
    assert r.status_code == 200, (r.status_code, r.text[:500])
    return r.json()


def get_idea(server, who, idea):
    iid = idea["id"] if isinstance(idea, dict) else idea
    return sk.req(server, who, "GET", f"{SP}/ideas/{iid}")


def idea_ok(server, who, idea):
    r = get_idea(server, who, idea)
    assert r.status_code == 200, (r.status_code, r.text[:300])
    return r.json()


def listing(server, who, space, **params):
    r = sk.req(server, who, "GET", f"{SP}/spaces/{sk.sid(space)}/ideas", params=params)
    assert r.status_code == 200, (r.status_code, r.text[:300])
    return r.json()


def vote(actor, idea):
    return actor.post(f"{SP}/ideas/{idea['id']}/vote")


def unvote(actor, idea):
    return actor.delete(f"{SP}/ideas/{idea['id']}/vote")


def set_status(actor, idea, status, explanation=None):
    body = {"status": status}
    if explanation is not None:
        body["explanation"] = explanation
    return actor.post(f"{SP}/ideas/{idea['id']}/status", json=body)


def comment(actor, idea, body, version=None):
    data = {"body": body}
    if version is not None:
        data["version"] = version
    return actor.post(f"{SP}/ideas/{idea['id']}/comments", json=data)


def idea_notes(actor):
    r = actor.get("/api/v1/notifications", params=[("types[]", "parley.idea_status"), ("limit", "40")])
    assert r.status_code == 200, r.text
    return r.json()


# ---- the board switch --------------------------------------------------------

def test_board_switch_and_entity(srv):
    owner, member = Actor(srv), Actor(srv)
    sp = sk.create(owner)
    assert sk.space_ok(srv, owner, sp)["ideas"] is False
    sk.enrol(owner, sp, member)
    r = propose_raw(owner, sp, title="An idea", description="text")
    assert r.status_code == 422, r.text
    r = sk.patch_space(member, sp, ideas=True)
    assert r.status_code == 403, r.text
    r = sk.patch_space(owner, sp, ideas="maybe")
    assert r.status_code == 422, r.text
    r = sk.patch_space(owner, sp, ideas=True)
    assert r.status_code == 200 and r.json()["ideas"] is True, r.text
    assert sk.space_ok(srv, member, sp)["ideas"] is True
    idea = propose(member, sp, title="Quiet rooms", description="Some **quiet** rooms", category="office")
    assert idea["title"] == "Quiet rooms"
    assert "<strong>quiet</strong>" in idea["description"]
    assert idea["description_source"] == "Some **quiet** rooms"
    assert idea["category"] == "office"
    assert idea["status"] == "new" and idea["status_explanation"] == ""
    assert idea["votes_count"] == 0 and idea["flagged_votes_count"] == 0 and idea["my_vote"] is False
    assert idea["version"] == 1 and idea["versions_count"] == 1 and idea["merged_into"] is None
    assert idea["account"]["id"] == member.id
    assert idea["space"]["id"] == sp["id"]
    assert idea["status_id"] == idea["id"]
    assert idea["url"].endswith("/ideas/" + idea["id"])
    # the author's source only for the author
    seen = idea_ok(srv, owner, idea)
    assert "description_source" not in seen
    # the idea is a post in the space
    st = owner.ok("GET", f"/api/v1/statuses/{idea['status_id']}")
    assert st["parley"]["audience"] == "space"
    # switched off: no new ideas, the old ones stay readable
    assert sk.patch_space(owner, sp, ideas=False).status_code == 200
    assert propose_raw(member, sp, title="x", description="y").status_code == 422
    assert idea_ok(srv, owner, idea)["id"] == idea["id"]


def test_propose_validation_and_rights(srv):
    owner, member, outsider = Actor(srv), Actor(srv), Actor(srv)
    sp = board(owner, access="closed")
    sk.enrol(owner, sp, member)
    assert propose_raw(member, sp, title="", description="d").status_code == 422
    assert propose_raw(member, sp, title="t" * 201, description="d").status_code == 422
    assert propose_raw(member, sp, title="t", description="").status_code == 422
    assert propose_raw(member, sp, title="t", description="d", category="c" * 41).status_code == 422
    assert propose(member, sp, title="t" * 200, category="c" * 40)["title"] == "t" * 200
    # staff outside a closed space see it but may not post there
    assert propose_raw(outsider, sp, title="t", description="d").status_code == 403
    r = srv.post(f"{SP}/spaces/{sp['id']}/ideas", json={"title": "t", "description": "d"})
    assert r.status_code == 401, r.text


# ---- editing and versions ---------------------------------------------------

def test_edit_only_by_author_while_new(srv):
    owner, author = Actor(srv), Actor(srv)
    sp = board(owner)
    sk.enrol(owner, sp, author)
    idea = propose(author, sp, title="Bikes", description="More bike racks")
    r = author.patch(f"{SP}/ideas/{idea['id']}", json={"title": "Bike racks", "category": "site"})
    assert r.status_code == 200, r.text
    assert r.json()["title"] == "Bike racks" and r.json()["category"] == "site"
    r = author.patch(f"{SP}/ideas/{idea['id']}", json={"description": "Covered bike racks"})
    assert r.status_code == 200 and "Covered" in r.json()["description"], r.text
    assert author.patch(f"{SP}/ideas/{idea['id']}", json={"title": ""}).status_code == 422
    assert owner.patch(f"{SP}/ideas/{idea['id']}", json={"title": "Mine"}).status_code == 403
    assert set_status(owner, idea, "planned").status_code == 200
    r = author.patch(f"{SP}/ideas/{idea['id']}", json={"title": "Later"})
    assert r.status_code == 422, r.text


def test_versions_keep_earlier_ones_and_their_comments(srv):
    owner, author, reader = Actor(srv), Actor(srv), Actor(srv)
    sp = board(owner)
    sk.enrol(owner, sp, author)
    sk.enrol(owner, sp, reader)
    idea = propose(author, sp, title="Lunch talks", description="Talks at lunch")
    c1 = comment(reader, idea, "Which day?")
    assert c1.status_code == 200, c1.text
    assert c1.json()["in_reply_to_id"] == idea["status_id"]
    # a new version needs a note, and only the author posts one
    r = author.post(f"{SP}/ideas/{idea['id']}/versions", json={"description": "Talks on Thursdays"})
    assert r.status_code == 422, r.text
    r = reader.post(f"{SP}/ideas/{idea['id']}/versions",
                    json={"description": "x", "note": "mine"})
    assert r.status_code == 403, r.text
    r = author.post(f"{SP}/ideas/{idea['id']}/versions",
                    json={"description": "Talks on **Thursdays**", "note": "picked a day", "title": "Thursday talks"})
    assert r.status_code == 200, r.text
    v2 = r.json()
    assert v2["id"] == idea["id"] and v2["version"] == 2 and v2["versions_count"] == 2
    assert v2["title"] == "Thursday talks" and "<strong>Thursdays</strong>" in v2["description"]
    assert v2["status_id"] != idea["status_id"]
    c2 = comment(reader, v2, "Great")
    assert c2.status_code == 200 and c2.json()["in_reply_to_id"] == v2["status_id"], c2.text
    c1b = comment(reader, v2, "On version 1 still", version=1)
    assert c1b.status_code == 200 and c1b.json()["in_reply_to_id"] == idea["status_id"]
    assert comment(reader, v2, "no such", version=9).status_code == 422
    versions = reader.ok("GET", f"{SP}/ideas/{idea['id']}/versions")
    assert [v["version"] for v in versions] == [1, 2]
    assert versions[0]["title"] == "Lunch talks" and "Talks at lunch" in versions[0]["description"]
    assert versions[0]["note"] == "" and versions[1]["note"] == "picked a day"
    assert versions[0]["status_id"] == idea["status_id"]
    assert versions[0]["comments_count"] == 2 and versions[1]["comments_count"] == 1
    # the earlier version's post is still readable
    assert reader.get(f"/api/v1/statuses/{idea['status_id']}").status_code == 200
    one = reader.ok("GET", f"{SP}/ideas/{idea['id']}/comments", params={"version": 1})
    assert [c["id"] for c in one] == [c1.json()["id"], c1b.json()["id"]]
    every = reader.ok("GET", f"{SP}/ideas/{idea['id']}/comments")
    assert [c["id"] for c in every] == [c1.json()["id"], c1b.json()["id"], c2.json()["id"]]
    assert idea_ok(srv, reader, idea)["comments_count"] == 3
    assert reader.get(f"{SP}/ideas/{idea['id']}/comments", params={"version": 7}).status_code == 404


# ---- votes --------------------------------------------------------------------

def test_vote_once_and_withdraw(srv):
    owner, author, voter = Actor(srv), Actor(srv), Actor(srv)
    sp = board(owner)
    sk.enrol(owner, sp, author)
    idea = propose(author, sp)
    r = vote(voter, idea)          # open internal space: staff readers vote
    assert r.status_code == 200 and r.json()["votes_count"] == 1 and r.json()["my_vote"] is True, r.text
    r = vote(voter, idea)
    assert r.status_code == 200 and r.json()["votes_count"] == 1, r.text
    r = vote(author, idea)         # the author may vote too
    assert r.status_code == 200 and r.json()["votes_count"] == 2
    assert idea_ok(srv, owner, idea)["my_vote"] is False
    r = unvote(voter, idea)
    assert r.status_code == 200 and r.json()["votes_count"] == 1 and r.json()["my_vote"] is False
    r = unvote(voter, idea)
    assert r.status_code == 200 and r.json()["votes_count"] == 1
    assert srv.post(f"{SP}/ideas/{idea['id']}/vote").status_code == 401


# ---- status -------------------------------------------------------------------

def test_status_rights_notifications_once_each(srv):
    owner, mod, author, voter, commenter, both, member = (Actor(srv) for _ in range(7))
    sp = board(owner, access="closed")
    for a in (mod, author, voter, commenter, both, member):
        sk.enrol(owner, sp, a)
    assert sk.set_role(owner, sp, mod, "moderator").status_code == 200
    idea = propose(author, sp, title="Standing desks")
    assert vote(voter, idea).status_code == 200
    assert comment(commenter, idea, "Yes please").status_code == 200
    assert comment(commenter, idea, "Really").status_code == 200
    assert vote(both, idea).status_code == 200
    assert comment(both, idea, "Me too").status_code == 200
    assert vote(mod, idea).status_code == 200

    assert set_status(member, idea, "planned").status_code == 403
    assert set_status(author, idea, "planned").status_code == 403
    assert set_status(mod, idea, "someday").status_code == 422
    assert set_status(mod, idea, "declined").status_code == 422
    assert set_status(mod, idea, "declined", "   ").status_code == 422
    r = set_status(mod, idea, "under_review", "Looking at costs")
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "under_review" and r.json()["status_explanation"] == "Looking at costs"
    for who in (author, voter, commenter, both):
        notes = idea_notes(who)
        assert len(notes) == 1, (who, notes)
        n = notes[0]
        assert n["type"] == "parley.idea_status" and n["account"]["id"] == mod.id
        assert n["status"]["id"] == idea["status_id"]
    assert idea_notes(mod) == []          # the actor is not told
    assert idea_notes(member) == []       # nor who did nothing with the idea
    # every status, in turn
    for st in ("planned", "in_progress", "done", "new"):
        r = set_status(owner, idea, st)
        assert r.status_code == 200 and r.json()["status"] == st, r.text
    r = set_status(owner, idea, "declined", "Not this year")
    assert r.status_code == 200 and r.json()["status"] == "declined"
    assert len(idea_notes(author)) == 6
    assert len(idea_notes(mod)) == 5      # voter now, told of the owner's changes


def test_listener_of_the_space_sets_status(srv):
    owner, author, listener = Actor(srv), Actor(srv), Actor(srv)
    sp = board(owner)
    sk.enrol(owner, sp, author)
    sk.enrol(owner, sp, listener)
    idea = propose(author, sp)
    assert set_status(listener, idea, "planned").status_code == 403
    # listeners are appointed through the listeners API (another part of
    # issue 7); the test writes the row itself
    db = sqlite3.connect(str(srv.data_dir / "parley.db"), timeout=10)
    db.execute("INSERT INTO listeners (space_id, account_id, created_at) VALUES (?, ?, 0)",
               (int(sp["id"]), int(listener.id)))
    db.commit()
    db.close()
    r = set_status(listener, idea, "planned")
    assert r.status_code == 200 and r.json()["status"] == "planned", r.text


# ---- merge --------------------------------------------------------------------

def test_merge_moves_votes_once_each(srv):
    owner, member, a, b, c = (Actor(srv) for _ in range(5))
    sp = board(owner)
    other = board(owner)
    sk.enrol(owner, sp, member)
    sk.enrol(owner, sp, a)
    src = propose(member, sp, title="Dup one")
    dst = propose(member, sp, title="Dup two")
    far = propose(owner, other, title="Elsewhere")
    for x in (a, b):
        assert vote(x, src).status_code == 200
    for x in (b, c):
        assert vote(x, dst).status_code == 200
    cm = comment(a, src, "On the duplicate")
    assert cm.status_code == 200
    assert owner.post(f"{SP}/ideas/{src['id']}/merge", json={"into": far["id"]}).status_code == 422
    assert owner.post(f"{SP}/ideas/{src['id']}/merge", json={"into": src["id"]}).status_code == 422
    assert owner.post(f"{SP}/ideas/{src['id']}/merge", json={"into": "123"}).status_code == 422
    assert member.post(f"{SP}/ideas/{src['id']}/merge", json={"into": dst["id"]}).status_code == 403
    r = owner.post(f"{SP}/ideas/{src['id']}/merge", json={"into": dst["id"]})
    assert r.status_code == 200, r.text
    t = r.json()
    assert t["id"] == dst["id"] and t["votes_count"] == 3
    s = idea_ok(srv, a, src)
    assert s["merged_into"] == dst["id"] and s["votes_count"] == 0
    ids = [i["id"] for i in listing(srv, owner, sp, sort="new")]
    assert dst["id"] in ids and src["id"] not in ids
    # comments stay on the source's posts
    com = a.ok("GET", f"{SP}/ideas/{src['id']}/comments")
    assert [x["id"] for x in com] == [cm.json()["id"]]
    assert vote(a, src).status_code == 422
    assert owner.post(f"{SP}/ideas/{src['id']}/merge", json={"into": dst["id"]}).status_code == 422
    assert idea_ok(srv, a, dst)["my_vote"] is True


# ---- sorts and filters ----------------------------------------------------------

def test_sorts_and_filters(srv):
    owner = Actor(srv)
    voters = [Actor(srv) for _ in range(3)]
    sp = board(owner)
    i1 = propose(owner, sp, title="first", category="a")
    i2 = propose(owner, sp, title="second", category="b")
    i3 = propose(owner, sp, title="third", category="a")
    for v in voters:
        assert vote(v, i2).status_code == 200
    assert vote(voters[0], i1).status_code == 200
    ids = lambda **p: [i["id"] for i in listing(srv, owner, sp, **p)]
    assert ids(sort="new") == [i3["id"], i2["id"], i1["id"]]
    assert ids(sort="top") == [i2["id"], i1["id"], i3["id"]]
    # trending: votes weigh 1 and decay alike (all recent here): i2 (3),
    # i1 (1), i3 (0); a comment (0.5) does not lift i3 past i1
    assert comment(owner, i3, "bump").status_code == 200
    assert ids(sort="trending") == [i2["id"], i1["id"], i3["id"]]
    assert ids() == ids(sort="trending")
    assert ids(sort="new", category="a") == [i3["id"], i1["id"]]
    assert set_status(owner, i1, "planned").status_code == 200
    assert ids(status="planned") == [i1["id"]]
    assert ids(sort="top", limit=1) == [i2["id"]]
    assert ids(sort="top", limit=1, offset=1) == [i1["id"]]
    r = owner.get(f"{SP}/spaces/{sp['id']}/ideas", params={"sort": "best"})
    assert r.status_code == 422
    r = owner.get(f"{SP}/spaces/{sp['id']}/ideas", params={"status": "maybe"})
    assert r.status_code == 422


# ---- audience ---------------------------------------------------------------------

def test_guest_sees_only_ideas_of_their_spaces(srv):
    owner, guest = Actor(srv), Actor(srv, kind="guest")
    ext = board(owner, kind="external", access="closed")
    ext2 = board(owner, kind="external", access="closed")
    internal = board(owner)
    sk.enrol(owner, ext, guest)
    mine = propose(owner, ext, title="For partners")
    not_mine = propose(owner, ext2, title="Other partners")
    staff_only = propose(owner, internal, title="Staff only")
    # the guest proposes, votes and comments in their space
    g = propose(guest, ext, title="From a guest")
    assert vote(guest, mine).status_code == 200
    assert comment(guest, mine, "Nice").status_code == 200
    assert {i["id"] for i in listing(srv, guest, ext)} == {mine["id"], g["id"]}
    for idea in (not_mine, staff_only):
        assert get_idea(srv, guest, idea).status_code == 404
        assert vote(guest, idea).status_code == 404
        assert comment(guest, idea, "hi").status_code == 404
        assert guest.get(f"{SP}/ideas/{idea['id']}/versions").status_code == 404
        assert guest.get(f"{SP}/ideas/{idea['id']}/comments").status_code == 404
    for space in (ext2, internal):
        r = guest.get(f"{SP}/spaces/{space['id']}/ideas")
        assert r.status_code == 404, (space["kind"], r.status_code)
    # merging into an idea the moderator of another board cannot see
    assert owner.post(f"{SP}/ideas/{mine['id']}/merge", json={"into": not_mine["id"]}).status_code == 422


def test_anonymous_reads_a_public_board(srv):
    owner = Actor(srv)
    pub = board(owner, kind="public", access="open")
    internal = board(owner)
    idea = propose(owner, pub, title="Open data")
    hidden = propose(owner, internal, title="Internal")
    r = srv.get(f"{SP}/spaces/{pub['id']}/ideas")
    assert r.status_code == 200 and [i["id"] for i in r.json()] == [idea["id"]]
    r = srv.get(f"{SP}/ideas/{idea['id']}")
    assert r.status_code == 200 and r.json()["my_vote"] is False
    assert srv.get(f"{SP}/ideas/{idea['id']}/versions").status_code == 200
    assert srv.get(f"{SP}/ideas/{hidden['id']}").status_code == 404
    assert srv.get(f"{SP}/spaces/{internal['id']}/ideas").status_code == 404


# ---- vote integrity -----------------------------------------------------------------

def test_flagged_list_rights(srv):
    owner, member = Actor(srv), Actor(srv)
    sp = board(owner)
    sk.enrol(owner, sp, member)
    assert owner.ok("GET", f"{SP}/spaces/{sp['id']}/ideas/flagged") == []
    assert member.get(f"{SP}/spaces/{sp['id']}/ideas/flagged").status_code == 403
    assert srv.get(f"{SP}/spaces/{sp['id']}/ideas/flagged").status_code == 401


def wait_for(pred, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        got = pred()
        if got:
            return got
        time.sleep(0.2)
    return pred()


def test_ring_is_flagged_and_shown_apart(srv):
    owner = Actor(srv)
    sp = board(owner)
    ideas = [propose(owner, sp, title=f"ring target {i}") for i in range(6)]
    others = [propose(owner, sp, title=f"other {i}") for i in range(6)]
    ring = [Actor(srv) for _ in range(5)]
    for r in ring:
        for idea in ideas:
            assert vote(r, idea).status_code == 200
    # organic voters: overlapping interests, each also voting elsewhere
    organic = [Actor(srv) for _ in range(4)]
    for k, o in enumerate(organic):
        for idea in ideas[k:k + 3] + others[k:k + 2]:
            assert vote(o, idea).status_code == 200
    # two friends agreeing on two ideas
    friends = [Actor(srv) for _ in range(2)]
    for f in friends:
        for idea in others[4:6]:
            assert vote(f, idea).status_code == 200

    def flagged():
        got = owner.ok("GET", f"{SP}/spaces/{sp['id']}/ideas/flagged")
        return got if len(got) >= 30 else None

    got = wait_for(flagged)
    assert got, "the ring was not flagged in time"
    assert {f["reason"] for f in got} == {"ring"}
    assert {f["account"]["id"] for f in got} == {r.id for r in ring}
    assert len(got) == 30
    for k, idea in enumerate(ideas):
        now = idea_ok(srv, owner, idea)
        organic_votes = sum(1 for j in range(4) if j <= k < j + 3)
        assert now["flagged_votes_count"] == 5, now
        assert now["votes_count"] == organic_votes, (k, now)
    # flagged votes do not rank: "top" follows counted votes
    top = [i["id"] for i in listing(srv, owner, sp, sort="top", limit=40)]
    counted = {i["id"]: i["votes_count"] for i in listing(srv, owner, sp, sort="top", limit=40)}
    assert [counted[i] for i in top] == sorted(counted.values(), reverse=True)
    # a ring member who votes elsewhere on its own leaves the ring... once
    # it no longer looks like one (the vote set is no longer identical)
    for idea in others:
        assert vote(ring[0], idea).status_code == 200

    def ring0_free():
        got = owner.ok("GET", f"{SP}/spaces/{sp['id']}/ideas/flagged")
        return got if got and ring[0].id not in {f["account"]["id"] for f in got} else None

    got = wait_for(ring0_free)
    assert got and {f["account"]["id"] for f in got} == {r.id for r in ring[1:]}


def test_new_account_votes_flagged(parley_bin, tmp_path_factory):
    s = ParleyServer(tmp_path_factory.mktemp("ideas_new")).start()   # default: 24 hours
    try:
        s.create_user("first_admin", "first_admin@example.com", role="admin")
        owner, voter, member = Actor(s), Actor(s), Actor(s)
        sp = board(owner)
        sk.enrol(owner, sp, member)
        idea = propose(owner, sp)
        r = vote(voter, idea)
        assert r.status_code == 200, r.text
        assert r.json()["votes_count"] == 0 and r.json()["flagged_votes_count"] == 1
        assert r.json()["my_vote"] is True
        got = owner.ok("GET", f"{SP}/spaces/{sp['id']}/ideas/flagged")
        assert [(f["account"]["id"], f["reason"], f["idea"]["id"]) for f in got] == \
            [(voter.id, "new_account", idea["id"])]
        assert member.get(f"{SP}/spaces/{sp['id']}/ideas/flagged").status_code == 403
        # instance moderators see the flags too
        mod = Actor(s, kind="moderator")
        assert len(mod.ok("GET", f"{SP}/spaces/{sp['id']}/ideas/flagged")) == 1
        assert unvote(voter, idea).json()["flagged_votes_count"] == 0
    finally:
        assert s.stop() == 0, s.log_tail()


def test_vote_rate_limit(parley_bin, tmp_path_factory):
    s = ParleyServer(tmp_path_factory.mktemp("ideas_limit"),
                     env={"PARLEY_IDEA_VOTE_LIMIT": "5", "PARLEY_IDEA_NEW_ACCOUNT_HOURS": "0"}).start()
    try:
        s.create_user("first_admin", "first_admin@example.com", role="admin")
        owner, voter = Actor(s), Actor(s)
        sp = board(owner)
        ideas = [propose(owner, sp) for _ in range(7)]
        for idea in ideas[:5]:
            assert vote(voter, idea).status_code == 200
        r = vote(voter, ideas[5])
        assert r.status_code == 429, r.text
        assert "error" in r.json()
        # voting again where one already voted is no new vote
        assert vote(voter, ideas[0]).status_code == 200
        # withdrawing does not give the budget back
        assert unvote(voter, ideas[0]).status_code == 200
        assert vote(voter, ideas[6]).status_code == 429
        # others are not limited by it
        assert vote(owner, ideas[5]).status_code == 200
    finally:
        assert s.stop() == 0, s.log_tail()


def test_ideas_count_in_the_authors_contributions(srv):
    """The person card counts the ideas a viewer may read: a staff colleague
    sees the idea of an open internal board, a guest does not."""
    owner = Actor(srv)
    author = Actor(srv)
    sp = board(owner)
    assert sk.join(author, sp).status_code == 200
    propose(author, sp)
    propose(author, sp)
    staff_view = Actor(srv)
    g = Actor(srv, "guest")
    card = staff_view.ok("GET", f"{SP}/people/{author.id}/card")
    assert card["contributions"]["ideas"] == 2, card["contributions"]
    card = g.ok("GET", f"{SP}/people/{author.id}/card")
    assert card["contributions"]["ideas"] == 0, card["contributions"]
