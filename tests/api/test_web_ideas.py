"""The idea board pages: enable the board in the space's settings, propose
an idea with the form, vote (plain form and htmx), comment, post a new
version, change the status, merge; a visitor reads a public board."""
import re

import pytest

from conftest import ParleyServer, unique
from test_web_conversations import User

HTMX = {"HX-Request": "true"}


@pytest.fixture(scope="module")
def server(parley_bin, tmp_path_factory):
    """A server of its own where test accounts are not "new" (their votes count)."""
    s = ParleyServer(tmp_path_factory.mktemp("web_ideas"),
                     env={"PARLEY_IDEA_NEW_ACCOUNT_HOURS": "0"}).start()
    try:
        s.create_user("first_admin", "first_admin@example.com", role="admin")
        yield s
    finally:
        assert s.stop() == 0, s.log_tail()


def make_space(owner, kind="internal", access="open"):
    handle = unique("idb")[:30]
    r = owner.post("/spaces", {"name": "Ideas " + handle, "handle": handle, "kind": kind,
                               "access": access, "purpose": "ideas"}, csrf_from_path="/spaces/new")
    assert r.status_code == 303, (r.status_code, r.text[:300])
    return handle


def enable(owner, handle):
    page = owner.get(f"/s/{handle}/settings")
    assert "Enable idea board" in page.text
    r = owner.post(f"/s/{handle}/ideas/board", {"on": "1"}, csrf_from_path=f"/s/{handle}/settings")
    assert r.status_code == 303 and r.headers["Location"] == f"/s/{handle}/settings", r.text[:300]
    assert f'href="/s/{handle}/ideas"' in owner.get(f"/s/{handle}").text


def propose(user, handle, title, description="Why not", category=""):
    r = user.post(f"/s/{handle}/ideas", {"title": title, "description": description, "category": category},
                  csrf_from_path=f"/s/{handle}/ideas")
    assert r.status_code == 303, (r.status_code, r.text[:500])
    m = re.match(r"^/ideas/(\d+)$", r.headers["Location"])
    assert m, r.headers["Location"]
    return m.group(1)


def test_board_through_the_pages(server):
    owner, voter = User(server), User(server)
    handle = make_space(owner)
    # the board is off: the settings offer to switch it on, nobody proposes
    assert f'href="/s/{handle}/ideas"' not in owner.get(f"/s/{handle}").text
    enable(owner, handle)
    board = owner.get(f"/s/{handle}/ideas")
    assert board.status_code == 200 and "Propose an idea" in board.text
    # a form error keeps what was typed
    r = owner.post(f"/s/{handle}/ideas", {"title": "", "description": "kept text"},
                   csrf_from_path=f"/s/{handle}/ideas")
    assert r.status_code == 422 and "kept text" in r.text and 'role="alert"' in r.text
    title = "Plant more trees " + unique("t")
    iid = propose(owner, handle, title, "Trees **everywhere**", "green")
    page = owner.get(f"/ideas/{iid}")
    assert page.status_code == 200 and title in page.text and "<strong>everywhere</strong>" in page.text
    assert "Post a new version" in page.text and "Change the status" in page.text and "Merge" in page.text
    # the voter sees the idea on the board with a vote button; votes without JS
    board = voter.get(f"/s/{handle}/ideas?sort=new")
    assert title in board.text and f'action="/ideas/{iid}/vote"' in board.text
    r = voter.post(f"/ideas/{iid}/vote", {"on": "1", "next": f"/s/{handle}/ideas"},
                   csrf_from_path=f"/s/{handle}/ideas")
    assert r.status_code == 303 and r.headers["Location"] == f"/s/{handle}/ideas"
    assert "<strong>1</strong> vote" in voter.get(f"/ideas/{iid}").text
    # and with htmx the button swaps itself
    r = voter.post(f"/ideas/{iid}/vote", {"on": "0", "next": f"/ideas/{iid}"}, csrf_from_path=f"/ideas/{iid}",
                   headers=HTMX)
    assert r.status_code == 200 and f'id="vote-{iid}"' in r.text and "<strong>0</strong> votes" in r.text
    assert "<html" not in r.text
    assert 'value="1"' in r.text and ">Vote<" in r.text
    # a non-member of this open space cannot comment; the owner can
    r = owner.post(f"/ideas/{iid}/comments", {"body": "First comment", "version": "1"},
                   csrf_from_path=f"/ideas/{iid}")
    assert r.status_code == 303 and r.headers["Location"] == f"/ideas/{iid}#v1"
    assert "First comment" in owner.get(f"/ideas/{iid}").text
    # a new version keeps the first and its comment
    r = owner.post(f"/ideas/{iid}/versions", {"title": title, "description": "Trees in the car park",
                                              "note": "narrowed to one place"}, csrf_from_path=f"/ideas/{iid}")
    assert r.status_code == 303
    page = owner.get(f"/ideas/{iid}")
    assert "Version 2 (current)" in page.text and "Version 1" in page.text
    assert "narrowed to one place" in page.text and "First comment" in page.text
    # declining needs an explanation; the page says so
    r = owner.post(f"/ideas/{iid}/status", {"status": "declined", "explanation": ""},
                   csrf_from_path=f"/ideas/{iid}")
    assert r.status_code == 303
    assert "Declined" not in owner.get(f"/ideas/{iid}").text.split("</h1>")[1].split("</p>")[0]
    r = owner.post(f"/ideas/{iid}/status", {"status": "planned", "explanation": "Next spring"},
                   csrf_from_path=f"/ideas/{iid}")
    assert r.status_code == 303
    page = voter.get(f"/ideas/{iid}")
    assert "Planned" in page.text and "Next spring" in page.text
    assert "Change the status" not in page.text and "Post a new version" not in page.text
    # only the space's moderators change statuses
    r = voter.post(f"/ideas/{iid}/status", {"status": "done"}, csrf_from_path=f"/ideas/{iid}")
    assert r.status_code == 403
    # filter by status
    assert title in owner.get(f"/s/{handle}/ideas?status=planned").text
    assert title not in owner.get(f"/s/{handle}/ideas?status=done").text
    # merge a duplicate: the votes move, the page links back
    dup = propose(owner, handle, "Duplicate trees " + unique("d"))
    r = voter.post(f"/ideas/{dup}/vote", {"on": "1", "next": f"/ideas/{dup}"}, csrf_from_path=f"/ideas/{dup}")
    assert r.status_code == 303
    r = owner.post(f"/ideas/{dup}/merge", {"into": f"http://x/ideas/{iid}"}, csrf_from_path=f"/ideas/{dup}")
    assert r.status_code == 303 and r.headers["Location"] == f"/ideas/{iid}"
    page = owner.get(f"/ideas/{iid}")
    assert "Merged from" in page.text and f'href="/ideas/{dup}"' in page.text
    assert "<strong>1</strong> vote" in page.text
    assert f'href="/ideas/{dup}"' not in owner.get(f"/s/{handle}/ideas").text


def test_visitor_reads_public_board_not_internal(server):
    owner = User(server)
    pub = make_space(owner, kind="public", access="open")
    enable(owner, pub)
    iid = propose(owner, pub, "Open idea " + unique("o"))
    internal = make_space(owner)
    enable(owner, internal)
    hidden = propose(owner, internal, "Hidden idea " + unique("h"))
    visitor = server.web_session()
    r = server.get(f"/s/{pub}/ideas", session=visitor)
    assert r.status_code == 200 and f'href="/ideas/{iid}"' in r.text
    assert "Propose an idea" not in r.text and f'action="/ideas/{iid}/vote"' not in r.text
    assert server.get(f"/ideas/{iid}", session=visitor).status_code == 200
    assert server.get(f"/ideas/{hidden}", session=visitor).status_code == 404
    assert server.get(f"/s/{internal}/ideas", session=visitor).status_code == 404
    # a guest outside the internal space gets the same answer
    guest = User(server, role="guest")
    assert guest.get(f"/ideas/{hidden}").status_code == 404


def test_only_moderators_switch_the_board(server):
    owner, other = User(server), User(server)
    handle = make_space(owner)
    r = other.post(f"/s/{handle}/ideas/board", {"on": "1"}, csrf_from_path=f"/s/{handle}")
    assert r.status_code == 403
    enable(owner, handle)
    r = owner.post(f"/s/{handle}/ideas/board", {"on": "0"}, csrf_from_path=f"/s/{handle}/settings")
    assert r.status_code == 303
    assert "Enable idea board" in owner.get(f"/s/{handle}/settings").text
