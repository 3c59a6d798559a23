"""
Listening (issue 7): the watches endpoints of the contract
(briefs/listening-api.md, "Listening"): GET/PUT /spaces/:space/watches
(space owners, moderators and listeners) and GET/PUT /watches (org
listeners and admins), normalisation, validation and permissions, and the
web forms /s/:handle/watches and /watches.

Queue items created by watches are checked in C (tests/unit/
test_listening.c: one item per post and scope, never for a scope whose
listeners cannot read the post); the queue API that shows them belongs to
the routing branch, and its black-box checks join once it is merged.
"""
import csv
import io

import pytest

from conftest import csrf_from
from social import Actor
import spacekit as sk

P = "/api/parley/v1"


@pytest.fixture(scope="module")
def world(server):
    owner = Actor(server)
    mod = Actor(server)
    member = Actor(server)
    outsider = Actor(server)
    guest = Actor(server, kind="guest")
    admin = Actor(server, kind="admin")
    acme = Actor(server)
    space = sk.create(owner, kind="internal", access="closed")
    sk.enrol(owner, space, mod, role="moderator")
    sk.enrol(owner, space, member)
    return dict(owner=owner, mod=mod, member=member, outsider=outsider, guest=guest,
                admin=admin, acme=acme, space=space)


def test_space_watches_owner_puts_and_reads(world):
    w, sp = world, world["space"]
    body = {"keywords": ["  Billing ", "billing", "Outage   Report"], "accounts": ["@" + w["acme"].name]}
    got = w["owner"].ok("PUT", f"{P}/spaces/{sp['handle']}/watches", json=body)
    assert got["keywords"] == ["billing", "outage report"]
    assert [a["id"] for a in got["accounts"]] == [w["acme"].id]
    assert got["accounts"][0]["username"] == w["acme"].name
    again = w["mod"].ok("GET", f"{P}/spaces/{sp['id']}/watches")
    assert again == got


def test_space_watches_form_encoding_and_replace(world):
    w, sp = world, world["space"]
    r = w["mod"].put(f"{P}/spaces/{sp['handle']}/watches",
                     data=[("keywords[]", "deploy"), ("keywords[]", "Café")])
    assert r.status_code == 200, r.text
    assert r.json() == {"keywords": ["café", "deploy"], "accounts": []}


def test_space_watches_permissions(world, server):
    w, sp = world, world["space"]
    url = f"{P}/spaces/{sp['handle']}/watches"
    # a member who is not a moderator nor a listener
    assert w["member"].get(url).status_code == 403
    assert w["member"].put(url, json={"keywords": ["x"]}).status_code == 403
    # a staff member outside the closed space sees it exists but may not manage it
    assert w["outsider"].get(url).status_code == 403
    # a guest cannot even see the internal space
    assert w["guest"].get(url).status_code == 404
    # anonymous
    assert server.get(url).status_code == 401
    # unknown space
    assert w["owner"].get(f"{P}/spaces/nope_nope_nope/watches").status_code == 404


def test_watches_validation(world):
    w, sp = world, world["space"]
    url = f"{P}/spaces/{sp['handle']}/watches"
    before = w["owner"].ok("GET", url)
    for body in ({"keywords": ["   "]}, {"keywords": ["!!!"]}, {"keywords": ["x" * 101]},
                 {"keywords": [f"k{i}" for i in range(51)]},
                 {"accounts": ["no_such_user_here"]}):
        r = w["owner"].put(url, json=body)
        assert r.status_code == 422, (body, r.status_code, r.text)
        assert "error" in r.json()
    assert w["owner"].ok("GET", url) == before


def test_org_watches_admins_only(world, server):
    w = world
    for who in ("owner", "member", "guest"):
        assert w[who].get(f"{P}/watches").status_code == 403, who
        assert w[who].put(f"{P}/watches", json={"keywords": ["x"]}).status_code == 403, who
    got = w["admin"].ok("PUT", f"{P}/watches", json={"keywords": ["Parley"], "accounts": [w["acme"].name]})
    assert got["keywords"] == ["parley"]
    assert [a["id"] for a in got["accounts"]] == [w["acme"].id]
    assert w["admin"].ok("GET", f"{P}/watches") == got
    # the space's watches are separate
    assert "parley" not in w["owner"].ok("GET", f"{P}/spaces/{w['space']['id']}/watches")["keywords"]


def test_posting_with_watches_still_works(world):
    """A post made while watches exist is committed with its listen.post
    job and answered at once (the matching runs in the background)."""
    st = world["owner"].ok("POST", "/api/v1/statuses", json={"status": "parley billing outage report"})
    assert st["id"]
    assert world["owner"].ok("GET", f"/api/v1/statuses/{st['id']}")["id"] == st["id"]


def test_web_watches_form(world, server):
    w, sp = world, world["space"]
    s = server.signed_in_session(w["owner"].name)
    page = server.get(f"/s/{sp['handle']}/watches", session=s)
    assert page.status_code == 200
    csrf = csrf_from(page.text)
    r = server.post(f"/s/{sp['handle']}/watches", session=s, allow_redirects=False,
                    data={"csrf": csrf, "keywords": "Refund\nrefund\n\n<b>Invoice</b>",
                          "accounts": f"@{w['acme'].name}, "})
    assert r.status_code == 303, r.text[:300]
    got = w["owner"].ok("GET", f"{P}/spaces/{sp['id']}/watches")
    assert got["keywords"] == ["<b>invoice</b>", "refund"]
    page = server.get(f"/s/{sp['handle']}/watches", session=s)
    assert "&lt;b&gt;invoice&lt;/b&gt;" in page.text and "<b>invoice" not in page.text
    # a bad account is answered on the form, nothing changes
    r = server.post(f"/s/{sp['handle']}/watches", session=s,
                    data={"csrf": csrf, "keywords": "a", "accounts": "nobody_at_all"})
    assert r.status_code == 422 and "Unknown account" in r.text
    assert w["owner"].ok("GET", f"{P}/spaces/{sp['id']}/watches") == got
    # a member may not
    sm = server.signed_in_session(w["member"].name)
    assert server.get(f"/s/{sp['handle']}/watches", session=sm).status_code == 403
    assert server.get("/watches", session=sm).status_code == 403


# ---- watched keyword -> one queue item, shown only to listeners who may read it ------

import time


def mention_items(actor, post_id, timeout=8.0):
    """The queue items (view mentions) for post_id that actor sees, after
    waiting for the background job; [] when none arrives in time."""
    deadline = time.time() + timeout
    while True:
        r = actor.get(f"{P}/queue", params={"view": "mentions", "limit": 40})
        assert r.status_code == 200, r.text
        items = [i for i in r.json() if i["status"] and i["status"]["id"] == post_id]
        if items or time.time() > deadline:
            return items
        time.sleep(0.2)


def test_keyword_creates_one_item_for_readers_only(server):
    admin = Actor(server, kind="admin")
    listener, blind, author, dm_target = Actor(server), Actor(server), Actor(server), Actor(server)
    owner = Actor(server)
    closed = sk.create(owner, kind="internal", access="closed")
    sk.enrol(owner, closed, author)
    for who in (listener, blind):
        r = admin.post(f"{P}/listeners", json={"account_id": who.id})
        assert r.status_code == 200, r.text
    word = "zebracorn" + str(int(time.time() * 1000) % 100000)
    admin.ok("PUT", f"{P}/watches", json={"keywords": [word.upper()]})
    # blind blocks the author: the author's posts are unreadable to blind
    blind.ok("POST", f"/api/v1/accounts/{author.id}/block")
    st = author.ok("POST", "/api/v1/statuses", json={"status": f"Our {word} broke", "visibility": "unlisted"})
    items = mention_items(listener, st["id"])
    assert len(items) == 1, items
    assert items[0]["kind"] == "keyword" and items[0]["matched"] == word
    assert items[0]["space"] is None
    assert mention_items(blind, st["id"], timeout=1.0) == []
    # GET /queue/:id: the reader gets it, the blocked listener 404
    assert listener.get(f"{P}/queue/{items[0]['id']}").status_code == 200
    assert blind.get(f"{P}/queue/{items[0]['id']}").status_code == 404
    # a direct message and a closed-space post never become items for them
    dm = author.ok("POST", "/api/v1/statuses", json={"status": f"@{dm_target.name} secret {word}",
                                                     "visibility": "direct"})
    sp = sk.space_post(author, closed, f"{word} inside the closed space")
    plain = author.ok("POST", "/api/v1/statuses", json={"status": f"later {word}"})
    assert len(mention_items(listener, plain["id"])) == 1   # the job has run past the others
    assert mention_items(listener, dm["id"], timeout=0) == []
    assert mention_items(listener, sp["id"], timeout=0) == []
    # a non-listener gets 403 on the queue
    assert author.get(f"{P}/queue", params={"view": "mentions"}).status_code == 403
