"""Routing questions to experts (issue 7): policies and their permissions,
suggest / assign / manual, who may never be a candidate (cannot read the
question, away, overloaded), escalation after the target exactly once,
an answer stopping the timer, and exactly-once across a restart.

A module server accepts targets of 1 s and more (PARLEY_ROUTING_MIN_TARGET=1).
"""
import time

from conftest import ParleyServer, _finish, assert_json_error
from people_util import admin, add_skill, set_profile
from social import Actor
import spacekit
from routingkit import (P, ENV, rserver, start, wait_for, skill_name, expert, notified, ask,
                        set_policy, add_listener, question, queue, item_of, routed, candidates)


def closed_space(owner, *members):
    sp = spacekit.create(owner, kind="internal", access="closed")
    for m in members:
        spacekit.enrol(owner, sp, m)
    return sp


# ---- policies ---------------------------------------------------------------------

def test_policy_defaults_crud_and_permissions(rserver):
    owner, mod, member, outsider = (Actor(rserver, public=False) for _ in range(4))
    boss = admin(rserver)
    sp = closed_space(owner, mod, member)
    spacekit.set_role(owner, sp, mod, "moderator")
    path = f"{P}/spaces/{sp['id']}/routing"

    assert owner.ok("GET", path) == {"mode": "suggest", "top_n": 3, "target_seconds": 14400,
                                     "working_hours": True, "max_open": 5}
    assert_json_error(member.get(path), 403)
    assert_json_error(member.put(path, json={"mode": "assign"}), 403)
    assert_json_error(outsider.get(path), 403)            # sees the space, not its routing
    p = mod.ok("PUT", path, json={"mode": "assign", "top_n": 2, "target_seconds": 3600,
                                   "working_hours": False, "max_open": 7})
    assert p == {"mode": "assign", "top_n": 2, "target_seconds": 3600, "working_hours": False,
                 "max_open": 7}
    assert owner.ok("GET", path) == p
    # partial update keeps the rest
    assert owner.ok("PUT", path, json={"mode": "manual"})["top_n"] == 2
    for bad in ({"mode": "shout"}, {"top_n": 0}, {"top_n": 11}, {"target_seconds": 0},
                {"target_seconds": 604801}, {"max_open": 0}, {"max_open": 101}, {"top_n": "many"},
                {"working_hours": "perhaps"}):
        assert_json_error(owner.put(path, json=bad), 422)
    assert owner.ok("GET", path)["mode"] == "manual"
    # admins may change any space's policy; a space listener may read it
    assert boss.ok("PUT", path, json={"top_n": 4})["top_n"] == 4
    add_listener(owner, member, sp)
    assert member.ok("GET", path)["top_n"] == 4
    assert_json_error(member.put(path, json={"top_n": 1}), 403)

    # the organisation's policy: admins change it, org listeners read it
    staff = Actor(rserver, public=False)
    assert_json_error(staff.get(f"{P}/routing"), 403)
    assert_json_error(staff.put(f"{P}/routing", json={"mode": "manual"}), 403)
    org = boss.ok("GET", f"{P}/routing")
    assert set(org) == {"mode", "top_n", "target_seconds", "working_hours", "max_open"}
    add_listener(boss, staff)
    assert staff.ok("GET", f"{P}/routing") == org
    assert_json_error(staff.put(f"{P}/routing", json={"mode": "manual"}), 403)
    assert_json_error(rserver.get(f"{P}/routing"), 401)


# ---- suggest, assign, manual ---------------------------------------------------------

def test_suggest_notifies_the_top_n_with_reasons(rserver):
    sk = skill_name()
    owner, asker, listener = (Actor(rserver, public=False) for _ in range(3))
    best, second, third = expert(rserver, sk, "expert"), expert(rserver, sk, "practised"), \
        expert(rserver, sk, "learning")
    endorser = Actor(rserver, public=False)
    assert endorser.post(f"{P}/people/{best.id}/skills/{sk}/endorse").status_code == 200
    sp = closed_space(owner, asker, listener, best, second, third, endorser)
    set_policy(owner, sp, mode="suggest", top_n=2, working_hours=False, target_seconds=3600)
    add_listener(owner, listener, sp)

    q = ask(asker, sp, tags=[sk])
    routed(listener, q["id"])
    wait_for(lambda: notified(best, "parley.question_suggested", q["id"]), what="best notified")
    assert notified(second, "parley.question_suggested", q["id"])
    assert not notified(third, "parley.question_suggested", q["id"])
    assert not notified(asker, "parley.question_suggested", q["id"])

    cands = candidates(listener, q["id"])
    ids = [c["account"]["id"] for c in cands]
    assert ids[:3] == [best.id, second.id, third.id], cands
    assert asker.id not in ids
    top = cands[0]
    assert top["rank"] == 1 and top["notified"] is True and cands[2]["notified"] is False
    assert f"declared skill {sk} (expert)" in top["reasons"], top
    assert f"1 endorsement for {sk}" in top["reasons"], top
    assert "member of the space" in top["reasons"]
    assert top["score"] > cands[1]["score"] > cands[2]["score"]
    assert question(listener, q["id"])["routing"]["policy"]["top_n"] == 2
    # the asker (not a listener) does not see the routing
    assert "routing" not in question(asker, q["id"])
    # the queue records who was suggested, by Parley
    it = item_of(listener, q["id"])
    acts = listener.ok("GET", f"{P}/queue/{it['id']}/actions")
    assert [a["action"] for a in acts][:2] == ["created", "suggested"], acts
    assert acts[1]["actor"] is None and best.name in acts[1]["detail"]


def test_assign_assigns_the_best_and_manual_notifies_nobody(rserver):
    sk = skill_name()
    owner, asker, listener = (Actor(rserver, public=False) for _ in range(3))
    best, second = expert(rserver, sk, "expert"), expert(rserver, sk, "practised")
    sp = closed_space(owner, asker, listener, best, second)
    add_listener(owner, listener, sp)
    set_policy(owner, sp, mode="assign", working_hours=False)

    q = ask(asker, sp, tags=[sk])
    it = routed(listener, q["id"])
    assert it["assignee"] and it["assignee"]["id"] == best.id, it
    wait_for(lambda: notified(best, "parley.question_assigned", q["id"]), what="assigned note")
    assert not notified(second, "parley.question_assigned", q["id"])
    assert not notified(second, "parley.question_suggested", q["id"])
    assert question(asker, q["id"])["assignee"]["id"] == best.id
    assert best.get(f"{P}/queue", params={"view": "mine"}).status_code == 403  # not a listener
    assert item_of(listener, q["id"], view="assigned")

    set_policy(owner, sp, mode="manual")
    q2 = ask(asker, sp, tags=[sk])
    it2 = routed(listener, q2["id"])
    assert it2["assignee"] is None and it2["state"] == "open"
    assert item_of(listener, q2["id"], view="unassigned")
    time.sleep(0.5)  # the route job has run (the item exists): nothing may follow
    for who in (best, second):
        assert not notified(who, "parley.question_suggested", q2["id"])
        assert not notified(who, "parley.question_assigned", q2["id"])
    # still ranked, for the listeners to choose from
    assert [c["account"]["id"] for c in candidates(listener, q2["id"])][:2] == [best.id, second.id]


# ---- who is never a candidate ----------------------------------------------------------

def test_a_person_who_cannot_read_the_question_is_never_a_candidate(rserver):
    sk = skill_name()
    boss = admin(rserver)
    owner, asker, member_expert = (Actor(rserver, public=False) for _ in range(3))
    outsider = expert(rserver, sk, "expert")                  # staff, not in the closed space
    add_skill(member_expert, sk, "learning")
    sp = closed_space(owner, asker, member_expert)
    add_listener(boss, boss)
    set_policy(owner, sp, mode="suggest", top_n=5, working_hours=False)
    q = ask(asker, sp, tags=[sk])
    add_listener(owner, owner, sp)
    routed(owner, q["id"])
    ids = [c["account"]["id"] for c in candidates(owner, q["id"])]
    assert member_expert.id in ids and outsider.id not in ids
    assert not notified(outsider, "parley.question_suggested", q["id"])

    # outside spaces (organisation audience): a guest expert never, a blocked expert never
    guest = Actor(rserver, "guest", public=False)
    add_skill(guest, sk, "expert")                                  # in the vocabulary now
    blocked = expert(rserver, sk, "expert")
    staff_expert = expert(rserver, sk, "practised")
    org_asker = Actor(rserver, public=False)
    assert org_asker.post(f"/api/v1/accounts/{blocked.id}/block").status_code == 200
    set_policy(boss, None, mode="suggest", top_n=10, working_hours=False)
    q2 = ask(org_asker, None, tags=[sk])
    routed(boss, q2["id"])
    ids = [c["account"]["id"] for c in candidates(boss, q2["id"])]
    assert staff_expert.id in ids
    assert guest.id not in ids and blocked.id not in ids
    wait_for(lambda: notified(staff_expert, "parley.question_suggested", q2["id"]), what="note")
    assert not notified(guest, "parley.question_suggested", q2["id"])
    assert not notified(blocked, "parley.question_suggested", q2["id"])


def test_away_and_overloaded_people_are_excluded(rserver):
    sk = skill_name()
    owner, asker, listener = (Actor(rserver, public=False) for _ in range(3))
    away = expert(rserver, sk, "expert")
    busy = expert(rserver, sk, "expert")
    free = expert(rserver, sk, "learning")
    set_profile(away, away_until="2099-01-01")
    sp = closed_space(owner, asker, listener, away, busy, free)
    add_listener(owner, listener, sp)
    set_policy(owner, sp, mode="manual", max_open=1, working_hours=False)

    # give busy one open assignment
    q0 = ask(asker, sp, tags=[skill_name()])
    it0 = routed(listener, q0["id"])
    assert listener.ok("POST", f"{P}/queue/{it0['id']}/assign", json={"account_id": busy.id})

    q = ask(asker, sp, tags=[sk])
    routed(listener, q["id"])
    ids = [c["account"]["id"] for c in candidates(listener, q["id"])]
    assert free.id in ids
    assert away.id not in ids, "away people are never candidates"
    assert busy.id not in ids, "overloaded people (open >= max_open) are excluded"

    # with room again (max_open 2) busy is back, with a penalty and the reason
    set_policy(owner, sp, max_open=2)
    q2 = ask(asker, sp, tags=[sk])
    routed(listener, q2["id"])
    c = {c["account"]["id"]: c for c in candidates(listener, q2["id"])}
    assert busy.id in c and "1 open assignment" in c[busy.id]["reasons"]
    assert away.id not in c


# ---- escalation -----------------------------------------------------------------------

def escalation_setup(server, target=2):
    sk = skill_name()
    owner, asker, listener = (Actor(server, public=False) for _ in range(3))
    first, nxt = expert(server, sk, "expert"), expert(server, sk, "practised")
    sp = closed_space(owner, asker, listener, first, nxt)
    add_listener(owner, listener, sp)
    set_policy(owner, sp, mode="suggest", top_n=1, target_seconds=target, working_hours=False)
    return sk, owner, asker, listener, first, nxt, sp


def escalated_actions(listener, item_id):
    acts = listener.ok("GET", f"{P}/queue/{item_id}/actions")
    return [a for a in acts if a["action"] == "escalated"]


def test_escalation_fires_once_after_the_target(rserver):
    sk, owner, asker, listener, first, nxt, sp = escalation_setup(rserver, target=2)
    q = ask(asker, sp, tags=[sk])
    it = routed(listener, q["id"])
    assert notified(first, "parley.question_suggested", q["id"])
    assert not notified(nxt, "parley.question_suggested", q["id"])
    assert question(asker, q["id"])["due_at"] is not None

    # level 0 -> 1: the next candidate
    wait_for(lambda: notified(nxt, "parley.question_suggested", q["id"]), what="next candidate")
    assert question(asker, q["id"])["escalation_level"] >= 1
    # level 1 -> 2: the listeners
    wait_for(lambda: notified(listener, "parley.question_escalated", q["id"]), what="listeners")
    qq = question(listener, q["id"])
    assert qq["escalation_level"] == 2
    assert item_of(listener, q["id"], view="overdue")["overdue"] is True
    time.sleep(2.5)  # one more target: nothing else may happen
    assert len(notified(nxt, "parley.question_suggested", q["id"])) == 1
    assert len(notified(first, "parley.question_suggested", q["id"])) == 1
    assert len(notified(listener, "parley.question_escalated", q["id"])) == 1
    acts = escalated_actions(listener, it["id"])
    assert len(acts) == 2 and all(a["actor"] is None for a in acts), acts
    assert nxt.name in acts[0]["detail"]


def test_an_answer_before_the_target_stops_the_timer(rserver):
    sk, owner, asker, listener, first, nxt, sp = escalation_setup(rserver, target=3)
    q = ask(asker, sp, tags=[sk])
    it = routed(listener, q["id"])
    r = first.post(f"{P}/questions/{q['id']}/answers", json={"body": "Like this."})
    assert r.status_code == 200, r.text
    assert question(asker, q["id"])["due_at"] is None
    time.sleep(4)  # past the target
    assert not notified(nxt, "parley.question_suggested", q["id"])
    assert not notified(listener, "parley.question_escalated", q["id"])
    assert question(asker, q["id"])["escalation_level"] == 0
    assert escalated_actions(listener, it["id"]) == []
    assert item_of(listener, q["id"], view="awaiting")


def test_escalation_happens_exactly_once_across_a_restart(parley_bin, tmp_path_factory):
    srv = start(tmp_path_factory, "restart")
    try:
        sk, owner, asker, listener, first, nxt, sp = escalation_setup(srv, target=3)
        q = ask(asker, sp, tags=[sk])
        it = routed(listener, q["id"])
        assert wait_for(lambda: notified(first, "parley.question_suggested", q["id"]))
        asked = time.monotonic()
        assert srv.stop() == 0                       # before the target
        time.sleep(max(0, 3.5 - (time.monotonic() - asked)))   # the target has passed
        srv2 = ParleyServer(srv.data_dir, env=dict(ENV))
        srv = srv2.start()
        for a in (asker, listener, first, nxt):
            a.server = srv
        wait_for(lambda: notified(nxt, "parley.question_suggested", q["id"]), what="escalated")
        wait_for(lambda: notified(listener, "parley.question_escalated", q["id"]), what="level 2")
        time.sleep(1)
        assert len(notified(nxt, "parley.question_suggested", q["id"])) == 1
        assert len(notified(first, "parley.question_suggested", q["id"])) == 1
        assert len(notified(listener, "parley.question_escalated", q["id"])) == 1
        acts = escalated_actions(listener, it["id"])
        assert len(acts) == 2, acts
        assert question(listener, q["id"])["escalation_level"] == 2
    finally:
        _finish(srv)

