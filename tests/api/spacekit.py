"""
Helpers for the spaces tests (issue 5): making spaces, members, invitations
and posts through the Parley API (/api/parley/v1), written from the
contract (briefs/spaces-api.md), not from the implementation.

Every helper that must succeed asserts the status it expects and says what
it got, so a failure names the request that broke the contract.
"""
import uuid

from social import Actor

SP = "/api/parley/v1"


def new_handle(prefix="sp"):
    """A fresh space handle: [A-Za-z0-9_], 2-32 characters (here 21)."""
    return f"{prefix[:8]}_{uuid.uuid4().hex[:12]}"


def sid(space):
    """A space's id from a space entity, or the id/handle itself."""
    return space["id"] if isinstance(space, dict) else str(space)


def aid(who):
    """An account id from an Actor, an account entity or an id."""
    if isinstance(who, Actor):
        return who.id
    if isinstance(who, dict):
        return who["id"]
    return str(who)


def anon(server, method, path, **kw):
    return server.request(method, path, **kw)


def req(server, who, method, path, **kw):
    """A request as `who` (an Actor, or None for an anonymous visitor)."""
    if who is None:
        return server.request(method, path, **kw)
    return server.request(method, path, session=who.s, **kw)


# ---- spaces ------------------------------------------------------------------------

def create_raw(actor, **fields):
    return actor.post(SP + "/spaces", json=fields)


def create(actor, kind="internal", access="open", name=None, handle=None, **extra):
    """Create a space as actor; asserts 200 and returns the entity."""
    h = handle or new_handle(kind[:3] + access[:2])
    body = {"name": name or f"Space {h}", "handle": h, "kind": kind, "access": access}
    body.update(extra)
    r = actor.post(SP + "/spaces", json=body)
    assert r.status_code == 200, ("create space", body, r.status_code, r.text[:500])
    sp = r.json()
    assert sp["handle"].lower() == h.lower(), sp
    assert isinstance(sp["id"], str) and sp["id"].isdigit(), sp
    return sp


def get_space(server, who, space):
    return req(server, who, "GET", f"{SP}/spaces/{sid(space)}")


def space_ok(server, who, space):
    r = get_space(server, who, space)
    assert r.status_code == 200, (who, sid(space), r.status_code, r.text[:300])
    return r.json()


def patch_space(actor, space, **fields):
    return actor.patch(f"{SP}/spaces/{sid(space)}", json=fields)


def directory(server, who, **params):
    """GET /spaces as who; asserts 200 and returns the list."""
    r = req(server, who, "GET", SP + "/spaces", params=params)
    assert r.status_code == 200, (who, params, r.status_code, r.text[:300])
    out = r.json()
    assert isinstance(out, list), out
    return out


# ---- membership ----------------------------------------------------------------------

def join(actor, space, **fields):
    return actor.post(f"{SP}/spaces/{sid(space)}/join", json=fields or None)


def leave(actor, space):
    return actor.post(f"{SP}/spaces/{sid(space)}/leave")


def invite(by, space, **who):
    """POST an invitation ({username}, {email} or {department}); returns the response."""
    return by.post(f"{SP}/spaces/{sid(space)}/invitations", json=who)


def invite_ok(by, space, **who):
    r = invite(by, space, **who)
    assert r.status_code == 200, ("invite", who, r.status_code, r.text[:500])
    out = r.json()
    assert isinstance(out, list) and out, out
    return out


def my_invitations(actor):
    return actor.ok("GET", SP + "/invitations")


def invitation_for(actor, space):
    """The actor's pending invitation to the space, or None."""
    for inv in my_invitations(actor):
        if inv["space"]["id"] == sid(space):
            return inv
    return None


def accept(actor, space):
    """Accept the actor's pending invitation to the space; returns the space."""
    inv = invitation_for(actor, space)
    assert inv, (actor, "has no invitation to", sid(space), my_invitations(actor))
    r = actor.post(f"{SP}/invitations/{inv['id']}/accept")
    assert r.status_code == 200, (r.status_code, r.text[:500])
    return r.json()


def set_role(by, space, who, role):
    return by.patch(f"{SP}/spaces/{sid(space)}/members/{aid(who)}", json={"role": role})


def remove(by, space, who):
    return by.delete(f"{SP}/spaces/{sid(space)}/members/{aid(who)}")


def enrol(owner, space, actor, role="member"):
    """Make actor a member of space through an invitation by username (the
    way that works for every kind and access), then give the role."""
    invite_ok(owner, space, username=actor.name)
    sp = accept(actor, space)
    assert sp["membership"] and sp["membership"]["role"] == "member", sp
    if role != "member":
        r = set_role(owner, space, actor, role)
        assert r.status_code == 200, (r.status_code, r.text[:500])
        assert r.json()["role"] == role, r.json()
    return sp


def members(server, who, space, **params):
    r = req(server, who, "GET", f"{SP}/spaces/{sid(space)}/members", params=params)
    assert r.status_code == 200, (r.status_code, r.text[:300])
    return r.json()


def member_ids(server, who, space, **params):
    params.setdefault("limit", 40)
    return {m["account"]["id"] for m in members(server, who, space, **params)}


def set_home(actor, space, home):
    return actor.patch(f"{SP}/spaces/{sid(space)}/membership", json={"home": home})


# ---- posts ----------------------------------------------------------------------------

def space_post_raw(actor, space, text, **fields):
    data = [("status", text)]
    for k, v in fields.items():
        if isinstance(v, (list, tuple)):
            data += [(k, x) for x in v]
        elif v is not None:
            data.append((k, str(v)))
    return actor.post(f"{SP}/spaces/{sid(space)}/statuses", data=data)


def space_post(actor, space, text, **fields):
    """Post into the space through the Parley endpoint; asserts the entity."""
    r = space_post_raw(actor, space, text, **fields)
    assert r.status_code == 200, ("space post", sid(space), r.status_code, r.text[:500])
    st = r.json()
    assert_in_space(st, space)
    return st


def assert_in_space(st, space):
    """A status entity is a post of that space, as the contract shows it."""
    assert st["visibility"] == "private", st
    assert st["parley"]["audience"] == "space", st["parley"]
    got = st["parley"]["space"]
    assert got["id"] == sid(space), (got, sid(space))
    if isinstance(space, dict):
        assert got["handle"] == space["handle"] and got["name"] == space["name"], got


def feed_raw(server, who, space, **params):
    return req(server, who, "GET", f"{SP}/spaces/{sid(space)}/feed", params=params or None)


def feed_ids(server, who, space, **params):
    params.setdefault("limit", 40)
    r = feed_raw(server, who, space, **params)
    assert r.status_code == 200, (who, sid(space), r.status_code, r.text[:300])
    return [x["id"] for x in r.json()]


def pin(by, space, status):
    return by.post(f"{SP}/spaces/{sid(space)}/pins/{status['id']}")


def unpin(by, space, status):
    return by.delete(f"{SP}/spaces/{sid(space)}/pins/{status['id']}")
