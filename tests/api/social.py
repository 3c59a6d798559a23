"""
Helpers shared by the conversation tests (statuses, timelines, relationships,
notifications, polls, audiences).

An `Actor` is one account with an OAuth token ("read write follow" unless
told otherwise) and a requests.Session carrying the bearer header. Every
actor has a fresh username, so tests never share state through accounts.
Requests go through ParleyServer.request(), which turns a dead server into
a readable assertion.
"""
import re
import time
from urllib.parse import urlsplit

import requests

from conftest import unique

APP_SCOPES = "read write follow push profile"
TOKEN_SCOPES = "read write follow"
LINK_RE = re.compile(r'<([^>]*)>\s*;\s*rel="([^"]*)"')


def api(server, token):
    """A requests.Session that sends `Authorization: Bearer token`."""
    s = requests.Session()
    s.headers["Authorization"] = f"Bearer {token}"
    return s


class Actor:
    """One signed-in account: .name, .id, .kind, .token, .s (session)."""

    def __init__(self, server, kind="staff", scope=TOKEN_SCOPES, name=None, public=True):
        """public: make the profile public, so anyone may see the account
        (tests of conversations); public=False keeps the default, where
        guests see only the people they share a space with."""
        self.server = server
        self.kind = kind
        self.name = server.create_user(name or unique(kind[:5]), role=kind)
        app = server.register_app(scopes=APP_SCOPES)
        r = server.password_grant(app, self.name, scope=scope)
        assert r.status_code == 200, (r.status_code, r.text)
        self.token = r.json()["access_token"]
        self.s = api(server, self.token)
        r = server.verify(self.token)
        assert r.status_code == 200, (r.status_code, r.text)
        self.account = r.json()
        self.id = self.account["id"]
        if public:
            server.make_public(self.name)
            self.account["parley"]["profile_public"] = True

    def __repr__(self):
        return f"<Actor {self.kind} {self.name}>"

    # -- raw HTTP --
    def get(self, path, **kw):
        return self.server.request("GET", path, session=self.s, **kw)

    def post(self, path, **kw):
        return self.server.request("POST", path, session=self.s, **kw)

    def put(self, path, **kw):
        return self.server.request("PUT", path, session=self.s, **kw)

    def patch(self, path, **kw):
        return self.server.request("PATCH", path, session=self.s, **kw)

    def delete(self, path, **kw):
        return self.server.request("DELETE", path, session=self.s, **kw)

    def ok(self, method, path, **kw):
        """A request that must answer 200; returns the decoded JSON."""
        r = self.server.request(method, path, session=self.s, **kw)
        assert r.status_code == 200, (method, path, r.status_code, r.text[:800])
        return r.json()

    # -- statuses --
    def post_status_raw(self, text=None, visibility=None, **fields):
        data = []
        if text is not None:
            data.append(("status", text))
        if visibility is not None:
            data.append(("visibility", visibility))
        for k, v in fields.items():
            if isinstance(v, (list, tuple)):
                data += [(k, x) for x in v]
            elif isinstance(v, bool):
                data.append((k, "true" if v else "false"))
            elif v is not None:
                data.append((k, str(v)))
        return self.post("/api/v1/statuses", data=data)

    def post_status(self, text, visibility=None, **fields):
        """Create a status; asserts 200 and returns the Status entity."""
        r = self.post_status_raw(text, visibility, **fields)
        assert r.status_code == 200, (r.status_code, r.text[:800])
        st = r.json()
        assert isinstance(st.get("id"), str) and st["id"], st
        return st

    def reply(self, to, text, visibility=None, **fields):
        to_id = to["id"] if isinstance(to, dict) else to
        return self.post_status(text, visibility, in_reply_to_id=to_id, **fields)

    def status(self, sid):
        return self.get(f"/api/v1/statuses/{sid}")

    def act(self, sid, verb):
        """POST /api/v1/statuses/:id/<verb> (favourite, reblog, bookmark, pin...)."""
        return self.post(f"/api/v1/statuses/{sid}/{verb}")

    # -- accounts --
    def acct(self, other, verb):
        """POST /api/v1/accounts/:id/<verb> (follow, block, mute...)."""
        oid = other.id if isinstance(other, Actor) else other
        return self.post(f"/api/v1/accounts/{oid}/{verb}")

    def follow(self, other):
        r = self.acct(other, "follow")
        assert r.status_code == 200, (r.status_code, r.text[:500])
        rel = r.json()
        assert rel["following"] is True, rel
        return rel

    def relationship(self, other):
        oid = other.id if isinstance(other, Actor) else other
        rels = self.ok("GET", "/api/v1/accounts/relationships", params={"id[]": [oid]})
        assert len(rels) == 1 and rels[0]["id"] == oid, rels
        return rels[0]

    # -- timelines and notifications --
    def timeline(self, path, **params):
        return self.ok("GET", path, params=params)

    def home_ids(self, **params):
        params.setdefault("limit", 40)
        return ids(self.timeline("/api/v1/timelines/home", **params))

    def notifications(self, **params):
        params.setdefault("limit", 40)
        return self.ok("GET", "/api/v1/notifications", params=params)


def staff(server, **kw):
    return Actor(server, "staff", **kw)


def guest(server, **kw):
    return Actor(server, "guest", **kw)


def anon_get(server, path, **kw):
    return server.request("GET", path, **kw)


def ids(items):
    return [x["id"] for x in items]


def status_ids_in(items):
    """Ids of the statuses a timeline shows, reblogs by their original too."""
    out = set()
    for x in items:
        out.add(x["id"])
        if x.get("reblog"):
            out.add(x["reblog"]["id"])
    return out


def id_above(*sids):
    """A max_id that admits every id given (ids are decimal 64-bit numbers)."""
    return str(max(int(s) for s in sids) + 1)


def links(response):
    """The Link header as an ordered list of (rel, path?query)."""
    out = []
    for url, rel in LINK_RE.findall(response.headers.get("Link", "")):
        parts = urlsplit(url)
        out.append((rel, parts.path + (("?" + parts.query) if parts.query else "")))
    return out


def link(response, rel):
    for r, target in links(response):
        if r == rel:
            return target
    return None


def walk(server, session, path, params=None, max_pages=50, until=None):
    """Follow rel="next" from path until a page is empty, there is no next
    link, or until(items so far) is true; returns (all items in order, pages)."""
    r = server.request("GET", path, session=session, params=params)
    assert r.status_code == 200, (path, r.status_code, r.text[:500])
    items, pages = [], 0
    while True:
        page = r.json()
        pages += 1
        assert pages <= max_pages, "next links never end"
        if not page:
            break
        items += page
        if until is not None and until(items):
            break
        nxt = link(r, "next")
        if not nxt:
            break
        r = server.request("GET", nxt, session=session)
        assert r.status_code == 200, (nxt, r.status_code, r.text[:500])
    return items, pages


def wait_for(fn, timeout=10.0, interval=0.1):
    """Poll fn() until it returns a truthy value (notifications may be made
    by a background job); returns the last value."""
    deadline = time.monotonic() + timeout
    while True:
        v = fn()
        if v or time.monotonic() > deadline:
            return v
        time.sleep(interval)


def notes_of(actor, ntype=None, status_id=None, account_id=None):
    """The actor's notifications, filtered client-side."""
    out = []
    for n in actor.notifications():
        if ntype is not None and n["type"] != ntype:
            continue
        if status_id is not None and (n.get("status") or {}).get("id") != status_id:
            continue
        if account_id is not None and n["account"]["id"] != account_id:
            continue
        out.append(n)
    return out


def wait_note(actor, ntype, status_id=None, account_id=None, timeout=10.0):
    """Wait until the actor has a notification of that type; returns it."""
    found = wait_for(lambda: notes_of(actor, ntype, status_id, account_id), timeout)
    assert found, (f"{actor} got no {ntype!r} notification "
                   f"(status {status_id}, account {account_id}); has: "
                   f"{[(n['type'], (n.get('status') or {}).get('id')) for n in actor.notifications()]}")
    return found[0]


def settle(seconds=0.5):
    """Give background fan-out/notification jobs a moment before asserting
    that something did NOT happen."""
    time.sleep(seconds)
