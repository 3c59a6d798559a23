"""
Questions and answers (issue 7, briefs/listening-api.md): every endpoint,
every state change, every permission, and the audience rule (whoever may not
read a question gets 404 and never sees it in a list or a suggestion).
Written from the contract.
"""
import time

from conftest import assert_json_error, unique
from social import Actor
from spacekit import create, enrol, set_role, SP
from people_util import add_skill, directory, usernames

Q = SP + "/questions"


def staff(server, **kw):
    return Actor(server, "staff", **kw)


def guest(server, **kw):
    return Actor(server, "guest", **kw)


def ask_raw(actor, title=None, body="How do I do this?", space=None, **fields):
    data = {"title": title or f"Question {unique('q')}", "body": body}
    data.update(fields)
    if space is not None:
        return actor.post(f"{SP}/spaces/{space['id'] if isinstance(space, dict) else space}/questions", json=data)
    return actor.post(Q, json=data)


def ask(actor, title=None, body="How do I do this?", space=None, **fields):
    r = ask_raw(actor, title, body, space, **fields)
    assert r.status_code == 200, (r.status_code, r.text[:500])
    q = r.json()
    assert q["id"].isdigit() and q["state"] == "open", q
    return q


def answer(actor, q, body="Do it like this."):
    return actor.ok("POST", f"{Q}/{q['id']}/answers", json={"body": body})


def get_q(who, q, server=None):
    if who is None:
        return server.get(f"{Q}/{q['id']}")
    return who.get(f"{Q}/{q['id']}")


def listed(who, server=None, **params):
    if who is None:
        r = server.get(Q, params=params)
    else:
        r = who.get(Q, params=params)
    assert r.status_code == 200, (r.status_code, r.text[:300])
    return [x["id"] for x in r.json()]


# ---- asking ----------------------------------------------------------------------

def test_ask_outside_spaces_entity(server):
    a = staff(server)
    q = ask(a, title="Why is the VACUUM slow?", body="Our #Postgres nightly vacuum takes hours.",
            tags=["Postgres", "#Ops", "query planning"])
    assert q["title"] == "Why is the VACUUM slow?"
    assert q["space"] is None and q["close_reason"] is None and q["duplicate_of"] is None
    assert q["tags"][:3] == ["postgres", "ops", "query-planning"], q["tags"]
    assert q["account"]["id"] == a.id
    assert q["status"]["id"] == q["id"]
    assert q["status"]["parley"]["audience"] == "organisation"
    assert q["answers_count"] == 0 and q["accepted_answer_id"] is None
    assert q["asked_at"].endswith("Z") and q["first_answer_at"] is None
    assert q["resolved_at"] is None and q["closed_at"] is None
    assert q["escalation_level"] == 0 and q["assignee"] is None
    assert q["url"].endswith("/questions/" + q["id"])
    assert q == {**q, **get_q(a, q).json()} or get_q(a, q).json()["id"] == q["id"]


def test_ask_validation(server):
    a = staff(server)
    assert_json_error(ask_raw(a, title="   "), 422)
    assert_json_error(ask_raw(a, title="x" * 201), 422)
    assert ask_raw(a, title="y" * 200).status_code == 200
    assert_json_error(ask_raw(a, body="  "), 422)
    assert_json_error(ask_raw(a, body="z" * 5001), 422)
    assert_json_error(ask_raw(a, tags=[f"t{i}" for i in range(11)]), 422)
    assert_json_error(ask_raw(a, tags=["no/slash"]), 422)
    assert_json_error(ask_raw(a, visibility="followers"), 422)
    assert_json_error(a.post(Q, json={"body": "no title"}), 422)
    r = server.post(Q, json={"title": "anon", "body": "x"})
    assert_json_error(r, 401)


def test_guest_asks_only_in_spaces_where_they_post(server):
    owner, g = staff(server), guest(server)
    assert_json_error(ask_raw(g), 403)
    sp = create(owner, kind="external", access="closed")
    # not a member: cannot post there
    assert ask_raw(g, space=sp).status_code in (403, 404)
    enrol(owner, sp, g)
    q = ask(g, space=sp)
    assert q["space"]["id"] == sp["id"] and q["space"]["handle"] == sp["handle"]
    assert q["status"]["parley"]["audience"] == "space"
    # also through POST /questions {space}
    r = g.post(Q, json={"title": "Via the space field", "body": "b", "space": sp["handle"]})
    assert r.status_code == 200 and r.json()["space"]["id"] == sp["id"], r.text[:300]


def test_space_posting_right(server):
    owner, member = staff(server), staff(server)
    sp = create(owner, kind="internal", access="closed", posting="moderators")
    enrol(owner, sp, member)
    assert_json_error(ask_raw(member, space=sp), 403)
    set_role(owner, sp, member, "moderator")
    ask(member, space=sp)


def test_public_question_readable_by_anyone(server):
    a = staff(server)
    q = ask(a, visibility="public")
    assert q["status"]["parley"]["audience"] == "public"
    assert server.get(f"{Q}/{q['id']}").status_code == 200
    assert q["id"] in listed(None, server)


# ---- the audience rule --------------------------------------------------------------

def test_non_readers_get_404_everywhere(server):
    a, g, outsider = staff(server), guest(server), staff(server)
    org_q = ask(a, title=f"Organisation secret {unique('w')}", body="internal")
    owner = staff(server)
    sp = create(owner, kind="internal", access="closed")
    sq = ask(owner, space=sp, title=f"Closed space secret {unique('w')}")
    answer(owner, sq)
    for who, q in ((g, org_q), (outsider, sq), (None, org_q), (None, sq), (g, sq)):
        r = get_q(who, q, server)
        assert_json_error(r, 404)
        path = f"{Q}/{q['id']}/answers"
        assert_json_error(server.get(path) if who is None else who.get(path), 404)
        assert q["id"] not in listed(who, server)
        assert q["id"] not in listed(who, server, limit=40)
    for who, q in ((g, org_q), (outsider, sq)):
        for verb, body in (("answers", {"body": "x"}), ("close", {"reason": "other"}),
                           ("reopen", {}), ("accept", {"answer_id": q["id"]}), ("unaccept", {})):
            assert_json_error(who.post(f"{Q}/{q['id']}/{verb}", json=body), 404)
        assert_json_error(who.patch(f"{Q}/{q['id']}", json={"title": "mine"}), 404)
        assert_json_error(who.delete(f"{Q}/{q['id']}"), 404)
    ans = answer(owner, sq, "the secret answer")
    assert_json_error(outsider.post(f"{SP}/answers/{ans['id']}/vote", json={"value": 1}), 404)
    # a guest sees only questions of spaces they belong to
    ext = create(owner, kind="external", access="closed")
    enrol(owner, ext, g)
    eq = ask(owner, space=ext)
    ids = listed(g, limit=40)
    assert eq["id"] in ids and org_q["id"] not in ids and sq["id"] not in ids


def test_list_filters_and_paging(server):
    a, b = staff(server), staff(server)
    tag = unique("tg").replace("_", "")
    sp = create(a, kind="internal", access="open")
    q1 = ask(a, tags=[tag])
    assert b.post(f"{SP}/spaces/{sp['id']}/join").status_code == 200
    q2 = ask(b, tags=[tag], space=sp)
    q3 = ask(a, tags=[tag], title=f"Kubernetes ingress {tag}")
    answer(b, q3)
    assert listed(a, tag=tag) == [q3["id"], q2["id"], q1["id"]]
    assert listed(a, tag=tag, state="answered") == [q3["id"]]
    assert listed(a, tag=tag, state="open") == [q2["id"], q1["id"]]
    assert listed(a, tag=tag, space=sp["handle"]) == [q2["id"]]
    assert listed(a, tag=tag, mine=1) == [q3["id"], q1["id"]]
    assert listed(a, q="kubernet", tag=tag) == [q3["id"]]
    r = a.get(Q, params={"tag": tag, "limit": 2})
    assert [x["id"] for x in r.json()] == [q3["id"], q2["id"]]
    assert 'rel="next"' in r.headers.get("Link", "")
    assert listed(a, tag=tag, max_id=q2["id"]) == [q1["id"]]
    assert_json_error(a.get(Q, params={"state": "weird"}), 422)
    sq = a.get(f"{SP}/spaces/{sp['id']}/questions")
    assert [x["id"] for x in sq.json()] == [q2["id"]]


# ---- answers and votes ----------------------------------------------------------------

def test_answers_states_and_order(server):
    asker, x, y, z = staff(server), staff(server), staff(server), staff(server)
    q = ask(asker)
    a1 = answer(x, q, "first")
    assert a1["question_id"] == q["id"] and a1["accepted"] is False and a1["score"] == 0
    assert a1["status"]["in_reply_to_id"] == q["id"]
    assert a1["account"]["id"] == x.id and a1["my_vote"] == 0
    qq = get_q(asker, q).json()
    assert qq["state"] == "answered" and qq["answers_count"] == 1 and qq["first_answer_at"]
    a2 = answer(y, q, "second")
    a3 = answer(z, q, "third")
    # votes: one per person, a new value replaces, 0 withdraws
    v = lambda who, a, val: who.post(f"{SP}/answers/{a['id']}/vote", json={"value": val})
    r = v(asker, a3, 1)
    assert r.status_code == 200 and r.json()["upvotes"] == 1 and r.json()["my_vote"] == 1
    assert v(asker, a3, 1).json()["upvotes"] == 1
    assert v(x, a3, 1).json()["score"] == 2
    r = v(x, a3, -1).json()
    assert (r["upvotes"], r["downvotes"], r["score"], r["my_vote"]) == (1, 1, 0, -1)
    r = v(x, a3, 0).json()
    assert (r["upvotes"], r["downvotes"], r["my_vote"]) == (1, 0, 0)
    v(y, a2, -1)  # not own
    assert_json_error(v(z, a3, 1), 422)      # own answer
    assert_json_error(v(x, a2, 2), 422)
    assert_json_error(x.post(f"{SP}/answers/{a2['id']}/vote", json={}), 422)
    assert_json_error(v(x, {"id": "123"}, 1), 404)
    order = [a["id"] for a in asker.ok("GET", f"{Q}/{q['id']}/answers")]
    assert order == [a3["id"], a1["id"], a2["id"]]   # score 1, 0 (older first), -1... a2 has -1
    # accepting moves it first
    acc = asker.ok("POST", f"{Q}/{q['id']}/accept", json={"answer_id": a2["id"]})
    assert acc["state"] == "resolved" and acc["accepted_answer_id"] == a2["id"] and acc["resolved_at"]
    order = asker.ok("GET", f"{Q}/{q['id']}/answers")
    assert [a["id"] for a in order] == [a2["id"], a3["id"], a1["id"]]
    assert order[0]["accepted"] is True and order[1]["accepted"] is False
    # resolved still takes answers
    answer(x, q, "late but useful")
    # accepting another moves the acceptance
    acc = asker.ok("POST", f"{Q}/{q['id']}/accept", json={"answer_id": a1["id"]})
    assert acc["accepted_answer_id"] == a1["id"]
    assert [a["accepted"] for a in asker.ok("GET", f"{Q}/{q['id']}/answers")].count(True) == 1
    un = asker.ok("POST", f"{Q}/{q['id']}/unaccept")
    assert un["state"] == "answered" and un["accepted_answer_id"] is None and un["resolved_at"] is None
    # an answer of another question cannot be accepted
    other = ask(asker)
    oa = answer(x, other)
    assert_json_error(asker.post(f"{Q}/{q['id']}/accept", json={"answer_id": oa["id"]}), 422)
    assert_json_error(asker.post(f"{Q}/{q['id']}/accept", json={}), 422)


def test_answer_validation_and_deleting_the_accepted_answer(server):
    asker, x = staff(server), staff(server)
    q = ask(asker)
    assert_json_error(x.post(f"{Q}/{q['id']}/answers", json={"body": " "}), 422)
    a1 = answer(x, q)
    asker.ok("POST", f"{Q}/{q['id']}/accept", json={"answer_id": a1["id"]})
    assert x.delete(f"/api/v1/statuses/{a1['id']}").status_code == 200
    qq = get_q(asker, q).json()
    assert qq["state"] == "open" and qq["accepted_answer_id"] is None and qq["answers_count"] == 0
    a2, a3 = answer(x, q), answer(x, q)
    asker.ok("POST", f"{Q}/{q['id']}/accept", json={"answer_id": a2["id"]})
    x.delete(f"/api/v1/statuses/{a2['id']}")
    qq = get_q(asker, q).json()
    assert qq["state"] == "answered" and qq["answers_count"] == 1
    assert a3["id"] in [a["id"] for a in asker.ok("GET", f"{Q}/{q['id']}/answers")]


def test_accept_permissions(server):
    owner, mod, asker, x, other = (staff(server) for _ in range(5))
    sp = create(owner, kind="internal", access="closed")
    for who in (mod, asker, x, other):
        enrol(owner, sp, who)
    set_role(owner, sp, mod, "moderator")
    q = ask(asker, space=sp)
    a = answer(x, q)
    assert_json_error(other.post(f"{Q}/{q['id']}/accept", json={"answer_id": a["id"]}), 403)
    assert_json_error(x.post(f"{Q}/{q['id']}/accept", json={"answer_id": a["id"]}), 403)
    assert mod.ok("POST", f"{Q}/{q['id']}/accept", json={"answer_id": a["id"]})["state"] == "resolved"
    assert_json_error(other.post(f"{Q}/{q['id']}/unaccept"), 403)
    assert owner.ok("POST", f"{Q}/{q['id']}/unaccept")["state"] == "answered"
    assert asker.ok("POST", f"{Q}/{q['id']}/accept", json={"answer_id": a["id"]})["state"] == "resolved"


def test_notifications_answer_and_accepted(server):
    asker, x = staff(server), staff(server)
    q = ask(asker)
    a = answer(x, q)
    notes = asker.ok("GET", "/api/v1/notifications", params={"types[]": "parley.answer"})
    assert [n["status"]["id"] for n in notes] == [a["id"]]
    assert notes[0]["account"]["id"] == x.id and notes[0]["type"] == "parley.answer"
    # own answers do not notify
    answer(asker, q, "self")
    assert len(asker.ok("GET", "/api/v1/notifications", params={"types[]": "parley.answer"})) == 1
    asker.ok("POST", f"{Q}/{q['id']}/accept", json={"answer_id": a["id"]})
    notes = x.ok("GET", "/api/v1/notifications", params={"types[]": "parley.answer_accepted"})
    assert [n["status"]["id"] for n in notes] == [a["id"]]
    # excluded like any type
    notes = x.ok("GET", "/api/v1/notifications", params={"exclude_types[]": "parley.answer_accepted"})
    assert all(n["type"] != "parley.answer_accepted" for n in notes)
    # all six types are known (preferences)
    prefs = x.ok("GET", SP + "/notification_preferences") if x.get(SP + "/notification_preferences").status_code == 200 else None
    if prefs is not None:
        for t in ("parley.question_suggested", "parley.question_assigned", "parley.question_escalated",
                  "parley.answer", "parley.answer_accepted", "parley.idea_status"):
            assert t in prefs


# ---- close, reopen, duplicates ------------------------------------------------------------

def test_close_reopen_and_duplicates(server):
    asker, x, other = staff(server), staff(server), staff(server)
    orig = ask(asker, title="How to rotate logs?")
    q = ask(asker, title="Rotating logs how?")
    assert_json_error(other.post(f"{Q}/{q['id']}/close", json={"reason": "other"}), 403)
    assert_json_error(asker.post(f"{Q}/{q['id']}/close", json={"reason": "boring"}), 422)
    assert_json_error(asker.post(f"{Q}/{q['id']}/close", json={"reason": "duplicate"}), 422)
    assert_json_error(asker.post(f"{Q}/{q['id']}/close", json={"reason": "duplicate", "duplicate_of": q["id"]}), 422)
    # a duplicate of something the closer cannot read is refused like a missing one
    owner = staff(server)
    hidden = ask(owner, space=create(owner, kind="internal", access="closed"))
    assert_json_error(asker.post(f"{Q}/{q['id']}/close", json={"reason": "duplicate", "duplicate_of": hidden["id"]}), 422)
    c = asker.ok("POST", f"{Q}/{q['id']}/close", json={"reason": "duplicate", "duplicate_of": orig["id"], "note": "see there"})
    assert c["state"] == "closed" and c["close_reason"] == "duplicate" and c["duplicate_of"] == orig["id"]
    assert c["close_note"] == "see there" and c["closed_at"]
    assert_json_error(asker.post(f"{Q}/{q['id']}/close", json={"reason": "other"}), 422)
    # closed questions refuse answers
    assert_json_error(x.post(f"{Q}/{q['id']}/answers", json={"body": "too late"}), 422)
    r = asker.ok("POST", f"{Q}/{q['id']}/reopen")
    assert r["state"] == "open" and r["close_reason"] is None and r["duplicate_of"] is None
    assert_json_error(asker.post(f"{Q}/{q['id']}/reopen"), 422)
    answer(x, q)
    asker.ok("POST", f"{Q}/{q['id']}/close", json={"reason": "out_of_scope"})
    assert_json_error(other.post(f"{Q}/{q['id']}/reopen"), 403)
    assert asker.ok("POST", f"{Q}/{q['id']}/reopen")["state"] == "answered"


def test_space_moderator_closes_and_deletes(server):
    owner, mod, asker, member = (staff(server) for _ in range(4))
    sp = create(owner, kind="internal", access="closed")
    for who in (mod, asker, member):
        enrol(owner, sp, who)
    set_role(owner, sp, mod, "moderator")
    q = ask(asker, space=sp)
    assert mod.ok("POST", f"{Q}/{q['id']}/close", json={"reason": "other"})["state"] == "closed"
    assert mod.ok("POST", f"{Q}/{q['id']}/reopen")["state"] == "open"
    assert_json_error(member.delete(f"{Q}/{q['id']}"), 403)
    assert mod.delete(f"{Q}/{q['id']}").status_code == 200
    assert_json_error(get_q(asker, q), 404)
    q2 = ask(asker, space=sp)
    assert asker.delete(f"{Q}/{q2['id']}").status_code == 200
    assert_json_error(asker.get(f"/api/v1/statuses/{q2['id']}"), 404)


def test_edit_by_asker(server):
    asker, other = staff(server), staff(server)
    q = ask(asker, title="Old title", tags=["a1"])
    assert_json_error(other.patch(f"{Q}/{q['id']}", json={"title": "x"}), 403)
    assert_json_error(asker.patch(f"{Q}/{q['id']}", json={"title": ""}), 422)
    e = asker.ok("PATCH", f"{Q}/{q['id']}", json={"title": "New title", "body": "New body about #zebra"})
    assert e["title"] == "New title" and "zebra" in e["tags"] and "a1" in e["tags"]
    assert "New body" in e["status"]["content"]
    e = asker.ok("PATCH", f"{Q}/{q['id']}", json={"tags": ["b2"]})
    assert "b2" in e["tags"] and "a1" not in e["tags"]


# ---- similar ----------------------------------------------------------------------------

def test_similar_questions(server):
    asker, x = staff(server), staff(server)
    word = unique("frob").replace("_", "")
    q1 = ask(asker, title=f"How to {word} the widget", body="details")
    a1 = answer(x, q1, "Use the frobnicator carefully, then restart.")
    asker.ok("POST", f"{Q}/{q1['id']}/accept", json={"answer_id": a1["id"]})
    q2 = ask(asker, title="Unrelated", body=f"mentions {word} in the body")
    answer(x, q2)
    ask(asker, title=f"{word} open question")        # open: never suggested
    sim = asker.ok("GET", f"{Q}/similar", params={"q": f"{word[:-2]} widget"})
    assert [s["id"] for s in sim] == [q1["id"], q2["id"]], sim   # title weighs most
    assert sim[0]["state"] == "resolved" and sim[0]["answers_count"] == 1
    assert sim[0]["accepted_answer_excerpt"].startswith("Use the frobnicator")
    assert sim[1]["accepted_answer_excerpt"] is None and sim[0]["url"].endswith(q1["id"])
    assert len(asker.ok("GET", f"{Q}/similar", params={"q": word, "limit": 1})) == 1
    assert asker.ok("GET", f"{Q}/similar", params={"q": "\"*:("}) == []
    # never a question the viewer cannot read
    owner = staff(server)
    secret = ask(owner, space=create(owner, kind="internal", access="closed"), title=f"{word} secret")
    answer(owner, secret)
    g = guest(server)
    for who in (g, asker):
        assert secret["id"] not in [s["id"] for s in who.ok("GET", f"{Q}/similar", params={"q": word})]
    assert server.get(f"{Q}/similar", params={"q": word}).json() == []
    assert owner.ok("GET", f"{Q}/similar", params={"q": f"{word} secret"})[0]["id"] == secret["id"]


# ---- evidence in the people finder --------------------------------------------------------

def test_evidence_needs_the_whole_tag(server):
    # "who knows X" finds accepted answers through the full-text index of
    # question tags, then keeps only questions with the exact tag: a
    # question tagged with one word of a two-word skill is not evidence
    word = unique("x").split("_")[1][:6]
    skill = f"Data Ops{word}"
    asker, right, wrong, viewer = staff(server), staff(server), staff(server), staff(server)
    add_skill(asker, skill, "learning")
    q1 = ask(asker, tags=[f"data-ops{word}"])
    q2 = ask(asker, tags=[f"ops{word}", "data"])
    for q, who in ((q1, right), (q2, wrong)):
        a = answer(who, q, "Like this.")
        asker.ok("POST", f"{Q}/{q['id']}/accept", json={"answer_id": a["id"]})
    res = directory(viewer, knows=skill)
    ev = {p["username"]: p["evidence"] for p in res["people"]}
    assert ev[right.name]["answers"] == 1, res
    assert wrong.name not in ev or ev[wrong.name].get("answers", 0) == 0, ev


def test_accepted_answer_is_evidence(server):
    skill = "Postgres" + unique("x").split("_")[1][:5]
    asker, expert, viewer = staff(server), staff(server), staff(server)
    add_skill(asker, skill, "learning")
    q = ask(asker, tags=[skill.lower()])
    a = answer(expert, q, "Set work_mem higher.")
    res = directory(viewer, knows=skill)
    assert expert.name not in usernames(res)
    asker.ok("POST", f"{Q}/{q['id']}/accept", json={"answer_id": a["id"]})
    res = directory(viewer, knows=skill)
    ev = {p["username"]: p["evidence"] for p in res["people"]}
    assert ev[expert.name]["answers"] == 1
    assert usernames(res)[0] == expert.name or ev[expert.name]["answers"] == 1
    # organisation answers are not evidence for anonymous visitors
    anon = directory(server, knows=skill)
    assert expert.name not in usernames(anon)
    # the person's card and page count the answers
    card = viewer.ok("GET", f"{SP}/people/{expert.id}/card")
    assert card["contributions"]["answers"] == 1 and card["contributions"]["accepted_answers"] == 1
