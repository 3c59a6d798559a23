"""The audience rule with spaces (issue 5): every kind of viewer against a
post in every audience, through every read path, asserting exactly who sees
what. Written from the contract (briefs/spaces-api.md), not from the code.

One staff author (public profile) writes one post per audience and owns
every space. Viewers:

  anon            no credentials
  guest_member    guest, member of the external spaces, follows the author
  guest_stranger  guest, no relation
  staff_member    staff, member of every space, follows the author
  staff_stranger  staff, member of none, follows the author
  space_mod       staff, moderator of every space, does not follow
  admin           staff with the admin role, member of none, does not follow

Audiences: public, organisation, followers, direct (it mentions
guest_member and staff_member), and space posts in an internal open, an
internal closed, an internal secret, an external (closed) and a public
space. Every space post mentions all four guest_/staff_ viewers: a mention
gives no access. Two more spaces (external secret, public closed) take
part in the directory tests.

Read paths: single status (API and web), context, favourited_by and
friends, home, public and local, organisation, tag, account statuses, the
space feed, members, pins and search, Mastodon lists and the list
timeline, notifications, bookmarks and favourites, SSE streams (user,
list, public, hashtag), media URLs, replies_count, the spaces directory
and lookups (secret names never appear), search, web pages, people.
Then: removal and leaving take effect at once (open streams included), and
the admin's audited moderation read.

The worlds are built once per module and only read afterwards (except the
bookmark/favourite test, which each viewer does on its own). The part
without spaces (`world`) runs on a server without issue 5 too.
"""
import json
import os
import random
import re
import time
import uuid
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import pytest

from conftest import assert_json_error
from social import Actor, guest, ids, settle, staff, status_ids_in, wait_for, wait_note
from spacekit import (SP, accept, assert_in_space, create, directory, enrol, feed_raw,
                      get_space, invite_ok, join, leave, remove, space_post)
from test_media import png
from test_streaming import RawStream

VIEWERS = ["anon", "guest_member", "guest_stranger", "staff_member", "staff_stranger",
           "space_mod", "admin"]
SIGNED_IN = [v for v in VIEWERS if v != "anon"]
PLAIN = ["public", "organisation", "followers", "direct"]
SPACES = ["internal_open", "internal_closed", "internal_secret", "external", "public_space"]
AUDIENCES = PLAIN + SPACES
EXTRA_SPACES = ["external_secret", "public_closed"]   # no posts; directory tests
ALL_SPACES = SPACES + EXTRA_SPACES
SECRET_SPACES = ["internal_secret", "external_secret"]
KIND = {"internal_open": ("internal", "open"), "internal_closed": ("internal", "closed"),
        "internal_secret": ("internal", "secret"), "external": ("external", "closed"),
        "public_space": ("public", "open"), "external_secret": ("external", "secret"),
        "public_closed": ("public", "closed")}
SENT = {"public": "public", "organisation": "organisation", "followers": "private",
        "direct": "direct"}

STAFF = {"staff_member", "staff_stranger", "space_mod", "admin"}
EVERYONE = set(VIEWERS)
FOLLOWERS = {"guest_member", "staff_member", "staff_stranger"}
DM_TO = {"guest_member", "staff_member"}
MENTIONED_IN_SPACES = ["guest_member", "guest_stranger", "staff_member", "staff_stranger"]
INSIDE = {"staff_member", "space_mod"}
MEMBERS = {s: set(INSIDE) for s in ALL_SPACES}
MEMBERS["external"] = INSIDE | {"guest_member"}
MEMBERS["external_secret"] = INSIDE | {"guest_member"}
MEMBERS["public_closed"] = set()
READERS = {
    "public": EVERYONE,
    "organisation": STAFF,
    "followers": FOLLOWERS,
    "direct": DM_TO,
    "internal_open": STAFF | MEMBERS["internal_open"],
    "internal_closed": MEMBERS["internal_closed"],
    "internal_secret": MEMBERS["internal_secret"],
    "external": MEMBERS["external"],
    "public_space": EVERYONE,
}
SEES_SPACE = {
    "internal_open": STAFF,
    "internal_closed": STAFF,
    "internal_secret": MEMBERS["internal_secret"],
    "external": STAFF | MEMBERS["external"],
    "external_secret": MEMBERS["external_secret"],
    "public_space": EVERYONE,
    "public_closed": EVERYONE,
}
MATRIX = [(v, a) for v in VIEWERS for a in AUDIENCES]
SPACE_MATRIX = [(v, a) for v in VIEWERS for a in SPACES]

WAIT = 10.0
QUIET = 1.0


class World:
    pass


def get(w, viewer, path, **params):
    who = w.v[viewer]
    if who is None:
        return w.server.get(path, params=params or None)
    return who.get(path, params=params or None)


def get_ok(w, viewer, path, **params):
    r = get(w, viewer, path, **params)
    assert r.status_code == 200, (viewer, path, r.status_code, r.text[:300])
    return r.json()


def not_found(r, what=""):
    """404 with a JSON error."""
    assert r.status_code == 404, (what, r.status_code, r.text[:300])
    assert isinstance(r.json().get("error"), str), (what, r.text[:300])


def no_space(r, what=""):
    """A space the viewer may not see answers like one that does not exist."""
    assert r.status_code == 404, (what, r.status_code, r.text[:300])
    assert r.json() == {"error": "Record not found"}, (what, r.text[:300])


def refused(r, what=""):
    """A read the viewer may not make: 403 or 404, and nothing in the body."""
    assert r.status_code in (403, 404), (what, r.status_code, r.text[:300])


# ---- the worlds -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def world(server):
    """The viewers, their follows, and one post per plain audience."""
    w = World()
    w.server = server
    w.token = uuid.uuid4().hex[:10]
    w.tag = "sa" + w.token
    w.mark = {a: f"mk{i}q{w.token}" for i, a in enumerate(AUDIENCES)}
    w.author = staff(server)
    w.v = {"anon": None,
           "guest_member": guest(server), "guest_stranger": guest(server),
           "staff_member": staff(server), "staff_stranger": staff(server),
           "space_mod": staff(server), "admin": Actor(server, "admin")}
    for v in FOLLOWERS:
        w.v[v].follow(w.author)
    dm = " ".join("@" + w.v[v].name for v in sorted(DM_TO))
    w.posts = {}
    for aud in PLAIN:
        text = f"{aud} {w.mark[aud]} #{w.tag}" + (" " + dm if aud == "direct" else "")
        w.posts[aud] = w.author.post_status(text, SENT[aud])
        assert w.posts[aud]["parley"]["audience"] == aud, w.posts[aud]
    w.replies = {}
    wait_for(lambda: w.posts["direct"]["id"] in w.v["staff_member"].home_ids())
    return w


@pytest.fixture(scope="module")
def sworld(world, server):
    """The spaces, their members, one post and one reply per space."""
    w = world
    w.secret_word = "hush" + w.token
    w.spaces = {}
    for s in ALL_SPACES:
        kind, access = KIND[s]
        secret = s in SECRET_SPACES
        name = f"{s} {w.token}" + (f" {w.secret_word}" if secret else "")
        handle = (f"h{w.secret_word}{ALL_SPACES.index(s)}" if secret
                  else f"h{ALL_SPACES.index(s)}_{w.token}")
        w.spaces[s] = create(w.author, kind, access, name=name, handle=handle,
                             description=f"about {name}")
    for s in ALL_SPACES:
        for v in sorted(MEMBERS[s]):
            enrol(w.author, w.spaces[s], w.v[v], "moderator" if v == "space_mod" else "member")
    mentions = " ".join("@" + w.v[v].name for v in MENTIONED_IN_SPACES)
    for i, s in enumerate(SPACES):
        text = f"{s} {w.mark[s]} #{w.tag} {mentions}"
        if i % 2:
            st = w.author.post_status(text, parley_space_id=w.spaces[s]["id"])
        else:
            st = space_post(w.author, w.spaces[s], text)
        assert_in_space(st, w.spaces[s])
        w.posts[s] = st
    for s in SPACES:
        w.replies[s] = w.v["staff_member"].reply(w.posts[s], f"a reply in {s}")
        assert_in_space(w.replies[s], w.spaces[s])
    last = w.posts[SPACES[-1]]["id"]
    wait_for(lambda: last in w.v["staff_member"].home_ids())
    wait_for(lambda: any((n.get("status") or {}).get("id") == last
                         for n in w.v["staff_member"].notifications()))
    settle()
    return w


@pytest.fixture(scope="module")
def rworld(sworld):
    """A public parent per space whose only reply sits in the space
    (staff_member answers with parley_space_id)."""
    w = sworld
    w.parents, w.space_replies = {}, {}
    for s in SPACES:
        w.parents[s] = w.author.post_status(f"public parent for {s}", "public")
        w.space_replies[s] = w.v["staff_member"].post_status(
            f"answered inside {s} {w.mark[s]}", in_reply_to_id=w.parents[s]["id"],
            parley_space_id=w.spaces[s]["id"])
        assert_in_space(w.space_replies[s], w.spaces[s])
    settle()
    return w


def world_for(request, aud):
    return request.getfixturevalue("sworld" if aud in SPACES else "world")


@pytest.fixture(scope="module")
def web(world, server):
    """A browser session per viewer (anon: a session without sign-in)."""
    out = {"anon": server.web_session()}
    for v in SIGNED_IN:
        out[v] = server.signed_in_session(world.v[v].name)
    return out


def web_get(server, web, viewer, path):
    return server.get(path, session=web[viewer])


# ---- one status ---------------------------------------------------------------------------

@pytest.mark.parametrize("viewer,aud", MATRIX)
def test_single_status(request, viewer, aud):
    w = world_for(request, aud)
    st = w.posts[aud]
    r = get(w, viewer, f"/api/v1/statuses/{st['id']}")
    if viewer in READERS[aud]:
        assert r.status_code == 200, (viewer, aud, r.status_code, r.text[:300])
        got = r.json()
        assert w.mark[aud] in got["content"]
        if aud in SPACES:
            assert_in_space(got, w.spaces[aud])
        else:
            assert got["parley"]["audience"] == aud
    else:
        not_found(r, (viewer, aud))
        assert w.mark[aud] not in r.text


@pytest.mark.parametrize("viewer,aud", MATRIX)
def test_many_statuses_by_id(request, viewer, aud):
    w = world_for(request, aud)
    r = get(w, viewer, "/api/v1/statuses", **{"id[]": [w.posts[aud]["id"],
                                                          w.posts["public"]["id"]]})
    assert r.status_code == 200, r.text[:300]
    got = ids(r.json())
    assert w.posts["public"]["id"] in got
    assert (w.posts[aud]["id"] in got) == (viewer in READERS[aud]), (viewer, aud)


@pytest.mark.parametrize("viewer,aud", MATRIX)
def test_web_single_post(request, server, viewer, aud):
    w = world_for(request, aud)
    web = request.getfixturevalue("web")
    r = web_get(server, web, viewer, f"/@{w.author.name}/{w.posts[aud]['id']}")
    if viewer in READERS[aud]:
        assert r.status_code == 200, (viewer, aud, r.status_code)
        assert w.mark[aud] in r.text
    else:
        assert r.status_code == 404, (viewer, aud, r.status_code)
        assert w.mark[aud] not in r.text


@pytest.mark.parametrize("viewer,aud", MATRIX)
def test_paths_of_one_status(request, viewer, aud):
    w = world_for(request, aud)
    sid_ = w.posts[aud]["id"]
    for sub in ("context", "favourited_by", "reblogged_by", "history"):
        r = get(w, viewer, f"/api/v1/statuses/{sid_}/{sub}")
        if viewer in READERS[aud]:
            assert r.status_code == 200, (viewer, aud, sub, r.status_code)
        else:
            not_found(r, (viewer, aud, sub))


@pytest.mark.parametrize("viewer,aud", SPACE_MATRIX)
def test_context_of_a_reply_in_a_space(sworld, viewer, aud):
    w = sworld
    post, reply = w.posts[aud], w.replies[aud]
    r = get(w, viewer, f"/api/v1/statuses/{reply['id']}/context")
    if viewer not in READERS[aud]:
        not_found(r, (viewer, aud))
        not_found(get(w, viewer, f"/api/v1/statuses/{reply['id']}"))
        return
    assert r.status_code == 200, (viewer, aud, r.status_code)
    assert ids(r.json()["ancestors"]) == [post["id"]]
    ctx = get_ok(w, viewer, f"/api/v1/statuses/{post['id']}/context")
    assert ids(ctx["descendants"]) == [reply["id"]]


@pytest.mark.parametrize("viewer,aud", SPACE_MATRIX)
def test_replies_count_counts_only_what_the_viewer_may_read(rworld, viewer, aud):
    w = rworld
    parent, reply = w.parents[aud], w.space_replies[aud]
    want = 1 if viewer in READERS[aud] else 0
    got = get_ok(w, viewer, f"/api/v1/statuses/{parent['id']}")
    assert got["replies_count"] == want, (viewer, aud, got["replies_count"])
    ctx = get_ok(w, viewer, f"/api/v1/statuses/{parent['id']}/context")
    assert ids(ctx["descendants"]) == ([reply["id"]] if want else []), (viewer, aud)
    listed = get_ok(w, viewer, "/api/v1/statuses", **{"id[]": [parent["id"]]})
    assert [x["replies_count"] for x in listed] == [want]
    # and in the author's statuses list
    rows = get_ok(w, viewer, f"/api/v1/accounts/{w.author.id}/statuses", limit=40)
    for x in rows:
        if x["id"] == parent["id"]:
            assert x["replies_count"] == want, (viewer, aud, "account statuses")
    # the reply itself follows the space's rule on every path
    r = get(w, viewer, f"/api/v1/statuses/{reply['id']}")
    assert r.status_code == (200 if want else 404), (viewer, aud, r.status_code)
    if not want:
        lists = [f"/api/v1/accounts/{w.v['staff_member'].id}/statuses",
                 "/api/v1/timelines/public", f"/api/v1/timelines/tag/{w.tag}"]
        if viewer != "anon":
            lists.append("/api/v1/timelines/home")
        for path in lists:
            assert reply["id"] not in timeline_ids(w, viewer, path), (viewer, aud, path)


# ---- timelines ----------------------------------------------------------------------------

def timeline_ids(w, viewer, path, **params):
    params.setdefault("limit", 40)
    return status_ids_in(get_ok(w, viewer, path, **params))


def every_id(w, aud):
    out = {w.posts[aud]["id"]}
    if aud in SPACES:
        out.add(w.replies[aud]["id"])
    return out


@pytest.mark.parametrize("viewer", SIGNED_IN)
def test_home(sworld, viewer):
    w = sworld
    got = timeline_ids(w, viewer, "/api/v1/timelines/home")
    for aud in AUDIENCES:
        if viewer not in READERS[aud]:
            assert not (every_id(w, aud) & got), (viewer, aud)
        elif aud in SPACES and viewer in MEMBERS[aud]:
            assert w.posts[aud]["id"] in got, (viewer, aud, "a member's home has the space")
        elif aud in PLAIN and viewer in FOLLOWERS and aud != "direct":
            assert w.posts[aud]["id"] in got, (viewer, aud)


@pytest.mark.parametrize("viewer", SIGNED_IN)
def test_home_without_spaces(world, viewer):
    w = world
    got = timeline_ids(w, viewer, "/api/v1/timelines/home")
    for aud in PLAIN:
        if viewer not in READERS[aud]:
            assert w.posts[aud]["id"] not in got, (viewer, aud)
        elif viewer in FOLLOWERS and aud != "direct":
            assert w.posts[aud]["id"] in got, (viewer, aud)


@pytest.mark.parametrize("viewer", VIEWERS)
def test_public_timelines(sworld, viewer):
    w = sworld
    pub = timeline_ids(w, viewer, "/api/v1/timelines/public")
    local = timeline_ids(w, viewer, "/api/v1/timelines/public", local="true")
    assert w.posts["public"]["id"] in pub and w.posts["public"]["id"] in local
    for aud in AUDIENCES:
        if viewer not in READERS[aud]:
            assert not (every_id(w, aud) & (pub | local)), (viewer, aud)
    # the public timeline is public posts: no post of a space that is not public
    for aud in ("organisation", "followers", "direct", "internal_open", "internal_closed",
                "internal_secret", "external"):
        assert not (every_id(w, aud) & pub), (viewer, aud)


@pytest.mark.parametrize("viewer", VIEWERS)
def test_organisation_timeline(sworld, viewer):
    w = sworld
    r = get(w, viewer, "/api/parley/v1/timelines/organisation", limit=40)
    if viewer == "anon":
        assert r.status_code == 401, r.status_code
        return
    if viewer not in STAFF:
        assert r.status_code == 403, (viewer, r.status_code)
        return
    assert r.status_code == 200, r.text[:300]
    got = status_ids_in(r.json())
    assert w.posts["organisation"]["id"] in got
    for aud in AUDIENCES:
        if viewer not in READERS[aud]:
            assert not (every_id(w, aud) & got), (viewer, aud)


@pytest.mark.parametrize("viewer", VIEWERS)
def test_tag_timeline(sworld, viewer):
    w = sworld
    got = timeline_ids(w, viewer, f"/api/v1/timelines/tag/{w.tag}")
    assert w.posts["public"]["id"] in got
    for aud in AUDIENCES:
        if viewer not in READERS[aud]:
            assert w.posts[aud]["id"] not in got, (viewer, aud)


@pytest.mark.parametrize("viewer", VIEWERS)
def test_account_statuses(sworld, viewer):
    w = sworld
    got = timeline_ids(w, viewer, f"/api/v1/accounts/{w.author.id}/statuses")
    assert w.posts["public"]["id"] in got
    for aud in AUDIENCES:
        if viewer not in READERS[aud]:
            assert not (every_id(w, aud) & got), (viewer, aud)
    member = w.v["staff_member"]
    got = timeline_ids(w, viewer, f"/api/v1/accounts/{member.id}/statuses")
    for aud in SPACES:
        if viewer not in READERS[aud]:
            assert w.replies[aud]["id"] not in got, (viewer, aud)


@pytest.mark.parametrize("viewer", VIEWERS)
def test_plain_timelines_without_spaces(world, viewer):
    """The same rules on a server without spaces yet."""
    w = world
    for path in ("/api/v1/timelines/public", f"/api/v1/timelines/tag/{w.tag}",
                 f"/api/v1/accounts/{w.author.id}/statuses"):
        got = timeline_ids(w, viewer, path)
        for aud in PLAIN:
            if viewer not in READERS[aud]:
                assert w.posts[aud]["id"] not in got, (viewer, aud, path)


# ---- the space's own read paths ---------------------------------------------------------

@pytest.mark.parametrize("viewer,aud", SPACE_MATRIX)
def test_space_feed_members_pins_search(sworld, viewer, aud):
    w = sworld
    sp = w.spaces[aud]
    base = f"{SP}/spaces/{sp['id']}"
    paths = {"feed": (base + "/feed", {}), "members": (base + "/members", {}),
             "pins": (base + "/pins", {}), "search": (base + "/search", {"q": w.mark[aud]})}
    for name, (path, params) in paths.items():
        r = get(w, viewer, path, **params)
        if viewer in READERS[aud]:
            assert r.status_code == 200, (viewer, aud, name, r.status_code, r.text[:300])
            if name == "feed":
                assert {w.posts[aud]["id"], w.replies[aud]["id"]} <= set(ids(r.json()))
            if name == "search":
                assert w.posts[aud]["id"] in ids(r.json())
            if name == "members":
                got = {m["account"]["id"] for m in r.json()}
                assert got == {w.author.id} | {w.v[v].id for v in MEMBERS[aud]}, (viewer, aud)
        elif viewer in SEES_SPACE[aud]:
            if viewer == "anon":
                assert r.status_code in (401, 403, 404), (aud, name, r.status_code)
            else:
                refused(r, (viewer, aud, name))
        else:
            assert r.status_code in ((401, 404) if viewer == "anon" else (404,)), \
                (viewer, aud, name, r.status_code)
        assert r.status_code == 200 or w.mark[aud] not in r.text


@pytest.mark.parametrize("viewer,aud", SPACE_MATRIX)
def test_list_timeline(sworld, viewer, aud):
    w = sworld
    sp = w.spaces[aud]
    r = get(w, viewer, f"/api/v1/timelines/list/{sp['id']}")
    if viewer == "anon":
        assert r.status_code == 401, r.status_code
        return
    if viewer in MEMBERS[aud]:
        assert r.status_code == 200, (viewer, aud, r.status_code, r.text[:300])
        assert w.posts[aud]["id"] in ids(r.json())
    elif viewer in READERS[aud]:
        # not one of the viewer's lists; if shown at all, it is the feed
        assert r.status_code in (200, 404), r.status_code
    else:
        not_found(r, (viewer, aud))
    r = get(w, viewer, f"/api/v1/lists/{sp['id']}")
    if viewer in MEMBERS[aud]:
        assert r.status_code == 200 and r.json()["title"] == sp["name"], r.text[:300]
    else:
        not_found(r, (viewer, aud, "list"))


@pytest.mark.parametrize("viewer", SIGNED_IN)
def test_lists_are_exactly_the_viewers_spaces(sworld, viewer):
    w = sworld
    lists = get_ok(w, viewer, "/api/v1/lists")
    mine = {w.spaces[s]["id"] for s in ALL_SPACES if viewer in MEMBERS[s]}
    assert {x["id"] for x in lists} == mine, (viewer, lists)


# ---- notifications, bookmarks, favourites ----------------------------------------------------

@pytest.mark.parametrize("viewer", MENTIONED_IN_SPACES)
def test_mention_notifications(sworld, viewer):
    w = sworld
    notes = w.v[viewer].notifications()
    got = {(n.get("status") or {}).get("id") for n in notes}
    for aud in SPACES:
        pid = w.posts[aud]["id"]
        if viewer not in READERS[aud]:
            assert pid not in got, (viewer, aud, "a mention gives no access")
        elif viewer in MEMBERS[aud]:
            assert pid in got, (viewer, aud)
    assert w.v[viewer].ok("GET", "/api/v1/notifications/unread_count")["count"] == len(notes)
    body = json.dumps(notes)
    for aud in SPACES:
        if viewer not in READERS[aud]:
            assert w.mark[aud] not in body


@pytest.mark.parametrize("viewer,aud", [(v, a) for v, a in MATRIX if v != "anon"])
def test_bookmarks_and_favourites(request, viewer, aud):
    w = world_for(request, aud)
    who = w.v[viewer]
    pid = w.posts[aud]["id"]
    for verb, path in (("bookmark", "/api/v1/bookmarks"), ("favourite", "/api/v1/favourites")):
        r = who.act(pid, verb)
        if viewer in READERS[aud]:
            assert r.status_code == 200, (viewer, aud, verb, r.status_code, r.text[:300])
            assert pid in ids(who.timeline(path, limit=40)), (viewer, aud, verb)
        else:
            not_found(r, (viewer, aud, verb))
            assert pid not in ids(who.timeline(path, limit=40)), (viewer, aud, verb)


@pytest.mark.parametrize("viewer,aud", [(v, a) for v, a in SPACE_MATRIX
                                        if v != "anon" and v not in READERS[a]])
def test_no_actions_on_space_posts_one_cannot_read(sworld, viewer, aud):
    w = sworld
    who = w.v[viewer]
    pid = w.posts[aud]["id"]
    for verb in ("reblog", "pin", "react/%F0%9F%91%8D"):
        not_found(who.act(pid, verb), (viewer, aud, verb))
    # a reply to it answers exactly as a reply to nothing
    r = who.post_status_raw("replying blind", "public", in_reply_to_id=pid)
    nothing = who.post_status_raw("replying blind", "public", in_reply_to_id="999999999999")
    assert r.status_code in (404, 422), (viewer, aud, r.status_code, r.text[:300])
    assert (r.status_code, r.json()) == (nothing.status_code, nothing.json()), (viewer, aud)


# ---- streams -------------------------------------------------------------------------------

def open_stream(server, path, who):
    headers = {"Authorization": f"Bearer {who.token}"} if who else None
    s = RawStream(server.port, path, headers=headers)
    assert s.read_until(b"\r\n\r\n"), ("no response headers", path)
    return s


def drain(s, timeout=0.2):
    """Take whatever already arrived on the socket."""
    s.read_until(b"\x00never\x00", timeout)
    return s.data


class Streams:
    pass


def open_viewer_streams(server, w):
    """Per viewer: the user stream (signed in) or the public one (anon), the
    local stream and the world's hashtag stream."""
    st = Streams()
    st.by = {}
    try:
        for v in VIEWERS:
            who = w.v[v]
            first = "/api/v1/streaming/user" if who else "/api/v1/streaming/public"
            st.by[v] = []
            for path in (first, "/api/v1/streaming/public/local",
                         f"/api/v1/streaming/hashtag?tag={w.tag}"):
                s = open_stream(server, path, who)
                st.by[v].append(s)
                assert s.status == 200, (v, path, s.data[:300])
    except BaseException:
        close_all(st)
        raise
    return st


def close_all(st):
    for s_list in st.by.values():
        for s in s_list:
            s.close()
    for s in getattr(st, "lists", {}).values():
        s.close()


@pytest.fixture(scope="module")
def plain_streams(world, server):
    """Every viewer's streams open while the author writes one more post per
    plain audience."""
    w = world
    st = open_viewer_streams(server, w)
    try:
        dm = " ".join("@" + w.v[v].name for v in sorted(DM_TO))
        st.posts = {}
        for aud in PLAIN:
            text = f"streamed {aud} #{w.tag}" + (" " + dm if aud == "direct" else "")
            st.posts[aud] = w.author.post_status(text, SENT[aud])
        user = st.by["staff_member"][0]
        for aud in PLAIN:
            assert user.read_until(st.posts[aud]["id"].encode(), WAIT), (aud, user.data[-500:])
        time.sleep(QUIET)
        st.data = {v: [drain(s) for s in st.by[v]] for v in VIEWERS}
    finally:
        close_all(st)
    return st


@pytest.fixture(scope="module")
def space_streams(sworld, server):
    """Every viewer's streams, and each member's list streams, open while
    the author writes one more post into every space."""
    w = sworld
    st = open_viewer_streams(server, w)
    st.lists = {}
    try:
        for s in SPACES:
            for v in sorted(MEMBERS[s]):
                st.lists[(v, s)] = open_stream(
                    server, f"/api/v1/streaming/list?list={w.spaces[s]['id']}", w.v[v])
                assert st.lists[(v, s)].status == 200, st.lists[(v, s)].data[:300]
        mentions = " ".join("@" + w.v[v].name for v in MENTIONED_IN_SPACES)
        st.posts = {}
        for s in SPACES:
            st.posts[s] = space_post(w.author, w.spaces[s],
                                     f"streamed {s} #{w.tag} {mentions}")
        for v in ("staff_member", "space_mod", "guest_member"):
            user = st.by[v][0]
            for s in SPACES:
                if v in MEMBERS[s]:
                    assert user.read_until(st.posts[s]["id"].encode(), WAIT), \
                        (v, s, "a member's user stream gets the space's posts")
        for (v, s), ls in st.lists.items():
            assert ls.read_until(st.posts[s]["id"].encode(), WAIT), (v, s, "list stream")
        time.sleep(QUIET)
        st.data = {v: [drain(x) for x in st.by[v]] for v in VIEWERS}
        st.list_data = {k: drain(x) for k, x in st.lists.items()}
    finally:
        close_all(st)
    return st


@pytest.mark.parametrize("viewer,aud", [(v, a) for v, a in MATRIX if a in PLAIN])
def test_streams_plain(plain_streams, viewer, aud):
    pid = plain_streams.posts[aud]["id"].encode()
    seen = [pid in d for d in plain_streams.data[viewer]]
    if viewer not in READERS[aud]:
        assert not any(seen), (viewer, aud, "user/local/hashtag", seen)


@pytest.mark.parametrize("viewer,aud", SPACE_MATRIX)
def test_streams_spaces(space_streams, viewer, aud):
    pid = space_streams.posts[aud]["id"].encode()
    seen = [pid in d for d in space_streams.data[viewer]]
    if viewer not in READERS[aud]:
        assert not any(seen), (viewer, aud, "user/local/hashtag", seen)
    elif viewer in MEMBERS[aud]:
        assert seen[0], (viewer, aud, "user stream")
        assert pid in space_streams.list_data[(viewer, aud)]


@pytest.mark.parametrize("viewer,aud", [(v, a) for v, a in SPACE_MATRIX
                                        if v not in MEMBERS[a] and v != "anon"])
def test_list_stream_of_a_space_one_is_not_in(sworld, server, viewer, aud):
    w = sworld
    s = open_stream(server, f"/api/v1/streaming/list?list={w.spaces[aud]['id']}", w.v[viewer])
    try:
        if viewer in READERS[aud]:
            assert s.status in (200, 404), s.status
        else:
            assert s.status in (403, 404), (viewer, aud, s.status)
    finally:
        s.close()


def test_anonymous_list_stream_is_401(sworld, server):
    r = server.get(f"/api/v1/streaming/list?list={sworld.spaces['public_space']['id']}")
    assert_json_error(r, 401)


# ---- media -------------------------------------------------------------------------------

def path_of(url):
    parts = urlsplit(url)
    return parts.path + (("?" + parts.query) if parts.query else "")


def plain_path(url):
    return urlsplit(url).path


def media_posts(w, audiences):
    """One post with an image per audience."""
    m = World()
    m.uploads, m.posts = {}, {}
    dm = " ".join("@" + w.v[v].name for v in sorted(DM_TO))
    for aud in audiences:
        r = w.author.post("/api/v2/media", files={"file": ("p.png", png(40, 30), "image/png")})
        assert r.status_code == 200, r.text[:300]
        m.uploads[aud] = r.json()
        fields = {"media_ids[]": [m.uploads[aud]["id"]]}
        if aud in SPACES:
            st = space_post(w.author, w.spaces[aud], f"picture in {aud}", **fields)
        else:
            text = f"picture {aud}" + (" " + dm if aud == "direct" else "")
            st = w.author.post_status(text, SENT[aud], **fields)
        assert st["media_attachments"], st
        m.posts[aud] = st
    return m


@pytest.fixture(scope="module")
def media_plain(world):
    return media_posts(world, PLAIN)


@pytest.fixture(scope="module")
def media_world(sworld):
    return media_posts(sworld, SPACES)


def media_get(server, who, path, session=None):
    if session is not None:
        return server.get(path, session=session)
    if who is None:
        return server.get(path)
    return who.get(path)


@pytest.mark.parametrize("viewer,aud", MATRIX)
def test_media_url(request, server, viewer, aud):
    w = world_for(request, aud)
    m = request.getfixturevalue("media_world" if aud in SPACES else "media_plain")
    who = w.v[viewer]
    att = m.posts[aud]["media_attachments"][0]
    public = aud in ("public", "public_space")
    for key in ("url", "preview_url"):
        plain = plain_path(att[key])
        r = media_get(server, who, plain)
        if viewer in READERS[aud]:
            assert r.status_code == 200, (viewer, aud, key, "plain, with credentials",
                                          r.status_code)
        else:
            assert r.status_code in (403, 404), (viewer, aud, key, r.status_code)
            assert not r.content.startswith(b"\x89PNG") and not r.content.startswith(b"\xff\xd8")
        # what the upload answered before the post is no capability any more
        r = server.get(plain_path(m.uploads[aud][key]))
        if public:
            assert r.status_code == 200, (aud, key, "anonymous, plain", r.status_code)
        else:
            assert r.status_code in (403, 404), (aud, key, "anonymous, plain", r.status_code)
    if viewer in READERS[aud]:
        st = get_ok(w, viewer, f"/api/v1/statuses/{m.posts[aud]['id']}")
        mine = st["media_attachments"][0]
        for key in ("url", "preview_url"):
            q = dict(parse_qsl(urlsplit(mine[key]).query))
            if public:
                assert not q, ("media of public posts are plain", mine[key])
            else:
                assert "sig" in q and "exp" in q, (viewer, aud, mine[key])
            # the URL given to a reader works without credentials (apps fetch it so)
            r = server.get(path_of(mine[key]))
            assert r.status_code == 200, (viewer, aud, key, r.status_code)


def test_media_signatures_cannot_be_forged(sworld, media_world, server):
    w = sworld
    pid = media_world.posts["internal_closed"]["id"]
    st = w.v["staff_member"].ok("GET", f"/api/v1/statuses/{pid}")
    url = st["media_attachments"][0]["url"]
    parts = urlsplit(url)
    q = dict(parse_qsl(parts.query))
    assert "sig" in q and "exp" in q, url
    assert server.get(path_of(url)).status_code == 200

    def with_query(**change):
        nq = dict(q, **change)
        return urlunsplit(("", "", parts.path, urlencode(nq), ""))
    sig = q["sig"]
    flipped = sig[:-1] + ("A" if sig[-1] != "A" else "B")
    for path in (with_query(sig=flipped), with_query(exp=str(int(q["exp"]) + 3600)),
                 with_query(sig=""), with_query(exp="1"), parts.path):
        r = server.get(path)
        assert r.status_code in (403, 404), (path, r.status_code)
    # a signature for one file does not open another
    other = w.v["staff_member"].ok(
        "GET", f"/api/v1/statuses/{media_world.posts['internal_secret']['id']}")
    other_path = urlsplit(other["media_attachments"][0]["url"]).path
    r = server.get(other_path + "?" + urlencode({"sig": q["sig"], "exp": q["exp"]}))
    assert r.status_code in (403, 404), r.status_code


def test_media_with_a_session_cookie(sworld, media_world, web, server):
    att = media_world.posts["internal_closed"]["media_attachments"][0]
    path = plain_path(att["url"])
    assert server.get(path, session=web["staff_member"]).status_code == 200
    assert server.get(path, session=web["staff_stranger"]).status_code in (403, 404)
    assert server.get(path, session=web["admin"]).status_code in (403, 404)
    assert server.get(path, session=web["guest_member"]).status_code in (403, 404)


# ---- spaces: directory and lookups -----------------------------------------------------------

@pytest.mark.parametrize("viewer", VIEWERS)
def test_directory(sworld, viewer):
    w = sworld
    got = directory(w.server, w.v[viewer], q=w.token, limit=40)
    want = {w.spaces[s]["id"] for s in ALL_SPACES if viewer in SEES_SPACE[s]}
    assert set(ids(got)) == want, (viewer, [x["name"] for x in got])
    for kind in ("internal", "external", "public"):
        got = directory(w.server, w.v[viewer], q=w.token, kind=kind, limit=40)
        assert set(ids(got)) == {w.spaces[s]["id"] for s in ALL_SPACES
                                 if viewer in SEES_SPACE[s] and KIND[s][0] == kind}, (viewer, kind)
    if viewer != "anon":
        mine = directory(w.server, w.v[viewer], mine=1, limit=40)
        assert {x["id"] for x in mine} >= {w.spaces[s]["id"] for s in ALL_SPACES
                                           if viewer in MEMBERS[s]}
        assert not {x["id"] for x in mine} & {w.spaces[s]["id"] for s in ALL_SPACES
                                              if viewer not in MEMBERS[s]}


@pytest.mark.parametrize("viewer,space", [(v, s) for v in VIEWERS for s in ALL_SPACES])
def test_space_lookup(sworld, viewer, space):
    w = sworld
    sp = w.spaces[space]
    for key in (sp["id"], sp["handle"]):
        r = get_space(w.server, w.v[viewer], key)
        if viewer in SEES_SPACE[space]:
            assert r.status_code == 200, (viewer, space, key, r.status_code)
            got = r.json()
            assert got["id"] == sp["id"] and got["name"] == sp["name"]
            role = None if viewer not in MEMBERS[space] else (
                "moderator" if viewer == "space_mod" else "member")
            assert (got["membership"] or {}).get("role") == role, (viewer, space, got)
        else:
            no_space(r, (viewer, space, key))


@pytest.mark.parametrize("viewer", [v for v in VIEWERS if v not in INSIDE])
def test_secret_names_never_appear(sworld, server, web, viewer):
    """Nothing a non-member of the secret spaces can ask shows their names or
    handles (guest_member is in external_secret, so only internal_secret
    counts for it)."""
    w = sworld
    secrets = [s for s in SECRET_SPACES if viewer not in MEMBERS[s]]
    words = [w.secret_word] if len(secrets) == 2 else []
    words += [w.spaces[s]["handle"] for s in secrets] + [w.spaces[s]["name"] for s in secrets]
    words += [w.mark[s] for s in secrets if s in SPACES]
    asked = []   # (path, params, session or None)
    for params in ([{"q": w.token, "limit": 40}, {"q": w.secret_word}, {"limit": 40},
                    {"kind": "internal", "limit": 40}, {"kind": "external", "limit": 40},
                    {"archived": 1, "q": w.secret_word}] +
                   [{"q": w.spaces[s]["handle"]} for s in secrets]):
        asked.append((SP + "/spaces", params, False))
    for s in secrets:
        sp = w.spaces[s]
        for tail, params in (("", {}), ("/feed", {}), ("/members", {}), ("/pins", {}),
                             ("/search", {"q": w.secret_word}), ("/join", None)):
            for key in (sp["id"], sp["handle"]):
                asked.append((f"{SP}/spaces/{key}{tail}", params, False))
        if s in SPACES:
            for path in (f"/api/v1/statuses/{w.posts[s]['id']}",
                         f"/api/v1/statuses/{w.posts[s]['id']}/context",
                         f"/api/v1/statuses/{w.replies[s]['id']}/context"):
                asked.append((path, {}, False))
        asked.append((f"/s/{sp['handle']}", {}, True))
    for q in (w.secret_word, w.token):
        asked.append(("/api/v2/search", {"q": q}, False))
        asked.append(("/api/v2/search", {"q": q, "type": "statuses"}, False))
    if viewer != "anon":
        for path in ("/api/v1/lists", SP + "/invitations", "/api/v1/notifications",
                     "/api/v1/timelines/home"):
            asked.append((path, {"limit": 40}, False))
        asked += [("/", {}, True), ("/notifications", {}, True)]
    asked += [("/spaces", {}, True), (f"/@{w.author.name}", {}, True),
              (f"/tags/{w.tag}", {}, True)]
    for path, params, is_web in asked:
        if is_web:
            r = server.get(path, session=web[viewer], params=params)
        elif params is None:   # a POST (join)
            r = server.request("POST", path, session=w.v[viewer].s if w.v[viewer] else None)
        else:
            r = get(w, viewer, path, **params)
        said = path + " " + " ".join(str(v) for v in (params or {}).values())
        for word in words:
            if word in said:
                continue   # what the viewer typed may come back
            assert word not in r.text, (viewer, path, params, word, r.text[:500])


# ---- the web pages ------------------------------------------------------------------------

@pytest.mark.parametrize("viewer,aud", SPACE_MATRIX)
def test_web_space_page(sworld, server, web, viewer, aud):
    w = sworld
    sp = w.spaces[aud]
    r = web_get(server, web, viewer, f"/s/{sp['handle']}")
    if viewer in SEES_SPACE[aud]:
        assert r.status_code == 200, (viewer, aud, r.status_code)
        assert sp["name"] in r.text
        assert (w.mark[aud] in r.text) == (viewer in READERS[aud]), (viewer, aud)
    else:
        if viewer == "anon":
            ok = r.status_code == 404 or (r.status_code == 303 and
                                         r.headers["Location"].startswith("/signin"))
            assert ok, (aud, r.status_code)
        else:
            assert r.status_code == 404, (viewer, aud, r.status_code)
        assert sp["name"] not in r.text and w.mark[aud] not in r.text


@pytest.mark.parametrize("viewer", VIEWERS)
def test_web_pages_show_nothing_unreadable(sworld, server, web, viewer):
    w = sworld
    pages = [f"/@{w.author.name}", f"/tags/{w.tag}", "/spaces"]
    if viewer != "anon":
        pages += ["/", "/notifications"]
    for page in pages:
        r = web_get(server, web, viewer, page)
        assert r.status_code in (200, 303), (viewer, page, r.status_code)
        for aud in AUDIENCES:
            if viewer not in READERS[aud]:
                assert w.mark[aud] not in r.text, (viewer, page, aud)
    r = web_get(server, web, viewer, "/spaces")
    for s in ALL_SPACES:
        if viewer not in SEES_SPACE[s]:
            assert w.spaces[s]["name"] not in r.text, (viewer, s)


@pytest.mark.parametrize("viewer", ["guest_member", "guest_stranger"])
def test_guest_web_home_shows_nothing_internal(sworld, server, web, viewer):
    w = sworld
    fresh = "fresh" + uuid.uuid4().hex[:10]
    space_post(w.author, w.spaces["external"], f"news for partners {fresh}")
    if viewer == "guest_member":
        assert wait_for(lambda: fresh in web_get(server, web, viewer, "/").text), \
            "a guest's home shows their spaces' posts"
    else:
        settle()
    home = web_get(server, web, viewer, "/").text
    for aud in ("organisation", "internal_open", "internal_closed", "internal_secret"):
        assert w.mark[aud] not in home, (viewer, aud)
    if viewer == "guest_stranger":
        assert fresh not in home and w.mark["external"] not in home


@pytest.mark.parametrize("viewer", VIEWERS)
def test_search_never_leaks(sworld, viewer):
    w = sworld
    for q in [w.tag, w.token] + [w.mark[a] for a in AUDIENCES]:
        for extra in ({}, {"type": "statuses"}, {"type": "accounts"}, {"type": "hashtags"}):
            r = get(w, viewer, "/api/v2/search", q=q, **extra)
            for aud in AUDIENCES:
                if viewer not in READERS[aud]:
                    assert w.mark[aud] not in r.text, (viewer, q, extra, aud)


# ---- people ------------------------------------------------------------------------------

def test_people_without_a_shared_space(server):
    """Guests and anonymous visitors do not find staff with private profiles."""
    s = staff(server, public=False)
    g = guest(server, public=False)
    other = staff(server, public=False)
    for who in (g, None):
        path = f"/api/v1/accounts/{s.id}"
        r = server.get(path) if who is None else who.get(path)
        not_found(r, who)
        r = (server.get if who is None else who.get)("/api/v1/accounts/lookup",
                                                     params={"acct": s.name})
        not_found(r, who)
    assert other.ok("GET", f"/api/v1/accounts/{s.id}")["id"] == s.id
    assert other.ok("GET", f"/api/v1/accounts/{g.id}")["id"] == g.id
    # a public profile is seen by all
    server.make_public(s.name)
    assert g.ok("GET", f"/api/v1/accounts/{s.id}")["id"] == s.id
    assert server.get(f"/api/v1/accounts/{s.id}").status_code == 200


def test_people_in_a_shared_space(server):
    o = staff(server, public=False)
    s = staff(server, public=False)
    g = guest(server, public=False)
    g2 = guest(server, public=False)
    s_out = staff(server, public=False)
    sp = create(o, "external", "closed")
    enrol(o, sp, s)
    not_found(g.get(f"/api/v1/accounts/{s.id}"))
    invite_ok(o, sp, username=g.name)
    # an invitation alone shares nothing but the space's name
    not_found(g.get(f"/api/v1/accounts/{s.id}"))
    accept(g, sp)
    for target in (o, s):
        assert g.ok("GET", f"/api/v1/accounts/{target.id}")["id"] == target.id
        r = g.get("/api/v1/accounts/lookup", params={"acct": target.name})
        assert r.status_code == 200 and r.json()["id"] == target.id
    not_found(g.get(f"/api/v1/accounts/{s_out.id}"))
    not_found(g2.get(f"/api/v1/accounts/{s.id}"))
    not_found(g2.get(f"/api/v1/accounts/{g.id}"))
    not_found(server.get(f"/api/v1/accounts/{s.id}"))
    # the members list shows who is there, to the members
    assert {m["account"]["id"] for m in g.ok("GET", f"{SP}/spaces/{sp['id']}/members")} == {
        o.id, s.id, g.id}
    # removed: the staff are strangers again, at once
    assert remove(o, sp, g).status_code == 200
    not_found(g.get(f"/api/v1/accounts/{s.id}"))
    not_found(g.get(f"/api/v1/accounts/{o.id}"))
    no_space(get_space(server, g, sp))


# ---- removal and leaving take effect at once -------------------------------------------------

def test_removal_takes_effect_at_once(server):
    o, m, other = staff(server), staff(server), staff(server)
    sp = create(o, "internal", "closed")
    enrol(o, sp, m)
    enrol(o, sp, other)
    p1 = space_post(o, sp, f"before the removal @{m.name}")
    wait_note(m, "mention", p1["id"])
    assert m.act(p1["id"], "bookmark").status_code == 200
    assert m.act(p1["id"], "favourite").status_code == 200
    assert wait_for(lambda: p1["id"] in m.home_ids())
    su = open_stream(server, "/api/v1/streaming/user", m)
    sn = open_stream(server, "/api/v1/streaming/user/notification", m)
    sl = open_stream(server, f"/api/v1/streaming/list?list={sp['id']}", m)
    so = open_stream(server, "/api/v1/streaming/user", other)
    try:
        for s in (su, sn, sl, so):
            assert s.status == 200, s.data[:300]
        p2 = space_post(o, sp, f"while m listens @{m.name}")
        assert su.read_until(p2["id"].encode(), WAIT), su.data[-300:]
        assert sl.read_until(p2["id"].encode(), WAIT), sl.data[-300:]
        assert sn.read_until(p2["id"].encode(), WAIT), sn.data[-300:]
        assert remove(o, sp, m).status_code == 200
        p3 = space_post(o, sp, f"after the removal @{m.name}")
        assert so.read_until(p3["id"].encode(), WAIT), "the other member still hears"
        time.sleep(QUIET)
        for name, s in (("user", su), ("notification", sn), ("list", sl)):
            assert p3["id"].encode() not in drain(s), (name, "an open stream kept the space")
    finally:
        for s in (su, sn, sl, so):
            s.close()
    # every read path, at once
    for p in (p1, p2, p3):
        not_found(m.status(p["id"]))
        not_found(m.get(f"/api/v1/statuses/{p['id']}/context"))
    refused(feed_raw(server, m, sp))
    refused(m.get(f"{SP}/spaces/{sp['id']}/pins"))
    refused(m.get(f"{SP}/spaces/{sp['id']}/search", params={"q": "removal"}))
    home = m.home_ids()
    assert not {p1["id"], p2["id"], p3["id"]} & set(home)
    assert p1["id"] not in ids(m.timeline("/api/v1/bookmarks"))
    assert p1["id"] not in ids(m.timeline("/api/v1/favourites"))
    notes = m.notifications()
    assert not {p1["id"], p2["id"], p3["id"]} & {(n.get("status") or {}).get("id") for n in notes}
    assert m.ok("GET", "/api/v1/notifications/unread_count")["count"] == len(notes)
    assert sp["id"] not in ids(m.ok("GET", "/api/v1/lists"))
    not_found(m.get(f"/api/v1/timelines/list/{sp['id']}"))
    s = open_stream(server, f"/api/v1/streaming/list?list={sp['id']}", m)
    try:
        assert s.status in (403, 404), s.status
    finally:
        s.close()


def test_leaving_takes_effect_at_once(server):
    o, m, other = staff(server), staff(server), staff(server)
    sp = create(o, "internal", "secret")
    enrol(o, sp, m)
    enrol(o, sp, other)
    p1 = space_post(o, sp, "before leaving")
    su = open_stream(server, "/api/v1/streaming/user", m)
    sl = open_stream(server, f"/api/v1/streaming/list?list={sp['id']}", m)
    so = open_stream(server, "/api/v1/streaming/user", other)
    try:
        assert leave(m, sp).status_code == 200
        p2 = space_post(o, sp, f"after leaving @{m.name}")
        assert so.read_until(p2["id"].encode(), WAIT)
        time.sleep(QUIET)
        assert p2["id"].encode() not in drain(su)
        assert p2["id"].encode() not in drain(sl)
    finally:
        for s in (su, sl, so):
            s.close()
    not_found(m.status(p1["id"]))
    no_space(get_space(server, m, sp))
    not_found(feed_raw(server, m, sp))
    assert not {p1["id"], p2["id"]} & set(m.home_ids())
    assert all((n.get("status") or {}).get("id") != p2["id"] for n in m.notifications())


def test_removed_guest_loses_media_and_the_space(server):
    o, g = staff(server), guest(server)
    sp = create(o, "external", "closed")
    enrol(o, sp, g)
    up = o.post("/api/v2/media", files={"file": ("p.png", png(20, 20), "image/png")}).json()
    st = space_post(o, sp, "a picture for the partner", **{"media_ids[]": [up["id"]]})
    path = urlsplit(st["media_attachments"][0]["url"]).path
    assert g.get(path).status_code == 200
    assert remove(o, sp, g).status_code == 200
    assert g.get(path).status_code in (403, 404)
    not_found(g.status(st["id"]))
    no_space(get_space(server, g, sp))
    assert sp["id"] not in ids(directory(server, g, limit=40, q=sp["handle"]))


# ---- the admin reads through the audited endpoint --------------------------------------------

def audit_entries(admin, object_id):
    return [e for e in admin.ok("GET", SP + "/admin/audit") if e["object_id"] == object_id]


def test_admin_reads_a_secret_post_only_through_the_audited_endpoint(server):
    o, admin = staff(server), Actor(server, "admin")
    sp = create(o, "internal", "secret")
    st = space_post(o, sp, "moderate me please")
    # the ordinary paths are closed to the admin
    not_found(admin.status(st["id"]))
    no_space(get_space(server, admin, sp))
    not_found(feed_raw(server, admin, sp))
    assert audit_entries(admin, st["id"]) == []
    got = admin.ok("GET", f"{SP}/admin/posts/{st['id']}")
    assert got["id"] == st["id"] and "moderate me please" in got["content"]
    entries = audit_entries(admin, st["id"])
    assert len(entries) == 1, entries
    e = entries[0]
    assert e["actor"]["id"] == admin.id
    assert isinstance(e["action"], str) and e["action"]
    assert e["object_type"] in ("post", "status"), e
    assert "detail" in e and isinstance(e["id"], str)
    assert re.match(r"^\d{4}-\d\d-\d\dT", e["created_at"]), e
    # every read is recorded
    admin.ok("GET", f"{SP}/admin/posts/{st['id']}")
    assert len(audit_entries(admin, st["id"])) == 2
    not_found(admin.get(f"{SP}/admin/posts/999999999999"))


def test_a_site_moderator_reads_audited_but_cannot_read_the_audit(server):
    o, mod, admin = staff(server), Actor(server, "moderator"), Actor(server, "admin")
    sp = create(o, "external", "secret")
    st = space_post(o, sp, "reported post")
    not_found(mod.status(st["id"]))
    assert mod.ok("GET", f"{SP}/admin/posts/{st['id']}")["id"] == st["id"]
    entries = audit_entries(admin, st["id"])
    assert [e["actor"]["id"] for e in entries] == [mod.id], entries
    assert_json_error(mod.get(SP + "/admin/audit"), 403)


def test_the_audited_endpoint_is_closed_to_others(server):
    o, s_other, g = staff(server), staff(server), guest(server)
    sp = create(o, "external", "closed")
    enrol(o, sp, g)
    st = space_post(o, sp, "not for moderation")
    for who in (o, s_other, g):   # even the space's owner and member: not site moderators
        assert_json_error(who.get(f"{SP}/admin/posts/{st['id']}"), 403)
        assert_json_error(who.get(SP + "/admin/audit"), 403)
    assert_json_error(server.get(f"{SP}/admin/posts/{st['id']}"), 401)
    assert_json_error(server.get(SP + "/admin/audit"), 401)
    admin = Actor(server, "admin")
    assert audit_entries(admin, st["id"]) == []


# ---- moving a post between spaces -------------------------------------------------------------

def test_no_silent_widening(server):
    """A post of an internal space can reach an external one only as a new
    post: a reblog is refused, and quoting it by reply does not carry it."""
    o, g = staff(server), guest(server)
    inner = create(o, "internal", "closed")
    outer = create(o, "external", "closed")
    enrol(o, outer, g)
    st = space_post(o, inner, "internal numbers 42")
    assert_json_error(o.act(st["id"], "reblog"), 422)
    # a reply asked into another space stays where its parent is
    r = o.post_status_raw("carried over?", in_reply_to_id=st["id"], parley_space_id=outer["id"])
    if r.status_code == 200:
        assert_in_space(r.json(), inner)
    else:
        assert r.status_code == 422, r.text
    # a new post written into the external space is what the guest reads
    copy = space_post(o, outer, "internal numbers, retold for partners")
    assert g.ok("GET", f"/api/v1/statuses/{copy['id']}")["id"] == copy["id"]
    not_found(g.status(st["id"]))
    assert st["id"] not in ids(g.ok("GET", f"{SP}/spaces/{outer['id']}/feed"))


# ---- a join never widens what an invitation showed ----------------------------------------------

def test_invitee_sees_the_space_but_not_its_posts(server):
    o, a, g = staff(server), staff(server), guest(server)
    sp = create(o, "external", "secret")
    st = space_post(o, sp, "before they came")
    invite_ok(o, sp, username=a.name)
    invite_ok(o, sp, username=g.name)
    for who in (a, g):
        got = get_space(server, who, sp)
        assert got.status_code == 200 and got.json()["invited"] is True
        refused(feed_raw(server, who, sp))
        not_found(who.status(st["id"]))
    assert join(a, sp).status_code == 200
    assert a.ok("GET", f"/api/v1/statuses/{st['id']}")["id"] == st["id"]
    not_found(g.status(st["id"]))


# ---- the per-object answer and the list filter agree --------------------------------------------

def test_property_single_answer_and_list_filters_agree(server):
    """Random spaces, memberships (some removed again) and posts; for every
    viewer, what GET /statuses/:id lets through is exactly what the list
    paths show: the batch GET /statuses?id[]=, each author's statuses
    (direct posts aside) and each space's feed. Set PARLEY_SEED to replay."""
    seed = int(os.environ.get("PARLEY_SEED") or random.randrange(1 << 30))
    rnd = random.Random(seed)
    why = f"PARLEY_SEED={seed}"
    tag = "prop" + uuid.uuid4().hex[:10]
    staffers = [staff(server) for _ in range(4)]
    guests = [guest(server) for _ in range(2)]
    people = staffers + guests
    spaces = []     # (space, owner, [members])
    for _ in range(6):
        kind, access = rnd.choice(sorted(set(KIND.values())))
        owner = rnd.choice(staffers)
        sp = create(owner, kind, access)
        members = [owner]
        for p in people:
            if p is owner or (p.kind == "guest" and kind != "external"):
                continue
            if rnd.random() < 0.5:
                enrol(owner, sp, p, rnd.choice(["member", "member", "moderator"]))
                members.append(p)
        spaces.append((sp, owner, members))
    posts = []      # (status, author, space or None)
    for i in range(30):
        if rnd.random() < 0.6:
            sp, _, members = rnd.choice(spaces)
            author = rnd.choice(members)
            posts.append((space_post(author, sp, f"p{i} #{tag}"), author, sp))
        else:
            author = rnd.choice(people)
            vis = rnd.choice(["public", "private", "direct"] +
                             (["organisation"] if author.kind == "staff" else []))
            text = f"p{i} #{tag}"
            if vis == "direct":
                text += " @" + rnd.choice(people).name
            posts.append((author.post_status(text, vis), author, None))
    for sp, owner, members in spaces:
        for p in list(members):
            if p is not owner and rnd.random() < 0.25:
                assert remove(owner, sp, p).status_code == 200, why
                members.remove(p)
    all_ids = [st["id"] for st, _, _ in posts]
    viewers = [None, Actor(server, "admin")] + people
    for v in viewers:
        def fetch(path, **params):
            return server.get(path, params=params) if v is None else v.get(path, params=params)
        single = {st["id"] for st, _, _ in posts
                  if fetch(f"/api/v1/statuses/{st['id']}").status_code == 200}
        batch = set()
        for i in range(0, len(all_ids), 20):
            r = fetch("/api/v1/statuses", **{"id[]": all_ids[i:i + 20]})
            assert r.status_code == 200, (why, r.status_code)
            batch |= set(ids(r.json()))
        assert batch == single, (why, v, "batch", batch ^ single)
        for author in people:
            # Parley lists every post of the author the viewer may read,
            # direct ones included (the viewer is their author or addressee)
            mine = {st["id"] for st, a, _ in posts if a is author}
            r = fetch(f"/api/v1/accounts/{author.id}/statuses", limit=40)
            assert r.status_code == 200, (why, r.status_code)
            shown = set(ids(r.json())) & set(all_ids)
            leaked = shown - single
            assert not leaked, (why, v, author, "account statuses show unreadable", leaked)
            assert shown == (single & mine), (why, v, author, "account statuses",
                                              shown ^ (single & mine))
        for sp, _, _ in spaces:
            inside = {st["id"] for st, _, s in posts if s is sp}
            r = fetch(f"{SP}/spaces/{sp['id']}/feed", limit=40)
            if r.status_code == 200:
                assert set(ids(r.json())) == single & inside, (why, v, sp["kind"], sp["access"])
            else:
                assert r.status_code in (401, 403, 404), (why, r.status_code)
                # an author keeps reading their own posts after leaving or
                # being removed; nothing else of the space
                own = {st["id"] for st, a, s in posts if s is sp and a is v}
                assert not (single & inside) - own, (why, v, sp["kind"], sp["access"],
                                                     "readable posts in a feed the viewer may not read")


# ---- more read paths and changes of standing ----------------------------------------------------

def test_poll_of_a_space_post(server):
    o, m, s_out, g = staff(server), staff(server), staff(server), guest(server)
    sp = create(o, "internal", "closed")
    enrol(o, sp, m)
    st = space_post(o, sp, "which day?", **{"poll[options][]": ["monday", "friday"],
                                            "poll[expires_in]": 3600})
    poll = st["poll"]
    assert poll and poll["id"], st
    assert m.ok("GET", f"/api/v1/polls/{poll['id']}")["id"] == poll["id"]
    for who in (s_out, g):
        not_found(who.get(f"/api/v1/polls/{poll['id']}"), who)
        not_found(who.post(f"/api/v1/polls/{poll['id']}/votes", data={"choices[]": ["0"]}), who)
    not_found(server.get(f"/api/v1/polls/{poll['id']}"))
    got = m.ok("POST", f"/api/v1/polls/{poll['id']}/votes", data={"choices[]": ["1"]})
    assert got["votes_count"] == 1


def test_a_staff_member_made_guest_leaves_internal_spaces_behind(server):
    """Only staff are members of internal spaces: demoted to guest, the
    account loses them at once (the space, its posts, its list, its
    stream), and keeps an external space it is in."""
    o, x = staff(server), staff(server)
    inner = create(o, "internal", "closed")
    outer = create(o, "external", "closed")
    enrol(o, inner, x)
    enrol(o, outer, x)
    p_in = space_post(o, inner, "internal only")
    p_out = space_post(o, outer, "with partners")
    s = open_stream(server, "/api/v1/streaming/user", x)
    try:
        r = server.cli("admin", "set-role", x.name, "guest")
        assert r.returncode == 0, r.stderr
        after = space_post(o, inner, f"after the demotion @{x.name}")
        later = space_post(o, outer, "still with partners")
        assert s.read_until(later["id"].encode(), WAIT), "the external space still streams"
        time.sleep(QUIET)
        assert after["id"].encode() not in drain(s), "a demoted account's stream kept the space"
    finally:
        s.close()
    no_space(get_space(server, x, inner))
    for p in (p_in, after):
        not_found(x.status(p["id"]))
    not_found(feed_raw(server, x, inner))
    assert inner["id"] not in ids(x.ok("GET", "/api/v1/lists"))
    assert inner["id"] not in ids(directory(server, x, mine=1, limit=40))
    assert not {p_in["id"], after["id"]} & set(x.home_ids())
    # the external space stays
    assert x.ok("GET", f"/api/v1/statuses/{p_out['id']}")["id"] == p_out["id"]
    assert outer["id"] in ids(x.ok("GET", "/api/v1/lists"))


def test_people_search_follows_the_same_rule(server):
    s = staff(server, public=False)
    g = guest(server, public=False)
    r = g.get("/api/v2/search", params={"q": s.name, "type": "accounts", "resolve": "false"})
    if r.status_code == 200:
        assert s.id not in ids(r.json()["accounts"]), "a guest found a staff member"
    assert s.name not in r.text
    r = server.get("/api/v2/search", params={"q": s.name, "type": "accounts"})
    assert s.name not in r.text
    o = staff(server)
    sp = create(o, "external", "closed")
    enrol(o, sp, s)
    enrol(o, sp, g)
    r = g.get("/api/v2/search", params={"q": s.name, "type": "accounts"})
    if r.status_code == 200:
        assert s.id in ids(r.json()["accounts"]), "shared space: the guest finds them"
