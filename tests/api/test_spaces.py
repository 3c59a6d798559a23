"""Spaces (issue 5): every operation of /api/parley/v1/spaces and every role
check, written from the contract (briefs/spaces-api.md) and the issue, not
from the implementation.

Covered: creating (JSON, form, multipart), validation, handle conflicts,
kinds x access, seeing a space, joining (open, closed, secret), join
requests, invitations (by username; by email link, where the guest signs
up through /invite/:code), roles (owner, moderator, member), removal,
leaving (the last owner), archiving, posting rights, posting (the space
endpoint, parley_space_id, mentioning @handle), replies staying in the
space, reblogs refused, pins, the feed and its paging, space search, the
directory, the membership home setting and the home timeline, Mastodon
lists, a browser session on the API, and the web pages /spaces,
/spaces/new and /s/:handle.

Who sees what across every read path is in test_space_audience.py.
"""
import random
import re
import string
import uuid
from urllib.parse import urlparse

import pytest

from conftest import assert_json_error, csrf_from, unique, unique_email
from social import guest, ids, link, settle, staff, status_ids_in, wait_for, walk
from spacekit import (SP, accept, create, create_raw, directory, enrol, feed_ids, feed_raw,
                      get_space, invitation_for, invite, invite_ok, join, leave, member_ids,
                      members, my_invitations, new_handle, patch_space, pin, remove, set_home,
                      set_role, space_ok, space_post, space_post_raw, unpin, assert_in_space)

ISO_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:?\d\d)$")
VALID = [("internal", "open"), ("internal", "closed"), ("internal", "secret"),
         ("external", "closed"), ("external", "secret"), ("public", "open"),
         ("public", "closed")]
PURPOSES = ["project", "team", "community", "support", "ideas", "announcements", "other"]


def not_found(r, what=""):
    """404 with a JSON error."""
    assert r.status_code == 404, (what, r.status_code, r.text[:300])
    assert_json_error(r, 404)


def no_space(r, what=""):
    """A space the viewer may not see answers like one that does not exist."""
    assert r.status_code == 404, (what, r.status_code, r.text[:300])
    assert r.json() == {"error": "Record not found"}, (what, r.text[:300])


def status_in(r, codes, what=""):
    assert r.status_code in codes, (what, r.status_code, r.text[:300])


# ---- creating ---------------------------------------------------------------------------

def test_create_with_json_gives_the_full_entity(server):
    a = staff(server)
    h = new_handle("pay")
    r = a.post(SP + "/spaces", json={"name": "Payments", "handle": h, "kind": "internal",
                                     "access": "open", "description": "Where money moves",
                                     "purpose": "project"})
    assert r.status_code == 200, (r.status_code, r.text[:500])
    sp = r.json()
    assert sp["id"].isdigit()
    assert sp["handle"] == h
    assert sp["name"] == "Payments"
    assert sp["description"] == "Where money moves"
    assert sp["purpose"] == "project"
    assert sp["kind"] == "internal" and sp["access"] == "open"
    assert sp["posting"] == "everyone"
    assert sp["archived"] is False
    assert ISO_RE.match(sp["created_at"]), sp["created_at"]
    assert sp["members_count"] == 1
    assert sp["url"] == f"{server.url}/s/{h}", sp["url"]
    m = sp["membership"]
    assert m["role"] == "owner" and m["home"] == "all" and ISO_RE.match(m["joined_at"]), m
    assert sp["invited"] is False and sp["requested"] is False
    # the same entity by id and by handle
    assert space_ok(server, a, sp["id"]) == sp
    assert space_ok(server, a, h) == sp


def test_create_with_a_form(server):
    a = staff(server)
    h = new_handle("form")
    r = a.post(SP + "/spaces", data={"name": "Form made", "handle": h, "kind": "external",
                                     "access": "closed", "purpose": "support"})
    assert r.status_code == 200, (r.status_code, r.text[:500])
    sp = r.json()
    assert (sp["handle"], sp["kind"], sp["access"], sp["purpose"]) == (h, "external", "closed",
                                                                      "support")
    assert sp["membership"]["role"] == "owner"


def test_create_with_multipart(server):
    a = staff(server)
    h = new_handle("mp")
    fields = {"name": "Multipart made", "handle": h, "kind": "public", "access": "open",
              "description": "ünïcödé description"}
    r = a.post(SP + "/spaces", files={k: (None, v) for k, v in fields.items()})
    assert r.status_code == 200, (r.status_code, r.text[:500])
    sp = r.json()
    assert sp["handle"] == h and sp["kind"] == "public"
    assert sp["description"] == "ünïcödé description"


def test_defaults(server):
    a = staff(server)
    sp = create(a, "internal", "closed")
    assert sp["purpose"] == "other"
    assert sp["posting"] == "everyone"
    assert sp["description"] in ("", None)
    assert sp["archived"] is False


@pytest.mark.parametrize("purpose", PURPOSES)
def test_every_purpose(server, purpose):
    sp = create(staff(server), "internal", "open", purpose=purpose)
    assert sp["purpose"] == purpose


@pytest.mark.parametrize("kind,access", VALID)
def test_every_valid_kind_and_access(server, kind, access):
    a = staff(server)
    sp = create(a, kind, access)
    assert (sp["kind"], sp["access"]) == (kind, access)
    assert sp["membership"]["role"] == "owner"
    assert sp["id"] in ids(directory(server, a, mine=1, limit=40))


@pytest.mark.parametrize("kind,access", [("external", "open"), ("public", "secret")])
def test_refused_kind_and_access(server, kind, access):
    a = staff(server)
    h = new_handle()
    assert_json_error(create_raw(a, name="No", handle=h, kind=kind, access=access), 422)
    # nothing was made: the handle is still free
    no_space(get_space(server, a, h))
    create(a, kind, "closed", handle=h)


BAD_BODIES = [
    ("handle too short", {"handle": "a"}),
    ("handle too long", {"handle": "h" * 33}),
    ("handle with a dash", {"handle": "has-dash"}),
    ("handle with a space", {"handle": "has space"}),
    ("handle with a dot", {"handle": "has.dot"}),
    ("handle with a slash", {"handle": "a/b"}),
    ("handle not ASCII", {"handle": "ünïcödé"}),
    ("handle empty", {"handle": ""}),
    ("name empty", {"name": ""}),
    ("name too long", {"name": "n" * 101}),
    ("description too long", {"description": "d" * 2001}),
    ("kind unknown", {"kind": "secretive"}),
    ("access unknown", {"access": "ajar"}),
    ("purpose unknown", {"purpose": "fun"}),
    ("posting unknown", {"posting": "nobody"}),
]


@pytest.mark.parametrize("what,change", BAD_BODIES, ids=[b[0] for b in BAD_BODIES])
def test_validation_errors(server, what, change):
    a = staff(server)
    body = {"name": "Valid name", "handle": new_handle(), "kind": "internal", "access": "open"}
    body.update(change)
    assert_json_error(create_raw(a, **body), 422)


@pytest.mark.parametrize("missing", ["name", "handle", "kind"])
def test_missing_fields(server, missing):
    a = staff(server)
    body = {"name": "Valid name", "handle": new_handle(), "kind": "internal", "access": "open"}
    del body[missing]
    assert_json_error(create_raw(a, **body), 422)


def test_lengths_at_the_edges(server):
    a = staff(server)
    create(a, handle="".join(random.choices(string.ascii_letters, k=2)))   # 2 characters
    create(a, handle=("H_" + uuid.uuid4().hex * 2)[:32])      # 32 characters
    sp = create(a, name="é" * 100, description="ü" * 2000)    # characters, not bytes
    assert sp["name"] == "é" * 100 and len(sp["description"]) == 2000
    assert_json_error(create_raw(a, name="é" * 101, handle=new_handle(), kind="internal",
                                 access="open"), 422)


def test_handle_taken_is_409_whatever_the_case(server):
    a, b = staff(server), staff(server)
    h = new_handle("Dup")
    create(a, handle=h)
    for other in (h, h.lower(), h.upper()):
        assert_json_error(create_raw(b, name="Second", handle=other, kind="public",
                                     access="open"), 409)
    # a secret space holds its handle too
    s = create(a, "internal", "secret")
    assert_json_error(create_raw(b, name="Third", handle=s["handle"], kind="internal",
                                 access="open"), 409)


def test_only_staff_create(server):
    g = guest(server)
    h = new_handle()
    assert_json_error(create_raw(g, name="Guest space", handle=h, kind="external",
                                 access="closed"), 403)
    assert_json_error(create_raw(g, name="Guest space", handle=h, kind="public",
                                 access="open"), 403)
    r = server.post(SP + "/spaces", json={"name": "Anon", "handle": h, "kind": "public",
                                          "access": "open"})
    assert_json_error(r, 401)
    # writing needs the write scope
    name = server.create_user()
    tok = server.token(name, scope="read")
    r = server.post(SP + "/spaces", headers={"Authorization": f"Bearer {tok}"},
                    json={"name": "Read only", "handle": h, "kind": "public", "access": "open"})
    assert_json_error(r, 403)
    # none of them made the space
    no_space(get_space(server, staff(server), h))


def test_unknown_space_is_404(server):
    a = staff(server)
    for ref in ("999999999999", "no_such_space_" + uuid.uuid4().hex[:8], "0"):
        no_space(get_space(server, a, ref), ref)
        not_found(feed_raw(server, a, ref), ref)
        no_space(join(a, ref), ref)


# ---- updating ---------------------------------------------------------------------------

def test_owner_and_moderator_update(server):
    o, m = staff(server), staff(server)
    sp = create(o, "internal", "closed", description="old")
    enrol(o, sp, m, "moderator")
    r = patch_space(o, sp, name="New name", description="new", purpose="team",
                    posting="moderators")
    assert r.status_code == 200, r.text
    got = r.json()
    assert (got["name"], got["description"], got["purpose"], got["posting"]) == (
        "New name", "new", "team", "moderators")
    r = patch_space(m, sp, name="By the moderator", access="open", posting="everyone")
    assert r.status_code == 200, r.text
    got = space_ok(server, o, sp)
    assert (got["name"], got["access"], got["posting"]) == ("By the moderator", "open",
                                                            "everyone")
    assert got["description"] == "new", "fields not sent are kept"


def test_update_refused_to_others(server):
    o, mem, s_out, g_out = staff(server), staff(server), staff(server), guest(server)
    sp = create(o, "internal", "closed")
    enrol(o, sp, mem)
    assert_json_error(patch_space(mem, sp, name="Member rename"), 403)
    assert_json_error(patch_space(s_out, sp, name="Stranger rename"), 403)
    not_found(patch_space(g_out, sp, name="Guest rename"))
    r = server.request("PATCH", f"{SP}/spaces/{sp['id']}", json={"name": "Anon rename"})
    assert_json_error(r, 401)
    assert space_ok(server, o, sp)["name"] == sp["name"]


def test_kind_and_handle_cannot_change(server):
    o = staff(server)
    sp = create(o, "internal", "open")
    assert_json_error(patch_space(o, sp, kind="public"), 422)
    assert_json_error(patch_space(o, sp, handle=new_handle()), 422)
    assert_json_error(patch_space(o, sp, kind="public", name="Sneaky"), 422)
    got = space_ok(server, o, sp)
    assert (got["kind"], got["handle"], got["name"]) == ("internal", sp["handle"], sp["name"])


@pytest.mark.parametrize("kind,bad", [("external", "open"), ("public", "secret")])
def test_access_must_fit_the_kind(server, kind, bad):
    o = staff(server)
    sp = create(o, kind, "closed")
    assert_json_error(patch_space(o, sp, access=bad), 422)
    assert space_ok(server, o, sp)["access"] == "closed"


@pytest.mark.parametrize("change", [{"name": ""}, {"name": "x" * 101},
                                    {"description": "d" * 2001}, {"purpose": "fun"},
                                    {"posting": "all"}, {"access": "ajar"}])
def test_update_validation(server, change):
    o = staff(server)
    sp = create(o, "internal", "open")
    assert_json_error(patch_space(o, sp, **change), 422)
    assert space_ok(server, o, sp) == sp, "nothing changed"


def test_making_a_space_secret_hides_it_at_once(server):
    o, s_out = staff(server), staff(server)
    sp = create(o, "internal", "open", name="Soon secret " + uuid.uuid4().hex[:8])
    assert space_ok(server, s_out, sp)["id"] == sp["id"]
    r = patch_space(o, sp, access="secret")
    assert r.status_code == 200, r.text
    no_space(get_space(server, s_out, sp))
    no_space(get_space(server, s_out, sp["handle"]))
    assert sp["id"] not in ids(directory(server, s_out, q=sp["name"]))
    not_found(feed_raw(server, s_out, sp))


# ---- seeing a space ----------------------------------------------------------------------

def test_who_sees_which_kind(server):
    o = staff(server)
    s_out, g_out = staff(server), guest(server)
    spaces = {(k, a): create(o, k, a) for k, a in VALID}
    for (kind, access), sp in spaces.items():
        for who, name in ((None, "anon"), (g_out, "guest"), (s_out, "staff")):
            if access == "secret":
                visible = False
            elif kind == "public":
                visible = True
            else:
                visible = name == "staff"
            r = get_space(server, who, sp)
            if visible:
                assert r.status_code == 200, (kind, access, name, r.status_code)
                assert r.json()["membership"] is None
            else:
                no_space(r, (kind, access, name))
            r = get_space(server, who, sp["handle"])
            assert r.status_code == (200 if visible else 404), (kind, access, name, "handle")


def test_guests_never_see_internal_spaces(server):
    o, g = staff(server), guest(server)
    tag = uuid.uuid4().hex[:10]
    made = [create(o, "internal", a, name=f"Inside {tag} {a}") for a in ("open", "closed",
                                                                         "secret")]
    got = directory(server, g, q=tag, limit=40)
    assert got == [], got
    assert directory(server, g, kind="internal", limit=40) == []
    for sp in made:
        no_space(get_space(server, g, sp))
        no_space(get_space(server, g, sp["handle"]))
        no_space(join(g, sp))
    # not even with an invitation attempt
    for sp in made:
        assert_json_error(invite(o, sp, username=g.name), 422)
        no_space(get_space(server, g, sp))


# ---- joining ---------------------------------------------------------------------------

def test_join_open_internal(server):
    o, a = staff(server), staff(server)
    sp = create(o, "internal", "open")
    r = join(a, sp)
    assert r.status_code == 200, r.text
    got = r.json()
    assert got["membership"]["role"] == "member" and got["membership"]["home"] == "all"
    assert got["requested"] is False
    assert got["members_count"] == 2
    assert a.id in member_ids(server, o, sp)
    assert sp["id"] in ids(directory(server, a, mine=1, limit=40))


def test_join_closed_makes_a_request_and_approval_makes_a_member(server):
    o, a = staff(server), staff(server)
    sp = create(o, "internal", "closed")
    r = join(a, sp, note="I work on this")
    assert r.status_code == 200, r.text
    got = r.json()
    assert got["membership"] is None and got["requested"] is True
    assert space_ok(server, a, sp)["requested"] is True
    status_in(feed_raw(server, a, sp), (403, 404))
    reqs = o.ok("GET", f"{SP}/spaces/{sp['id']}/requests")
    assert [x["account"]["id"] for x in reqs] == [a.id], reqs
    assert ISO_RE.match(reqs[0]["created_at"])
    assert reqs[0].get("note") in ("I work on this", "", None)
    r = o.post(f"{SP}/spaces/{sp['id']}/requests/{a.id}/approve")
    assert r.status_code == 200, r.text
    got = space_ok(server, a, sp)
    assert got["membership"]["role"] == "member" and got["requested"] is False
    assert o.ok("GET", f"{SP}/spaces/{sp['id']}/requests") == []
    feed_ids(server, a, sp)
    # approving again: there is no request any more
    status_in(o.post(f"{SP}/spaces/{sp['id']}/requests/{a.id}/approve"), (404, 422))


def test_reject_a_request(server):
    o, a = staff(server), staff(server)
    sp = create(o, "public", "closed")
    assert join(a, sp).json()["requested"] is True
    r = o.post(f"{SP}/spaces/{sp['id']}/requests/{a.id}/reject")
    assert r.status_code == 200, r.text
    got = space_ok(server, a, sp)
    assert got["membership"] is None and got["requested"] is False
    assert o.ok("GET", f"{SP}/spaces/{sp['id']}/requests") == []
    assert a.id not in member_ids(server, o, sp)


def test_requests_are_for_owners_and_moderators(server):
    o, m, mem, a, s_out = (staff(server) for _ in range(5))
    sp = create(o, "internal", "closed")
    enrol(o, sp, m, "moderator")
    enrol(o, sp, mem)
    join(a, sp)
    assert [x["account"]["id"] for x in m.ok("GET", f"{SP}/spaces/{sp['id']}/requests")] == [a.id]
    assert_json_error(mem.get(f"{SP}/spaces/{sp['id']}/requests"), 403)
    assert_json_error(s_out.get(f"{SP}/spaces/{sp['id']}/requests"), 403)
    assert_json_error(mem.post(f"{SP}/spaces/{sp['id']}/requests/{a.id}/approve"), 403)
    assert_json_error(s_out.post(f"{SP}/spaces/{sp['id']}/requests/{a.id}/approve"), 403)
    assert_json_error(a.post(f"{SP}/spaces/{sp['id']}/requests/{a.id}/approve"), 403)
    assert space_ok(server, a, sp)["membership"] is None
    # the moderator approves
    assert m.post(f"{SP}/spaces/{sp['id']}/requests/{a.id}/approve").status_code == 200
    assert space_ok(server, a, sp)["membership"]["role"] == "member"
    # a request that was never made
    status_in(o.post(f"{SP}/spaces/{sp['id']}/requests/{s_out.id}/approve"), (404,))
    assert space_ok(server, s_out, sp)["membership"] is None


def test_join_secret_without_invitation_is_404(server):
    o, a, g = staff(server), staff(server), guest(server)
    for kind in ("internal", "external"):
        sp = create(o, kind, "secret")
        no_space(join(a, sp))
        no_space(join(a, sp["handle"]))
        no_space(join(g, sp))
        assert a.id not in member_ids(server, o, sp)
        assert o.ok("GET", f"{SP}/spaces/{sp['id']}/requests") == []


def test_guest_joins(server):
    o, g = staff(server), guest(server)
    for access in ("open", "closed"):
        no_space(join(g, create(o, "internal", access)))
    ext = create(o, "external", "closed")
    status_in(join(g, ext), (403, 404))
    assert g.id not in member_ids(server, o, ext)
    assert o.ok("GET", f"{SP}/spaces/{ext['id']}/requests") == []
    # with an invitation the guest gets in
    invite_ok(o, ext, username=g.name)
    r = join(g, ext)
    assert r.status_code == 200, r.text
    assert r.json()["membership"]["role"] == "member"
    assert invitation_for(g, ext) is None


def test_join_with_an_invitation_becomes_member(server):
    o, a = staff(server), staff(server)
    sp = create(o, "internal", "closed")
    invite_ok(o, sp, username=a.name)
    assert space_ok(server, a, sp)["invited"] is True
    r = join(a, sp)
    assert r.status_code == 200, r.text
    got = r.json()
    assert got["membership"]["role"] == "member" and got["invited"] is False
    assert got["requested"] is False
    assert o.ok("GET", f"{SP}/spaces/{sp['id']}/requests") == []


def test_joining_again_changes_nothing(server):
    o, a = staff(server), staff(server)
    sp = create(o, "internal", "open")
    assert join(a, sp).status_code == 200
    for who, role in ((a, "member"), (o, "owner")):
        r = join(who, sp)
        status_in(r, (200, 409, 422), role)
        got = space_ok(server, who, sp)
        assert got["membership"]["role"] == role, "joining again must not change the role"
        assert got["members_count"] == 2


def test_join_needs_a_signed_in_user(server):
    o = staff(server)
    sp = create(o, "public", "open")
    assert_json_error(server.post(f"{SP}/spaces/{sp['id']}/join"), 401)


def test_join_public_spaces(server):
    o, a = staff(server), staff(server)
    r = join(a, create(o, "public", "open"))
    assert r.status_code == 200 and r.json()["membership"]["role"] == "member", r.text
    r = join(a, create(o, "public", "closed"))
    assert r.status_code == 200 and r.json()["requested"] is True, r.text
    assert r.json()["membership"] is None


# ---- invitations ---------------------------------------------------------------------------

def test_invite_by_username_and_accept(server):
    o, a = staff(server), staff(server)
    sp = create(o, "internal", "secret", name="Hidden " + uuid.uuid4().hex[:8])
    no_space(get_space(server, a, sp))
    out = invite_ok(o, sp, username=a.name)
    assert len(out) == 1 and isinstance(out[0]["id"], str), out
    # the invitee now sees the space (to accept), and the invitation
    got = space_ok(server, a, sp)
    assert got["invited"] is True and got["membership"] is None and got["name"] == sp["name"]
    inv = invitation_for(a, sp)
    assert inv["space"]["id"] == sp["id"] and inv["space"]["name"] == sp["name"]
    assert inv["invited_by"]["id"] == o.id
    assert inv["id"] == out[0]["id"]
    # the owner lists it
    listed = o.ok("GET", f"{SP}/spaces/{sp['id']}/invitations")
    assert out[0]["id"] in ids(listed)
    r = a.post(f"{SP}/invitations/{inv['id']}/accept")
    assert r.status_code == 200, r.text
    got = r.json()
    assert got["id"] == sp["id"] and got["membership"]["role"] == "member"
    assert got["invited"] is False
    assert invitation_for(a, sp) is None
    assert out[0]["id"] not in ids(o.ok("GET", f"{SP}/spaces/{sp['id']}/invitations"))
    assert a.id in member_ids(server, o, sp)


def test_decline_an_invitation(server):
    o, a = staff(server), staff(server)
    sp = create(o, "internal", "secret")
    invite_ok(o, sp, username=a.name)
    inv = invitation_for(a, sp)
    r = a.post(f"{SP}/invitations/{inv['id']}/decline")
    assert r.status_code == 200, r.text
    assert invitation_for(a, sp) is None
    no_space(get_space(server, a, sp))
    not_found(a.post(f"{SP}/invitations/{inv['id']}/accept"))
    assert a.id not in member_ids(server, o, sp)


def test_only_the_invitee_accepts(server):
    o, a, b, g = staff(server), staff(server), staff(server), guest(server)
    sp = create(o, "internal", "secret")
    invite_ok(o, sp, username=a.name)
    inv = invitation_for(a, sp)
    for other in (b, g, o):
        not_found(other.post(f"{SP}/invitations/{inv['id']}/accept"), other)
        not_found(other.post(f"{SP}/invitations/{inv['id']}/decline"), other)
    assert_json_error(server.post(f"{SP}/invitations/{inv['id']}/accept"), 401)
    assert b.id not in member_ids(server, o, sp) and g.id not in member_ids(server, o, sp)
    assert invitation_for(a, sp) is not None
    assert my_invitations(b) == []


def test_cancel_an_invitation(server):
    o, a = staff(server), staff(server)
    sp = create(o, "internal", "secret")
    out = invite_ok(o, sp, username=a.name)
    inv_id = out[0]["id"]
    r = o.delete(f"{SP}/spaces/{sp['id']}/invitations/{inv_id}")
    assert r.status_code == 200 and r.json() == {}, r.text
    assert invitation_for(a, sp) is None
    no_space(get_space(server, a, sp))
    not_found(a.post(f"{SP}/invitations/{inv_id}/accept"))
    not_found(o.delete(f"{SP}/spaces/{sp['id']}/invitations/{inv_id}"))


def test_invitations_need_owner_or_moderator(server):
    o, m, mem, a, b = (staff(server) for _ in range(5))
    sp = create(o, "internal", "closed")
    enrol(o, sp, m, "moderator")
    enrol(o, sp, mem)
    assert_json_error(invite(mem, sp, username=a.name), 403)
    assert_json_error(invite(b, sp, username=a.name), 403)
    assert invitation_for(a, sp) is None
    assert_json_error(mem.get(f"{SP}/spaces/{sp['id']}/invitations"), 403)
    out = invite_ok(m, sp, username=a.name)
    assert out[0]["id"] in ids(m.ok("GET", f"{SP}/spaces/{sp['id']}/invitations"))
    assert_json_error(mem.delete(f"{SP}/spaces/{sp['id']}/invitations/{out[0]['id']}"), 403)
    assert m.delete(f"{SP}/spaces/{sp['id']}/invitations/{out[0]['id']}").status_code == 200
    assert invitation_for(a, sp) is None


def test_invite_unknown_or_bad(server):
    o = staff(server)
    sp = create(o, "external", "closed")
    status_in(invite(o, sp, username="nobody_" + uuid.uuid4().hex[:10]), (404, 422))
    assert_json_error(invite(o, sp), 422)
    assert_json_error(invite(o, sp, email="not an email"), 422)


def test_a_guest_is_never_invited_to_an_internal_space(server):
    o, g = staff(server), guest(server)
    for access in ("open", "closed", "secret"):
        sp = create(o, "internal", access)
        assert_json_error(invite(o, sp, username=g.name), 422)
        # an email invitation makes a guest: refused as well
        assert_json_error(invite(o, sp, email=unique_email()), 422)
        assert invitation_for(g, sp) is None
        no_space(get_space(server, g, sp))


def test_invite_a_guest_to_an_external_space(server):
    o, g = staff(server), guest(server)
    sp = create(o, "external", "secret", name="Partner " + uuid.uuid4().hex[:8])
    no_space(get_space(server, g, sp))
    invite_ok(o, sp, username=g.name)
    got = space_ok(server, g, sp)
    assert got["invited"] is True and got["name"] == sp["name"]
    assert sp["id"] in ids(directory(server, g, limit=40, q=sp["name"]))
    got = accept(g, sp)
    assert got["membership"]["role"] == "member"
    assert g.id in member_ids(server, o, sp)


# -- by email link: the guest signs up through /invite/:code ---------------------------------

def allow_invite_links(server):
    """Space email invitations are guest registration invites: let the
    instance take invite links, as the admin does in /admin."""
    from test_web import set_registration
    admin, _ = server.admin_session()
    set_registration(server, admin, "invite")


def sign_up_through(server, url, email=None):
    """Open the invite URL in a fresh browser session and make an account;
    returns (session, username, response)."""
    from test_web import account_form
    assert url.startswith(server.url + "/invite/"), url
    path = urlparse(url).path
    s = server.web_session()
    r = server.get(path, session=s)
    assert r.status_code == 200, (r.status_code, r.text[:500])
    name = unique("sg")
    data = account_form(name, email=email)
    data["csrf"] = csrf_from(r.text)
    return s, name, server.post(path, session=s, data=data)


def test_invite_by_email_link_makes_a_guest_member(server):
    allow_invite_links(server)
    o = staff(server)
    sp = create(o, "external", "closed", name="Customers " + uuid.uuid4().hex[:8])
    post = space_post(o, sp, "welcome, customers")
    email = unique_email()
    out = invite_ok(o, sp, email=email)
    assert len(out) == 1
    inv = out[0]
    assert inv["email"] == email and isinstance(inv["id"], str), inv
    assert inv["invite_url"].startswith(server.url + "/invite/"), inv
    assert inv["id"] in ids(o.ok("GET", f"{SP}/spaces/{sp['id']}/invitations"))
    s, name, r = sign_up_through(server, inv["invite_url"], email=email)
    assert r.status_code == 303, (r.status_code, r.text[:800])
    assert s.cookies.get("parley_session")
    tok = server.token(name, scope="read write")
    me = server.verify(tok).json()
    assert me["parley"]["kind"] == "guest", me["parley"]
    h = {"Authorization": f"Bearer {tok}"}
    got = server.get(f"{SP}/spaces/{sp['id']}", headers=h)
    assert got.status_code == 200, got.text
    assert got.json()["membership"]["role"] == "member"
    assert me["id"] in member_ids(server, o, sp)
    r = server.get(f"{SP}/spaces/{sp['id']}/feed", headers=h)
    assert r.status_code == 200 and post["id"] in ids(r.json()), r.text[:300]
    # the invitation is used up
    assert inv["id"] not in ids(o.ok("GET", f"{SP}/spaces/{sp['id']}/invitations"))
    r = server.get(urlparse(inv["invite_url"]).path, session=server.web_session())
    assert r.status_code == 404, r.status_code
    # the guest is a guest everywhere else: no internal space
    inner = create(o, "internal", "open")
    r = server.get(f"{SP}/spaces/{inner['id']}", headers=h)
    assert r.status_code == 404, r.status_code


def test_email_invitation_by_a_moderator_and_cancelled(server):
    allow_invite_links(server)
    o, m = staff(server), staff(server)
    sp = create(o, "external", "secret")
    enrol(o, sp, m, "moderator")
    inv = invite_ok(m, sp, email=unique_email())[0]
    r = o.delete(f"{SP}/spaces/{sp['id']}/invitations/{inv['id']}")
    assert r.status_code == 200, r.text
    # a cancelled email invitation no longer makes an account, nor a member
    r = server.get(urlparse(inv["invite_url"]).path, session=server.web_session())
    assert r.status_code == 404, r.status_code


# ---- roles -----------------------------------------------------------------------------------

def test_owner_sets_any_role(server):
    o, a = staff(server), staff(server)
    sp = create(o, "internal", "closed")
    enrol(o, sp, a)
    for role in ("moderator", "owner", "member", "owner"):
        r = set_role(o, sp, a, role)
        assert r.status_code == 200, (role, r.text)
        got = r.json()
        assert got["account"]["id"] == a.id and got["role"] == role, got
        assert ISO_RE.match(got["joined_at"])
        assert space_ok(server, a, sp)["membership"]["role"] == role
    # now a is an owner too and may demote the first one
    r = set_role(a, sp, o, "member")
    assert r.status_code == 200, r.text
    assert space_ok(server, o, sp)["membership"]["role"] == "member"


def test_role_validation(server):
    o, a, s_out = staff(server), staff(server), staff(server)
    sp = create(o, "internal", "closed")
    enrol(o, sp, a)
    assert_json_error(set_role(o, sp, a, "admin"), 422)
    assert_json_error(set_role(o, sp, a, ""), 422)
    not_found(set_role(o, sp, s_out, "moderator"))
    not_found(set_role(o, sp, "999999999999", "moderator"))
    assert space_ok(server, s_out, sp)["membership"] is None


def test_moderator_powers(server):
    o, m, a, b, c = (staff(server) for _ in range(5))
    sp = create(o, "internal", "closed")
    enrol(o, sp, m, "moderator")
    enrol(o, sp, a)
    # member <-> moderator
    r = set_role(m, sp, a, "moderator")
    assert r.status_code == 200 and r.json()["role"] == "moderator", r.text
    r = set_role(m, sp, a, "member")
    assert r.status_code == 200 and r.json()["role"] == "member", r.text
    # invite, approve, remove a member
    invite_ok(m, sp, username=b.name)
    join(c, sp)
    assert m.post(f"{SP}/spaces/{sp['id']}/requests/{c.id}/approve").status_code == 200
    r = remove(m, sp, a)
    assert r.status_code == 200 and r.json() == {}, r.text
    assert a.id not in member_ids(server, o, sp)
    # pin and update
    st = space_post(o, sp, "pin me")
    assert pin(m, sp, st).status_code == 200
    assert patch_space(m, sp, description="moderated").status_code == 200


def test_moderator_limits(server):
    o, m, m2 = staff(server), staff(server), staff(server)
    sp = create(o, "internal", "closed")
    enrol(o, sp, m, "moderator")
    enrol(o, sp, m2, "moderator")
    assert_json_error(set_role(m, sp, m, "owner"), 403)
    assert_json_error(set_role(m, sp, m2, "owner"), 403)
    assert_json_error(set_role(m, sp, o, "member"), 403)
    assert_json_error(set_role(m, sp, o, "moderator"), 403)
    assert_json_error(remove(m, sp, o), 403)
    assert_json_error(m.post(f"{SP}/spaces/{sp['id']}/archive"), 403)
    assert space_ok(server, o, sp)["membership"]["role"] == "owner"
    assert space_ok(server, m, sp)["membership"]["role"] == "moderator"
    assert space_ok(server, o, sp)["archived"] is False


def test_member_has_no_powers(server):
    o, mem, other = staff(server), staff(server), staff(server)
    sp = create(o, "internal", "closed")
    enrol(o, sp, mem)
    enrol(o, sp, other)
    st = space_post(o, sp, "a post")
    assert_json_error(set_role(mem, sp, other, "moderator"), 403)
    assert_json_error(set_role(mem, sp, mem, "moderator"), 403)
    assert_json_error(remove(mem, sp, other), 403)
    assert_json_error(pin(mem, sp, st), 403)
    assert_json_error(mem.post(f"{SP}/spaces/{sp['id']}/archive"), 403)
    assert_json_error(patch_space(mem, sp, posting="moderators"), 403)
    assert_json_error(mem.get(f"{SP}/spaces/{sp['id']}/invitations"), 403)
    assert space_ok(server, other, sp)["membership"]["role"] == "member"
    assert space_ok(server, mem, sp)["membership"]["role"] == "member"


def test_members_list(server):
    o, m, a = staff(server), staff(server), staff(server)
    sp = create(o, "internal", "closed")
    enrol(o, sp, m, "moderator")
    enrol(o, sp, a)
    got = members(server, a, sp, limit=40)
    roles = {x["account"]["id"]: x["role"] for x in got}
    assert roles == {o.id: "owner", m.id: "moderator", a.id: "member"}, roles
    for x in got:
        assert x["account"]["username"] and ISO_RE.match(x["joined_at"]), x
    assert member_ids(server, a, sp, role="moderator") == {m.id}
    assert member_ids(server, a, sp, role="owner") == {o.id}
    # paging with limit and after (the Link header's next, else after=<last account id>)
    r = a.get(f"{SP}/spaces/{sp['id']}/members", params={"limit": 2})
    assert r.status_code == 200
    first = r.json()
    assert len(first) == 2
    nxt = link(r, "next") or (f"{SP}/spaces/{sp['id']}/members?limit=2&after="
                              + first[-1]["account"]["id"])
    r = a.get(nxt)
    assert r.status_code == 200, r.text
    rest = r.json()
    got = [x["account"]["id"] for x in first + rest]
    assert sorted(got) == sorted([o.id, m.id, a.id]), got


def test_members_list_needs_read_access(server):
    o, s_out, g = staff(server), staff(server), guest(server)
    closed = create(o, "internal", "closed")
    status_in(s_out.get(f"{SP}/spaces/{closed['id']}/members"), (403, 404))
    not_found(g.get(f"{SP}/spaces/{closed['id']}/members"))
    opened = create(o, "internal", "open")
    assert o.id in member_ids(server, s_out, opened)
    not_found(g.get(f"{SP}/spaces/{opened['id']}/members"))


# ---- removing and leaving ------------------------------------------------------------------

def test_owner_removes_a_member(server):
    o, a = staff(server), staff(server)
    sp = create(o, "internal", "closed")
    enrol(o, sp, a)
    st = space_post(o, sp, "before the removal")
    assert st["id"] in feed_ids(server, a, sp)
    r = remove(o, sp, a)
    assert r.status_code == 200 and r.json() == {}, r.text
    got = space_ok(server, a, sp)
    assert got["membership"] is None and got["members_count"] == 1
    status_in(feed_raw(server, a, sp), (403, 404))
    not_found(a.status(st["id"]))
    assert_json_error(space_post_raw(a, sp, "still here?"), 403)
    not_found(remove(o, sp, a))


def test_the_last_owner_cannot_leave(server):
    o, a = staff(server), staff(server)
    sp = create(o, "internal", "closed")
    assert_json_error(leave(o, sp), 422)
    assert space_ok(server, o, sp)["membership"]["role"] == "owner"
    enrol(o, sp, a, "moderator")
    assert_json_error(leave(o, sp), 422)  # a moderator is not an owner
    assert set_role(o, sp, a, "owner").status_code == 200
    r = leave(o, sp)
    assert r.status_code == 200, r.text
    assert r.json()["membership"] is None
    assert space_ok(server, a, sp)["members_count"] == 1
    # and the other owner cannot remove itself from being the last one
    assert_json_error(leave(a, sp), 422)


def test_member_leaves(server):
    o, a = staff(server), staff(server)
    sp = create(o, "internal", "secret")
    enrol(o, sp, a)
    st = space_post(o, sp, "secret words")
    r = leave(a, sp)
    assert r.status_code == 200, r.text
    # a secret space is gone from sight once left
    assert a.id not in member_ids(server, o, sp)
    no_space(get_space(server, a, sp))
    not_found(a.status(st["id"]))
    not_found(feed_raw(server, a, sp))


def test_leave_when_not_a_member(server):
    o, a = staff(server), staff(server)
    sp = create(o, "internal", "open")
    status_in(leave(a, sp), (403, 404, 422))
    assert space_ok(server, o, sp)["members_count"] == 1


# ---- archiving -----------------------------------------------------------------------------

def test_archive_and_unarchive(server):
    o, a, b = staff(server), staff(server), staff(server)
    sp = create(o, "internal", "open", name="Archivable " + uuid.uuid4().hex[:8])
    enrol(o, sp, a)
    old = space_post(a, sp, "before the archive")
    r = o.post(f"{SP}/spaces/{sp['id']}/archive")
    assert r.status_code == 200 and r.json()["archived"] is True, r.text
    # the archive is read-only: no posts, no joins; the past stays readable
    assert_json_error(space_post_raw(a, sp, "after the archive"), 422)
    assert_json_error(space_post_raw(o, sp, "owner after the archive"), 422)
    assert_json_error(a.post_status_raw("via the Mastodon API", parley_space_id=sp["id"]), 422)
    assert_json_error(a.post_status_raw("a reply", in_reply_to_id=old["id"]), 422)
    assert_json_error(join(b, sp), 422)
    assert space_ok(server, b, sp)["membership"] is None
    assert old["id"] in feed_ids(server, a, sp)
    assert space_ok(server, a, sp)["archived"] is True
    # not in the directory by default, with archived=1 it is
    assert sp["id"] not in ids(directory(server, a, q=sp["name"]))
    assert sp["id"] not in ids(directory(server, a, mine=1, limit=40))
    assert sp["id"] in ids(directory(server, a, q=sp["name"], archived=1))
    r = o.post(f"{SP}/spaces/{sp['id']}/unarchive")
    assert r.status_code == 200 and r.json()["archived"] is False, r.text
    space_post(a, sp, "after the unarchive")
    assert join(b, sp).status_code == 200


def test_only_owners_archive(server):
    o, m, a = staff(server), staff(server), staff(server)
    sp = create(o, "internal", "closed")
    enrol(o, sp, m, "moderator")
    enrol(o, sp, a)
    for who in (m, a, staff(server)):
        assert_json_error(who.post(f"{SP}/spaces/{sp['id']}/archive"), 403)
    assert o.post(f"{SP}/spaces/{sp['id']}/archive").status_code == 200
    for who in (m, a):
        assert_json_error(who.post(f"{SP}/spaces/{sp['id']}/unarchive"), 403)
    assert space_ok(server, o, sp)["archived"] is True
    not_found(guest(server).post(f"{SP}/spaces/{sp['id']}/archive"))


def test_a_member_still_sees_an_archived_secret_space(server):
    o, a = staff(server), staff(server)
    sp = create(o, "internal", "secret")
    enrol(o, sp, a)
    o.post(f"{SP}/spaces/{sp['id']}/archive")
    assert space_ok(server, a, sp)["archived"] is True
    no_space(get_space(server, staff(server), sp))


# ---- posting -------------------------------------------------------------------------------

def test_post_through_the_space_endpoint(server):
    o = staff(server)
    sp = create(o, "internal", "closed")
    st = space_post(o, sp, "hello space")
    assert "hello space" in st["content"]
    assert st["account"]["id"] == o.id
    got = o.ok("GET", f"/api/v1/statuses/{st['id']}")
    assert_in_space(got, sp)
    assert got["id"] in feed_ids(server, o, sp)


def test_post_with_parley_space_id(server):
    o = staff(server)
    sp = create(o, "external", "closed")
    for vis in (None, "public", "private"):
        st = o.post_status(f"via the Mastodon API ({vis})", vis, parley_space_id=sp["id"])
        assert_in_space(st, sp)
    assert len(feed_ids(server, o, sp)) == 3


def test_post_by_mentioning_the_handle(server):
    o, a = staff(server), staff(server)
    sp = create(o, "internal", "closed")
    st = o.post_status(f"news for @{sp['handle']} today")
    assert_in_space(st, sp)
    assert st["id"] in feed_ids(server, o, sp)
    # a direct post that names the space stays a direct post
    dm = o.post_status(f"@{a.name} psst about @{sp['handle']}", "direct")
    assert dm["parley"]["audience"] == "direct"
    assert dm["id"] not in feed_ids(server, o, sp)
    # who is not a member only mentions a name: the post is not in the space
    st = a.post_status(f"I heard of @{sp['handle']}", "organisation")
    assert st["parley"]["audience"] != "space"
    assert st["id"] not in feed_ids(server, o, sp)


def test_mentioning_a_secret_handle_from_outside_reveals_nothing(server):
    o, g = staff(server), guest(server)
    sp = create(o, "internal", "secret", name="Codename " + uuid.uuid4().hex[:8])
    st = g.post_status(f"what is @{sp['handle']}?", "public")
    assert st["parley"]["audience"] == "public"
    assert sp["name"] not in str(st)
    assert sp["id"] not in str(st.get("parley", {}))


def test_non_members_cannot_post(server):
    o, a, g = staff(server), staff(server), guest(server)
    visible = create(o, "internal", "open")
    assert_json_error(space_post_raw(a, visible, "not a member"), 403)
    assert_json_error(a.post_status_raw("not a member", parley_space_id=visible["id"]), 403)
    hidden = create(o, "internal", "secret")
    # a space the author may not even see answers like one that does not exist
    not_found(space_post_raw(a, hidden, "not a member"))
    not_found(space_post_raw(g, visible, "a guest"))
    # through the Mastodon API: a space one may not see answers exactly like
    # an id that names no space at all
    nothing = a.post_status_raw("nowhere", parley_space_id="999999999999")
    status_in(nothing, (404, 422))
    for who, sp in ((a, hidden), (g, hidden), (g, visible)):
        r = who.post_status_raw("not mine", parley_space_id=sp["id"])
        assert (r.status_code, r.json()) == (nothing.status_code, nothing.json()), (who, r.text)
    assert feed_ids(server, o, visible) == [] and feed_ids(server, o, hidden) == []
    assert_json_error(server.post(f"{SP}/spaces/{visible['id']}/statuses",
                                  data={"status": "anon"}), 401)


def test_posting_for_moderators_only(server):
    o, m, a = staff(server), staff(server), staff(server)
    sp = create(o, "internal", "open", purpose="announcements", posting="moderators")
    enrol(o, sp, m, "moderator")
    enrol(o, sp, a)
    assert_json_error(space_post_raw(a, sp, "a member speaks"), 403)
    assert_json_error(a.post_status_raw("a member speaks", parley_space_id=sp["id"]), 403)
    space_post(m, sp, "a moderator speaks")
    ann = space_post(o, sp, "the owner speaks")
    # a reply by a member is a post in the space too: refused as well
    assert_json_error(a.post_status_raw("a member replies", in_reply_to_id=ann["id"]), 403)
    assert len(feed_ids(server, o, sp)) == 2
    assert patch_space(o, sp, posting="everyone").status_code == 200
    space_post(a, sp, "now everyone may")


def test_reply_stays_in_the_space(server):
    o, a = staff(server), staff(server)
    sp = create(o, "internal", "closed")
    enrol(o, sp, a)
    root = space_post(o, sp, "the question")
    for vis in (None, "public", "organisation", "private", "direct"):
        r = a.reply(root, f"an answer ({vis})", vis)
        assert_in_space(r, sp)
        assert r["in_reply_to_id"] == root["id"]
    # a reply to a reply too
    deep = o.reply(r, "and deeper", "public")
    assert_in_space(deep, sp)
    assert status_ids_in(o.timeline("/api/v1/timelines/public", limit=40)).isdisjoint(
        {root["id"], r["id"], deep["id"]})
    ctx = a.ok("GET", f"/api/v1/statuses/{root['id']}/context")
    assert deep["id"] in ids(ctx["descendants"]) and len(ctx["descendants"]) == 6


def test_a_reader_who_is_not_a_member_cannot_reply(server):
    o, reader = staff(server), staff(server)
    sp = create(o, "internal", "open")
    root = space_post(o, sp, "an open question")
    assert reader.ok("GET", f"/api/v1/statuses/{root['id']}")["id"] == root["id"]
    assert_json_error(reader.post_status_raw("my reply", "public", in_reply_to_id=root["id"]),
                      403)
    assert reader.ok("GET", f"/api/v1/statuses/{root['id']}/context")["descendants"] == []
    assert reader.ok("GET", f"/api/v1/statuses/{root['id']}")["replies_count"] == 0


def test_reblogs_of_space_posts_are_refused(server):
    o, a, s_out, g = staff(server), staff(server), staff(server), guest(server)
    inner = create(o, "internal", "open")
    enrol(o, inner, a)
    pub = create(o, "public", "open")
    secret = create(o, "internal", "secret")
    p_inner = space_post(o, inner, "internal words")
    p_pub = space_post(o, pub, "public space words")
    p_secret = space_post(o, secret, "secret words")
    for who, st in ((a, p_inner), (o, p_inner), (s_out, p_inner), (g, p_pub), (o, p_pub),
                    (s_out, p_pub)):
        assert_json_error(who.act(st["id"], "reblog"), 422)
    # what cannot be read cannot be reblogged: 404, not 422 (no hint it exists)
    not_found(g.act(p_inner["id"], "reblog"))
    not_found(s_out.act(p_secret["id"], "reblog"))
    for st in (p_inner, p_pub):
        got = o.ok("GET", f"/api/v1/statuses/{st['id']}")
        assert got["reblogs_count"] == 0, got
        assert o.ok("GET", f"/api/v1/statuses/{st['id']}/reblogged_by") == []


def test_edit_keeps_the_space(server):
    o = staff(server)
    sp = create(o, "internal", "secret")
    st = space_post(o, sp, "first words")
    r = o.put(f"/api/v1/statuses/{st['id']}", data={"status": "second words",
                                                     "visibility": "public"})
    assert r.status_code == 200, r.text
    assert_in_space(r.json(), sp)
    assert_in_space(o.ok("GET", f"/api/v1/statuses/{st['id']}"), sp)


def test_favourite_and_bookmark_by_readers(server):
    o, a, reader = staff(server), staff(server), staff(server)
    sp = create(o, "internal", "open")
    enrol(o, sp, a)
    st = space_post(o, sp, "like me")
    for who in (a, reader):
        assert who.act(st["id"], "favourite").status_code == 200
        assert who.act(st["id"], "bookmark").status_code == 200
        assert st["id"] in ids(who.timeline("/api/v1/bookmarks"))
    assert o.ok("GET", f"/api/v1/statuses/{st['id']}")["favourites_count"] == 2


# ---- the feed ----------------------------------------------------------------------------

def test_feed_newest_first_and_paging(server):
    o = staff(server)
    sp = create(o, "internal", "closed")
    posted = [space_post(o, sp, f"post {i}")["id"] for i in range(7)]
    want = list(reversed(posted))
    assert feed_ids(server, o, sp) == want
    r = feed_raw(server, o, sp, limit=3)
    assert ids(r.json()) == want[:3]
    nxt = link(r, "next")
    assert nxt and "max_id=" in nxt, r.headers.get("Link")
    items, pages = walk(server, o.s, f"{SP}/spaces/{sp['id']}/feed", params={"limit": 3})
    assert ids(items) == want and pages >= 3
    assert ids(o.ok("GET", f"{SP}/spaces/{sp['id']}/feed",
                    params={"max_id": want[2], "limit": 2})) == want[3:5]
    assert ids(o.ok("GET", f"{SP}/spaces/{sp['id']}/feed",
                    params={"since_id": want[3]})) == want[:3]
    # min_id: the posts just after it, still newest first
    assert ids(o.ok("GET", f"{SP}/spaces/{sp['id']}/feed",
                    params={"min_id": want[5], "limit": 2})) == want[3:5]
    # prev link from the second page leads back to newer posts
    r2 = server.request("GET", nxt, session=o.s)
    prev = link(r2, "prev")
    assert prev, r2.headers.get("Link")
    back = server.request("GET", prev, session=o.s).json()
    assert set(ids(back)) <= set(want[:3]) and back, back


def test_feed_holds_only_its_space(server):
    o = staff(server)
    a, b = create(o, "internal", "closed"), create(o, "internal", "closed")
    pa = space_post(o, a, "in a")
    pb = space_post(o, b, "in b")
    plain = o.post_status("not in a space", "organisation")
    assert feed_ids(server, o, a) == [pa["id"]]
    assert feed_ids(server, o, b) == [pb["id"]]
    assert plain["id"] not in feed_ids(server, o, a)


def test_feed_limit_is_capped(server):
    o = staff(server)
    sp = create(o, "public", "open")
    for i in range(42):
        space_post(o, sp, f"p{i}")
    got = o.ok("GET", f"{SP}/spaces/{sp['id']}/feed", params={"limit": 100})
    assert len(got) == 40, len(got)


# ---- pins --------------------------------------------------------------------------------

def test_pins(server):
    o, m, a, reader, g = staff(server), staff(server), staff(server), staff(server), guest(server)
    sp = create(o, "internal", "open")
    enrol(o, sp, m, "moderator")
    enrol(o, sp, a)
    p1 = space_post(a, sp, "worth pinning")
    p2 = space_post(o, sp, "also worth it")
    assert o.ok("GET", f"{SP}/spaces/{sp['id']}/pins") == []
    assert pin(o, sp, p1).status_code == 200
    assert pin(m, sp, p2).status_code == 200
    for who in (o, a, reader):
        assert set(ids(who.ok("GET", f"{SP}/spaces/{sp['id']}/pins"))) == {p1["id"], p2["id"]}
    not_found(g.get(f"{SP}/spaces/{sp['id']}/pins"))
    assert_json_error(unpin(a, sp, p1), 403)
    assert unpin(m, sp, p1).status_code == 200
    assert ids(o.ok("GET", f"{SP}/spaces/{sp['id']}/pins")) == [p2["id"]]
    # a post of another space, or outside any space, is not pinned here
    other = create(o, "internal", "open")
    stray = space_post(o, other, "elsewhere")
    status_in(pin(o, sp, stray), (404, 422))
    status_in(pin(o, sp, o.post_status("plain", "organisation")), (404, 422))
    status_in(pin(o, sp, {"id": "999999999999"}), (404,))
    assert ids(o.ok("GET", f"{SP}/spaces/{sp['id']}/pins")) == [p2["id"]]


def test_pins_of_a_closed_space_are_for_members(server):
    o, s_out = staff(server), staff(server)
    sp = create(o, "internal", "closed")
    st = space_post(o, sp, "pinned secret plan")
    assert pin(o, sp, st).status_code == 200
    r = s_out.get(f"{SP}/spaces/{sp['id']}/pins")
    status_in(r, (403, 404))
    assert "secret plan" not in r.text


# ---- space search ---------------------------------------------------------------------------

def test_space_search(server):
    o, s_out, g = staff(server), staff(server), guest(server)
    word = "zq" + uuid.uuid4().hex[:8]
    sp = create(o, "internal", "closed")
    other = create(o, "internal", "closed")
    hit = space_post(o, sp, f"the {word} report is late")
    space_post(o, sp, "nothing to see")
    elsewhere = space_post(o, other, f"another {word} here")
    outside = o.post_status(f"{word} in the organisation", "organisation")
    got = o.ok("GET", f"{SP}/spaces/{sp['id']}/search", params={"q": word})
    assert ids(got) == [hit["id"]], got
    assert elsewhere["id"] not in ids(got) and outside["id"] not in ids(got)
    assert o.ok("GET", f"{SP}/spaces/{sp['id']}/search", params={"q": "absent" + word}) == []
    r = s_out.get(f"{SP}/spaces/{sp['id']}/search", params={"q": word})
    status_in(r, (403, 404))
    assert word not in r.text
    r = g.get(f"{SP}/spaces/{sp['id']}/search", params={"q": word})
    not_found(r)


# ---- membership home setting -------------------------------------------------------------------

def test_home_setting_all_pinned_none(server):
    o, a = staff(server), staff(server)
    sp = create(o, "internal", "closed")
    enrol(o, sp, a)
    assert space_ok(server, a, sp)["membership"]["home"] == "all"
    p_all = space_post(o, sp, "everyone hears this")
    assert wait_for(lambda: p_all["id"] in a.home_ids()), "a member's home has the space's posts"

    r = set_home(a, sp, "pinned")
    assert r.status_code == 200 and r.json()["membership"]["home"] == "pinned", r.text
    plain = space_post(o, sp, "a plain post")
    pinned = space_post(o, sp, "an announcement")
    assert pin(o, sp, pinned).status_code == 200
    assert wait_for(lambda: pinned["id"] in a.home_ids()), a.home_ids()
    home = a.home_ids()
    assert plain["id"] not in home

    r = set_home(a, sp, "none")
    assert r.status_code == 200 and r.json()["membership"]["home"] == "none", r.text
    after = space_post(o, sp, "heard by nobody's home")
    settle()
    home = a.home_ids()
    assert after["id"] not in home and plain["id"] not in home
    # the feed still has all of them
    assert {p_all["id"], plain["id"], pinned["id"], after["id"]} <= set(feed_ids(server, a, sp))


def test_home_setting_validation(server):
    o, a, s_out = staff(server), staff(server), staff(server)
    sp = create(o, "internal", "open")
    enrol(o, sp, a)
    assert_json_error(set_home(a, sp, "some"), 422)
    assert space_ok(server, a, sp)["membership"]["home"] == "all"
    status_in(set_home(s_out, sp, "none"), (403, 404, 422))
    assert space_ok(server, s_out, sp)["membership"] is None


def test_home_of_non_members_has_no_space_posts(server):
    o, follower = staff(server), staff(server)
    follower.follow(o)
    sp = create(o, "internal", "closed")
    st = space_post(o, sp, "for members")
    plain = o.post_status("for followers", "private")
    assert wait_for(lambda: plain["id"] in follower.home_ids())
    assert st["id"] not in follower.home_ids()


# ---- the directory ------------------------------------------------------------------------

def test_directory_filters(server):
    o, a = staff(server), staff(server)
    tag = "dir" + uuid.uuid4().hex[:8]
    made = {k + a_: create(o, k, a_, name=f"{tag} {k} {a_}") for k, a_ in VALID}
    join(a, made["internalopen"])
    got = ids(directory(server, a, q=tag, limit=40))
    want = {made[k]["id"] for k in ("internalopen", "internalclosed", "externalclosed",
                                    "publicopen", "publicclosed")}
    assert set(got) == want, "staff see every space that is not secret"
    assert [int(i) for i in got] == sorted((int(i) for i in got), reverse=True), "newest first"
    assert set(ids(directory(server, o, q=tag, limit=40))) == {s["id"] for s in made.values()}
    assert set(ids(directory(server, a, q=tag, kind="public"))) == {made["publicopen"]["id"],
                                                                     made["publicclosed"]["id"]}
    assert set(ids(directory(server, a, q=tag, kind="external"))) == {
        made["externalclosed"]["id"]}
    assert set(ids(directory(server, a, mine=1, limit=40))) == {made["internalopen"]["id"]}
    assert set(ids(directory(server, None, q=tag))) == {made["publicopen"]["id"],
                                                        made["publicclosed"]["id"]}


def test_directory_paging_and_limit_cap(server):
    o = staff(server)
    tag = "pg" + uuid.uuid4().hex[:8]
    made = [create(o, "public", "open", name=f"{tag} {i}")["id"] for i in range(41)]
    got = directory(server, o, q=tag, limit=100)
    assert len(got) == 40, len(got)
    r = server.request("GET", SP + "/spaces", session=o.s, params={"q": tag, "limit": 15})
    assert len(r.json()) == 15 and link(r, "next"), r.headers.get("Link")
    items, pages = walk(server, o.s, SP + "/spaces", params={"q": tag, "limit": 15})
    assert ids(items) == list(reversed(made)) and pages >= 3
    got = directory(server, o, q=tag, max_id=made[10], limit=40)
    assert ids(got) == list(reversed(made[:10]))


# ---- Mastodon lists ---------------------------------------------------------------------------

def test_spaces_are_lists(server):
    o, a = staff(server), staff(server)
    s1 = create(o, "internal", "closed", name="First " + uuid.uuid4().hex[:6])
    s2 = create(o, "external", "secret", name="Second " + uuid.uuid4().hex[:6])
    create(o, "internal", "open")  # a is not a member of this one
    enrol(o, s1, a)
    enrol(o, s2, a)
    lists = a.ok("GET", "/api/v1/lists")
    got = {x["id"]: x for x in lists}
    assert set(got) == {s1["id"], s2["id"]}, lists
    for sp in (s1, s2):
        assert got[sp["id"]] == {"id": sp["id"], "title": sp["name"], "replies_policy": "list",
                                 "exclusive": False}
        assert a.ok("GET", f"/api/v1/lists/{sp['id']}") == got[sp["id"]]
    # the space list's timeline is the feed
    st = space_post(o, s1, "through a list")
    assert ids(a.ok("GET", f"/api/v1/timelines/list/{s1['id']}")) == [st["id"]]
    # the space list's accounts are its members
    acc = a.ok("GET", f"/api/v1/lists/{s1['id']}/accounts")
    assert {x["id"] for x in acc} == {o.id, a.id}
    # after leaving, the list is gone
    assert leave(a, s1).status_code == 200
    assert {x["id"] for x in a.ok("GET", "/api/v1/lists")} == {s2["id"]}
    not_found(a.get(f"/api/v1/lists/{s1['id']}"))
    not_found(a.get(f"/api/v1/timelines/list/{s1['id']}"))


def test_space_lists_cannot_be_edited_as_lists(server):
    o, a, b = staff(server), staff(server), staff(server)
    sp = create(o, "internal", "closed")
    enrol(o, sp, a)
    a.follow(b)
    assert_json_error(a.put(f"/api/v1/lists/{sp['id']}", data={"title": "renamed"}), 422)
    assert_json_error(a.delete(f"/api/v1/lists/{sp['id']}"), 422)
    assert_json_error(a.post(f"/api/v1/lists/{sp['id']}/accounts",
                             data={"account_ids[]": [b.id]}), 422)
    assert_json_error(a.delete(f"/api/v1/lists/{sp['id']}/accounts",
                               params={"account_ids[]": [o.id]}), 422)
    assert space_ok(server, a, sp)["name"] == sp["name"]
    assert b.id not in member_ids(server, o, sp) and o.id in member_ids(server, o, sp)
    # nor by owners
    assert_json_error(o.delete(f"/api/v1/lists/{sp['id']}"), 422)
    assert space_ok(server, o, sp)["id"] == sp["id"]


def test_personal_lists_keep_working(server):
    a, b, c = staff(server), staff(server), staff(server)
    sp = create(a, "internal", "closed")
    r = a.post("/api/v1/lists", data={"title": "Close colleagues"})
    assert r.status_code == 200, r.text
    lst = r.json()
    assert lst["title"] == "Close colleagues" and lst["id"] != sp["id"]
    assert lst["replies_policy"] == "list" and lst["exclusive"] is False
    got = ids(a.ok("GET", "/api/v1/lists"))
    assert got == [lst["id"], sp["id"]], "personal lists first, then spaces"
    r = a.put(f"/api/v1/lists/{lst['id']}", data={"title": "Renamed", "exclusive": "true"})
    assert r.status_code == 200 and r.json()["title"] == "Renamed", r.text
    assert r.json()["exclusive"] is True
    # accounts must be followed first
    assert_json_error(a.post(f"/api/v1/lists/{lst['id']}/accounts",
                             data={"account_ids[]": [b.id]}), 422)
    a.follow(b)
    r = a.post(f"/api/v1/lists/{lst['id']}/accounts", data={"account_ids[]": [b.id]})
    assert r.status_code == 200, r.text
    assert ids(a.ok("GET", f"/api/v1/lists/{lst['id']}/accounts")) == [b.id]
    assert ids(a.ok("GET", f"/api/v1/accounts/{b.id}/lists")) == [lst["id"]]
    pb = b.post_status("b says hi", "organisation")
    c.post_status("c says hi", "organisation")
    assert wait_for(lambda: pb["id"] in ids(a.timeline(f"/api/v1/timelines/list/{lst['id']}")))
    assert ids(a.timeline(f"/api/v1/timelines/list/{lst['id']}")) == [pb["id"]]
    # lists are their owner's
    not_found(b.get(f"/api/v1/lists/{lst['id']}"))
    not_found(b.delete(f"/api/v1/lists/{lst['id']}"))
    r = a.delete(f"/api/v1/lists/{lst['id']}/accounts", params={"account_ids[]": [b.id]})
    assert r.status_code == 200, r.text
    assert a.ok("GET", f"/api/v1/lists/{lst['id']}/accounts") == []
    assert a.delete(f"/api/v1/lists/{lst['id']}").status_code == 200
    assert ids(a.ok("GET", "/api/v1/lists")) == [sp["id"]]
    assert_json_error(a.post("/api/v1/lists", data={"title": ""}), 422)


# ---- a browser session on the API ---------------------------------------------------------------

def test_a_browser_session_is_not_a_credential_for_the_api(server):
    """The API knows a viewer by a bearer token only: a session cookie (which a
    cross-site form could send) reads as anonymous and writes nothing."""
    o = staff(server)
    sp = create(o, "internal", "secret")
    s = server.signed_in_session(o.name)
    r = server.get(f"{SP}/spaces/{sp['id']}", session=s)
    assert r.status_code == 404, r.text[:300]
    h = new_handle()
    r = server.post(f"{SP}/spaces", session=s, data={"name": "Forged", "handle": h,
                                                     "kind": "public", "access": "open"})
    assert r.status_code == 401, (r.status_code, r.text[:300])
    no_space(get_space(server, o, h))
    r = server.post(f"{SP}/spaces/{sp['id']}/archive", session=s)
    assert r.status_code == 401, r.status_code
    assert space_ok(server, o, sp)["archived"] is False


# ---- the web pages ---------------------------------------------------------------------------

FORM_RE = re.compile(r"<form\b[^>]*>.*?</form>", re.S | re.I)
ACTION_RE = re.compile(r'action="([^"]*)"', re.I)


def form_with(html, field):
    """The action of the first form that has an input named field."""
    for m in FORM_RE.finditer(html):
        if re.search(r'name="%s"' % re.escape(field), m.group(0)):
            a = ACTION_RE.search(m.group(0))
            assert a, m.group(0)[:300]
            return a.group(1).replace("&amp;", "&")
    raise AssertionError(f"no form with a field {field!r}:\n{html[:2000]}")


def test_web_new_space_form_makes_a_space(server):
    o = staff(server)
    s = server.signed_in_session(o.name)
    page = server.get("/spaces/new", session=s)
    assert page.status_code == 200, page.status_code
    for field in ("name", "handle", "kind", "access", "purpose", "description"):
        assert f'name="{field}"' in page.text, field
    action = form_with(page.text, "handle")
    h = new_handle("web")
    r = server.post(action, session=s,
                    data={"csrf": csrf_from(page.text), "name": "Made on the web", "handle": h,
                          "kind": "internal", "access": "closed", "purpose": "team",
                          "description": "from a form"})
    assert r.status_code == 303, (r.status_code, r.text[:500])
    assert urlparse(r.headers["Location"]).path == f"/s/{h}"
    sp = space_ok(server, o, h)
    assert (sp["name"], sp["kind"], sp["access"], sp["purpose"]) == (
        "Made on the web", "internal", "closed", "team")
    assert sp["membership"]["role"] == "owner"
    # the same form without its token changes nothing
    h2 = new_handle("web")
    r = server.post(action, session=s, data={"name": "No csrf", "handle": h2,
                                             "kind": "internal", "access": "open"})
    assert r.status_code == 403
    no_space(get_space(server, o, h2))


def test_web_new_space_is_for_staff(server):
    g = guest(server)
    s = server.signed_in_session(g.name)
    r = server.get("/spaces/new", session=s)
    assert r.status_code == 403, r.status_code
    r = server.get("/spaces/new")
    assert r.status_code == 303 and r.headers["Location"].startswith("/signin")
    page = server.get("/spaces", session=s)
    assert page.status_code == 200
    assert 'href="/spaces/new"' not in page.text
    page = server.get("/spaces", session=server.signed_in_session(staff(server).name))
    assert 'href="/spaces/new"' in page.text


def test_web_space_page_tabs(server):
    o, a, s_out = staff(server), staff(server), staff(server)
    sp = create(o, "internal", "closed", name="Web tabs " + uuid.uuid4().hex[:6])
    enrol(o, sp, a)
    space_post(o, sp, "visible on the page " + uuid.uuid4().hex[:6])
    so, sa, sx = (server.signed_in_session(x.name) for x in (o, a, s_out))
    page = server.get(f"/s/{sp['handle']}", session=sa)
    assert page.status_code == 200 and sp["name"] in page.text
    assert "visible on the page" in page.text
    r = server.get(f"/s/{sp['handle']}/members", session=sa)
    assert r.status_code == 200 and "@" + o.name in r.text and "@" + a.name in r.text
    assert server.get(f"/s/{sp['handle']}/settings", session=so).status_code == 200
    assert server.get(f"/s/{sp['handle']}/settings", session=sa).status_code == 403
    # a staff member outside a closed space sees the header, not the posts
    page = server.get(f"/s/{sp['handle']}", session=sx)
    assert page.status_code == 200 and sp["name"] in page.text
    assert "visible on the page" not in page.text
    status_in(server.get(f"/s/{sp['handle']}/members", session=sx), (403, 404))
