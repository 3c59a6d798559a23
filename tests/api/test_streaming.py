"""Mastodon streaming API over Server-Sent Events (/api/v1/streaming/...).

What is checked here is the machinery: which requests open a stream, the
headers, the heartbeat, many idle streams held without holding the server
up, the stream limit, and shutdown with streams open. Which events reach
which stream is the model's decision (src/api/mastodon/streaming_match.c)
and is tested with it.
"""
import resource
import signal
import socket
import time

import pytest
import requests

from conftest import assert_json_error, start_private_server

OPEN_TIMEOUT = 5


# ---- a raw SSE client: many of them are cheap ---------------------------

class RawStream:
    """One GET on a plain socket; keeps everything received."""

    def __init__(self, port, path, headers=None):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=OPEN_TIMEOUT)
        extra = "".join(f"{k}: {v}\r\n" for k, v in (headers or {}).items())
        self.sock.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                          f"Accept: text/event-stream\r\n{extra}\r\n".encode())
        self.data = b""
        self.closed = False

    def read_until(self, needle, timeout=OPEN_TIMEOUT):
        """Read until needle (bytes) arrives; True when it did."""
        deadline = time.monotonic() + timeout
        while needle not in self.data:
            left = deadline - time.monotonic()
            if left <= 0 or self.closed:
                return False
            self.sock.settimeout(left)
            try:
                chunk = self.sock.recv(65536)
            except socket.timeout:
                return False
            except OSError:
                self.closed = True
                return False
            if not chunk:
                self.closed = True
                return needle in self.data
            self.data += chunk
        return True

    def read_to_close(self, timeout=OPEN_TIMEOUT):
        deadline = time.monotonic() + timeout
        while not self.closed and time.monotonic() < deadline:
            self.read_until(b"\x00never\x00", deadline - time.monotonic())
        return self.closed

    @property
    def status(self):
        line = self.data.split(b"\r\n", 1)[0]
        parts = line.split()
        return int(parts[1]) if len(parts) > 1 else None

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


def open_stream(srv, path="/api/v1/streaming/public", **kw):
    return requests.get(srv.url + path, stream=True, timeout=OPEN_TIMEOUT, **kw)


def user_token(srv, scope="read"):
    name = srv.create_user()
    return srv.token(name, scope=scope)


# ---- routes ----------------------------------------------------------------

def test_health_is_plain_ok_without_auth(server):
    r = server.get("/api/v1/streaming/health")
    assert r.status_code == 200
    assert r.text == "OK"
    assert r.headers["Content-Type"].startswith("text/plain")


def test_public_stream_headers_and_first_bytes(server):
    r = open_stream(server)
    try:
        assert r.status_code == 200
        assert r.headers["Content-Type"] == "text/event-stream"
        assert r.headers["Cache-Control"] == "no-cache"
        assert r.headers["X-Accel-Buffering"] == "no"
        assert r.headers.get("Transfer-Encoding") == "chunked"
        assert "Content-Length" not in r.headers
        assert r.headers["Access-Control-Allow-Origin"] == "*"
        # a comment line opens the stream at once, so clients and proxies see it
        first = next(r.iter_content(chunk_size=None))
        assert first.startswith(b":")
    finally:
        r.close()


def test_public_streams_are_anonymous(server):
    for path in ("/api/v1/streaming/public", "/api/v1/streaming/public/local",
                 "/api/v1/streaming/hashtag?tag=news", "/api/v1/streaming/hashtag/local?tag=News",
                 "/api/v1/streaming?stream=public", "/api/v1/streaming?stream=hashtag&tag=x"):
        r = open_stream(server, path)
        try:
            assert r.status_code == 200, (path, r.status_code)
            assert r.headers["Content-Type"] == "text/event-stream", path
        finally:
            r.close()


def test_user_streams_need_a_token(server):
    for path in ("/api/v1/streaming/user", "/api/v1/streaming/user/notification",
                 "/api/v1/streaming/list?list=1", "/api/v1/streaming?stream=user",
                 "/api/v1/streaming?stream=user:notification"):
        assert_json_error(server.get(path), 401)
    assert_json_error(server.get("/api/v1/streaming/user?access_token=not-a-token"), 401)
    assert_json_error(server.get("/api/v1/streaming/user",
                                 headers={"Authorization": "Bearer not-a-token"}), 401)


def test_user_stream_with_a_token_in_the_query_or_the_header(server):
    token = user_token(server)
    for kw in ({"params": {"access_token": token}},
               {"headers": {"Authorization": f"Bearer {token}"}}):
        for path in ("/api/v1/streaming/user", "/api/v1/streaming/user/notification",
                     "/api/v1/streaming?stream=user"):
            r = open_stream(server, path, **kw)
            try:
                assert r.status_code == 200, (path, r.status_code, r.text[:200] if r.status_code != 200 else "")
                assert r.headers["Content-Type"] == "text/event-stream"
            finally:
                r.close()


def test_user_stream_needs_a_read_scope(server):
    token = user_token(server, scope="write")
    assert_json_error(server.get("/api/v1/streaming/user",
                                 headers={"Authorization": f"Bearer {token}"}), 403)
    token = user_token(server, scope="read:notifications")
    r = open_stream(server, "/api/v1/streaming/user/notification",
                    headers={"Authorization": f"Bearer {token}"})
    try:
        assert r.status_code == 200
    finally:
        r.close()


def test_hashtag_needs_a_tag(server):
    for path in ("/api/v1/streaming/hashtag", "/api/v1/streaming/hashtag?tag=",
                 "/api/v1/streaming/hashtag/local", "/api/v1/streaming/hashtag?tag=%23",
                 "/api/v1/streaming?stream=hashtag"):
        body = assert_json_error(server.get(path), 400)
        assert "tag" in body["error"], (path, body)
    assert_json_error(server.get("/api/v1/streaming/hashtag?tag=" + "a" * 101), 400)
    assert_json_error(server.get("/api/v1/streaming/hashtag?tag=two%20words"), 400)


def test_list_needs_a_list_id(server):
    token = user_token(server)
    auth = {"Authorization": f"Bearer {token}"}
    for path in ("/api/v1/streaming/list", "/api/v1/streaming/list?list=abc",
                 "/api/v1/streaming/list?list=-3", "/api/v1/streaming?stream=list"):
        body = assert_json_error(server.get(path, headers=auth), 400)
        assert "list" in body["error"], (path, body)


def test_unknown_stream_name(server):
    assert_json_error(server.get("/api/v1/streaming?stream=nonsense"), 400)
    assert_json_error(server.get("/api/v1/streaming"), 400)


def test_streams_are_get_only(server):
    r = server.post("/api/v1/streaming/public")
    assert_json_error(r, 405)


# ---- a private server: heartbeat, many streams, limits, shutdown ----------

def test_heartbeat_arrives(parley_bin, tmp_path_factory):
    srv = start_private_server(tmp_path_factory, "heartbeat",
                               env={"PARLEY_STREAM_HEARTBEAT": "1", "PARLEY_TIMEOUT": "1"})
    try:
        s = RawStream(srv.port, "/api/v1/streaming/public")
        try:
            assert s.read_until(b"\r\n\r\n"), s.data
            assert s.status == 200
            t0 = time.monotonic()
            assert s.read_until(b":thump\n", timeout=4), s.data
            assert time.monotonic() - t0 < 3
            # more follow, and the 1 s connection timeout does not cut the stream
            deadline = time.monotonic() + 6
            while s.data.count(b":thump\n") < 3 and time.monotonic() < deadline:
                s.read_until(b"\x00never\x00", timeout=0.5)
            assert s.data.count(b":thump\n") >= 3, s.data
            assert not s.closed
        finally:
            s.close()
    finally:
        assert srv.stop() == 0, srv.log_tail()


def test_many_idle_streams_do_not_hold_the_server_up(parley_bin, tmp_path_factory):
    srv = start_private_server(tmp_path_factory, "many")
    streams = []
    try:
        for _ in range(200):
            streams.append(RawStream(srv.port, "/api/v1/streaming/public"))
        for s in streams:
            assert s.read_until(b"\r\n\r\n"), s.data
            assert s.status == 200, s.data[:300]
            assert s.read_until(b":)\n")
        # with 200 streams held (and only 4 workers), ordinary requests answer at once
        worst = 0
        for _ in range(20):
            t0 = time.monotonic()
            r = srv.get("/healthz")
            worst = max(worst, time.monotonic() - t0)
            assert r.status_code == 200
        assert worst < 0.5, worst
        # and so does a new stream
        extra = RawStream(srv.port, "/api/v1/streaming/public")
        assert extra.read_until(b":)\n"), extra.data
        streams.append(extra)
    finally:
        for s in streams:
            s.close()
        assert srv.stop() == 0, srv.log_tail()


def test_a_post_reaches_more_streams_than_one_resume_burst(parley_bin, tmp_path_factory):
    # the dispatch resumes the streams it queued to in bursts of 1,024
    # (http/stream.c): with more streams than that, every one still gets
    # the post, the last burst included
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = 1100 * 2 + 200   # our sockets and the server's, plus some
    if soft < want:
        if hard != resource.RLIM_INFINITY and hard < want:
            pytest.skip(f"needs {want} open files, the limit is {hard}")
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
    srv = start_private_server(tmp_path_factory, "burst")
    streams = []
    try:
        for _ in range(1100):
            streams.append(RawStream(srv.port, "/api/v1/streaming/public"))
        for s in streams:
            assert s.read_until(b":)\n"), s.data[:300]
        name = srv.create_user()
        srv.make_public(name)
        token = srv.token(name, scope="read write")
        r = srv.request("POST", "/api/v1/statuses", headers={"Authorization": f"Bearer {token}"},
                        data={"status": "to every stream", "visibility": "public"})
        assert r.status_code == 200, r.text
        mark = ('"id":"%s"' % r.json()["id"]).encode()
        missing = [i for i, s in enumerate(streams) if not s.read_until(mark, 10)]
        assert missing == [], (len(missing), missing[:5])
    finally:
        for s in streams:
            s.close()
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
        assert srv.stop() == 0, srv.log_tail()


def test_stream_limit_answers_503(parley_bin, tmp_path_factory):
    srv = start_private_server(tmp_path_factory, "limit",
                               env={"PARLEY_MAX_STREAMS": "3", "PARLEY_STREAM_HEARTBEAT": "1"})
    streams = []
    try:
        for _ in range(3):
            s = RawStream(srv.port, "/api/v1/streaming/public")
            assert s.read_until(b":)\n"), s.data
            streams.append(s)
        r = srv.get("/api/v1/streaming/public")
        assert_json_error(r, 503)
        assert int(r.headers["Retry-After"]) > 0
        # other requests still work
        assert srv.get("/healthz").status_code == 200
        # a place frees when a client leaves (noticed at the next heartbeat)
        streams.pop().close()
        deadline = time.monotonic() + 5
        while True:
            s = RawStream(srv.port, "/api/v1/streaming/public")
            assert s.read_until(b"\r\n\r\n"), s.data
            if s.status == 200:
                streams.append(s)
                break
            s.close()
            assert time.monotonic() < deadline, "the place of a closed stream was not freed"
            time.sleep(0.2)
    finally:
        for s in streams:
            s.close()
        assert srv.stop() == 0, srv.log_tail()


def test_streaming_can_be_turned_off(parley_bin, tmp_path_factory):
    srv = start_private_server(tmp_path_factory, "nostreams", env={"PARLEY_MAX_STREAMS": "0"})
    try:
        assert_json_error(srv.get("/api/v1/streaming/public"), 503)
        assert srv.get("/api/v1/streaming/health").status_code == 200
    finally:
        assert srv.stop() == 0, srv.log_tail()


def test_shutdown_with_open_streams_is_prompt_and_clean(parley_bin, tmp_path_factory):
    srv = start_private_server(tmp_path_factory, "stopstreams")
    token = user_token(srv)
    streams = []
    try:
        for i in range(30):
            path = "/api/v1/streaming/public" if i % 2 else \
                f"/api/v1/streaming/user?access_token={token}"
            s = RawStream(srv.port, path)
            assert s.read_until(b":)\n"), s.data
            streams.append(s)
        time.sleep(0.2)  # all idle
        t0 = time.monotonic()
        srv.signal(signal.SIGTERM)
        status = srv.proc.wait(timeout=5)
        elapsed = time.monotonic() - t0
        assert status == 0, srv.log_tail()
        assert elapsed < 2, elapsed
        # each stream ended its chunked body cleanly (the zero-size chunk)
        for s in streams:
            s.read_to_close(timeout=2)
            assert s.data.endswith(b"0\r\n\r\n"), s.data[-60:]
        assert "stopped" in srv.log_tail()
    finally:
        for s in streams:
            s.close()
        srv.kill()
