"""
The benchmark data generator (bench/seed.c, issue 8) writes questions,
answers and idea boards straight through the store layer. Seeded at size
S (about 3 s) and served by the real binary, they must read as if they
had been written through the API: every list and page answers 200, and
the counts the server shows agree with the rows (a question's
answers_count with the answers listed, its accepted answer with the one
marked accepted, an idea's votes_count with its voters, its comments and
versions with those listed).

The generator is build/parley-bench-seed (`make bench-seed`; `make test`
builds it), next to the parley binary under test.
"""
import json
import os
import re
import sqlite3
import subprocess
from pathlib import Path

import pytest

from conftest import PARLEY_BIN, ParleyServer, csrf_from

SEED_BIN = os.environ.get("PARLEY_BENCH_SEED") or str(Path(PARLEY_BIN).parent / "parley-bench-seed")
PASSWORD = "bench password 2026"   # the one password of every seeded account
STATES = ("open", "answered", "resolved", "closed")


@pytest.fixture(scope="module")
def seeded(parley_bin, tmp_path_factory):
    if not os.access(SEED_BIN, os.X_OK):
        pytest.skip(f"{SEED_BIN} is not built (make bench-seed)")
    data = tmp_path_factory.mktemp("bench-seed") / "data"
    data.mkdir()
    r = subprocess.run([SEED_BIN, "--size", "S", "--data", str(data)], capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 0, r.stderr
    srv = ParleyServer(data).start()
    try:
        yield srv, data
    finally:
        status = srv.stop()
        assert status == 0, srv.log_tail()


def lines(path):
    return [ln.split() for ln in Path(path).read_text().splitlines() if ln.strip()]


def db(data):
    return sqlite3.connect(f"file:{data / 'parley.db'}?mode=ro", uri=True)


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def check_question(srv, q, token):
    """The question's answers as listed agree with its counters and state."""
    r = srv.get(f"/api/parley/v1/questions/{q['id']}/answers", headers=bearer(token))
    assert r.status_code == 200, r.text
    answers = r.json()
    assert q["answers_count"] == len(answers)
    assert q["status"]["replies_count"] == len(answers)
    accepted = [a["id"] for a in answers if a["accepted"]]
    assert q["accepted_answer_id"] == (accepted[0] if accepted else None)
    if accepted:
        assert answers[0]["id"] == accepted[0], "the accepted answer is listed first"
    for a in answers:
        assert a["question_id"] == q["id"]
        assert a["score"] == a["upvotes"] - a["downvotes"]
        assert a["status"]["in_reply_to_id"] == q["id"]
    if q["state"] == "open":
        assert not answers and q["first_answer_at"] is None
    if q["state"] in ("answered", "resolved"):
        assert answers and q["first_answer_at"] is not None
    assert (q["state"] == "resolved") == bool(accepted) or q["state"] == "closed"
    if q["state"] == "resolved":
        assert q["resolved_at"] is not None
    if q["state"] == "closed":
        assert q["close_reason"] in ("duplicate", "out_of_scope", "other") and q["closed_at"]
    return answers


def test_seed_summary_counts_the_rows(seeded):
    srv, data = seeded
    summary = json.loads((data / "seed.json").read_text())
    c = db(data)
    for table in ("questions", "answers", "answer_votes", "ideas", "idea_versions", "idea_votes"):
        assert summary["rows"][table] == c.execute(f"SELECT count(*) FROM {table}").fetchone()[0], table
    assert summary["rows"]["questions"] == summary["posts"] // 50
    assert summary["rows"]["ideas"] == summary["posts"] // 200
    by_state = dict(c.execute("SELECT state, count(*) FROM questions GROUP BY state").fetchall())
    assert {s: by_state.get(s, 0) for s in STATES} == summary["questions_by_state"]
    assert all(by_state.get(s, 0) > 0 for s in STATES)
    boards = c.execute("SELECT count(*) FROM spaces WHERE ideas_enabled = 1").fetchone()[0]
    assert boards == summary["idea_boards"] >= 3


def test_counters_and_times_agree_with_the_rows(seeded):
    """What the server keeps rather than counts: replies_count of question
    and idea posts, answer votes, idea votes; and what comes after what."""
    srv, data = seeded
    c = db(data)
    zero = {
        "replies_count": "SELECT count(*) FROM posts p WHERE (p.id IN (SELECT post_id FROM questions)"
                         " OR p.id IN (SELECT post_id FROM idea_versions))"
                         " AND p.replies_count <> (SELECT count(*) FROM posts r WHERE r.in_reply_to_id = p.id)",
        "answer votes": "SELECT count(*) FROM answers a WHERE a.upvotes <> (SELECT count(*) FROM answer_votes v"
                        " WHERE v.answer_id = a.post_id AND v.value > 0) OR a.downvotes <> (SELECT count(*)"
                        " FROM answer_votes v WHERE v.answer_id = a.post_id AND v.value < 0)",
        "idea votes": "SELECT count(*) FROM ideas i WHERE i.votes_count <> (SELECT count(*) FROM idea_votes v"
                      " WHERE v.idea_id = i.id AND v.flag = '')",
        "answers after": "SELECT count(*) FROM answers a JOIN questions q ON q.post_id = a.question_id"
                         " WHERE a.created_at <= q.asked_at OR a.post_id <= q.post_id",
        "first answer": "SELECT count(*) FROM questions q WHERE q.first_answer_at <> coalesce((SELECT"
                        " min(a.created_at) FROM answers a WHERE a.question_id = q.post_id), 0)",
        "comments after": "SELECT count(*) FROM posts c JOIN idea_versions v ON v.post_id = c.in_reply_to_id"
                          " WHERE c.id <= v.post_id",
        "within the year": "SELECT count(*) FROM posts WHERE created_at >= 1767225600000",
    }
    for name, sql in zero.items():
        assert c.execute(sql).fetchone()[0] == 0, name


def test_questions_list_reads_consistently(seeded):
    srv, data = seeded
    token = lines(data / "tokens.txt")[0][0]
    r = srv.get("/api/parley/v1/questions?limit=40", headers=bearer(token))
    assert r.status_code == 200, r.text
    questions = r.json()
    assert len(questions) == 40
    ids = [int(q["id"]) for q in questions]
    assert ids == sorted(ids, reverse=True)
    for q in questions:
        check_question(srv, q, token)
    for state in STATES:
        r = srv.get(f"/api/parley/v1/questions?state={state}&limit=5", headers=bearer(token))
        assert r.status_code == 200, r.text
        assert r.json() and all(q["state"] == state for q in r.json())


def test_each_listed_question_reads_with_its_readers_token(seeded):
    srv, data = seeded
    listed = lines(data / "questions.txt")
    assert len(listed) >= 500
    c = db(data)
    seen, seen_spaces = set(), set()
    for qid, token in listed[:120]:
        r = srv.get(f"/api/parley/v1/questions/{qid}", headers=bearer(token))
        assert r.status_code == 200, (qid, r.text)
        q = r.json()
        answers = check_question(srv, q, token)
        rows = c.execute("SELECT count(*) FROM answers WHERE question_id = ?", (qid,)).fetchone()[0]
        assert len(answers) == rows
        seen.add(q["state"])
        if q["space"] and len(seen_spaces) < 10 and q["space"]["id"] not in seen_spaces:
            # the reader of a question in a space is one of its members
            me = srv.get("/api/v1/accounts/verify_credentials", headers=bearer(token)).json()["id"]
            assert c.execute("SELECT 1 FROM space_members WHERE space_id = ? AND account_id = ?",
                             (q["space"]["id"], me)).fetchone()
            seen_spaces.add(q["space"]["id"])
    assert seen == set(STATES)
    assert seen_spaces


def test_similar_questions_find_the_seeded_ones(seeded):
    srv, data = seeded
    token = lines(data / "tokens.txt")[0][0]
    r = srv.get("/api/parley/v1/questions/similar?q=python", headers=bearer(token))
    assert r.status_code == 200, r.text
    assert r.json() and all(q["state"] in ("answered", "resolved") for q in r.json())


def test_idea_boards_read_consistently(seeded):
    srv, data = seeded
    c = db(data)
    boards = lines(data / "boards.txt")
    assert len({sid for sid, _ in boards}) >= 3
    checked = 0
    for sid, token in boards[::3]:
        for sort in ("trending", "top", "new"):
            r = srv.get(f"/api/parley/v1/spaces/{sid}/ideas?sort={sort}&limit=40", headers=bearer(token))
            assert r.status_code == 200, r.text
        ideas = r.json()
        assert ideas, sid
        for idea in ideas[:10]:
            voters = c.execute("SELECT count(*) FROM idea_votes WHERE idea_id = ?", (idea["id"],)).fetchone()[0]
            assert idea["votes_count"] == voters
            one = srv.get(f"/api/parley/v1/ideas/{idea['id']}", headers=bearer(token))
            assert one.status_code == 200 and one.json()["votes_count"] == voters
            versions = srv.get(f"/api/parley/v1/ideas/{idea['id']}/versions", headers=bearer(token))
            assert versions.status_code == 200 and len(versions.json()) == idea["version"]
            comments = srv.get(f"/api/parley/v1/ideas/{idea['id']}/comments", headers=bearer(token))
            assert comments.status_code == 200 and len(comments.json()) == idea["comments_count"]
            checked += 1
    assert checked >= 10
    top = srv.get(f"/api/parley/v1/spaces/{boards[0][0]}/ideas?sort=top&limit=40", headers=bearer(boards[0][1]))
    votes = [i["votes_count"] for i in top.json()]
    assert votes == sorted(votes, reverse=True)


def test_web_pages_show_them(seeded):
    srv, data = seeded
    c = db(data)
    qid, handle, user = c.execute(
        "SELECT q.post_id, s.handle, a.username FROM ideas i JOIN spaces s ON s.id = i.space_id"
        " JOIN space_members m ON m.space_id = s.id JOIN accounts a ON a.id = m.account_id"
        " CROSS JOIN questions q WHERE a.kind = 'staff' AND q.space_id = 0 AND q.state = 'resolved'"
        " LIMIT 1").fetchone()
    idea = c.execute("SELECT i.id, i.title FROM ideas i JOIN spaces s ON s.id = i.space_id WHERE s.handle = ?"
                     " ORDER BY i.id DESC LIMIT 1", (handle,)).fetchone()
    s = srv.web_session()
    csrf = csrf_from(srv.get("/signin", session=s).text)
    r = srv.post("/signin", session=s, data={"csrf": csrf, "username": user, "password": PASSWORD})
    assert r.status_code == 303, r.text[:500]
    r = srv.get("/questions", session=s)
    assert r.status_code == 200 and len(re.findall(r'href="/questions/\d+"', r.text)) >= 10
    r = srv.get(f"/questions/{qid}", session=s)
    assert r.status_code == 200
    title = c.execute("SELECT title FROM questions WHERE post_id = ?", (qid,)).fetchone()[0]
    assert title.replace("&", "&amp;") in r.text
    r = srv.get(f"/s/{handle}/ideas", session=s)
    assert r.status_code == 200 and f'href="/ideas/{idea[0]}"' in r.text
    r = srv.get(f"/ideas/{idea[0]}", session=s)
    assert r.status_code == 200 and idea[1] in r.text
