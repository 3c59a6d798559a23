"""
Helpers for the routing and queue tests (issue 7): a server that accepts
short response targets, asking questions, listeners, policies, waiting for
the durable jobs, and reading notifications. Written from the contract
(briefs/listening-api.md), not from the implementation.
"""
import time

import pytest

from conftest import ParleyServer, _finish, unique
from people_util import admin, add_skill
from social import Actor
import spacekit

P = "/api/parley/v1"
# Short targets are allowed down to 1 s on these servers.
ENV = {"PARLEY_ROUTING_MIN_TARGET": "1"}
JOB_TIMEOUT = 15  # seconds for a durable job to have run


def start(tmp_path_factory, name="routing"):
    srv = ParleyServer(tmp_path_factory.mktemp(name), env=dict(ENV)).start()
    srv.create_user(unique("boot"), role="admin")
    return srv


@pytest.fixture(scope="module")
def rserver(parley_bin, tmp_path_factory):
    srv = start(tmp_path_factory)
    try:
        yield srv
    finally:
        _finish(srv)


def wait_for(fn, timeout=JOB_TIMEOUT, what="condition"):
    """Poll fn() until it returns something truthy; return it."""
    deadline = time.monotonic() + timeout
    while True:
        v = fn()
        if v:
            return v
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def skill_name():
    return unique("sk").lower()


def expert(server, skill, level="expert", kind="staff"):
    a = Actor(server, kind, public=False)
    if skill:
        add_skill(a, skill, level)
    return a


def notes(actor, type_):
    """The actor's notifications of a type (newest first)."""
    r = actor.get("/api/v1/notifications", params={"limit": 40})
    assert r.status_code == 200, (r.status_code, r.text[:300])
    return [n for n in r.json() if n["type"] == type_]


def notified(actor, type_, qid):
    return [n for n in notes(actor, type_) if n.get("status") and n["status"]["id"] == qid]


def ask(actor, space=None, tags=(), title=None, body="How do we do this?"):
    data = {"title": title or f"Question {unique('q')}", "body": body, "tags": list(tags)}
    path = f"{P}/spaces/{spacekit.sid(space)}/questions" if space else f"{P}/questions"
    r = actor.post(path, json=data)
    assert r.status_code == 200, ("ask", r.status_code, r.text[:500])
    return r.json()


def set_policy(actor, space=None, **fields):
    path = f"{P}/spaces/{spacekit.sid(space)}/routing" if space else f"{P}/routing"
    r = actor.put(path, json=fields)
    assert r.status_code == 200, ("policy", fields, r.status_code, r.text[:500])
    return r.json()


def add_listener(by, who, space=None):
    path = f"{P}/spaces/{spacekit.sid(space)}/listeners" if space else f"{P}/listeners"
    r = by.post(path, json={"account_id": who.id})
    assert r.status_code == 200, ("listener", r.status_code, r.text[:500])
    return r.json()


def question(actor, qid):
    r = actor.get(f"{P}/questions/{qid}")
    assert r.status_code == 200, (r.status_code, r.text[:500])
    return r.json()


def queue(actor, **params):
    r = actor.get(f"{P}/queue", params=params)
    assert r.status_code == 200, (r.status_code, r.text[:500])
    return r.json()


def item_of(actor, qid, view="all"):
    for it in queue(actor, view=view, limit=40):
        if it["question"] and it["question"]["id"] == qid:
            return it
    return None


def routed(listener, qid):
    """Wait until the question has its queue item; return it."""
    return wait_for(lambda: item_of(listener, qid), what=f"question {qid} routed")


def candidates(viewer, qid):
    q = question(viewer, qid)
    assert "routing" in q, q
    return q["routing"]["candidates"]
