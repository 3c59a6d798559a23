"""The people and skills finder (issue 3): text search (FTS5, prefixes,
typos), filters and facet counts, sorting and paging, "who knows X"
ranked by evidence with the evidence shown, the Mastodon search
endpoints, and every audience rule: staff find everyone, guests the
people they share a space with and public profiles, anonymous visitors
public profiles only, and facts count only where the viewer may read
them."""
import time

from conftest import assert_json_error, unique
from people_util import (P, add_skill, admin, directory, endorse, facet, person, set_profile, share_space,
                         usernames)
from social import Actor, anon_get, link


def test_search_by_name_skill_department_location_bio(server):
    dept = unique("Dept")
    a = person(server, headline="Treasury analyst", department=dept, location="Reykjavik")
    a.patch("/api/v1/accounts/update_credentials", data={"display_name": "Sigrun Thorsdottir",
                                                         "note": "I restore old sailing boats."})
    add_skill(a, unique("Hedging"))
    viewer = person(server)
    assert a.name in usernames(directory(viewer, q="Sigrun"))
    assert a.name in usernames(directory(viewer, q="sig"))                 # prefix
    assert a.name in usernames(directory(viewer, q="thorsdot"))
    assert a.name in usernames(directory(viewer, q="treasury"))
    assert a.name in usernames(directory(viewer, q=dept.lower()))
    assert a.name in usernames(directory(viewer, q="reykjav"))
    assert a.name in usernames(directory(viewer, q="sailing boats"))       # the bio
    assert a.name not in usernames(directory(viewer, q="sailing spaceships"))  # all words must match
    assert directory(viewer, q='"); DROP TABLE accounts; --')["total"] >= 0  # quoted: no syntax
    # relevance: a name match ranks above a bio match
    word = unique("Quillon").split("_")[1]
    named = person(server)
    named.patch("/api/v1/accounts/update_credentials", data={"display_name": f"Ana {word}"})
    mentioned = person(server)
    mentioned.patch("/api/v1/accounts/update_credentials", data={"note": f"I once met {word} at a fair."})
    res = directory(viewer, q=word)
    assert usernames(res)[:2] == [named.name, mentioned.name], res
    assert res["people"][0]["score"] > res["people"][1]["score"]


def test_typo_tolerant_skill_search(server):
    base = "Kubernetes" + unique("x").split("_")[1][:4]
    a = person(server)
    add_skill(a, base, "expert")
    typo = base[:4] + base[5:]                 # "Kubrnetes...": one letter dropped
    viewer = person(server)
    assert a.name in usernames(directory(viewer, q=typo))
    res = directory(viewer, knows=typo)
    assert res["skill"]["name"] == base and res["skill"]["corrected"] is True
    assert a.name in usernames(res)


def test_filters_facets_and_combinations(server):
    dept = unique("Facet")
    people = []
    for loc, langs, skill in [("Lima", ["es", "en"], "Surveying"), ("Lima", ["es"], "Drafting"),
                              ("Quito", ["es", "qu"], "Surveying")]:
        p = person(server, department=dept, location=loc, languages=langs)
        add_skill(p, skill + dept[-6:])
        people.append(p)
    viewer = person(server)
    res = directory(viewer, department=dept)
    assert res["total"] == 3 and sorted(usernames(res)) == sorted(x.name for x in people)
    assert facet(res, "location") == {"Lima": 2, "Quito": 1}
    assert facet(res, "language") == {"es": 3, "en": 1, "qu": 1}
    assert facet(res, "skill") == {"Surveying" + dept[-6:]: 2, "Drafting" + dept[-6:]: 1}
    assert facet(res, "department") == {dept: 3}
    # combined filters narrow each other; department matching ignores case
    res = directory(viewer, department=dept.upper(), location="lima", skill="Surveying" + dept[-6:])
    assert usernames(res) == [people[0].name] and res["total"] == 1
    res = directory(viewer, department=dept, language="qu")
    assert usernames(res) == [people[2].name]
    assert directory(viewer, department=dept, skill="no such skill at all")["total"] == 0
    # facet counts follow changes
    set_profile(people[1], location="Quito")
    res = directory(viewer, department=dept)
    assert facet(res, "location") == {"Quito": 2, "Lima": 1}


def test_unfiltered_directory_counts_follow_changes(server):
    """The unfiltered counts are cached per class of viewer; every change
    that matters (a new person, a profile edit, a suspension) shows at once."""
    viewer = person(server)
    before = directory(viewer)["total"]
    loc = unique("Town")
    newcomer = person(server, location=loc)
    res = directory(viewer)
    assert res["total"] == before + 1
    assert directory(server)["total"] == directory(server)["total"]      # stable when nothing changes
    anon_before = directory(server)["total"]
    newcomer.patch("/api/v1/accounts/update_credentials", data={"profile_public": "true"})
    assert directory(server)["total"] == anon_before + 1
    boss = admin(server)
    assert directory(viewer)["total"] == before + 2                      # + the admin
    server.cli("admin", "suspend", newcomer.name)
    assert directory(viewer)["total"] == before + 1
    assert directory(server)["total"] == anon_before
    assert newcomer.name not in usernames(directory(viewer, q=newcomer.name))
    assert newcomer.name in usernames(directory(boss, q=newcomer.name))  # admins see the suspended
    assert directory(boss)["total"] == before + 2


def test_sort_and_paging(server):
    dept = unique("Page")
    names = []
    for i, dn in enumerate(["Zed Last", "alpha First", "Mid Middle", "beta Second", "Omega End"]):
        p = person(server, department=dept)
        p.patch("/api/v1/accounts/update_credentials", data={"display_name": dn})
        names.append((dn.lower(), p.name))
    want = [n for _, n in sorted(names)]
    viewer = person(server)
    res = viewer.get(P + "/directory", params={"department": dept, "sort": "name", "limit": 2})
    assert res.status_code == 200
    got = usernames(res.json())
    nxt = link(res, "next")
    assert nxt and "offset=2" in nxt and link(res, "prev") is None
    while nxt:
        r = viewer.get(nxt)
        got += usernames(r.json())
        nxt = link(r, "next")
        assert link(r, "prev")
    assert got == want
    for bad in [{"limit": 0}, {"limit": 81}, {"offset": -1}, {"sort": "age"}, {"limit": "ten"}]:
        assert_json_error(viewer.get(P + "/directory", params=bad), 400)


def test_who_knows_ranks_by_evidence(server):
    skill = "Fortran" + unique("x").split("_")[1][:5]
    expert, practised, learner, poster, quiet = (person(server) for _ in range(5))
    add_skill(expert, skill, "expert")
    add_skill(practised, skill, "practised")
    add_skill(learner, skill, "learning")
    # endorsements by people who know it themselves weigh more
    for e in (expert, practised):
        endorse(e, learner, skill)
    endorse(quiet, practised, skill)
    # someone who never declared it but writes about it
    for i in range(4):
        poster.post_status(f"Notes on #{skill} loops, part {i}", visibility="public")
    viewer = person(server)
    res = directory(viewer, knows=skill.lower())
    order = usernames(res)
    assert res["skill"]["name"] == skill and res["skill"]["corrected"] is False
    assert set(order) == {expert.name, practised.name, learner.name, poster.name}
    ev = {p["username"]: p["evidence"] for p in res["people"]}
    assert ev[learner.name]["level"] == "learning" and ev[learner.name]["endorsements"] == 2
    # expert (1 + 0.5*3) + practised (1 + 0.5*2)
    assert abs(ev[learner.name]["endorsement_weight"] - 4.5) < 1e-9
    assert ev[practised.name]["endorsement_weight"] == 1.0
    assert ev[poster.name]["level"] is None and ev[poster.name]["posts"] == 4
    assert ev[expert.name]["answers"] == 0
    scores = [p["score"] for p in res["people"]]
    assert scores == sorted(scores, reverse=True)
    # 2 x 2 + 3 ln(1 + 4.5) > 2 x 3: the endorsed learner outranks the lone expert
    assert order.index(learner.name) < order.index(expert.name)
    # facets and filters apply to the ranked list too
    assert facet(res, "skill")[skill] == 3
    assert usernames(directory(viewer, knows=skill, q=poster.name)) == [poster.name]


def test_who_knows_counts_only_posts_the_viewer_may_read(server):
    skill = "Cobol" + unique("x").split("_")[1][:5]
    author = person(server, public=True)
    author.post_status(f"Internal #{skill} notes", visibility="unlisted")     # organisation
    author.post_status(f"Public #{skill} notes", visibility="public")
    author.post_status(f"Followers #{skill} notes", visibility="private")
    staff_view = directory(person(server), knows=skill)
    assert staff_view["people"][0]["evidence"]["posts"] == 2
    anon = directory(server, knows=skill)
    assert anon["people"][0]["evidence"]["posts"] == 1


def test_audience_rules(server):
    dept = unique("Aud")
    hidden = person(server, department=dept)                    # staff, not public
    public = person(server, department=dept, public=True)
    mate = person(server, department=dept)                      # shares a space with the guest
    guest = person(server, kind="guest")
    share_space(server, guest, mate)
    staff = person(server)

    assert sorted(usernames(directory(staff, department=dept))) == sorted([hidden.name, public.name, mate.name])
    assert sorted(usernames(directory(guest, department=dept))) == sorted([public.name, mate.name])
    assert usernames(directory(server, department=dept)) == [public.name]
    # the same for text search, the card and the Mastodon search
    assert hidden.name not in usernames(directory(guest, q=hidden.name))
    assert hidden.name not in usernames(directory(server, q=hidden.name))
    assert guest.get(f"{P}/people/{hidden.id}/card").status_code == 404
    assert [a["username"] for a in guest.ok("GET", "/api/v1/accounts/search", params={"q": hidden.name})] == []
    assert [a["username"] for a in guest.ok("GET", "/api/v1/accounts/search", params={"q": mate.name})] == [mate.name]
    # facets count only what the viewer may see
    assert facet(directory(guest, department=dept), "department") == {dept: 2}
    # the guest's whole directory: public profiles, co-members and themselves, never hidden
    all_guest = []
    r = guest.get(P + "/directory", params={"limit": 80})
    while True:
        all_guest += usernames(r.json())
        nxt = link(r, "next")
        if not nxt:
            break
        r = guest.get(nxt)
    assert mate.name in all_guest and public.name in all_guest and hidden.name not in all_guest
    assert guest.name in all_guest
    assert staff.name not in all_guest


def test_facts_match_only_where_the_viewer_may_read_them(server):
    dept = unique("Vis")
    org_only = person(server, public=True, department=dept, visibility={"department": "organisation"})
    me_only = person(server, public=True, department=dept, visibility={"department": "only_me"})
    shown = person(server, public=True, department=dept)
    staff = person(server)
    assert sorted(usernames(directory(staff, department=dept))) == sorted([org_only.name, shown.name])
    assert usernames(directory(server, department=dept)) == [shown.name]
    assert facet(directory(staff, department=dept), "department") == {dept: 2}
    # and text search: an organisation-level department is not found by anonymous visitors
    assert org_only.name not in usernames(directory(server, q=dept))
    assert org_only.name in usernames(directory(staff, q=dept))
    assert me_only.name not in usernames(directory(staff, q=dept))
    # the owner changing the level moves them at once
    set_profile(me_only, visibility={"department": "public"})
    assert me_only.name in usernames(directory(server, department=dept))


def test_blocks_count_only_where_the_blocker_would_be_listed(server):
    """The viewer's blockers leave a cached answer only when they are in it."""
    word = unique("Blkw").split("_")[1]
    viewer = person(server)
    blocker = person(server)
    blocker.patch("/api/v1/accounts/update_credentials", data={"display_name": "Blocker " + word})
    other = person(server)
    other.patch("/api/v1/accounts/update_credentials", data={"display_name": "Other " + word + "x"})
    skill = unique("BlkSkill")
    add_skill(other, skill)
    add_skill(blocker, skill)
    # fill the class's cache before the block
    assert directory(person(server), q="other " + word)["total"] == 1
    assert directory(person(server), knows=skill)["total"] == 2
    blocker.acct(viewer, "block")
    # the blocker does not match "other ...": the count stays
    assert directory(viewer, q="other " + word)["total"] == 1
    res = directory(viewer, q=word)
    assert res["total"] == 1 and usernames(res) == [other.name]
    res = directory(viewer, knows=skill)
    assert res["total"] == 1 and usernames(res) == [other.name]
    assert facet(res, "skill")[skill] == 1


def test_blocks_and_discoverable(server):
    dept = unique("Blk")
    blocker = person(server, department=dept)
    viewer = person(server)
    blocker.acct(viewer, "block")
    assert blocker.name not in usernames(directory(viewer, department=dept))
    assert blocker.name not in usernames(directory(viewer, q=blocker.name))
    before = directory(viewer)["total"]
    blocker.acct(viewer, "unblock")
    assert directory(viewer)["total"] == before + 1        # the cached count minus the viewer's blockers
    shy = person(server, department=dept, public=True)
    shy.patch("/api/v1/accounts/update_credentials", data={"discoverable": "false"})
    assert shy.name not in usernames(directory(server, department=dept))
    assert shy.name in usernames(directory(viewer, department=dept))     # staff still find them


def test_mastodon_account_search(server):
    a = person(server, public=True)
    a.patch("/api/v1/accounts/update_credentials", data={"display_name": "Ingrid Marklund"})
    viewer = person(server)
    got = viewer.ok("GET", "/api/v1/accounts/search", params={"q": "ingrid mark"})
    assert a.name in [x["username"] for x in got]
    got = viewer.ok("GET", "/api/v1/accounts/search", params={"q": "@" + a.name})
    assert got[0]["username"] == a.name and got[0]["acct"] == a.name
    assert viewer.ok("GET", "/api/v1/accounts/search", params={"q": a.name + "@elsewhere.example"}) == []
    assert viewer.ok("GET", "/api/v1/accounts/search", params={"q": ""}) == []
    assert_json_error(viewer.get("/api/v1/accounts/search"), 400)
    # following=true
    assert viewer.ok("GET", "/api/v1/accounts/search", params={"q": a.name, "following": "true"}) == []
    viewer.follow(a)
    got = viewer.ok("GET", "/api/v1/accounts/search", params={"q": a.name, "following": "true"})
    assert [x["username"] for x in got] == [a.name]
    # limit
    assert len(viewer.ok("GET", "/api/v1/accounts/search", params={"q": "a", "limit": 2})) <= 2


def test_v2_search(server):
    a = person(server, public=True)
    tag = "Zebra" + unique("t").split("_")[1][:6]
    a.post_status(f"About #{tag}", visibility="public")
    a.post_status(f"About #{tag}Extra", visibility="public")
    viewer = person(server)
    res = viewer.ok("GET", "/api/v2/search", params={"q": a.name})
    assert a.name in [x["username"] for x in res["accounts"]] and res["statuses"] == []
    res = viewer.ok("GET", "/api/v2/search", params={"q": "#" + tag.lower(), "type": "hashtags"})
    names = [t["name"] for t in res["hashtags"]]
    assert set(names) == {tag, tag + "Extra"} and res["accounts"] == []
    assert all(t["url"].endswith("/tags/" + t["name"].lower()) for t in res["hashtags"])
    assert_json_error(viewer.get("/api/v2/search", params={"q": "x", "type": "planets"}), 400)
    assert_json_error(anon_get(server, "/api/v2/search", params={"q": "x", "offset": 5}), 401)
    anon = anon_get(server, "/api/v2/search", params={"q": a.name}).json()
    assert a.name in [x["username"] for x in anon["accounts"]]


def test_skills_vocabulary_listing(server):
    prefix = "Zylo" + unique("v").split("_")[1][:5]
    a = person(server)
    add_skill(a, prefix + "phone")
    add_skill(person(server), prefix + "phone")
    add_skill(a, prefix + "graphy")
    got = a.ok("GET", P + "/skills", params={"q": prefix.lower()})
    assert [s["name"] for s in got] == [prefix + "phone", prefix + "graphy"]     # most used first
    assert got[0]["people_count"] == 2


def test_field_visibility_change_moves_the_index(server):
    from people_util import admin
    boss = admin(server)
    f = boss.post(P + "/admin/profile_fields", json={"name": unique("Clearance"), "kind": "text"}).json()
    word = "Zanzib" + unique("z").split("_")[1][:6]
    a = person(server, public=True)
    set_profile(a, **{"custom_" + f["id"]: word})
    assert a.name in usernames(directory(server, q=word))
    r = boss.patch(f"{P}/admin/profile_fields/{f['id']}", json={"visibility": "organisation"})
    assert r.status_code == 200 and r.json()["visibility"] == "organisation"
    assert a.name not in usernames(directory(server, q=word))        # anonymous: gone at once
    assert a.name in usernames(directory(person(server), q=word))    # staff still find it
    assert boss.delete(f"{P}/admin/profile_fields/{f['id']}").status_code == 200
