"""The API's request budget, as Mastodon has it: per access token (or per
address without one), X-RateLimit-Limit / -Remaining / -Reset on every API
answer, 429 with Retry-After past the budget. Each test has its own server
with a small budget (api_rate_limit / api_rate_window).
"""
import calendar
import re
import time

import pytest

from conftest import ParleyServer, assert_json_error

ISO_MS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


@pytest.fixture
def small(tmp_path_factory):
    srv = ParleyServer(tmp_path_factory.mktemp("rl"), env={
        "PARLEY_API_RATE_LIMIT": "5", "PARLEY_API_RATE_WINDOW": "60"}).start()
    try:
        yield srv
    finally:
        assert srv.stop() == 0


def reset_epoch(h):
    return calendar.timegm(time.strptime(h[:19], "%Y-%m-%dT%H:%M:%S"))


def test_headers_then_429(small):
    seen = []
    for _ in range(5):
        r = small.get("/api/v1/instance")
        assert r.status_code == 200
        seen.append(int(r.headers["X-RateLimit-Remaining"]))
        assert r.headers["X-RateLimit-Limit"] == "5"
        assert ISO_MS.match(r.headers["X-RateLimit-Reset"])
        assert 0 < reset_epoch(r.headers["X-RateLimit-Reset"]) - time.time() <= 61
    assert seen == [4, 3, 2, 1, 0]
    r = small.get("/api/v1/instance")
    assert_json_error(r, 429)
    assert r.headers["X-RateLimit-Remaining"] == "0"
    assert 1 <= int(r.headers["Retry-After"]) <= 60
    # the headers are exposed to browser apps
    assert "X-RateLimit-Remaining" in r.headers["Access-Control-Expose-Headers"]
    # the web and the health check are not counted
    web = small.get("/signin")                 # a fresh instance sends setup first
    assert web.status_code in (200, 303) and "X-RateLimit-Limit" not in web.headers
    assert small.get("/healthz").status_code == 200


def test_each_token_has_its_own_budget(small):
    # set up with a generous pause between: registering spends the address's budget
    name = small.create_user()
    app = small.register_app(scopes="read")
    r = small.password_grant(app, name, scope="read")
    assert r.status_code == 200
    tok = r.json()["access_token"]
    for _ in range(5):
        assert small.verify(tok).status_code == 200
    r = small.verify(tok)
    assert r.status_code == 429
    # the address still has what the token did not spend of its own
    assert small.get("/api/v1/instance").status_code in (200, 429)
    # a bad token is counted against the address, not refused for free
    codes = [small.get("/api/v1/timelines/home", headers={"Authorization": "Bearer nope"}).status_code
             for _ in range(6)]
    assert codes[-1] == 429 and 401 in codes


def test_off(tmp_path_factory):
    srv = ParleyServer(tmp_path_factory.mktemp("rl0"), env={"PARLEY_API_RATE_LIMIT": "0"}).start()
    try:
        for _ in range(20):
            r = srv.get("/api/v1/instance")
            assert r.status_code == 200 and "X-RateLimit-Limit" not in r.headers
    finally:
        assert srv.stop() == 0


def test_default_is_mastodons(tmp_path_factory):
    srv = ParleyServer(tmp_path_factory.mktemp("rld"), env={"PARLEY_API_RATE_LIMIT": ""}).start()
    try:
        r = srv.get("/api/v1/instance")
        assert r.headers["X-RateLimit-Limit"] == "300"
    finally:
        assert srv.stop() == 0
