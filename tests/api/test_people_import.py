"""Directory import and export (issue 3): `parley import people FILE.csv`
and the admin upload create or update staff from an HR export (columns
by header name, email the key, manager by email), report per row what
was created, updated or refused and why, and never half-apply a row;
exports give the profiles the viewer may see as CSV and JSON."""
import csv
import io

from conftest import assert_json_error, unique
from people_util import P, admin, person, set_profile, share_space


def csv_text(rows):
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    for r in rows:
        w.writerow(r)
    return out.getvalue()


def run_import(server, tmp_path, text, *extra):
    f = tmp_path / (unique("hr") + ".csv")
    f.write_text(text, encoding="utf-8")
    r = server.cli("import", "people", str(f), *extra)
    lines = r.stdout.strip().splitlines()
    rows = {}
    for line in lines:
        if line.startswith("line "):
            parts = line.split("\t")
            rows[int(parts[0].split()[1])] = parts[1:]
    return r, rows, lines[-1] if lines else ""


def test_cli_import_creates_updates_and_refuses(server, tmp_path):
    d = unique("hr").split("_")[1]
    boss, dev, new = f"boss{d}@corp.example", f"dev{d}@corp.example", f"new{d}@corp.example"
    guest = person(server, kind="guest")
    guest_email = guest.ok("GET", "/api/v1/accounts/verify_credentials")["username"] + "@example.com"
    text = csv_text([
        ["E-mail", "First Name", "Last Name", "Job Title", "Department", "Office", "Manager Email",
         "Skills", "Languages", "Shoe size"],
        [dev, "Dana", "Dev", "Engineer", "R&D", "Porto", boss, "Rust:expert; Go; SQL:learning", "pt, en", "42"],
        [boss, "Bo", "Boss", "CTO", "R&D", "Porto", "", "Leadership:expert", "en", ""],
        ["", "No", "Email", "", "", "", "", "", "", ""],
        ["not-an-email", "Bad", "Address", "", "", "", "", "", "", ""],
        [dev, "Dana", "Again", "", "", "", "", "", "", ""],
        [new, "Nell", "New", "Analyst", "Finance", "Oslo", f"nobody{d}@corp.example", "", "", ""],
        [guest_email, "Guest", "Person", "", "", "", "", "", "", ""],
        [f"lvl{d}@corp.example", "Lev", "El", "", "", "", "", "Rust:wizard", "", ""],
        [f"long{d}@corp.example", "L", "Ong", "x" * 101, "", "", "", "", "", ""],
    ])
    r, rows, summary = run_import(server, tmp_path, text)
    assert r.returncode == 0, r.stderr
    assert rows[2][1] == "created" and rows[3][1] == "created"
    assert summary == "2 created, 0 updated, 7 refused", r.stdout
    assert "missing" in rows[4][2]
    assert "not a valid address" in rows[5][2]
    assert "line 2 already" in rows[6][2]
    assert "manager" in rows[7][2] and "not an account" in rows[7][2]
    assert "guest account" in rows[8][2]
    assert "wizard" in rows[9][2]
    assert "Headline" in rows[10][2]
    assert "ignored columns: Shoe size" in r.stdout
    # what was created: the account, the profile, the skills, the manager
    username = rows[2][2].lstrip("@")
    viewer = person(server)
    prof = viewer.ok("GET", f"{P}/people/{username}/profile")
    assert prof["display_name"] == "Dana Dev" and prof["headline"] == "Engineer"
    assert prof["department"] == "R&D" and prof["location"] == "Porto" and prof["languages"] == ["pt", "en"]
    assert {s["name"]: s["level"] for s in prof["skills"]} == {"Rust": "expert", "Go": "practised",
                                                              "SQL": "learning"}
    assert prof["manager"]["username"] == rows[3][2].lstrip("@")
    # refused rows left nothing behind
    assert viewer.get(f"{P}/directory", params={"q": "Nell"}).json()["total"] == 0
    # no password: the new account cannot sign in yet
    app = server.register_app()
    assert server.password_grant(app, username).status_code != 200
    # a second run updates
    text2 = csv_text([["email", "title", "team"], [dev.upper(), "Staff engineer", "Ledger"]])
    r, rows, summary = run_import(server, tmp_path, text2)
    assert summary == "0 created, 1 updated, 0 refused" and rows[2][1] == "updated"
    prof = viewer.ok("GET", f"{P}/people/{username}/profile")
    assert prof["headline"] == "Staff engineer" and prof["team"] == "Ledger" and prof["location"] == "Porto"


def test_cli_import_managers_later_in_the_file_and_cycles(server, tmp_path):
    d = unique("m").split("_")[1]
    boss, dev = f"boss{d}@corp.example", f"dev{d}@corp.example"
    a, b, c, x = (f"{n}{d}@corp.example" for n in "abcx")
    text = csv_text([
        ["email", "name", "manager"],
        [dev, "Dev", boss],     # the manager comes later in the file
        [boss, "Boss", ""],
        [a, "A", b],
        [b, "B", c],
        [c, "C", a],            # closes the loop a -> b -> c -> a
        [x, "X", x],            # oneself
    ])
    r, rows, summary = run_import(server, tmp_path, text)
    assert rows[2][1] == "created" and rows[3][1] == "created"
    viewer = person(server)
    udev, uboss = rows[2][2].lstrip("@"), rows[3][2].lstrip("@")
    assert viewer.ok("GET", f"{P}/people/{udev}/profile")["manager"]["username"] == uboss
    # the loop: the row that closes it is refused, and so, row by row, are
    # those whose manager's row was refused (a row is applied whole or not at all)
    assert rows[6][1] == "refused" and "loop" in rows[6][2]
    assert rows[5][1] == "refused" and "line 6" in rows[5][2]
    assert rows[4][1] == "refused" and "line 5" in rows[4][2]
    assert rows[7][1] == "refused" and "loop" in rows[7][2]
    assert summary == "2 created, 0 updated, 4 refused", r.stdout
    assert viewer.get(f"{P}/directory", params={"q": f"a{d}"}).json()["total"] == 0


def test_cli_import_dry_run_and_bad_files(server, tmp_path):
    d = unique("dry").split("_")[1]
    text = csv_text([["email", "name"], [f"dry{d}@corp.example", "Dry Run"]])
    r, rows, summary = run_import(server, tmp_path, text, "--dry-run")
    assert summary == "dry run (nothing saved): 1 created, 0 updated, 0 refused", r.stdout
    assert person(server).get(f"{P}/directory", params={"q": "Dry Run"}).json()["total"] == 0
    # a file that is not CSV, or has no email column, changes nothing
    r, _, _ = run_import(server, tmp_path, 'email,name\r\n"dry@x.example,broken\r\n')
    assert r.returncode != 0 and "never closed" in r.stderr
    r, _, _ = run_import(server, tmp_path, "name,title\r\nA,B\r\n")
    assert r.returncode != 0 and "email column" in r.stderr
    r, _, _ = run_import(server, tmp_path, "")
    assert r.returncode != 0
    f = tmp_path / "latin1.csv"
    f.write_bytes("email,name\r\nz@corp.example,Jos\xe9\r\n".encode("latin-1"))
    r = server.cli("import", "people", str(f))
    assert r.returncode != 0 and "UTF-8" in r.stderr


def test_admin_upload(server):
    boss = admin(server)
    d = unique("up").split("_")[1]
    text = csv_text([["email", "name", "department", "skills"],
                     [f"up{d}@corp.example", "Uma Upload", "Ops" + d, "Ansible:expert"],
                     ["broken", "B", "", ""]])
    r = boss.post(P + "/admin/people/import", files={"file": ("hr.csv", text.encode(), "text/csv")},
                  params={"dry_run": "true"})
    assert r.status_code == 200, r.text
    rep = r.json()
    assert rep["dry_run"] is True and rep["created"] == 1 and rep["refused"] == 1
    assert rep["rows"][1]["result"] == "refused" and rep["rows"][1]["reason"]
    assert person(server).get(f"{P}/directory", params={"department": "Ops" + d}).json()["total"] == 0
    r = boss.post(P + "/admin/people/import", files={"file": ("hr.csv", text.encode(), "text/csv")})
    rep = r.json()
    assert rep["dry_run"] is False and rep["created"] == 1
    assert rep["rows"][0] == {"line": 2, "email": f"up{d}@corp.example", "username": f"up{d}",
                              "result": "created", "reason": None}
    assert person(server).get(f"{P}/directory", params={"department": "Ops" + d}).json()["total"] == 1
    # the CSV may come as a form field too; bad files are 422
    r = boss.post(P + "/admin/people/import", data={"csv": "email\r\n\"open"})
    assert_json_error(r, 422)
    assert_json_error(boss.post(P + "/admin/people/import", data={}), 422)
    # admins only
    staff = person(server)
    assert_json_error(staff.post(P + "/admin/people/import", data={"csv": text}), 403)


def read_csv(text):
    return list(csv.DictReader(io.StringIO(text)))


def test_export(server):
    dept = unique("Exp")
    a = person(server, department=dept, headline="=HYPERLINK(\"http://evil\")", phone="+1 555", email="a@x.example",
               visibility={"phone": "organisation", "email": "only_me"})
    b = person(server, department=dept, manager=a.name)
    from people_util import add_skill
    add_skill(b, "Excel", "expert")
    staff = person(server)
    r = staff.get(P + "/directory/export", params={"department": dept})
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/csv")
    rows = {row["username"]: row for row in read_csv(r.text)}
    assert set(rows) == {a.name, b.name}
    assert rows[a.name]["phone"] == "'+1 555"             # formula guard on + = - @
    assert rows[a.name]["headline"].startswith("'=HYPERLINK")
    assert rows[a.name]["email"] == ""                     # only me: not even in exports
    assert rows[b.name]["manager"] == a.name and rows[b.name]["skills"] == "Excel:expert"
    js = staff.ok("GET", P + "/directory/export", params={"department": dept, "format": "json"})
    assert {p["username"] for p in js} == {a.name, b.name}
    assert [p for p in js if p["username"] == b.name][0]["manager_username"] == a.name
    # the web export for a signed-in staff member
    s = server.signed_in_session(staff.name)
    web = server.get("/directory/export.csv", session=s, params={"department": dept})
    assert web.status_code == 200 and {row["username"] for row in read_csv(web.text)} == {a.name, b.name}
    # guests and anonymous visitors may not export
    g = person(server, kind="guest")
    share_space(server, g, a)
    assert_json_error(g.get(P + "/directory/export"), 403)
    assert server.get(P + "/directory/export").status_code == 401
