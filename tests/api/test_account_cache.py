"""Account entities are shared between requests (api/mastodon/account_cache.c)
until the account changes: every change must show on the very next read.

Each test warms the cache by reading a post of the account as another
viewer, changes something the entity shows, and reads again at once.
"""
from people_util import add_skill, admin, endorse, person, set_profile, share_space
from social import anon_get, staff


def author_of(viewer, sid):
    return viewer.ok("GET", f"/api/v1/statuses/{sid}")["account"]


def fields(acc):
    return {f["name"]: f["value"] for f in acc["fields"]}


def test_name_bio_and_counts_show_at_once(server):
    a, b, c = staff(server), staff(server), staff(server)
    sid = a.post_status("warm the cache", "organisation")["id"]
    before = author_of(b, sid)
    assert author_of(b, sid) == before                       # served twice alike
    r = a.patch("/api/v1/accounts/update_credentials", data={"display_name": "Renamed Person",
                                                              "note": "a new bio"})
    assert r.status_code == 200, r.text
    after = author_of(b, sid)
    assert after["display_name"] == "Renamed Person" and "a new bio" in after["note"]
    c.follow(a)
    assert author_of(b, sid)["followers_count"] == before["followers_count"] + 1
    a.post_status("one more", "organisation")
    assert author_of(b, sid)["statuses_count"] == before["statuses_count"] + 1


def test_profile_skills_and_endorsements_show_at_once(server):
    a, b, c = staff(server), staff(server), staff(server)
    sid = a.post_status("skills soon", "organisation")["id"]
    assert "Department" not in fields(author_of(b, sid))
    set_profile(a, department="Research and Development")
    assert fields(author_of(b, sid))["Department"] == "Research and Development"
    add_skill(a, "Cachetesting" + a.name[-6:], "practised")
    add_skill(a, "Zebraskill" + a.name[-6:], "practised")
    top = fields(author_of(b, sid))["Skills"]
    assert top.startswith("Cachetesting"), top
    # endorsements order skills of the same level: the endorsed one first
    r = endorse(c, a, "Zebraskill" + a.name[-6:])
    assert r.status_code == 200, r.text
    assert fields(author_of(b, sid))["Skills"].startswith("Zebraskill"), fields(author_of(b, sid))


def test_each_visibility_has_its_own_copy(server):
    # staff see organisation-level facts; a guest sharing a space and an
    # anonymous reader see the public ones only, from their own copy
    a = person(server, public=True)
    set_profile(a, location="Lyon office", department="Secret Lab",
                visibility={"location": "public", "department": "organisation"})
    b, g = staff(server), person(server, kind="guest")
    share_space(server, a, g)
    sid = a.post_status("seen by all", "public")["id"]
    for _ in range(2):                                   # the second read is from the cache
        assert fields(author_of(b, sid))["Department"] == "Secret Lab"
        anon = anon_get(server, f"/api/v1/statuses/{sid}")
        assert anon.status_code == 200, anon.text
        assert "Department" not in fields(anon.json()["account"])
        assert fields(anon.json()["account"])["Location"] == "Lyon office"
        assert "Department" not in fields(author_of(g, sid))
    # the author's own view is theirs (not shared), and changes show to all
    set_profile(a, department="Open Lab", visibility={"department": "public"})
    assert fields(author_of(b, sid))["Department"] == "Open Lab"
    assert fields(anon_get(server, f"/api/v1/statuses/{sid}").json()["account"])["Department"] == "Open Lab"


def test_suspension_shows_at_once(server):
    a, b = staff(server), staff(server)
    boss = admin(server)
    sid = a.post_status("before suspension", "organisation")["id"]
    assert "suspended" not in author_of(boss, sid)
    assert server.cli("admin", "suspend", a.name).returncode == 0
    try:
        acc = author_of(boss, sid)
        assert acc.get("suspended") is True
    finally:
        # the server is shared: a suspended account would change what
        # admins count in later tests (the directory's totals)
        assert server.cli("admin", "unsuspend", a.name).returncode == 0
    assert "suspended" not in author_of(boss, sid)
