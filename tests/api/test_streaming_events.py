"""Which events reach which stream: posts, edits, deletes and notifications
through /api/v1/streaming/..., with the audience rule applied per stream.

Streams are read with the raw socket client of test_streaming.py; each
test opens its streams first, waits for the response headers, then acts
through the REST API and looks for the event (or its absence).
"""
import json
import uuid

from test_streaming import RawStream

WAIT = 5
QUIET = 1.0  # how long "nothing arrives" is watched for


def user(server, kind="staff"):
    name = server.create_user(role=kind)
    app = server.register_app(scopes="read write follow")
    token = server.token(name, scope="read write follow", app=app)
    me = server.verify(token).json()
    return {"name": name, "token": token, "id": me["id"],
            "h": {"Authorization": f"Bearer {token}"}}


def stream(server, path, who=None):
    s = RawStream(server.port, path, headers=who["h"] if who else None)
    assert s.read_until(b"\r\n\r\n"), "no response headers"
    assert s.status == 200, s.data[:200]
    return s


def post(server, who, text, visibility):
    r = server.request("POST", "/api/v1/statuses", headers=who["h"],
                       data={"status": text, "visibility": visibility})
    assert r.status_code == 200, r.text
    return r.json()


def events(s):
    """The (event, data) pairs received so far."""
    out, name = [], None
    for line in s.data.decode("utf-8", "replace").split("\n"):
        if line.startswith("event: "):
            name = line[7:].strip()
        elif line.startswith("data: ") and name:
            out.append((name, line[6:].strip()))
            name = None
    return out


def test_user_stream_receives_a_followed_persons_post(server):
    a, b = user(server), user(server)
    r = server.request("POST", f"/api/v1/accounts/{b['id']}/follow", headers=a["h"])
    assert r.status_code == 200
    s = stream(server, "/api/v1/streaming/user", a)
    try:
        st = post(server, b, "hello followers " + uuid.uuid4().hex, "organisation")
        assert s.read_until(st["id"].encode(), WAIT), s.data[-500:]
        kinds = [(e, json.loads(d)["id"]) for e, d in events(s) if e == "update"]
        assert ("update", st["id"]) in kinds
    finally:
        s.close()


def test_user_stream_gets_notifications_and_deletes(server):
    a, b = user(server), user(server)
    s = stream(server, "/api/v1/streaming/user", a)
    n = stream(server, "/api/v1/streaming/user/notification", a)
    try:
        mine = post(server, a, "favourite me", "public")
        assert s.read_until(mine["id"].encode(), WAIT)
        server.request("POST", f"/api/v1/statuses/{mine['id']}/favourite", headers=b["h"])
        assert n.read_until(b"event: notification", WAIT), n.data[-300:]
        note = [json.loads(d) for e, d in events(n) if e == "notification"][0]
        assert note["type"] == "favourite" and note["status"]["id"] == mine["id"]
        assert note["account"]["id"] == b["id"]
        # the notification stream carries notifications only
        assert all(e == "notification" for e, _ in events(n))
        r = server.request("DELETE", f"/api/v1/statuses/{mine['id']}", headers=a["h"])
        assert r.status_code == 200
        assert s.read_until(b"event: delete", WAIT)
        assert ("delete", mine["id"]) in events(s)
    finally:
        s.close()
        n.close()


def test_edit_is_status_update(server):
    a = user(server)
    s = stream(server, "/api/v1/streaming/user", a)
    try:
        st = post(server, a, "first words", "organisation")
        r = server.request("PUT", f"/api/v1/statuses/{st['id']}", headers=a["h"],
                           data={"status": "second words"})
        assert r.status_code == 200
        assert s.read_until(b"event: status.update", WAIT)
        upd = [json.loads(d) for e, d in events(s) if e == "status.update"][0]
        assert "second words" in upd["content"] and upd["edited_at"]
    finally:
        s.close()


def test_public_stream_carries_public_posts_only(server):
    a = user(server)
    anon = stream(server, "/api/v1/streaming/public")
    try:
        org = post(server, a, "organisation only " + uuid.uuid4().hex, "organisation")
        pub = post(server, a, "for everyone " + uuid.uuid4().hex, "public")
        assert anon.read_until(pub["id"].encode(), WAIT)
        assert org["id"].encode() not in anon.data
    finally:
        anon.close()


def test_streams_follow_the_audience(server):
    """A guest's local stream never shows organisation posts; a staff
    member's does. A direct post reaches only the mentioned user's stream."""
    a, staff, guest = user(server), user(server), user(server, "guest")
    for who in (staff, guest):
        server.request("POST", f"/api/v1/accounts/{a['id']}/follow", headers=who["h"])
    s_local = stream(server, "/api/v1/streaming/public/local", staff)
    g_local = stream(server, "/api/v1/streaming/public/local", guest)
    s_user = stream(server, "/api/v1/streaming/user", staff)
    g_user = stream(server, "/api/v1/streaming/user", guest)
    try:
        org = post(server, a, "inside " + uuid.uuid4().hex, "organisation")
        dm = post(server, a, f"@{guest['name']} just you", "direct")
        assert s_local.read_until(org["id"].encode(), WAIT)
        assert s_user.read_until(org["id"].encode(), WAIT)
        assert g_user.read_until(dm["id"].encode(), WAIT), "the mentioned guest gets the direct post"
        # give the others a moment to (wrongly) receive
        g_local.read_until(b"\x00", QUIET)
        s_user.read_until(b"\x00", QUIET)
        assert org["id"].encode() not in g_local.data
        assert org["id"].encode() not in g_user.data
        assert dm["id"].encode() not in s_user.data
    finally:
        for x in (s_local, g_local, s_user, g_user):
            x.close()


def test_hashtag_stream(server):
    a = user(server)
    tag = "t" + uuid.uuid4().hex[:8]
    s = stream(server, f"/api/v1/streaming/hashtag?tag={tag}")
    try:
        other = post(server, a, "no tag here", "public")
        tagged = post(server, a, f"about #{tag}", "public")
        assert s.read_until(tagged["id"].encode(), WAIT)
        assert other["id"].encode() not in s.data
    finally:
        s.close()


def test_blocked_user_stream_hears_nothing(server):
    a, b = user(server), user(server)
    server.request("POST", f"/api/v1/accounts/{a['id']}/follow", headers=b["h"])
    server.request("POST", f"/api/v1/accounts/{b['id']}/block", headers=a["h"])
    s = stream(server, "/api/v1/streaming/public", b)
    try:
        st = post(server, a, "not for b " + uuid.uuid4().hex, "public")
        s.read_until(st["id"].encode(), QUIET + 1)
        assert st["id"].encode() not in s.data
    finally:
        s.close()
