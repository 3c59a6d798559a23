"""People sensemaking (issue 3): the person card (profile, reporting line,
skills with endorsements, activity the viewer may read, contributions,
what the viewer shares with the person, how they are connected), and the
living business card: vCard 4.0 with the fields the viewer may see, and
a QR code of the profile URL that is a valid image."""
import re

from conftest import unique
from people_util import P, add_skill, endorse, parse_png, person, set_profile, share_space
from social import anon_get


def card(viewer, target):
    return viewer.ok("GET", f"{P}/people/{target.id}/card")


def test_card_content(server):
    boss, a, peer = person(server), person(server), person(server)
    set_profile(a, headline="SRE", department="Platform", manager=boss.name, interests=["chess"])
    set_profile(peer, manager=boss.name)
    skill = unique("Terraform")
    add_skill(a, skill, "expert")
    endorse(peer, a, skill)
    a.post_status("A public note", visibility="public")
    a.post_status("An organisation note", visibility="unlisted")
    a.post_status("For followers only", visibility="private")
    a.post_status("# Runbooks\n\nHow we page.", visibility="public", parley_title="Runbooks")
    c = card(peer, a)
    assert c["account"]["username"] == a.name
    assert c["profile"]["headline"] == "SRE" and c["profile"]["interests"] == ["chess"]
    s = {x["name"]: x for x in c["skills"]}[skill]
    assert s["level"] == "expert" and s["endorsements_count"] == 1 and s["endorsed"] is True
    assert [e["username"] for e in s["endorsers"]] == [peer.name]
    assert [m["username"] for m in c["reporting_line"]["managers"]] == [boss.name]
    assert [p["username"] for p in c["reporting_line"]["peers"]] == [peer.name]
    texts = " ".join(x["content"] for x in c["activity"])
    assert "A public note" in texts and "An organisation note" in texts
    assert "For followers only" not in texts
    assert c["contributions"] == {"posts": 2, "articles": 1, "answers": 0, "accepted_answers": 0, "ideas": 0}
    assert c["vcard_url"].endswith(f"/people/{a.id}/vcard") and c["qr_url"].endswith(f"/people/{a.id}/qr")
    # anonymous visitors see the public posts only, and no "shared"
    set_public = a.patch("/api/v1/accounts/update_credentials", data={"profile_public": "true"})
    assert set_public.status_code == 200
    anon = anon_get(server, f"{P}/people/{a.id}/card").json()
    assert anon["contributions"]["posts"] == 1 and anon["shared"] is None and anon["connection"] is None
    assert "An organisation note" not in " ".join(x["content"] for x in anon["activity"])


def test_shared_things(server):
    me, them, both_follow, other = (person(server) for _ in range(4))
    common, mine_only = unique("Shared"), unique("Mine")
    add_skill(me, common)
    add_skill(me, mine_only)
    add_skill(them, common)
    set_profile(me, interests=["Birding", "Go"])
    set_profile(them, interests=["birding"])
    me.follow(both_follow)
    them.follow(both_follow)
    me.follow(other)
    sid = share_space(server, me, them)
    sh = card(me, them)["shared"]
    assert sh["skills"] == [common]
    assert sh["interests"] == ["birding"]
    assert [f["username"] for f in sh["follows"]] == [both_follow.name]
    assert [s["id"] for s in sh["spaces"]] == [str(sid)]
    assert card(me, me)["shared"] is None


def test_connection_chain(server):
    me, a, b, c, stranger = (person(server) for _ in range(5))
    me.follow(a)                 # me -> a (follows)
    set_profile(b, manager=a.name)   # a manages b
    c.follow(b)                  # c follows b
    conn = card(me, a)["connection"]
    assert conn["degree"] == 1 and conn["path"][0]["link"] == "follows"
    conn = card(me, b)["connection"]
    assert conn["degree"] == 2
    assert [p["account"]["username"] for p in conn["path"]] == [me.name, a.name, b.name]
    assert [p["link"] for p in conn["path"]] == ["follows", "manages", None]
    conn = card(me, c)["connection"]
    assert conn["degree"] == 3
    assert [p["account"]["username"] for p in conn["path"]] == [me.name, a.name, b.name, c.name]
    assert conn["path"][2]["link"] == "is followed by"
    assert card(me, stranger)["connection"] is None


def test_connection_never_passes_through_hidden_people(server):
    """A guest's chain uses only people the guest may see."""
    guest = person(server, kind="guest")
    target = person(server)
    share_space(server, guest, target)      # not an edge: a shared space is not a follow
    hidden = person(server)                  # staff the guest cannot see
    hidden.follow(guest)
    hidden.follow(target)
    assert guest.ok("GET", f"{P}/people/{target.id}/card")["connection"] is None
    # a staff viewer who follows the same hidden person is connected through them
    staff = person(server)
    staff.follow(hidden)
    conn = card(staff, target)["connection"]
    assert [p["account"]["username"] for p in conn["path"]] == [staff.name, hidden.name, target.name]
    visible = person(server, public=True)
    guest.follow(visible)
    visible.follow(target)
    conn = guest.ok("GET", f"{P}/people/{target.id}/card")["connection"]
    assert [p["account"]["username"] for p in conn["path"]] == [guest.name, visible.name, target.name]


def unfold(text):
    assert "\r\n" in text and "\n" not in text.replace("\r\n", "")
    return re.sub(r"\r\n[ \t]", "", text).split("\r\n")


def test_vcard(server):
    a = person(server)
    set_profile(a, headline="Lead, Payments; EU", department="Finance", phone="+44 20 7946 0000",
                email="lead@work.example", location="Leeds", timezone="Europe/London", languages=["en", "fr"],
                pronouns="they/them", visibility={"phone": "organisation", "email": "only_me"})
    a.patch("/api/v1/accounts/update_credentials", data={
        "display_name": "Robin Example", "profile_public": "true",
        "note": "Line one\nLine two, with; punctuation " + "and a long tail " * 10})
    add_skill(a, "C++" + unique("v")[-4:])
    colleague = person(server)
    r = colleague.get(f"{P}/people/{a.id}/vcard")
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("text/vcard")
    assert f'filename="{a.name}.vcf"' in r.headers["Content-Disposition"]
    raw = r.content.decode("utf-8")
    assert all(len(line.encode()) <= 75 for line in raw.split("\r\n"))
    lines = unfold(raw)
    assert lines[0] == "BEGIN:VCARD" and lines[1] == "VERSION:4.0" and lines[-2] == "END:VCARD"
    assert "FN:Robin Example" in lines
    assert "TITLE:Lead\\, Payments\\; EU" in lines
    assert "TEL;TYPE=work,voice;VALUE=text:+44 20 7946 0000" in lines
    assert not any(line.startswith("EMAIL") for line in lines)          # only me
    assert "ADR;TYPE=work:;;;Leeds;;;" in lines and "TZ:Europe/London" in lines
    assert "LANG;PREF=1:en" in lines and "LANG;PREF=2:fr" in lines
    assert "PRONOUNS:they/them" in lines
    assert any(line.startswith("ORG:") and line.endswith(";Finance") for line in lines)
    note = [line for line in lines if line.startswith("NOTE:")][0]
    assert "Line one\\nLine two\\, with\\; punctuation" in note
    assert f"URL:{server.url}/@{a.name}" in lines
    assert any(line.startswith("CATEGORIES:C++") for line in lines)
    # anonymous: the organisation-level phone is gone too
    anon = unfold(anon_get(server, f"{P}/people/{a.id}/vcard").content.decode())
    assert not any(line.startswith("TEL") for line in anon)
    # the web route gives the same card to a browser
    web = anon_get(server, f"/@{a.name}/vcard")
    assert web.status_code == 200 and unfold(web.text) == anon


def test_vcard_follows_the_audience(server):
    hidden = person(server)
    assert anon_get(server, f"{P}/people/{hidden.id}/vcard").status_code == 404
    assert anon_get(server, f"/@{hidden.name}/vcard").status_code == 404
    assert anon_get(server, f"/@{hidden.name}/qr").status_code == 404


def test_qr_code_is_a_valid_image(server):
    a = person(server, public=True)
    for path in (f"{P}/people/{a.id}/qr", f"/@{a.name}/qr"):
        r = anon_get(server, path)
        assert r.status_code == 200 and r.headers["Content-Type"] == "image/png"
        w, h, ctype, depth, palette, raw = parse_png(r.content)
        assert w == h and w % 8 == 0                 # 8 pixels a module, square
        modules = w // 8 - 8                         # 4 modules of quiet zone each side
        assert modules >= 21 and (modules - 21) % 4 == 0   # a QR version's size
        assert ctype == 3 and palette                # a palette image
        rows = unfilter(raw, w, h, depth)

        def px(x, y):
            row = rows[y]
            bit = row[x * depth // 8] >> (8 - depth - (x * depth % 8)) & ((1 << depth) - 1)
            return palette[bit * 3]
        # the quiet zone is light, the top-left finder pattern dark with a light ring
        assert px(0, 0) > 128 and px(w - 1, h - 1) > 128
        assert px(4 * 8 + 1, 4 * 8 + 1) < 128
        assert px(5 * 8 + 1, 5 * 8 + 1) > 128
        assert px(7 * 8 + 1, 7 * 8 + 1) < 128
        assert px(w - 4 * 8 - 2, 4 * 8 + 1) < 128          # top-right finder
        assert px(4 * 8 + 1, h - 4 * 8 - 2) < 128          # bottom-left finder


def unfilter(raw, w, h, depth):
    """The rows of a palette PNG's pixel data, PNG filters undone."""
    stride = (w * depth + 7) // 8
    rows, prev = [], bytearray(stride)
    for y in range(h):
        f = raw[y * (stride + 1)]
        cur = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = cur[i - 1] if i else 0
            b = prev[i]
            c = prev[i - 1] if i else 0
            if f == 1:
                cur[i] = (cur[i] + a) & 255
            elif f == 2:
                cur[i] = (cur[i] + b) & 255
            elif f == 3:
                cur[i] = (cur[i] + (a + b) // 2) & 255
            elif f == 4:
                pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                pr = a if pa <= pb and pa <= pc else b if pb <= pc else c
                cur[i] = (cur[i] + pr) & 255
            else:
                assert f == 0, f
        rows.append(bytes(cur))
        prev = cur
    return rows
