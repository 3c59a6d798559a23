"""The questions pages (issue 7): ask with the form (similar questions by
htmx and without JavaScript), answer, vote, accept, close and reopen, the
lists with their filter and search, a space's questions, and the audience
rule on every page. Through requests with browser sessions, as
test_web_spaces.py does."""
import re

from conftest import unique
from test_web_conversations import User


def ask(user, title, body="Some details", tags="", space="", **extra):
    data = {"title": title, "body": body, "tags": tags, "space": space}
    data.update(extra)
    r = user.post("/questions/new", data, csrf_from_path="/questions/new", allow_redirects=False)
    assert r.status_code == 303, (r.status_code, r.text[:800])
    m = re.match(r"^/questions/(\d+)$", r.headers["Location"])
    assert m, r.headers["Location"]
    return m.group(1)


def test_nav_and_empty_lists(server):
    u = User(server)
    home = u.get("/")
    assert '<a href="/questions">Questions</a>' in home.text
    assert home.text.index(">People<") < home.text.index(">Questions<")
    page = u.get("/questions")
    assert page.status_code == 200 and 'action="/questions"' in page.text
    assert 'href="/questions/new"' in page.text
    assert server.get("/questions").status_code == 200        # anonymous: public only
    assert server.get("/questions/new", allow_redirects=False).status_code in (302, 303)


def test_ask_answer_vote_accept_close_reopen(server):
    asker, expert, voter = User(server), User(server), User(server)
    word = unique("zq").replace("_", "")
    title = f"How to tune {word} <script>alert(1)</script>?"
    qid = ask(asker, title, body=f"Our #{word} is **slow**", tags="postgres, billing")
    page = asker.get(f"/questions/{qid}")
    assert page.status_code == 200
    assert "<script>alert(1)</script>" not in page.text and "&lt;script&gt;" in page.text
    assert "<strong>slow</strong>" in page.text and "Open" in page.text
    assert "postgres" in page.text and "billing" in page.text
    # answer
    r = expert.post(f"/questions/{qid}/answers", {"body": "Raise *work_mem*."}, csrf_from_path=f"/questions/{qid}",
                    allow_redirects=False)
    assert r.status_code == 303 and r.headers["Location"] == f"/questions/{qid}"
    page = voter.get(f"/questions/{qid}")
    assert "<em>work_mem</em>" in page.text and "Answered" in page.text
    aid = re.search(r'id="answer-(\d+)"', page.text).group(1)
    # vote: up, then pressing again withdraws
    r = voter.post(f"/answers/{aid}/vote", {"value": "1"}, csrf_from_path=f"/questions/{qid}", allow_redirects=False)
    assert r.status_code == 303
    assert "Score 1" in voter.get(f"/questions/{qid}").text
    assert 'name="value" value="0"' in voter.get(f"/questions/{qid}").text
    voter.post(f"/answers/{aid}/vote", {"value": "0"}, csrf_from_path=f"/questions/{qid}")
    assert "Score 0" in voter.get(f"/questions/{qid}").text
    # the expert has no vote buttons on their own answer, and no accept button
    ep = expert.get(f"/questions/{qid}").text
    assert f'action="/answers/{aid}/vote"' not in ep and f'action="/questions/{qid}/accept"' not in ep
    # accept (only the asker sees the button)
    assert f'action="/questions/{qid}/accept"' in asker.get(f"/questions/{qid}").text
    r = asker.post(f"/questions/{qid}/accept", {"answer_id": aid}, csrf_from_path=f"/questions/{qid}",
                   allow_redirects=False)
    assert r.status_code == 303
    page = asker.get(f"/questions/{qid}").text
    assert "Accepted answer" in page and "Resolved" in page
    # a voter cannot accept: refused, nothing changes
    voter.post(f"/questions/{qid}/unaccept", {}, csrf_from_path=f"/questions/{qid}")
    assert "Resolved" in asker.get(f"/questions/{qid}").text
    # close as a duplicate of a question, then reopen
    orig = ask(asker, f"Original {word}")
    r = asker.post(f"/questions/{qid}/close", {"reason": "duplicate", "duplicate_of": f"/questions/{orig}",
                                               "note": "asked before"},
                   csrf_from_path=f"/questions/{qid}", allow_redirects=False)
    assert r.status_code == 303
    page = expert.get(f"/questions/{qid}").text
    assert "Closed as a duplicate" in page and f'href="/questions/{orig}"' in page
    assert f'action="/questions/{qid}/answers"' not in page
    asker.post(f"/questions/{qid}/reopen", {}, csrf_from_path=f"/questions/{qid}")
    assert "Resolved" in asker.get(f"/questions/{qid}").text
    # lists: state filter and search
    assert f"/questions/{qid}" in asker.get("/questions", params={"state": "resolved"}).text
    assert f"/questions/{qid}" not in asker.get("/questions", params={"state": "open"}).text
    assert f"/questions/{orig}" in asker.get("/questions", params={"q": f"original {word}"}).text
    # notifications page labels
    notes = asker.get("/notifications").text
    assert "answered your question" in notes
    assert "accepted your answer" in expert.get("/notifications").text


def test_similar_by_htmx_and_without_js(server):
    asker, expert = User(server), User(server)
    word = unique("sim").replace("_", "")
    qid = ask(asker, f"Printing {word} labels")
    expert.post(f"/questions/{qid}/answers", {"body": "Use the label printer."}, csrf_from_path=f"/questions/{qid}")
    frag = asker.get("/questions/similar", params={"title": f"{word} label"}, headers={"HX-Request": "true"})
    assert frag.status_code == 200 and f'href="/questions/{qid}"' in frag.text and "<html" not in frag.text
    # the form's "Check for similar" button works without JavaScript
    r = asker.post("/questions/new", {"title": f"{word}", "body": "", "check": "1"}, csrf_from_path="/questions/new")
    assert r.status_code == 200 and f'href="/questions/{qid}"' in r.text and 'name="title"' in r.text
    # a stranger to the question's audience is never shown it
    guest = User(server, role="guest")
    assert f'/questions/{qid}' not in guest.get("/questions/similar", params={"q": word}).text


def test_space_questions_and_audience(server):
    owner, member, outsider = User(server), User(server), User(server)
    handle = unique("qs")[:30]
    r = owner.post("/spaces", {"name": "Helpdesk", "handle": handle, "kind": "internal", "access": "closed"},
                   csrf_from_path="/spaces/new", allow_redirects=False)
    assert r.status_code == 303
    page = owner.get(f"/s/{handle}").text
    assert f'href="/s/{handle}/questions"' in page
    sp = owner.get(f"/s/{handle}/questions")
    assert sp.status_code == 200 and f'href="/questions/new?space={handle}"' in sp.text
    form = owner.get(f"/questions/new?space={handle}").text
    assert f'value="{handle}" selected' in form
    qid = ask(owner, "Where is the printer?", space=handle)
    assert f"/questions/{qid}" in owner.get(f"/s/{handle}/questions").text
    # a staff member outside the closed space: 404, and not listed
    assert outsider.get(f"/questions/{qid}").status_code == 404
    assert f"/questions/{qid}" not in outsider.get("/questions").text
    assert server.get(f"/questions/{qid}").status_code == 404
    r = outsider.post(f"/questions/{qid}/answers", {"body": "x"}, csrf_from_path="/questions")
    assert r.status_code == 404
    # guests cannot ask outside spaces: the form says why
    guest = User(server, role="guest")
    r = guest.post("/questions/new", {"title": "t", "body": "b", "space": ""}, csrf_from_path="/questions/new")
    assert r.status_code == 403 and "Guests ask" in r.text
