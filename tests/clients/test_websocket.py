"""
Mastodon's streaming API over WebSocket, with Debian's python3-websocket
(websocket-client): GET /api/v1/streaming upgraded, streams chosen by the
query and by subscribe / unsubscribe messages, several streams on one
connection, the token in any of the three places clients put it, and the
protocol's housekeeping (pings, clean close, limits).
"""
import json
import socket
import time

import pytest

websocket = pytest.importorskip("websocket", reason="python3-websocket is missing")

from clientlib import unique  # noqa: E402


def ws_url(server, query=""):
    return f"ws://127.0.0.1:{server.port}/api/v1/streaming" + (f"?{query}" if query else "")


def connect(server, query="", token=None, how="header", **kw):
    opts = {"timeout": 5}
    if token and how == "header":
        opts["header"] = [f"Authorization: Bearer {token}"]
    elif token and how == "query":
        query = (query + "&" if query else "") + f"access_token={token}"
    elif token and how == "protocol":
        opts["subprotocols"] = [token]
    opts.update(kw)
    return websocket.create_connection(ws_url(server, query), **opts)


def recv_json(ws, timeout=3.0):
    ws.settimeout(timeout)
    return json.loads(ws.recv())


def recv_until(ws, pred, timeout=3.0):
    """Messages until one satisfies pred (others are returned too)."""
    deadline = time.monotonic() + timeout
    seen = []
    while time.monotonic() < deadline:
        ws.settimeout(max(0.05, deadline - time.monotonic()))
        try:
            m = json.loads(ws.recv())
        except websocket.WebSocketTimeoutException:
            break
        seen.append(m)
        if pred(m):
            return m, seen
    return None, seen


def subscribe(ws, stream, **extra):
    ws.send(json.dumps(dict({"type": "subscribe", "stream": stream}, **extra)))


def test_two_streams_on_one_connection(server, person):
    a, b = person(), person()
    a.api.account_follow(b.id)
    tag = unique("ws").replace("_", "")
    ws = connect(server, "stream=user", token=a.api.access_token)
    try:
        subscribe(ws, "hashtag", tag=tag.upper())       # tags match whatever their case
        time.sleep(0.2)
        st = b.api.status_post(f"both streams #{tag}", visibility="public")
        got = {}
        for _ in range(2):
            m = recv_json(ws)
            assert m["event"] == "update"
            payload = json.loads(m["payload"])        # the payload is JSON in a string
            assert payload["id"] == str(st["id"])
            got[tuple(m["stream"])] = payload
        assert set(got) == {("user",), ("hashtag", tag)}

        # unsubscribing stops one of them
        ws.send(json.dumps({"type": "unsubscribe", "stream": "hashtag", "tag": tag}))
        time.sleep(0.2)
        st2 = b.api.status_post(f"only home now #{tag}", visibility="public")
        m = recv_json(ws)
        assert m["stream"] == ["user"] and json.loads(m["payload"])["id"] == str(st2["id"])
        none, _ = recv_until(ws, lambda m: True, timeout=0.5)
        assert none is None
    finally:
        ws.close()


def test_notifications_and_deletes(server, person):
    a, b = person(), person()
    mine = a.api.status_post("favourite this", visibility="public")
    ws = connect(server, "stream=user:notification", token=a.api.access_token, how="query")
    try:
        subscribe(ws, "public")
        time.sleep(0.2)
        b.api.status_favourite(mine)
        m, _ = recv_until(ws, lambda m: m["event"] == "notification")
        assert m and m["stream"] == ["user:notification"]
        assert json.loads(m["payload"])["type"] == "favourite"
        st = b.api.status_post("going away", visibility="public")
        b.api.status_delete(st)
        m, _ = recv_until(ws, lambda m: m["event"] == "delete")
        assert m and m["stream"] == ["public"] and m["payload"] == str(st["id"])
    finally:
        ws.close()


def test_direct_stream(server, person):
    a, b = person(), person()
    ws = connect(server, "stream=direct", token=b.api.access_token)
    try:
        time.sleep(0.2)
        st = a.api.status_post(f"@{b.name} psst", visibility="direct")
        m = recv_json(ws)
        assert m["stream"] == ["direct"] and m["event"] == "conversation"
        conv = json.loads(m["payload"])
        assert conv["last_status"]["id"] == str(st["id"]) and conv["unread"] is True
    finally:
        ws.close()


def test_token_as_subprotocol_is_echoed(server, person):
    a = person()
    ws = connect(server, token=a.api.access_token, how="protocol")
    try:
        # websocket-client lowercases what it compares
        assert ws.getsubprotocol() == a.api.access_token.lower()
        subscribe(ws, "user")
        ws.send(json.dumps({"type": "subscribe", "stream": "nonsense"}))
        m = recv_json(ws)
        assert m == {"error": "Unknown stream type", "status": 400}
    finally:
        ws.close()


def test_anonymous_public_only(server, person):
    b = person()
    ws = connect(server, "stream=public")
    try:
        subscribe(ws, "user")
        m = recv_json(ws)
        assert m["status"] == 401 and m["error"]
        st = b.api.status_post("for everyone", visibility="public")
        m, _ = recv_until(ws, lambda m: m.get("event") == "update")
        assert m and json.loads(m["payload"])["id"] == str(st["id"])
    finally:
        ws.close()
    # a user stream in the query without a token is refused before the upgrade
    with pytest.raises(websocket.WebSocketBadStatusException) as e:
        connect(server, "stream=user")
    assert e.value.status_code == 401
    with pytest.raises(websocket.WebSocketBadStatusException) as e:
        connect(server, token="not-a-token")
    assert e.value.status_code == 401


def test_organisation_posts_stay_with_staff(server, person):
    """The audience rule holds on WebSocket too: a guest never receives an
    organisation post, staff do."""
    staff, author = person(), person()
    guest = person("guest")
    tag = unique("org").replace("_", "")
    ws_staff = connect(server, f"stream=hashtag&tag={tag}", token=staff.api.access_token)
    ws_guest = connect(server, f"stream=hashtag&tag={tag}", token=guest.api.access_token)
    try:
        time.sleep(0.2)
        st = author.api.status_post(f"internal #{tag}", visibility="unlisted")   # organisation
        m = recv_json(ws_staff)
        assert json.loads(m["payload"])["id"] == str(st["id"])
        none, _ = recv_until(ws_guest, lambda m: True, timeout=0.7)
        assert none is None
    finally:
        ws_staff.close()
        ws_guest.close()


def test_bad_messages_and_limits(server, person):
    a = person()
    ws = connect(server, token=a.api.access_token)
    try:
        ws.send("this is not JSON")
        assert recv_json(ws)["status"] == 400
        ws.send(json.dumps({"type": "dance"}))
        assert recv_json(ws)["status"] == 400
        ws.send(json.dumps({"type": "subscribe", "stream": "hashtag"}))
        assert "tag" in recv_json(ws)["error"].lower()
        # 32 subscriptions per connection; the 33rd is refused, the connection stays
        for i in range(32):
            subscribe(ws, "hashtag", tag=f"t{i}")
        subscribe(ws, "hashtag", tag="one_too_many")
        m = recv_json(ws)
        assert m["status"] == 400 and "subscriptions" in m["error"]
        # subscribing twice to the same stream is not a new subscription
        subscribe(ws, "hashtag", tag="t0")
        none, _ = recv_until(ws, lambda m: True, timeout=0.3)
        assert none is None
        ws.ping("x")
        op, frame = ws.recv_data_frame(True)
        assert op == websocket.ABNF.OPCODE_PONG and frame.data == b"x"
    finally:
        ws.close()

    # a message over 16 KiB ends the connection with 1009
    ws = connect(server, token=a.api.access_token)
    ws.send(json.dumps({"type": "subscribe", "stream": "public", "pad": "x" * 20000}))
    op, frame = ws.recv_data_frame(True)
    assert op == websocket.ABNF.OPCODE_CLOSE
    assert int.from_bytes(frame.data[:2], "big") == 1009
    ws.close()


def test_clean_close_and_server_pings(tmp_path_factory):
    """A close from the client is answered and the socket closed; an idle
    connection gets pings every stream_heartbeat seconds."""
    from clientlib import ParleyServer
    srv = ParleyServer(tmp_path_factory.mktemp("ws"), env={"PARLEY_STREAM_HEARTBEAT": "1"}).start()
    try:
        ws = connect(srv, "stream=public")
        ws.settimeout(4)
        t0 = time.monotonic()
        op, _ = ws.recv_data_frame(True)
        assert op == websocket.ABNF.OPCODE_PING and time.monotonic() - t0 < 3.5
        ws.close(status=1000)                   # sends close, waits for the answer
        assert not ws.connected

        # the server going away closes with 1001
        ws = connect(srv, "stream=public")
        time.sleep(0.1)
        t0 = time.monotonic()
        assert srv.stop() == 0
        assert time.monotonic() - t0 < 5
        ws.settimeout(2)
        code = None
        try:
            while True:
                op, frame = ws.recv_data_frame(True)
                if op == websocket.ABNF.OPCODE_CLOSE:
                    code = int.from_bytes(frame.data[:2], "big")
                    break
        except (websocket.WebSocketConnectionClosedException, socket.error):
            pass
        assert code == 1001
    finally:
        if srv.alive():
            srv.stop()


def test_handshake_errors(server):
    import requests
    base = f"http://127.0.0.1:{server.port}/api/v1/streaming?stream=public"
    hdr = {"Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Version": "13"}
    r = requests.get(base, headers=hdr, timeout=5)                           # no key
    assert r.status_code == 400 and r.json()["error"]
    r = requests.get(base, headers=dict(hdr, **{"Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
                                                  "Sec-WebSocket-Version": "8"}), timeout=5)
    assert r.status_code == 426 and r.headers["Sec-WebSocket-Version"] == "13"
