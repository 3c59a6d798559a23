"""The spaces pages: create a space with the form, invite a guest by an
email link, the guest signs up through it, posts in the space and sees
nothing internal."""
import re
from urllib.parse import urlparse

from conftest import unique
from test_web import accept_invite, set_registration
from test_web_conversations import User


def test_external_space_through_the_pages(server):
    owner = User(server, public=False)
    admin, _ = server.admin_session()
    set_registration(server, admin, "invite")
    handle = unique("ext")[:30]
    r = owner.post("/spaces", {"name": "Acme support", "handle": handle, "kind": "external",
                               "access": "closed", "purpose": "support"}, csrf_from_path="/spaces/new")
    assert r.status_code == 303 and r.headers["Location"] == f"/s/{handle}", (r.status_code, r.text[:300])
    page = owner.get(f"/s/{handle}")
    assert page.status_code == 200 and "Acme support" in page.text and 'action="/s/' in page.text
    # an internal post by the owner, outside the space
    internal = "internal only " + unique("t")
    owner.compose(internal, audience="organisation")
    # invite a guest by email: the page shows a one-time link
    email = unique("g") + "@customer.example"
    r = owner.post(f"/s/{handle}/invite", {"email": email}, csrf_from_path=f"/s/{handle}/settings")
    assert r.status_code == 200, r.text[:300]
    m = re.search(r'value="(https?://[^"]+/invite/[^"]+)"', r.text)
    assert m, r.text[:2000]
    s, name, r = accept_invite(server, urlparse(m.group(1)).path, email=email)
    assert r.status_code == 303, r.text[:500]
    # the guest is a member and posts in the space
    page = server.get(f"/s/{handle}", session=s)
    assert page.status_code == 200 and "You are member" in page.text
    text = "hello from the customer " + unique("t")
    csrf = server.page_csrf(s, f"/s/{handle}")
    r = server.post(f"/s/{handle}/posts", session=s, data={"csrf": csrf, "text": text})
    assert r.status_code == 303
    assert text in owner.get(f"/s/{handle}").text
    # the guest sees nothing internal, and no internal spaces
    home = server.get("/", session=s).text
    assert text in home and internal not in home
    assert internal not in server.get(f"/@{owner.name}", session=s).text
    other = unique("int")[:30]
    owner.post("/spaces", {"name": "Staff room " + other, "handle": other, "kind": "internal",
                           "access": "open"}, csrf_from_path="/spaces/new")
    assert other not in server.get("/spaces", session=s).text
    assert server.get(f"/s/{other}", session=s).status_code == 404
    # a stranger does not see the external space at all
    stranger = User(server, role="guest", public=False)
    assert stranger.get(f"/s/{handle}").status_code == 404
    assert handle not in stranger.get("/spaces").text


def test_closed_space_request_and_approval(server):
    owner, asker = User(server), User(server)
    handle = unique("cl")[:30]
    owner.post("/spaces", {"name": "Closed room", "handle": handle, "kind": "internal",
                           "access": "closed"}, csrf_from_path="/spaces/new")
    page = asker.get(f"/s/{handle}")
    assert "Ask to join" in page.text and "Join this space to read it" in page.text
    asker.post(f"/s/{handle}/join", {}, csrf_from_path=f"/s/{handle}")
    settings = owner.get(f"/s/{handle}/settings").text
    m = re.search(rf'/s/{handle}/requests/(\d+)/approve', settings)
    assert m, settings[:3000]
    owner.post(m.group(0), {}, csrf_from_path=f"/s/{handle}/settings")
    assert "You are member" in asker.get(f"/s/{handle}").text


def test_copy_to_another_space_is_a_new_post(server):
    """An internal post goes to an external space only as a new post its
    copier writes: the page pre-fills a composer, nothing is widened."""
    staff = User(server, public=False)
    internal, external = unique("in")[:30], unique("ex")[:30]
    for h, kind in ((internal, "internal"), (external, "external")):
        r = staff.post("/spaces", {"name": "Room " + h, "handle": h, "kind": kind, "access": "closed"},
                       csrf_from_path="/spaces/new")
        assert r.status_code == 303
    text = "roadmap draft " + unique("t")
    csrf = server.page_csrf(staff.s, f"/s/{internal}")
    assert server.post(f"/s/{internal}/posts", session=staff.s,
                       data={"csrf": csrf, "text": text}).status_code == 303
    page = staff.get(f"/s/{internal}").text
    m = re.search(r'href="/posts/(\d+)/copy"', page)
    assert m, page[:2000]
    pid = m.group(1)
    copy = staff.get(f"/posts/{pid}/copy")
    assert copy.status_code == 200 and f"/s/{external}?copy={pid}" in copy.text
    assert f"/s/{internal}?copy=" not in copy.text
    prefilled = staff.get(f"/s/{external}?copy={pid}").text
    assert text in prefilled and "<textarea" in prefilled
    # nothing was posted in the external space by that
    plain = staff.get(f"/s/{external}").text
    assert text not in plain and "No posts in this space yet" in plain
    # someone who cannot read the post gets nothing from the copy page
    other = User(server)
    assert other.get(f"/posts/{pid}/copy").status_code == 404
    assert text not in other.get(f"/s/{external}?copy={pid}").text
