"""One rendering per class of viewers on the streams, and never one viewer's
state in another's.

The dispatcher renders a post once for every staff viewer whose Status
cannot differ from another's (src/api/mastodon/streaming_match.c:
class_key), and apart for the viewers who have something of their own on
it: a favourite or bookmark, a filter, their own post, a mentioned account
that blocks them. (Admins and moderators have a class of their own because
they may see suspended accounts; a post cannot name one: mentions of a
suspended account are dropped when the post is written or edited.) These
tests open
streams for such viewers side by side and compare what each one gets.
"""
import json
import uuid

from test_streaming_events import events, post, stream, user

WAIT = 5


def follow(server, who, whom):
    r = server.request("POST", f"/api/v1/accounts/{whom['id']}/follow", headers=who["h"])
    assert r.status_code == 200, r.text


def updates(s, name="update"):
    return {json.loads(d)["id"]: json.loads(d) for e, d in events(s) if e == name}


def raw_payloads(s, status_id):
    """The exact data lines carrying status_id."""
    return [d for e, d in events(s) if e == "update" and json.loads(d)["id"] == status_id]


def test_viewers_of_a_class_get_the_same_bytes_and_the_author_their_own(server):
    author = user(server)
    viewers = [user(server) for _ in range(4)]
    for v in viewers:
        follow(server, v, author)
    streams = [stream(server, "/api/v1/streaming/user", v) for v in viewers]
    own = stream(server, "/api/v1/streaming/user", author)
    try:
        st = post(server, author, "for the class " + uuid.uuid4().hex, "organisation")
        for s in streams + [own]:
            assert s.read_until(st["id"].encode(), WAIT), s.data[-300:]
        got = [raw_payloads(s, st["id"]) for s in streams]
        assert all(len(g) == 1 for g in got), got
        assert len({g[0] for g in got}) == 1          # byte for byte the same
        plain = json.loads(got[0][0])
        assert plain["favourited"] is False and plain["bookmarked"] is False
        assert "pinned" not in plain and plain["filtered"] == []
        mine = json.loads(raw_payloads(own, st["id"])[0])
        assert mine["pinned"] is False              # only the author's rendering has it
    finally:
        for s in streams + [own]:
            s.close()


def test_an_edit_carries_each_viewers_own_favourite_and_bookmark(server):
    author, plain, fan = user(server), user(server), user(server)
    for v in (plain, fan):
        follow(server, v, author)
    st = post(server, author, "first version", "organisation")
    for path in ("favourite", "bookmark"):
        r = server.request("POST", f"/api/v1/statuses/{st['id']}/{path}", headers=fan["h"])
        assert r.status_code == 200, r.text
    sp, sf = stream(server, "/api/v1/streaming/user", plain), stream(server, "/api/v1/streaming/user", fan)
    try:
        r = server.request("PUT", f"/api/v1/statuses/{st['id']}", headers=author["h"],
                           data={"status": "second version"})
        assert r.status_code == 200, r.text
        for s in (sp, sf):
            assert s.read_until(b"event: status.update", WAIT), s.data[-300:]
        p = updates(sp, "status.update")[st["id"]]
        f = updates(sf, "status.update")[st["id"]]
        assert "second version" in p["content"] and "second version" in f["content"]
        assert p["favourited"] is False and p["bookmarked"] is False
        assert f["favourited"] is True and f["bookmarked"] is True
        assert p["favourites_count"] == f["favourites_count"] == 1
    finally:
        sp.close()
        sf.close()


def test_a_viewers_filter_stays_theirs(server):
    author, plain, careful = user(server), user(server), user(server)
    for v in (plain, careful):
        follow(server, v, author)
    word = "w" + uuid.uuid4().hex[:10]
    r = server.request("POST", "/api/v2/filters", headers=careful["h"],
                       json={"title": "mine", "context": ["home"], "filter_action": "warn",
                             "keywords_attributes": [{"keyword": word}]})
    assert r.status_code == 200, r.text
    sp, sc = stream(server, "/api/v1/streaming/user", plain), stream(server, "/api/v1/streaming/user", careful)
    try:
        st = post(server, author, f"about {word} today", "organisation")
        for s in (sp, sc):
            assert s.read_until(st["id"].encode(), WAIT), s.data[-300:]
        assert updates(sp)[st["id"]]["filtered"] == []
        assert updates(sc)[st["id"]]["filtered"][0]["filter"]["title"] == "mine"
    finally:
        sp.close()
        sc.close()


def test_a_mention_that_blocks_the_viewer_is_left_out_for_them_only(server):
    author, plain, blocked, named = user(server), user(server), user(server), user(server)
    for v in (plain, blocked):
        follow(server, v, author)
    r = server.request("POST", f"/api/v1/accounts/{blocked['id']}/block", headers=named["h"])
    assert r.status_code == 200, r.text
    sp, sb = stream(server, "/api/v1/streaming/user", plain), stream(server, "/api/v1/streaming/user", blocked)
    try:
        st = post(server, author, f"thanks @{named['name']}", "organisation")
        for s in (sp, sb):
            assert s.read_until(st["id"].encode(), WAIT), s.data[-300:]
        assert [m["id"] for m in updates(sp)[st["id"]]["mentions"]] == [named["id"]]
        assert updates(sb)[st["id"]]["mentions"] == []
    finally:
        sp.close()
        sb.close()
