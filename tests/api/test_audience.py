"""The audience rule across read paths: every kind of viewer against a post
in every audience, through single fetch, actions, account statuses, the
public, local, organisation, tag and home timelines, thread context and
notifications.

One staff author writes one post per audience; the organisation, followers
and direct posts mention one staff and one guest account. Viewers:

  anon            no token
  author          the staff author
  staff_stranger  staff, no relation
  guest_stranger  guest, no relation
  staff_follower  staff, follows the author
  guest_follower  guest, follows the author
  m_staff         staff, mentioned, does not follow
  m_guest         guest, mentioned, does not follow

The world is built once per module and only read afterwards.
"""
import urllib.parse
import uuid

import pytest

from social import guest, id_above, ids, settle, staff, status_ids_in, wait_for

AUDIENCES = ["public", "organisation", "followers", "direct"]
SENT = {"public": "public", "organisation": "organisation", "followers": "private",
        "direct": "direct"}
SHOWN = {"public": "public", "organisation": "unlisted", "followers": "private",
         "direct": "direct"}
VIEWERS = ["anon", "author", "staff_stranger", "guest_stranger", "staff_follower",
           "guest_follower", "m_staff", "m_guest"]
STAFF_VIEWERS = {"author", "staff_stranger", "staff_follower", "m_staff"}
VISIBLE = {
    "public": set(VIEWERS),
    "organisation": {"author", "staff_stranger", "staff_follower", "m_staff"},
    "followers": {"author", "staff_follower", "guest_follower", "m_staff", "m_guest"},
    "direct": {"author", "m_staff", "m_guest"},
}
MATRIX = [(v, a) for v in VIEWERS for a in AUDIENCES]


class World:
    pass


@pytest.fixture(scope="module")
def world(server):
    w = World()
    w.server = server
    w.tag = "aud" + uuid.uuid4().hex[:10]
    w.v = {"anon": None}
    w.v["author"] = author = staff(server)
    w.v["staff_stranger"] = staff(server)
    w.v["guest_stranger"] = guest(server)
    w.v["staff_follower"] = staff(server)
    w.v["guest_follower"] = guest(server)
    w.v["m_staff"] = staff(server)
    w.v["m_guest"] = guest(server)
    w.v["staff_follower"].follow(author)
    w.v["guest_follower"].follow(author)
    names = f"@{w.v['m_staff'].name} @{w.v['m_guest'].name}"

    w.posts, w.replies, w.answers = {}, {}, {}
    w.root = author.post_status("the root of a thread", "public")
    for aud in AUDIENCES:
        text = f"{aud} post #{w.tag}" + ("" if aud == "public" else " " + names)
        w.posts[aud] = author.post_status(text, SENT[aud])
        assert w.posts[aud]["parley"]["audience"] == aud, w.posts[aud]
    for aud in AUDIENCES:
        text = f"{aud} reply" + ("" if aud == "public" else " " + names)
        w.replies[aud] = author.reply(w.root, text, SENT[aud])
    for aud in AUDIENCES:
        # a public answer under each post: its context must not show the post
        w.answers[aud] = author.reply(w.posts[aud], "an answer under it", "public")
    w.all_ids = [p["id"] for p in list(w.posts.values()) + list(w.replies.values()) +
                 list(w.answers.values()) + [w.root]]
    w.top = id_above(*w.all_ids)
    # fan-out and notifications may be background work: wait for the last one
    wait_for(lambda: w.posts["public"]["id"] in w.v["staff_follower"].home_ids())
    wait_for(lambda: any(n["type"] == "mention" and n["status"]["id"] == w.replies["direct"]["id"]
                         for n in w.v["m_staff"].notifications()))
    settle()
    return w


def get(w, viewer, path, **params):
    who = w.v[viewer]
    if who is None:
        return w.server.get(path, params=params or None)
    return who.get(path, params=params or None)


def get_ok(w, viewer, path, **params):
    r = get(w, viewer, path, **params)
    assert r.status_code == 200, (viewer, path, r.status_code, r.text[:300])
    return r.json()


def expect_404(r, what):
    assert r.status_code == 404, (what, r.status_code, r.text[:300])
    assert isinstance(r.json().get("error"), str), r.text[:300]


# ---- single object ------------------------------------------------------------------

@pytest.mark.parametrize("viewer,aud", MATRIX)
def test_fetch(world, viewer, aud):
    sid = world.posts[aud]["id"]
    r = get(world, viewer, f"/api/v1/statuses/{sid}")
    if viewer in VISIBLE[aud]:
        assert r.status_code == 200, (viewer, aud, r.status_code, r.text[:300])
        st = r.json()
        assert st["parley"]["audience"] == aud and st["visibility"] == SHOWN[aud]
    else:
        expect_404(r, (viewer, aud))


@pytest.mark.parametrize("viewer,aud", MATRIX)
def test_read_paths_of_one_status(world, viewer, aud):
    sid = world.posts[aud]["id"]
    for sub in ("context", "favourited_by", "reblogged_by"):
        r = get(world, viewer, f"/api/v1/statuses/{sid}/{sub}")
        if viewer in VISIBLE[aud]:
            assert r.status_code == 200, (viewer, aud, sub, r.status_code)
        else:
            expect_404(r, (viewer, aud, sub))
    if viewer != "author" and viewer in VISIBLE[aud]:
        r = get(world, viewer, f"/api/v1/statuses/{sid}/source")
        assert r.status_code in (403, 404), (viewer, aud, "source", r.status_code)


@pytest.mark.parametrize("viewer,aud",
                         [(v, a) for v, a in MATRIX if v != "anon" and v not in VISIBLE[a]])
def test_actions_on_what_you_cannot_see_are_404(world, viewer, aud):
    who = world.v[viewer]
    sid = world.posts[aud]["id"]
    for verb in ("favourite", "unfavourite", "reblog", "unreblog", "bookmark", "unbookmark",
                 "pin", "unpin", "react/" + urllib.parse.quote("👍"),
                 "unreact/" + urllib.parse.quote("👍")):
        expect_404(who.post(f"/api/v1/statuses/{sid}/{verb}"), (viewer, aud, verb))
    r = who.post_status_raw("replying blind", "public", in_reply_to_id=sid)
    assert r.status_code in (404, 422), (viewer, aud, r.status_code, r.text[:300])
    expect_404(who.put(f"/api/v1/statuses/{sid}", data={"status": "mine now"}), (viewer, aud))
    expect_404(who.delete(f"/api/v1/statuses/{sid}"), (viewer, aud))
    st = world.v["author"].ok("GET", f"/api/v1/statuses/{sid}")
    assert st["favourites_count"] == 0 and st["reblogs_count"] == 0
    assert st["parley"]["reactions"] == [] and st["edited_at"] is None


# ---- lists -------------------------------------------------------------------------

@pytest.mark.parametrize("viewer", VIEWERS)
def test_account_statuses(world, viewer):
    author = world.v["author"]
    got = ids(get_ok(world, viewer, f"/api/v1/accounts/{author.id}/statuses", limit=40,
                     max_id=world.top))
    for aud in AUDIENCES:
        sid = world.posts[aud]["id"]
        if viewer not in VISIBLE[aud]:
            assert sid not in got, (viewer, aud)
        elif aud != "direct":  # Mastodon lists direct posts to their recipients; not required
            assert sid in got, (viewer, aud)
    for aud in AUDIENCES:
        if viewer not in VISIBLE[aud]:
            assert world.replies[aud]["id"] not in got, (viewer, aud, "reply")


@pytest.mark.parametrize("viewer", VIEWERS)
def test_public_timeline(world, viewer):
    got = status_ids_in(get_ok(world, viewer, "/api/v1/timelines/public", limit=40,
                               max_id=world.top))
    assert world.posts["public"]["id"] in got, viewer
    for aud in ("organisation", "followers", "direct"):
        assert world.posts[aud]["id"] not in got, (viewer, aud)
        assert world.replies[aud]["id"] not in got, (viewer, aud, "reply")


@pytest.mark.parametrize("viewer", VIEWERS)
def test_local_timeline(world, viewer):
    got = status_ids_in(get_ok(world, viewer, "/api/v1/timelines/public", local="true",
                               limit=40, max_id=world.top))
    assert world.posts["public"]["id"] in got, viewer
    if viewer in STAFF_VIEWERS:
        assert world.posts["organisation"]["id"] in got, viewer
    else:
        assert world.posts["organisation"]["id"] not in got, viewer
        assert world.replies["organisation"]["id"] not in got, viewer
    for aud in ("followers", "direct"):
        assert world.posts[aud]["id"] not in got, (viewer, aud)
        assert world.replies[aud]["id"] not in got, (viewer, aud)


@pytest.mark.parametrize("viewer", VIEWERS)
def test_organisation_timeline(world, viewer):
    r = get(world, viewer, "/api/parley/v1/timelines/organisation", limit=40, max_id=world.top)
    if viewer == "anon":
        assert r.status_code == 401, r.status_code
        return
    if viewer not in STAFF_VIEWERS:
        assert r.status_code == 403, (viewer, r.status_code)
        return
    assert r.status_code == 200, (viewer, r.status_code, r.text[:300])
    got = status_ids_in(r.json())
    assert world.posts["organisation"]["id"] in got
    for aud in ("followers", "direct"):
        assert world.posts[aud]["id"] not in got, (viewer, aud)
        assert world.replies[aud]["id"] not in got, (viewer, aud)


@pytest.mark.parametrize("viewer", VIEWERS)
def test_tag_timeline(world, viewer):
    got = status_ids_in(get_ok(world, viewer, f"/api/v1/timelines/tag/{world.tag}", limit=40))
    assert world.posts["public"]["id"] in got, viewer
    for aud in AUDIENCES:
        if viewer not in VISIBLE[aud]:
            assert world.posts[aud]["id"] not in got, (viewer, aud)
    assert world.posts["followers"]["id"] not in got and world.posts["direct"]["id"] not in got


@pytest.mark.parametrize("viewer", [v for v in VIEWERS if v != "anon"])
def test_home_timeline(world, viewer):
    got = status_ids_in(get_ok(world, viewer, "/api/v1/timelines/home", limit=40,
                               max_id=world.top))
    for aud in AUDIENCES:
        sid = world.posts[aud]["id"]
        if viewer not in VISIBLE[aud]:
            assert sid not in got, (viewer, aud)
        elif viewer in ("author", "staff_follower", "guest_follower") and aud != "direct":
            assert sid in got, (viewer, aud)


@pytest.mark.parametrize("viewer", VIEWERS)
def test_thread_descendants(world, viewer):
    ctx = get_ok(world, viewer, f"/api/v1/statuses/{world.root['id']}/context")
    got = set(ids(ctx["descendants"]))
    want = {world.replies[a]["id"] for a in AUDIENCES if viewer in VISIBLE[a]}
    assert got == want, (viewer, got, want)


@pytest.mark.parametrize("viewer,aud", MATRIX)
def test_thread_ancestors(world, viewer, aud):
    ans = world.answers[aud]
    r = get(world, viewer, f"/api/v1/statuses/{ans['id']}/context")
    if r.status_code == 404:
        # the server narrowed the answer to its parent's audience: then the
        # answer itself must be hidden from whoever cannot see the parent
        assert viewer not in VISIBLE[aud], (viewer, aud)
        return
    assert r.status_code == 200, (viewer, aud, r.status_code)
    got = ids(r.json()["ancestors"])
    if viewer in VISIBLE[aud]:
        assert got == [world.posts[aud]["id"]], (viewer, aud, got)
    else:
        assert got == [], (viewer, aud, got)


@pytest.mark.parametrize("viewer", ["m_staff", "m_guest"])
def test_mention_notifications_follow_the_audience(world, viewer):
    got = {(n["status"] or {}).get("id") for n in world.v[viewer].notifications()
           if n["type"] == "mention"}
    for aud in ("organisation", "followers", "direct"):
        for post in (world.posts[aud], world.replies[aud]):
            if viewer in VISIBLE[aud]:
                assert post["id"] in got, (viewer, aud)
            else:
                assert post["id"] not in got, (viewer, aud)
    for n in world.v[viewer].notifications():
        if n.get("status"):
            assert n["status"]["id"] != world.posts["organisation"]["id"] or viewer == "m_staff"


def test_guest_mentioned_in_organisation_post_learns_nothing(world):
    g = world.v["m_guest"]
    org = world.posts["organisation"]["id"]
    assert all((n.get("status") or {}).get("id") != org for n in g.notifications())
    assert g.ok("GET", "/api/v1/notifications/unread_count")["count"] == len(
        [n for n in g.notifications()])

