"""HTTP layer: routing, errors, body parsing, headers, static assets, robustness."""
import os
import socket

import requests

from conftest import OOB, HTTP_TIMEOUT, assert_json_error, unique


def test_healthz_is_json_ok(server):
    r = server.get("/healthz")
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("application/json")
    assert r.json() == {"status": "ok"}


def test_unknown_api_path_is_json_404(server):
    r = server.get("/api/v1/no_such_endpoint")
    assert_json_error(r, 404)


def test_unknown_web_path_is_html_404(server):
    r = server.get("/no/such/page")
    assert r.status_code == 404
    assert r.headers["Content-Type"].startswith("text/html")
    assert "<html" in r.text.lower()
    assert "Not found" in r.text


def test_wrong_method_is_405_with_allow(server):
    r = server.request("DELETE", "/api/v1/apps")
    body = assert_json_error(r, 405)
    assert body["error"]
    allow = [m.strip() for m in r.headers.get("Allow", "").split(",")]
    assert "POST" in allow, r.headers
    assert "DELETE" not in allow

    r = server.request("PUT", "/healthz")
    assert r.status_code == 405
    assert "GET" in r.headers.get("Allow", "")


def test_oversized_body_is_413(server):
    body = b"client_name=" + b"x" * (2 * 1024 * 1024)
    r = server.post("/api/v1/apps", data=body,
                    headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert_json_error(r, 413)
    assert server.get("/healthz").status_code == 200


def test_malformed_json_is_400(server):
    r = server.post("/api/v1/apps", data=b'{"client_name": "x", ',
                    headers={"Content-Type": "application/json"})
    assert_json_error(r, 400)


def test_json_array_body_is_422(server):
    r = server.post("/api/v1/apps", data=b'[{"client_name": "x"}]',
                    headers={"Content-Type": "application/json"})
    assert_json_error(r, 422)


def test_unsupported_content_type_is_415(server):
    r = server.post("/api/v1/apps", data=b"client_name=x&redirect_uris=" + OOB.encode(),
                    headers={"Content-Type": "text/plain"})
    assert_json_error(r, 415)


def test_malformed_percent_escape_in_form_is_400(server):
    r = server.post("/api/v1/apps", data=b"client_name=bad%zzname&redirect_uris=" + OOB.encode(),
                    headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert_json_error(r, 400)
    r = server.post("/api/v1/apps", data=b"client_name=trunc%4",
                    headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert_json_error(r, 400)


def test_multipart_form_body_registers_app(server):
    name = unique("multi")
    r = server.post("/api/v1/apps", files={"client_name": (None, name),
                                           "redirect_uris": (None, OOB),
                                           "scopes": (None, "read write")})
    assert r.status_code == 200, r.text
    j = r.json()
    assert j["name"] == name
    assert j["redirect_uris"] == [OOB]
    assert j["scopes"] == ["read", "write"]


def test_json_body_registers_app(server):
    name = unique("json")
    r = server.post("/api/v1/apps", json={"client_name": name, "redirect_uris": OOB,
                                          "scopes": "read"})
    assert r.status_code == 200, r.text
    j = r.json()
    assert j["name"] == name
    assert j["redirect_uris"] == [OOB]


def test_redirect_uris_array_forms(server):
    uris = ["https://app.example/cb", "http://127.0.0.1/cb"]
    # form encoding: redirect_uris[]=a&redirect_uris[]=b
    r = server.post("/api/v1/apps", data={"client_name": unique("arr"), "redirect_uris[]": uris})
    assert r.status_code == 200, r.text
    assert r.json()["redirect_uris"] == uris
    assert r.json()["redirect_uri"] == "\n".join(uris)
    # JSON array
    r = server.post("/api/v1/apps", json={"client_name": unique("arr"), "redirect_uris": uris})
    assert r.status_code == 200, r.text
    assert r.json()["redirect_uris"] == uris


def test_trailing_slash_matches_route(server):
    r = server.get("/healthz/")
    assert r.status_code == 200
    assert r.json() == {"status": "ok"}


def test_security_headers(server):
    api = server.get("/healthz")
    html = server.get("/signin")
    err = server.get("/api/v1/nowhere")
    static = server.get("/static/parley.css")
    for r in (api, html, err, static):
        assert r.headers.get("X-Content-Type-Options") == "nosniff", (r.url, r.headers)
    assert html.status_code == 200
    assert html.headers["Content-Type"].startswith("text/html")
    csp = html.headers.get("Content-Security-Policy", "")
    assert "default-src" in csp and "script-src" in csp, csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, csp
    assert html.headers.get("X-Frame-Options") == "DENY" or "frame-ancestors 'none'" in csp
    assert api.headers.get("Access-Control-Allow-Origin") == "*"
    assert err.headers.get("Access-Control-Allow-Origin") == "*"


def test_cors_preflight(server):
    r = server.request("OPTIONS", "/api/v1/apps",
                       headers={"Origin": "https://client.example",
                                "Access-Control-Request-Method": "POST",
                                "Access-Control-Request-Headers": "authorization, content-type"})
    assert r.status_code == 204
    assert r.headers.get("Access-Control-Allow-Origin") == "*"
    assert "POST" in r.headers.get("Access-Control-Allow-Methods", "")
    allow_headers = r.headers.get("Access-Control-Allow-Headers", "").lower()
    assert "authorization" in allow_headers and "content-type" in allow_headers


def test_static_assets_are_cached_long(server):
    for path, ctype in (("/static/htmx.min.js", "javascript"), ("/static/parley.css", "text/css")):
        r = server.get(path)
        assert r.status_code == 200, path
        assert ctype in r.headers["Content-Type"], r.headers
        assert int(r.headers["Content-Length"]) == len(r.content)
        if path.endswith(".js"):
            assert b"htmx" in r.content
        cc = r.headers.get("Cache-Control", "")
        assert "max-age=31536000" in cc, cc
        assert "no-store" not in cc


def test_static_path_traversal_is_404(server, raw_http):
    for path in ("/static/..%2fparley.db", "/static/%2e%2e%2fparley.db",
                 "/static/../parley.db", "/static/nope.js"):
        status, headers, body = raw_http(server.port, "GET", path)
        assert status == 404, (path, status)
        assert b"SQLite format" not in body


def test_very_long_url_is_rejected_and_server_survives(server):
    try:
        r = requests.get(server.url + "/healthz?x=" + "A" * 100_000, timeout=HTTP_TIMEOUT)
        assert 400 <= r.status_code < 500, r.status_code
    except requests.ConnectionError:
        # the server may close on us while we are still sending; the point
        # is that it keeps running
        pass
    assert server.alive(), server.log_tail()
    assert server.get("/healthz").status_code == 200


def test_header_size_limit(server):
    # headers up to about 24 KiB (cookies, parsed into the same memory,
    # about half that) fit in a connection's memory (32 KiB,
    # http/server.c); beyond, libmicrohttpd answers 431 and the server lives
    for headers in ({"X-Long": "a" * 24_000}, {"Cookie": "c=" + "a" * 8_000}):
        ok = server.get("/healthz", headers=headers)
        assert ok.status_code == 200, (ok.status_code, list(headers))
    try:
        r = requests.get(server.url + "/healthz", headers={"X-Big": "b" * 40_000},
                         timeout=HTTP_TIMEOUT)
        assert r.status_code == 431, r.status_code
    except requests.ConnectionError:
        pass
    assert server.alive(), server.log_tail()
    assert server.get("/healthz").status_code == 200


def test_garbage_bytes_do_not_crash(server):
    for _ in range(3):
        s = socket.create_connection(("127.0.0.1", server.port), timeout=HTTP_TIMEOUT)
        try:
            s.sendall(os.urandom(200) + b"\r\n\r\n")
            s.settimeout(1.0)
            try:
                s.recv(4096)
            except (socket.timeout, ConnectionError):
                pass
        finally:
            s.close()
    assert server.alive(), server.log_tail()
    assert server.get("/healthz").status_code == 200


def test_head_request(server):
    r = server.request("HEAD", "/healthz")
    assert r.status_code == 200
    assert r.content == b""
    r = server.request("HEAD", "/signin")
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("text/html")


def test_json_duplicate_keys_and_deep_nesting(server):
    r = server.post("/api/v1/apps", data=b'{"client_name": "a", "client_name": "b", '
                                         b'"redirect_uris": "urn:ietf:wg:oauth:2.0:oob"}',
                    headers={"Content-Type": "application/json"})
    assert_json_error(r, 400)
    deep = b'{"a":' * 20 + b'1' + b'}' * 20
    r = server.post("/api/v1/apps", data=deep, headers={"Content-Type": "application/json"})
    assert_json_error(r, 422)
    assert server.get("/healthz").status_code == 200


def test_text_that_is_not_utf8_is_400(server):
    # form field, query parameter and multipart field with invalid UTF-8
    r = server.post("/api/v1/apps", data=b"client_name=%FF%FE&redirect_uris=" + OOB.encode(),
                    headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert_json_error(r, 400)
    r = server.get("/api/v1/apps/verify_credentials?x=%C3")
    assert_json_error(r, 400)
    r = server.post("/api/v1/apps", files={"client_name": (None, b"bad \xc3\x28 name"),
                                           "redirect_uris": (None, OOB.encode())})
    assert_json_error(r, 400)
    # a NUL byte would cut a C string: refused too
    r = server.post("/api/v1/apps", data=b"client_name=a%00b&redirect_uris=" + OOB.encode(),
                    headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert_json_error(r, 400)
    # valid non-ASCII text is fine and comes back intact
    r = server.post("/api/v1/apps", data={"client_name": "Café ☕ app", "redirect_uris": OOB})
    assert r.status_code == 200, r.text
    assert r.json()["name"] == "Café ☕ app"


def test_log_lines_cannot_be_forged(server):
    marker = unique("forged")
    r = server.get("/no/such%0A2026-01-01T00:00:00.000Z INFO " + marker)
    assert r.status_code == 404
    server.get("/healthz")  # the access log line of the request above is written by now
    lines = [l for l in server.log_path.read_text(errors="replace").splitlines() if marker in l]
    assert lines, "the request should be in the access log"
    for line in lines:
        assert " GET /no/such?2026" in line, line
        assert not line.startswith("2026-01-01"), line


def test_huge_or_expect_continue_body_is_refused_at_once(server):
    """A client that asks for 100-continue, or announces a body far past the
    limit, gets 413 straight away instead of the server reading it all."""
    for extra in (b"Expect: 100-continue\r\n", b""):
        s = socket.create_connection(("127.0.0.1", server.port), timeout=HTTP_TIMEOUT)
        try:
            s.sendall(b"POST /api/v1/apps HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                      b"Content-Length: 10000000000\r\n" + extra + b"\r\n")
            head = s.recv(4096)
        finally:
            s.close()
        assert head.startswith(b"HTTP/1.1 413"), head[:200]
        assert b"100 Continue" not in head
    assert server.get("/healthz").status_code == 200
