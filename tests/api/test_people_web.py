"""The people pages of the web UI, over plain HTTP: the profile editor
(/settings/profile, CSRF, errors, pictures through the session), the
person page (what it shows and never shows), the directory page (facets,
audience), and /admin/people (import by upload, vocabulary, fields)."""
import html
import re

from conftest import csrf_from, unique
from people_util import P, add_skill, admin, endorse, person, png, set_profile, share_space


def page(server, session, path, status=200):
    r = server.get(path, session=session)
    assert r.status_code == status, (path, r.status_code, r.text[:500])
    return r.text


def post_form(server, session, page_path, action, data, files=None):
    csrf = csrf_from(page(server, session, page_path))
    return server.post(action, session=session, data=dict(data, csrf=csrf), files=files)


def test_profile_editor(server):
    a = person(server)
    s = server.signed_in_session(a.name)
    text = page(server, s, "/settings/profile")
    assert 'name="visibility[phone]"' in text and 'action="/settings/profile/skills"' in text
    r = post_form(server, s, "/settings/profile", "/settings/profile", {
        "display_name": "Web Person", "bio": "Hello *there*", "headline": "Web head", "department": "Web",
        "phone": "+1 222", "visibility[phone]": "only_me", "languages": "English, Welsh",
        "interests": "rowing", "links[0][name]": "Site", "links[0][value]": "https://example.net",
        "status": "Around", "away_until": "", "manager": "", "profile_public": "0"})
    assert r.status_code == 303, r.text[:500]
    prof = a.ok("GET", P + "/profile")
    assert prof["display_name"] == "Web Person" and prof["headline"] == "Web head"
    assert prof["languages"] == ["English", "Welsh"] and prof["visibility"]["phone"] == "only_me"
    assert prof["links"] == [{"name": "Site", "value": "https://example.net"}]
    # errors come back in the form, nothing saved
    r = post_form(server, s, "/settings/profile", "/settings/profile", {"headline": "x" * 150, "team": "T"})
    assert r.status_code == 422 and 'role="alert"' in r.text
    assert a.ok("GET", P + "/profile")["team"] is None
    # without the CSRF token: refused
    r = server.post("/settings/profile", session=s, data={"headline": "csrf"})
    assert r.status_code == 403
    # skills through the form
    r = post_form(server, s, "/settings/profile", "/settings/profile/skills", {"skill": "Weaving", "level": "expert"})
    assert r.status_code == 303
    assert "Weaving" in page(server, s, "/settings/profile")
    sid = a.ok("GET", P + "/profile")["skills"][0]["id"]
    r = post_form(server, s, "/settings/profile", f"/settings/profile/skills/{sid}/remove", {})
    assert r.status_code == 303 and a.ok("GET", P + "/profile")["skills"] == []


def test_pictures_through_the_web(server):
    a = person(server)
    s = server.signed_in_session(a.name)
    big = png(300, 300, pad=1200 * 1024)             # past max_body (1 MiB): a session earns max_upload
    r = post_form(server, s, "/settings/profile", "/settings/profile/picture", {},
                  files={"avatar": ("me.png", big, "image/png")})
    assert r.status_code == 303, r.text[:300]
    avatar = a.ok("GET", "/api/v1/accounts/verify_credentials")["avatar"]
    assert "/pictures/" in avatar
    r = post_form(server, s, "/settings/profile", "/settings/profile/picture", {},
                  files={"avatar": ("x.png", b"GIF? no", "image/png")})
    assert r.status_code == 422 and "not an image" in html.unescape(r.text)
    r = post_form(server, s, "/settings/profile", "/settings/profile/picture/remove", {"which": "avatar"})
    assert r.status_code == 303
    assert a.ok("GET", "/api/v1/accounts/verify_credentials")["avatar"].endswith("/static/avatar.png")
    # without a session, the big body is refused before it is read
    r = server.post("/settings/profile/picture", files={"avatar": ("me.png", big, "image/png")})
    assert r.status_code == 413


def test_person_page(server):
    boss, a, viewer = person(server), person(server), person(server)
    set_profile(a, headline="Platform lead", department="Platform", phone="+1 999",
                email="secret@work.example", manager=boss.name, visibility={"email": "only_me"})
    skill = unique("Nix")
    add_skill(a, skill, "expert")
    add_skill(viewer, skill)
    viewer.follow(boss)
    s = server.signed_in_session(viewer.name)
    text = html.unescape(page(server, s, f"/@{a.name}"))
    assert "Platform lead" in text and "+1 999" in text
    assert "secret@work.example" not in text                         # only me
    assert "Reports to" in text and boss.name in text
    assert "What you share" in text and skill in text
    assert "How you are connected" in text
    assert f'/@{a.name}/vcard' in text and f'/@{a.name}/qr' in text
    assert 'class="small endorse"' in text
    # endorse through the page's form
    m = re.search(r'<form method="post" action="(/@%s/skills/\d+/endorse)"' % a.name, text)
    r = post_form(server, s, f"/@{a.name}", m.group(1), {"on": "1"})
    assert r.status_code == 303
    assert "1 endorsement" in page(server, s, f"/@{a.name}")
    # one's own page: no endorse button, a link to the editor
    own = page(server, server.signed_in_session(a.name), f"/@{a.name}")
    assert 'class="small endorse"' not in own and "/settings/profile" in own
    # anonymous visitors: a profile that is not public is not there
    assert server.get(f"/@{a.name}").status_code == 404


def test_directory_page(server):
    dept = unique("WebDir")
    a = person(server, department=dept, public=True)
    b = person(server, department=dept)
    add_skill(a, "Cartography" + dept[-4:])
    s = server.signed_in_session(person(server).name)
    text = html.unescape(page(server, s, "/directory?department=" + dept))
    assert a.name in text and b.name in text
    assert re.search(r'data-facet="department".*?%s</a> <span class="count">2' % dept, text, re.S)
    assert "Export as CSV" in text
    anon = html.unescape(page(server, None, "/directory?department=" + dept))
    assert a.name in anon and b.name not in anon and "Export as CSV" not in anon
    assert '<span id="total">1</span>' in anon
    ranked = html.unescape(page(server, s, "/directory?knows=cartografy" + dept[-4:].lower()))
    assert "ranked by evidence" in ranked and a.name in ranked and "Why:" in ranked


def test_admin_people_page(server):
    staff = person(server)
    assert server.get("/admin/people", session=server.signed_in_session(staff.name)).status_code == 403
    boss = admin(server)
    s = server.signed_in_session(boss.name)
    d = unique("adm").split("_")[1]
    csv_text = f"email,name,department\r\nweb{d}@corp.example,Web Import,Imports\r\nbad,Bad,\r\n"
    r = post_form(server, s, "/admin/people", "/admin/people/import", {"dry_run": "1"},
                  files={"file": ("hr.csv", csv_text.encode(), "text/csv")})
    assert r.status_code == 200 and "Dry run: 1 created, 0 updated, 1 refused" in r.text
    r = post_form(server, s, "/admin/people", "/admin/people/import", {},
                  files={"file": ("hr.csv", csv_text.encode(), "text/csv")})
    assert "1 created, 0 updated, 1 refused" in r.text and "not a valid address" in r.text
    # the vocabulary
    name = unique("Welding")
    r = post_form(server, s, "/admin/people", "/admin/people/skills", {"name": name, "aliases": "MIG, TIG"})
    assert r.status_code == 303
    text = page(server, s, "/admin/people")
    assert name in text and "MIG" in text
    # a profile field
    r = post_form(server, s, "/admin/people", "/admin/people/fields",
                  {"name": "Badge " + d, "kind": "text", "choices": "", "visibility": "organisation"})
    assert r.status_code == 303 and ("Badge " + d) in page(server, s, "/admin/people")
