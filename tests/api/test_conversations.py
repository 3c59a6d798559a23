"""Direct conversations (/api/v1/conversations): threads of direct posts
as each participant sees them, read state, removal, paging, and the
audience rule on what is shown.
"""
from conftest import assert_json_error
from social import ids, link, staff


def convs(actor, **params):
    return actor.ok("GET", "/api/v1/conversations", params=params)


def test_a_thread_is_one_conversation(server):
    a, b, c = staff(server), staff(server), staff(server)
    first = a.post_status(f"@{b.name} hello", "direct")
    cb = convs(b)
    assert len(cb) == 1 and cb[0]["unread"] is True
    assert cb[0]["last_status"]["id"] == first["id"]
    assert ids(cb[0]["accounts"]) == [a.id]              # everyone but the viewer
    ca = convs(a)
    assert ca[0]["id"] == cb[0]["id"] and ca[0]["unread"] is False   # one wrote it
    assert ids(ca[0]["accounts"]) == [b.id]
    assert convs(c) == []                                # not a participant

    reply = b.reply(first, f"@{a.name} hi back", "direct")
    ca = convs(a)
    assert len(ca) == 1 and ca[0]["last_status"]["id"] == reply["id"] and ca[0]["unread"] is True
    assert convs(b)[0]["unread"] is False                # writing reads it

    read = a.post(f"/api/v1/conversations/{ca[0]['id']}/read").json()
    assert read["unread"] is False and read["id"] == ca[0]["id"]
    assert convs(a)[0]["unread"] is False


def test_remove_and_come_back(server):
    a, b = staff(server), staff(server)
    st = a.post_status(f"@{b.name} one", "direct")
    cid = convs(b)[0]["id"]
    assert b.delete(f"/api/v1/conversations/{cid}").status_code == 200
    assert convs(b) == []
    assert len(convs(a)) == 1                            # only off b's list
    assert_json_error(b.delete(f"/api/v1/conversations/{cid}"), 404)
    assert_json_error(b.post(f"/api/v1/conversations/{cid}/read"), 404)
    a.reply(st, f"@{b.name} two", "direct")
    assert [x["id"] for x in convs(b)] == [cid]


def test_only_direct_posts_and_paging(server):
    a, b = staff(server), staff(server)
    a.post_status(f"@{b.name} public mention", "public")
    assert convs(b) == []
    sts = [a.post_status(f"@{b.name} thread {i}", "direct") for i in range(4)]
    r = b.get("/api/v1/conversations", params={"limit": 2})
    page = r.json()
    assert [x["last_status"]["id"] for x in page] == [sts[3]["id"], sts[2]["id"]]
    nxt = link(r, "next")
    assert nxt
    page2 = b.get(nxt).json()
    assert [x["last_status"]["id"] for x in page2] == [sts[1]["id"], sts[0]["id"]]


def test_what_a_participant_may_no_longer_read_is_not_shown(server):
    a, b = staff(server), staff(server)
    st = a.post_status(f"@{b.name} soon gone", "direct")
    assert len(convs(b)) == 1
    a.delete(f"/api/v1/statuses/{st['id']}")
    assert convs(b) == []
    # a block hides the other's posts, and so the conversation
    st = a.post_status(f"@{b.name} before the block", "direct")
    b.acct(a, "block")
    assert convs(b) == []


def test_direct_stream_sends_conversations(server):
    """GET /api/v1/streaming/direct: each direct post one takes part in, as
    the Conversation it moves; nothing else."""
    import json
    from test_filters import stream_events
    from test_streaming import RawStream

    a, b, c = staff(server), staff(server), staff(server)
    s = RawStream(server.port, "/api/v1/streaming/direct", headers={"Authorization": f"Bearer {b.token}"})
    try:
        assert s.read_until(b"\r\n\r\n") and s.status == 200
        a.post_status("public, not for this stream", "public")
        a.post_status(f"@{c.name} not b's", "direct")
        st = a.post_status(f"@{b.name} for b", "direct")
        assert s.read_until(b"event: conversation", 5), s.data[-300:]
        assert s.read_until(st["id"].encode(), 5)
        got = stream_events(s)
        assert [e for e, _ in got] == ["conversation"]
        payload = json.loads(got[0][1])
        assert payload["last_status"]["id"] == st["id"] and payload["unread"] is True
        assert [x["id"] for x in payload["accounts"]] == [a.id]
    finally:
        s.close()
