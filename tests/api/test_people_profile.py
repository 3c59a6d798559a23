"""Profiles (issue 3): facts and their visibility (public / organisation /
only me) for staff, guests and anonymous visitors, validation, the bio,
the Mastodon account entity's fields, update_credentials (fields,
source, pictures with type and size checks), the reporting line (cycles
refused) and admin-defined profile fields."""
import pytest

from conftest import assert_json_error, start_private_server, _finish
from people_util import (P, admin, add_skill, person, png, png_header_only, parse_png, set_profile,
                         share_space)
from social import Actor, anon_get


def profile_as(viewer, target, server=None):
    """GET /people/:id/profile as an actor, or anonymously (viewer None)."""
    if viewer is None:
        return anon_get(server, f"{P}/people/{target.id}/profile")
    return viewer.get(f"{P}/people/{target.id}/profile")


def test_own_profile_round_trip(server):
    a = person(server)
    body = set_profile(a, headline="Payments engineer", department="Engineering", team="Ledger",
                       location="Lisbon", timezone="Europe/Lisbon", working_hours="Mon-Thu 9-17",
                       pronouns="she/her", phone="+351 21 000 0000", email="a@work.example",
                       languages=["Portuguese", "English"], interests=["climbing", "jazz"],
                       links=[{"name": "Website", "value": "https://example.org/a"}],
                       status="Heads down on the migration", away_until="2031-05-01")
    assert body["headline"] == "Payments engineer" and body["team"] == "Ledger"
    assert body["languages"] == ["Portuguese", "English"]
    assert body["interests"] == ["climbing", "jazz"]
    assert body["links"] == [{"name": "Website", "value": "https://example.org/a"}]
    assert body["away_until"] == "2031-05-01" and body["away"] is True
    assert body["status"] == "Heads down on the migration"
    # the owner sees the levels; phone and email default to organisation
    assert body["visibility"]["phone"] == "organisation"
    assert body["visibility"]["email"] == "organisation"
    assert body["visibility"]["headline"] == "public"
    again = a.ok("GET", P + "/profile")
    assert again["location"] == "Lisbon" and again["pronouns"] == "she/her"
    # clearing
    body = set_profile(a, team="", interests=[""], away_until="")
    assert body["team"] is None and body["interests"] == [] and body["away_until"] is None


def test_validation(server):
    a = person(server)
    for bad, why in [({"headline": "x" * 101}, "too long"), ({"email": "not an address"}, "email"),
                     ({"away_until": "next tuesday"}, "date"), ({"visibility": {"phone": "friends"}}, "level"),
                     ({"timezone": "Europe/<script>"}, "timezone"), ({"department": "a\nb"}, "one line"),
                     ({"languages": ["l%d" % i for i in range(11)]}, "too many")]:
        r = a.patch(P + "/profile", json=bad)
        assert_json_error(r, 422), why
    # nothing of a refused edit is applied
    r = a.patch(P + "/profile", json={"headline": "ok", "email": "bad"})
    assert_json_error(r, 422)
    assert a.ok("GET", P + "/profile")["headline"] is None


def test_field_visibility_levels(server):
    """public: whoever may see the profile; organisation: staff only; only
    me: the person alone, admins included."""
    owner = person(server, public=True)
    set_profile(owner, headline="Head of sales", phone="+1 555 0100", email="o@work.example",
                location="Oslo", department="Sales",
                visibility={"phone": "organisation", "email": "only_me", "location": "public",
                            "department": "organisation"})
    colleague = person(server)
    boss = admin(server)
    guest = person(server, kind="guest")
    share_space(server, owner, guest)

    seen = profile_as(colleague, owner).json()
    assert seen["headline"] == "Head of sales" and seen["phone"] == "+1 555 0100"
    assert seen["department"] == "Sales" and seen["email"] is None
    assert "visibility" not in seen
    assert profile_as(boss, owner).json()["email"] is None          # only me: admins too
    g = profile_as(guest, owner).json()
    assert g["headline"] == "Head of sales" and g["location"] == "Oslo"
    assert g["phone"] is None and g["department"] is None and g["email"] is None
    anon = profile_as(None, owner, server).json()
    assert anon["phone"] is None and anon["department"] is None and anon["location"] == "Oslo"
    mine = owner.ok("GET", P + "/profile")
    assert mine["email"] == "o@work.example" and mine["visibility"]["email"] == "only_me"


def test_profiles_follow_the_account_audience(server):
    hidden = person(server, headline="Not for outsiders")
    guest = person(server, kind="guest")
    # a guest sharing no space, and anonymous visitors, do not see a
    # staff profile that is not public
    assert profile_as(guest, hidden).status_code == 404
    assert profile_as(None, hidden, server).status_code == 404
    assert anon_get(server, f"{P}/people/{hidden.id}/card").status_code == 404
    share_space(server, hidden, guest)
    assert profile_as(guest, hidden).status_code == 200
    # by username too
    assert guest.get(f"{P}/people/{hidden.name}/profile").status_code == 200


def test_bio_markdown_is_rendered_safely(server):
    a = person(server, public=True)
    r = a.patch("/api/v1/accounts/update_credentials",
                data={"note": "**Strong** <script>alert(1)</script> [x](javascript:alert(1)) #rust"})
    assert r.status_code == 200, r.text
    note = r.json()["note"]
    assert "<strong>Strong</strong>" in note
    assert "<script>" not in note and "javascript:" not in note
    assert "&lt;script&gt;" in note
    assert "/tags/rust" in note
    card = a.ok("GET", f"{P}/people/{a.id}/card")
    assert card["profile"]["bio_html"] == note and "**Strong**" in card["profile"]["bio"]


def test_mastodon_account_fields(server):
    a = person(server, public=True)
    set_profile(a, headline="Data scientist", department="Analytics", location="Berlin", phone="+49 1",
                visibility={"department": "organisation"})
    add_skill(a, "Statistics", "expert")
    add_skill(a, "Python")
    colleague = person(server)
    acct = colleague.ok("GET", f"/api/v1/accounts/{a.id}")
    fields = {f["name"]: f["value"] for f in acct["fields"]}
    assert fields["Headline"] == "Data scientist" and fields["Department"] == "Analytics"
    assert fields["Location"] == "Berlin"
    assert fields["Skills"].startswith("Statistics")
    assert all(f["verified_at"] is None for f in acct["fields"])
    # anonymous: the organisation-level department is not there
    anon = anon_get(server, f"/api/v1/accounts/{a.id}").json()
    names = [f["name"] for f in anon["fields"]]
    assert "Department" not in names and "Headline" in names


def test_update_credentials_fields_and_source(server):
    a = person(server)
    r = a.patch("/api/v1/accounts/update_credentials", data={
        "fields_attributes[0][name]": "Website", "fields_attributes[0][value]": "https://example.com/me",
        "fields_attributes[1][name]": "Desk", "fields_attributes[1][value]": "B4 <by the window>",
        "source[privacy]": "private", "source[language]": "fr",
        "parley[headline]": "Architect", "parley[visibility][phone]": "only_me", "parley[phone]": "123"})
    assert r.status_code == 200, r.text
    me = r.json()
    assert me["source"]["privacy"] == "private" and me["source"]["language"] == "fr"
    assert [f["name"] for f in me["source"]["fields"]] == ["Website", "Desk"]
    values = {f["name"]: f["value"] for f in me["fields"]}
    assert values["Headline"] == "Architect"
    assert 'href="https://example.com/me"' in values["Website"]
    assert "&lt;by the window&gt;" in values["Desk"]
    prof = a.ok("GET", P + "/profile")
    assert prof["visibility"]["phone"] == "only_me" and prof["phone"] == "123"
    r = a.patch("/api/v1/accounts/update_credentials", data={"source[privacy]": "everyone"})
    assert_json_error(r, 422)
    v = a.ok("GET", "/api/v1/accounts/verify_credentials")
    assert v["source"]["privacy"] == "private"


def test_avatar_and_header_upload(server):
    a = person(server, public=True)
    r = a.patch("/api/v1/accounts/update_credentials",
                files={"avatar": ("me.png", png(600, 500), "image/png"),
                       "header": ("h.png", png(2000, 400, (10, 120, 200, 128)), "image/png")})
    assert r.status_code == 200, r.text
    acct = r.json()
    assert "/pictures/" in acct["avatar"] and "/pictures/" in acct["header"]
    path = acct["avatar"].split("127.0.0.1", 1)[1].split("/", 1)[1]
    got = anon_get(server, "/" + path)
    assert got.status_code == 200 and got.headers["Content-Type"] == "image/png"
    w, h, *_ = parse_png(got.content)
    assert (w, h) == (400, 333)          # resized to fit 400 x 400
    small = anon_get(server, "/" + path.replace(".png", ".small.png"))
    assert small.status_code == 200 and parse_png(small.content)[:2] == (120, 100)
    header = anon_get(server, "/" + acct["header"].split("127.0.0.1", 1)[1].split("/", 1)[1])
    assert parse_png(header.content)[:2] == (1500, 300)
    # a new avatar replaces the old one, whose file is gone
    r = a.patch("/api/v1/accounts/update_credentials", files={"avatar": ("2.png", png(50, 50), "image/png")})
    assert r.status_code == 200
    assert anon_get(server, "/" + path).status_code == 404
    # remove: back to the default picture
    r = a.delete("/api/v1/profile/avatar")
    assert r.status_code == 200 and r.json()["avatar"].endswith("/static/avatar.png")


def test_non_image_avatar_refused(server):
    a = person(server)
    before = a.ok("GET", "/api/v1/accounts/verify_credentials")["avatar"]
    for name, data, ctype in [("a.png", b"this is not a picture at all", "image/png"),
                              ("a.pdf", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer<<>>\n%%EOF", "application/pdf"),
                              ("a.png", b"", "image/png"),
                              ("bomb.png", png_header_only(30000, 30000), "image/png")]:
        r = a.patch("/api/v1/accounts/update_credentials", data={"display_name": "Changed"},
                    files={"avatar": (name, data, ctype)})
        assert_json_error(r, 422)
    me = a.ok("GET", "/api/v1/accounts/verify_credentials")
    assert me["avatar"] == before
    assert me["display_name"] != "Changed"     # nothing changed with a refused picture


def test_oversized_avatar_refused(parley_bin, tmp_path_factory):
    srv = start_private_server(tmp_path_factory, env={"PARLEY_PROFILE_IMAGE_MAX": "20000"})
    try:
        srv.create_user("first_admin", "first_admin@example.com", role="admin")
        a = Actor(srv, "staff", public=False)
        r = a.patch("/api/v1/accounts/update_credentials", files={"avatar": ("big.png", png(40, 40, pad=30000),
                                                                             "image/png")})
        body = assert_json_error(r, 422)
        assert "too large" in body["error"]
        r = a.patch("/api/v1/accounts/update_credentials", files={"header": ("ok.png", png(40, 40), "image/png")})
        assert r.status_code == 200, r.text
    finally:
        _finish(srv)


def test_reporting_line_and_cycles(server):
    ceo, vp, lead, dev, dev2 = (person(server) for _ in range(5))
    set_profile(vp, manager=ceo.name)
    set_profile(lead, manager=vp.name)
    set_profile(dev, manager=lead.name)
    set_profile(dev2, manager=lead.name)
    org = dev.ok("GET", f"{P}/people/{dev.id}/org")
    assert [m["username"] for m in org["managers"]] == [lead.name, vp.name, ceo.name]
    assert [p["username"] for p in org["peers"]] == [dev2.name]
    lead_org = dev.ok("GET", f"{P}/people/{lead.id}/org")
    assert sorted(p["username"] for p in lead_org["reports"]) == sorted([dev.name, dev2.name])
    assert lead_org["reports_count"] == 2
    # cycles are refused: oneself, a direct report, a report's report
    for who, manager in [(ceo, ceo.name), (lead, dev.name), (ceo, dev.name), (vp, lead.name)]:
        body = assert_json_error(who.patch(P + "/profile", json={"manager": manager}), 422)
        assert "loop" in body["error"]
    assert ceo.ok("GET", P + "/profile")["manager"] is None
    # an unknown manager is refused; clearing works
    assert_json_error(dev.patch(P + "/profile", json={"manager": "nobody_here_at_all"}), 422)
    assert set_profile(dev, manager="")["manager"] is None


def test_manager_cycle_race_is_refused_once(server):
    """Two people naming each other at the same time: one wins, the other
    gets the loop error (the check runs inside the write transaction)."""
    import threading
    a, b = person(server), person(server)
    results = []

    def go(x, y):
        results.append(x.patch(P + "/profile", json={"manager": y.name}).status_code)

    t1 = threading.Thread(target=go, args=(a, b))
    t2 = threading.Thread(target=go, args=(b, a))
    t1.start(), t2.start()
    t1.join(), t2.join()
    assert sorted(results) == [200, 422], results


def test_admin_defined_fields(server):
    boss = admin(server)
    r = boss.post(P + "/admin/profile_fields", json={"name": "Cost centre", "kind": "choice",
                                                      "choices": ["CC-100", "CC-200"], "visibility": "organisation"})
    assert r.status_code == 200, r.text
    cc = r.json()
    assert cc["choices"] == ["CC-100", "CC-200"] and cc["visibility"] == "organisation"
    start = boss.post(P + "/admin/profile_fields", json={"name": "Start date", "kind": "date"}).json()
    a = person(server, public=True)
    body = set_profile(a, **{"custom_" + cc["id"]: "CC-200", "custom_" + start["id"]: "2019-03-04"})
    values = {f["name"]: f["value"] for f in body["custom_fields"] if f["value"]}
    assert values == {"Cost centre": "CC-200", "Start date": "2019-03-04"}
    assert_json_error(a.patch(P + "/profile", json={"custom_" + cc["id"]: "CC-999"}), 422)
    assert_json_error(a.patch(P + "/profile", json={"custom_" + start["id"]: "03/04/2019"}), 422)
    # visibility: staff see the organisation field, anonymous visitors do not
    staff_view = person(server).ok("GET", f"{P}/people/{a.id}/profile")
    assert {f["name"] for f in staff_view["custom_fields"]} >= {"Cost centre", "Start date"}
    anon_view = anon_get(server, f"{P}/people/{a.id}/profile").json()
    assert "Cost centre" not in {f["name"] for f in anon_view["custom_fields"]}
    # definitions are for admins
    assert_json_error(a.post(P + "/admin/profile_fields", json={"name": "X", "kind": "text"}), 403)
    assert_json_error(boss.post(P + "/admin/profile_fields", json={"name": "Y", "kind": "colour"}), 422)
    assert_json_error(boss.post(P + "/admin/profile_fields", json={"name": "Cost centre", "kind": "text"}), 422)
    listed = {f["name"] for f in a.ok("GET", P + "/profile_fields")}
    assert {"Cost centre", "Start date"} <= listed
    assert boss.delete(f"{P}/admin/profile_fields/{start['id']}").status_code == 200
    assert "Start date" not in {f["name"] for f in a.ok("GET", P + "/profile")["custom_fields"]}


def test_admin_edits_someone_elses_profile(server):
    a = person(server)
    other = person(server)
    assert_json_error(other.patch(f"{P}/people/{a.id}/profile", json={"headline": "Hijacked"}), 403)
    boss = admin(server)
    r = boss.patch(f"{P}/people/{a.name}/profile", json={"headline": "Set by HR", "manager": boss.name})
    assert r.status_code == 200, r.text
    prof = a.ok("GET", P + "/profile")
    assert prof["headline"] == "Set by HR" and prof["manager"]["username"] == boss.name
    # the owner's own view keeps "only me" facts from the admin
    set_profile(a, phone="+1 0", visibility={"phone": "only_me"})
    assert boss.ok("GET", f"{P}/people/{a.id}/profile")["phone"] is None
