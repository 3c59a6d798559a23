"""The listeners' queue (issue 7): listeners and their permissions, the
views, assign / re-assign / unassign / snooze / close / reopen with the
history of who did what and when, 403 for non-listeners, and the audience
rule: a listener never sees an item whose post they cannot read."""
from conftest import assert_json_error
from people_util import admin
from social import Actor
import spacekit
from routingkit import (P, rserver, wait_for, skill_name, notified, ask, set_policy, add_listener,
                        question, queue, item_of, routed)


def setup_space(server):
    owner, asker, listener, other = (Actor(server, public=False) for _ in range(4))
    sp = spacekit.create(owner, kind="internal", access="closed")
    for m in (asker, listener, other):
        spacekit.enrol(owner, sp, m)
    set_policy(owner, sp, mode="manual", working_hours=False)
    add_listener(owner, listener, sp)
    return owner, asker, listener, other, sp


def test_listeners_endpoints_and_permissions(rserver):
    owner, asker, listener, other, sp = setup_space(rserver)
    boss = admin(rserver)
    path = f"{P}/spaces/{sp['id']}/listeners"
    assert [a["id"] for a in owner.ok("GET", path)] == [listener.id]
    assert [a["id"] for a in listener.ok("GET", path)] == [listener.id]
    assert_json_error(other.get(path), 403)
    assert_json_error(other.post(path, json={"account_id": other.id}), 403)
    assert_json_error(listener.post(path, json={"account_id": other.id}), 403)
    outsider = Actor(rserver, public=False)
    assert_json_error(owner.post(path, json={"account_id": outsider.id}), 422)   # not a member
    assert_json_error(owner.post(path, json={"account_id": "nope"}), 422)
    ids = [a["id"] for a in boss.ok("POST", path, json={"account_id": other.id})]
    assert set(ids) == {listener.id, other.id}
    assert owner.ok("DELETE", f"{path}/{other.id}") == []
    assert [a["id"] for a in owner.ok("GET", path)] == [listener.id]

    # organisation listeners: admins only; staff only
    staff = Actor(rserver, public=False)
    guest = Actor(rserver, "guest", public=False)
    assert_json_error(staff.get(f"{P}/listeners"), 403)
    assert_json_error(staff.post(f"{P}/listeners", json={"account_id": staff.id}), 403)
    assert_json_error(boss.post(f"{P}/listeners", json={"account_id": guest.id}), 422)
    assert staff.id in [a["id"] for a in boss.ok("POST", f"{P}/listeners", json={"account_id": staff.id})]
    assert staff.id in [a["id"] for a in staff.ok("GET", f"{P}/listeners")]
    assert boss.ok("DELETE", f"{P}/listeners/{staff.id}") == []
    assert_json_error(staff.get(f"{P}/listeners"), 403)


def test_non_listeners_get_403(rserver):
    owner, asker, listener, other, sp = setup_space(rserver)
    q = ask(asker, sp, tags=[skill_name()])
    it = routed(listener, q["id"])
    for who in (asker, other, owner):
        assert_json_error(who.get(f"{P}/queue"), 403)
        assert_json_error(who.get(f"{P}/queue/{it['id']}"), 403)
        assert_json_error(who.post(f"{P}/queue/{it['id']}/assign", json={"account_id": who.id}), 403)
    assert_json_error(rserver.get(f"{P}/queue"), 401)
    assert_json_error(listener.get(f"{P}/queue", params={"view": "everything"}), 422)


def ids(actor, view, **kw):
    return [i["id"] for i in queue(actor, view=view, limit=40, **kw)]


def test_views_and_actions_with_history(rserver):
    owner, asker, listener, other, sp = setup_space(rserver)
    q = ask(asker, sp, tags=[skill_name()])
    it = routed(listener, q["id"])
    iid = it["id"]
    assert it["kind"] == "question" and it["state"] == "open" and it["assignee"] is None
    assert it["space"]["id"] == sp["id"] and it["status"]["id"] == q["id"]
    assert it["question"]["id"] == q["id"] and it["overdue"] is False
    assert listener.ok("GET", f"{P}/queue/{iid}")["id"] == iid
    assert iid in ids(listener, "unassigned") and iid in ids(listener, "all")
    assert iid not in ids(listener, "assigned") and iid not in ids(listener, "mine")
    assert iid in ids(listener, "all", space=sp["handle"])

    # assign to me, then re-assign to a member; the assignee is notified
    a = listener.ok("POST", f"{P}/queue/{iid}/assign", json={"account_id": "me"})
    assert a["assignee"]["id"] == listener.id and a["assigned_at"]
    assert iid in ids(listener, "mine") and iid in ids(listener, "assigned")
    assert iid not in ids(listener, "unassigned")
    a = listener.ok("POST", f"{P}/queue/{iid}/assign", json={"account_id": other.id})
    assert a["assignee"]["id"] == other.id
    assert question(asker, q["id"])["assignee"]["id"] == other.id
    wait_for(lambda: notified(other, "parley.question_assigned", q["id"]), what="assigned note")
    assert iid not in ids(listener, "mine")
    # someone who cannot read the question cannot be assigned
    outsider = Actor(rserver, public=False)
    assert_json_error(listener.post(f"{P}/queue/{iid}/assign", json={"account_id": outsider.id}), 422)
    assert listener.ok("POST", f"{P}/queue/{iid}/unassign")["assignee"] is None

    # snooze hides it from the views but "all"
    s = listener.ok("POST", f"{P}/queue/{iid}/snooze", json={"minutes": 30})
    assert s["snoozed_until"]
    assert iid not in ids(listener, "unassigned") and iid in ids(listener, "all")
    assert_json_error(listener.post(f"{P}/queue/{iid}/snooze", json={}), 422)
    # close (the question stays open), then reopen
    c = listener.ok("POST", f"{P}/queue/{iid}/close", json={"reason": "handled by phone"})
    assert c["state"] == "closed" and c["close_reason"] == "handled by phone"
    assert question(asker, q["id"])["state"] == "open"
    assert iid in ids(listener, "closed") and iid not in ids(listener, "unassigned")
    r = listener.ok("POST", f"{P}/queue/{iid}/reopen")
    assert r["state"] == "open" and r["snoozed_until"] is None
    assert iid in ids(listener, "unassigned") and iid not in ids(listener, "closed")

    acts = listener.ok("GET", f"{P}/queue/{iid}/actions")
    assert [x["action"] for x in acts] == ["created", "assigned", "reassigned", "unassigned", "snoozed",
                                           "closed", "reopened"], acts
    assert acts[0]["actor"] is None
    assert all(x["actor"]["id"] == listener.id for x in acts[1:])
    assert all(x["created_at"].endswith("Z") for x in acts)
    assert other.name in acts[2]["detail"]

    # awaiting: answered, waiting for acceptance
    r = other.post(f"{P}/questions/{q['id']}/answers", json={"body": "Here is how."})
    assert r.status_code == 200, r.text
    assert iid in ids(listener, "awaiting")
    assert iid not in ids(listener, "overdue")


def test_a_listener_never_sees_an_item_they_cannot_read(rserver):
    owner, asker, listener, other, sp = setup_space(rserver)
    boss = admin(rserver)
    org_listener = Actor(rserver, public=False)            # staff, not in the closed space
    add_listener(boss, org_listener)
    q = ask(asker, sp, tags=[skill_name()])
    it = routed(listener, q["id"])
    assert it["id"] not in ids(org_listener, "all")
    assert_json_error(org_listener.get(f"{P}/queue/{it['id']}"), 404)
    assert_json_error(org_listener.get(f"{P}/queue/{it['id']}/actions"), 404)
    assert_json_error(org_listener.post(f"{P}/queue/{it['id']}/close"), 404)
    # an organisation question: the org listener sees it, the space listener does not
    q2 = ask(asker, None, tags=[skill_name()])
    it2 = routed(org_listener, q2["id"])
    assert it2["space"] is None
    assert it2["id"] not in ids(listener, "all")
    assert_json_error(listener.get(f"{P}/queue/{it2['id']}"), 404)
    # a member who left the space no longer sees its items
    spacekit.leave(listener, sp)
    assert_json_error(listener.get(f"{P}/queue"), 403)
