"""Skills (issue 3): the shared vocabulary with aliases (admins curate it),
levels, typo-tolerant names, endorsements (once each, never one's own),
and the admin operations (rename, alias, merge, delete)."""
from conftest import assert_json_error, unique
from people_util import P, add_skill, admin, endorse, person, share_space


def skills_of(actor, who=None):
    who = who or actor
    return {s["name"]: s for s in actor.ok("GET", f"{P}/people/{who.id}/profile")["skills"]}


def test_add_change_and_remove_skills(server):
    a = person(server)
    name = unique("Skill")
    got = add_skill(a, name, "learning")
    assert [s["name"] for s in got] == [name] and got[0]["level"] == "learning"
    got = add_skill(a, name, "expert")            # changing the level, not a second row
    assert len(got) == 1 and got[0]["level"] == "expert"
    assert_json_error(a.post(P + "/profile/skills", json={"skill": name, "level": "wizard"}), 422)
    assert_json_error(a.post(P + "/profile/skills", json={"skill": "   "}), 422)
    assert_json_error(a.post(P + "/profile/skills", json={"skill": "x" * 61}), 422)
    r = a.delete(f"{P}/profile/skills/{got[0]['id']}")
    assert r.status_code == 200 and r.json() == []
    assert_json_error(a.delete(f"{P}/profile/skills/{got[0]['id']}"), 404)


def test_skill_limit(server):
    a = person(server)
    for i in range(50):
        add_skill(a, f"{unique('L')}{i}")
    assert_json_error(a.post(P + "/profile/skills", json={"skill": unique("one_too_many")}), 422)


def test_guests_choose_from_the_vocabulary(server):
    g = person(server, kind="guest")
    s = person(server)
    name = unique("Vocab")
    assert_json_error(g.post(P + "/profile/skills", json={"skill": name}), 422)
    add_skill(s, name)                            # staff add new names by using them
    assert [x["name"] for x in add_skill(g, name)] == [name]


def test_aliases_and_typos_resolve_to_the_skill(server):
    boss = admin(server)
    base = unique("Kubernetes")[:20]
    r = boss.post(P + "/admin/skills", json={"name": base, "aliases": ["K8s" + base[-4:]]})
    assert r.status_code == 200, r.text
    skill = r.json()
    assert skill["aliases"] == ["K8s" + base[-4:]]
    a = person(server)
    got = add_skill(a, "k8s" + base[-4:].lower())                 # an alias, other case
    assert [x["name"] for x in got] == [base]
    # the same name written otherwise is that skill
    b = person(server)
    got = add_skill(b, base[:6] + " " + base[6:].upper() + ".")
    assert [x["name"] for x in got] == [base]
    # a near name may be another skill: a guest is told, staff make a new one
    typo = base[:3] + base[4:]                                    # one letter dropped
    g = person(server, kind="guest")
    body = assert_json_error(g.post(P + "/profile/skills", json={"skill": typo}), 422)
    assert f"did you mean {base}?" in body["error"]
    c = person(server)
    assert [x["name"] for x in add_skill(c, typo)] == [typo]
    # the vocabulary search is typo-tolerant
    found = b.ok("GET", P + "/skills", params={"q": base[:3] + "x" + base[4:]})
    assert found and found[0]["name"] == base and found[0]["corrected"] is True
    # alias taken by another skill, or equal to a skill name: refused
    other = boss.post(P + "/admin/skills", json={"name": unique("Other")}).json()
    assert_json_error(boss.post(f"{P}/admin/skills/{other['id']}/aliases", json={"alias": base}), 422)
    assert_json_error(boss.post(f"{P}/admin/skills/{other['id']}/aliases",
                                json={"alias": skill["aliases"][0]}), 422)


def test_endorsements(server):
    a, b, c = person(server), person(server), person(server)
    name = unique("Endorsed")
    add_skill(a, name, "expert")
    sid = skills_of(a)[name]["id"]
    r = endorse(b, a, sid)
    assert r.status_code == 200, r.text
    assert {s["name"]: s for s in r.json()}[name]["endorsements_count"] == 1
    # once each: a second endorsement counts once
    assert endorse(b, a, sid).status_code == 200
    assert skills_of(b, a)[name]["endorsements_count"] == 1
    assert skills_of(b, a)[name]["endorsed"] is True
    assert endorse(c, a, name).status_code == 200            # by name works too
    assert skills_of(c, a)[name]["endorsements_count"] == 2
    # never one's own
    body = assert_json_error(endorse(a, a, sid), 403)
    assert "own" in body["error"]
    assert skills_of(a)[name]["endorsements_count"] == 2
    # withdrawing
    assert b.delete(f"{P}/people/{a.id}/skills/{sid}/endorse").status_code == 200
    assert skills_of(a)[name]["endorsements_count"] == 1
    # a skill not on the profile, an unknown skill
    other = unique("NotHers")
    add_skill(b, other)
    assert_json_error(endorse(c, a, other), 404)
    assert_json_error(endorse(c, a, "no-such-skill-anywhere"), 404)
    # removing the skill removes its endorsements
    a.delete(f"{P}/profile/skills/{sid}")
    add_skill(a, name)
    assert skills_of(a)[name]["endorsements_count"] == 0


def test_endorsing_needs_sight_of_the_profile(server):
    a = person(server)
    name = unique("Seen")
    add_skill(a, name)
    guest = person(server, kind="guest")
    assert_json_error(endorse(guest, a, name), 404)
    share_space(server, a, guest)
    assert endorse(guest, a, name).status_code == 200
    anon = server.post(f"{P}/people/{a.id}/skills/{name}/endorse")
    assert anon.status_code == 401


def test_vocabulary_administration(server):
    boss = admin(server)
    a, b, c = person(server), person(server), person(server)
    js, ecma = unique("JavaScript"), unique("ECMAScript")
    add_skill(a, js, "expert")
    add_skill(b, ecma, "learning")
    add_skill(b, js, "learning")
    add_skill(c, ecma, "practised")
    endorse(c, b, ecma)
    jsid = skills_of(a)[js]["id"]
    ecid = skills_of(b)[ecma]["id"]
    # only admins
    assert_json_error(a.post(P + "/admin/skills", json={"name": unique("x")}), 403)
    assert_json_error(a.post(f"{P}/admin/skills/{jsid}/merge", json={"into": ecid}), 403)
    # rename
    new = js + "_renamed"
    r = boss.patch(f"{P}/admin/skills/{jsid}", json={"name": new})
    assert r.status_code == 200 and r.json()["name"] == new
    assert new in skills_of(a)
    # merge ECMAScript into it: holders move (keeping the higher level),
    # endorsements follow, the old name becomes an alias
    r = boss.post(f"{P}/admin/skills/{ecid}/merge", json={"into": jsid})
    assert r.status_code == 200, r.text
    assert ecma in r.json()["aliases"]
    sb = skills_of(b)
    assert ecma not in sb and sb[new]["level"] == "learning" and sb[new]["endorsements_count"] == 1
    assert skills_of(c)[new]["level"] == "practised"
    found = a.ok("GET", P + "/directory", params={"skill": ecma})   # the old name still finds them
    assert {p["username"] for p in found["people"]} >= {a.name, b.name, c.name}
    assert_json_error(boss.post(f"{P}/admin/skills/{jsid}/merge", json={"into": jsid}), 422)
    # aliases can be removed; delete removes the skill from every profile
    r = boss.delete(f"{P}/admin/skills/{jsid}/aliases/{ecma}")
    assert r.status_code == 200 and ecma not in r.json()["aliases"]
    assert boss.delete(f"{P}/admin/skills/{jsid}").status_code == 200
    assert new not in skills_of(a)
    assert_json_error(boss.delete(f"{P}/admin/skills/{jsid}"), 404)
