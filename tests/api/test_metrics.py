"""
Metrics (issue 7), black-box from the contract (briefs/listening-api.md,
"Metrics"): GET /spaces/:space/metrics and GET /metrics, JSON and CSV,
the window, permissions, and the web pages with their SVG charts.

The numbers themselves (counts, median, p90, within-target share,
responders, daily series, and that unreadable questions are never counted)
are checked on a real database in tests/unit/test_metrics.c; the
ask/answer/accept round trip through the questions API joins once that
branch is merged.
"""
import csv
import datetime as dt
import io
import xml.dom.minidom

import pytest

from social import Actor
import spacekit as sk

P = "/api/parley/v1"
HEADER = ["scope", "responder", "asked", "answered", "resolved", "escalations",
          "median_first_answer_s", "p90_first_answer_s", "median_resolution_s",
          "p90_resolution_s", "answered_within_target"]


@pytest.fixture(scope="module")
def world(server):
    owner = Actor(server)
    member = Actor(server)
    outsider = Actor(server)
    guest = Actor(server, kind="guest")
    admin = Actor(server, kind="admin")
    space = sk.create(owner, kind="internal", access="closed")
    sk.enrol(owner, space, member)
    ext = sk.create(owner, kind="external", access="closed")
    sk.enrol(owner, ext, guest)
    return dict(owner=owner, member=member, outsider=outsider, guest=guest, admin=admin,
                space=space, ext=ext)


def today():
    return dt.datetime.now(dt.timezone.utc).date()


def test_space_metrics_json_shape_and_default_window(world):
    m = world["owner"].ok("GET", f"{P}/spaces/{world['space']['handle']}/metrics")
    assert m["to"] == today().isoformat()
    assert m["from"] == (today() - dt.timedelta(days=29)).isoformat()
    for k in ("asked", "answered", "resolved", "closed", "escalations"):
        assert m[k] == 0, k
    assert m["time_to_first_answer"] == {"median_seconds": None, "p90_seconds": None}
    assert m["time_to_resolution"] == {"median_seconds": None, "p90_seconds": None}
    assert m["answered_within_target"] is None
    assert m["responders"] == []
    assert len(m["daily"]) == 30
    assert m["daily"][0]["date"] == m["from"] and m["daily"][-1]["date"] == m["to"]
    assert all(d["asked"] == 0 and d["answered"] == 0 and d["resolved"] == 0 for d in m["daily"])


def test_window_parameters(world):
    url = f"{P}/spaces/{world['space']['id']}/metrics"
    m = world["owner"].ok("GET", url, params={"from": "2026-01-30", "to": "2026-02-02"})
    assert (m["from"], m["to"]) == ("2026-01-30", "2026-02-02")
    assert [d["date"] for d in m["daily"]] == ["2026-01-30", "2026-01-31", "2026-02-01", "2026-02-02"]
    for params in ({"from": "2026-02-30"}, {"to": "yesterday"}, {"from": "2026-03-02", "to": "2026-03-01"},
                   {"from": "2020-01-01", "to": "2026-01-01"}):
        r = world["owner"].get(url, params=params)
        assert r.status_code == 422, (params, r.status_code)
        assert "error" in r.json()
    r = world["owner"].get(url, params={"format": "xml"})
    assert r.status_code == 400


def test_csv_matches_json(world):
    url = f"{P}/spaces/{world['space']['handle']}/metrics"
    j = world["owner"].ok("GET", url, params={"from": "2026-01-01", "to": "2026-01-31"})
    r = world["owner"].get(url, params={"from": "2026-01-01", "to": "2026-01-31", "format": "csv"})
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(r.text)))
    assert rows[0] == HEADER
    scope = rows[1]
    assert scope[0] == world["space"]["handle"] and scope[1] == ""
    assert [int(x) for x in scope[2:6]] == [j["asked"], j["answered"], j["resolved"], j["escalations"]]
    assert scope[6:] == ["", "", "", "", ""]   # unknown values are empty cells
    assert len(rows) == 2 + len(j["responders"])


def test_space_permissions(world, server):
    w = world
    url = f"{P}/spaces/{w['space']['handle']}/metrics"
    assert w["member"].get(url).status_code == 403
    assert w["outsider"].get(url).status_code == 403
    assert w["guest"].get(url).status_code == 404        # cannot see the internal space
    assert server.get(url).status_code == 401
    assert w["admin"].get(url).status_code == 200
    # a guest never sees another space's numbers; in their own space they are
    # a plain member, not a listener
    assert w["guest"].get(f"{P}/spaces/{w['ext']['handle']}/metrics").status_code == 403


def test_org_metrics_permissions(world, server):
    w = world
    for who in ("owner", "member", "outsider", "guest"):
        assert w[who].get(f"{P}/metrics").status_code == 403, who
    assert server.get(f"{P}/metrics").status_code == 401
    m = w["admin"].ok("GET", f"{P}/metrics")
    assert "daily" in m and "responders" in m
    r = w["admin"].get(f"{P}/metrics", params={"format": "csv"})
    rows = list(csv.reader(io.StringIO(r.text)))
    assert rows[0] == HEADER and rows[1][0] == "organisation"


def test_web_metrics_page_has_accessible_svg(world, server):
    w = world
    s = server.signed_in_session(w["owner"].name)
    r = server.get(f"/s/{w['space']['handle']}/metrics?from=2026-01-01&to=2026-01-14", session=s)
    assert r.status_code == 200
    html = r.text
    assert html.count("<svg") == 2
    for chunk in html.split("<svg")[1:]:
        svg = "<svg" + chunk.split("</svg>")[0] + "</svg>"
        doc = xml.dom.minidom.parseString(svg)          # well-formed XML
        root = doc.documentElement
        assert root.getAttribute("role") == "img"
        assert root.getAttribute("viewBox") == "0 0 640 300"
        assert root.getElementsByTagName("title")
    assert "Questions per day" in html and "Time to first answer" in html
    assert "<table" in html                              # the figures also as text
    assert "2026-01-14" in html
    csv_r = server.get(f"/s/{w['space']['handle']}/metrics.csv?from=2026-01-01&to=2026-01-14", session=s)
    assert csv_r.status_code == 200 and csv_r.text.startswith("scope,responder,")
    sm = server.signed_in_session(w["member"].name)
    assert server.get(f"/s/{w['space']['handle']}/metrics", session=sm).status_code == 403
    assert server.get("/metrics", session=sm).status_code == 403
    sa = server.signed_in_session(w["admin"].name)
    assert server.get("/metrics", session=sa).status_code == 200


# ---- the round trip: ask, answer, accept (questions API), then measure -------------

def iso_ms(s):
    return dt.datetime.strptime(s, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=dt.timezone.utc)


def median(xs):
    xs = sorted(xs)
    n = len(xs)
    return xs[n // 2] if n % 2 else (xs[n // 2 - 1] + xs[n // 2]) / 2


def p90(xs):
    xs = sorted(xs)
    return xs[-(-9 * len(xs) // 10) - 1]   # nearest rank: ceil(0.9 n), 1-based


def test_counts_medians_and_p90_from_real_questions(server):
    owner, a1, a2, asker = Actor(server), Actor(server), Actor(server), Actor(server)
    space = sk.create(owner, kind="internal", access="closed")
    for who in (a1, a2, asker):
        sk.enrol(owner, space, who)
    qs = []
    for i in range(4):
        qs.append(asker.ok("POST", f"{P}/questions", json={
            "title": f"How do I rotate key {i}?", "body": "Asking for the team.", "space": space["id"]}))
    ans = {}
    ans[0] = a1.ok("POST", f"{P}/questions/{qs[0]['id']}/answers", json={"body": "Like this."})
    ans[1] = a2.ok("POST", f"{P}/questions/{qs[1]['id']}/answers", json={"body": "Try that."})
    a1.ok("POST", f"{P}/questions/{qs[1]['id']}/answers", json={"body": "Or this."})
    ans[2] = a1.ok("POST", f"{P}/questions/{qs[2]['id']}/answers", json={"body": "Done."})
    asker.ok("POST", f"{P}/questions/{qs[0]['id']}/accept", json={"answer_id": ans[0]["id"]})
    asker.ok("POST", f"{P}/questions/{qs[3]['id']}/close", json={"reason": "other"})
    full = [asker.ok("GET", f"{P}/questions/{q['id']}") for q in qs]
    ttfa = [(iso_ms(q["first_answer_at"]) - iso_ms(q["asked_at"])).total_seconds()
            for q in full if q["first_answer_at"]]
    ttr = [(iso_ms(q["resolved_at"]) - iso_ms(q["asked_at"])).total_seconds()
           for q in full if q["resolved_at"]]
    m = owner.ok("GET", f"{P}/spaces/{space['handle']}/metrics")
    assert (m["asked"], m["answered"], m["resolved"], m["closed"]) == (4, 3, 1, 1)
    assert m["time_to_first_answer"]["median_seconds"] == pytest.approx(median(ttfa), abs=0.002)
    assert m["time_to_first_answer"]["p90_seconds"] == pytest.approx(p90(ttfa), abs=0.002)
    assert m["time_to_resolution"]["median_seconds"] == pytest.approx(median(ttr), abs=0.002)
    by = {r["account"]["id"]: r for r in m["responders"]}
    assert by[a1.id]["answers"] == 3 and by[a1.id]["first_answers"] == 2 and by[a1.id]["accepted"] == 1
    assert by[a2.id]["answers"] == 1 and by[a2.id]["first_answers"] == 1 and by[a2.id]["accepted"] == 0
    today_row = [d for d in m["daily"] if d["date"] == today().isoformat()][0]
    assert (today_row["asked"], today_row["answered"], today_row["resolved"]) == (4, 3, 1)
    # CSV: the same numbers, one row per responder
    r = owner.get(f"{P}/spaces/{space['handle']}/metrics", params={"format": "csv"})
    rows = list(csv.reader(io.StringIO(r.text)))
    assert rows[0] == HEADER
    assert rows[1][:6] == [space["handle"], "", "4", "3", "1", str(m["escalations"])]
    assert float(rows[1][6]) == pytest.approx(m["time_to_first_answer"]["median_seconds"], abs=0.002)
    names = {row[1]: row for row in rows[2:]}
    assert set(names) == {a1.name, a2.name}
    assert names[a1.name][3] == "3"
    # an admin may see metrics but not read a closed space: nothing is counted
    admin = Actor(server, kind="admin")
    assert admin.ok("GET", f"{P}/spaces/{space['handle']}/metrics")["asked"] == 0
    # the owner, made an org listener, counts them in the organisation's numbers
    r = admin.post(f"{P}/listeners", json={"account_id": owner.id})
    assert r.status_code == 200, r.text
    assert owner.ok("GET", f"{P}/metrics")["asked"] >= 4


def test_guest_never_sees_another_space_numbers(server):
    owner, guest, staff = Actor(server), Actor(server, kind="guest"), Actor(server)
    internal = sk.create(owner, kind="internal", access="closed")
    sk.enrol(owner, internal, staff)
    support = sk.create(owner, kind="external", access="closed")
    sk.enrol(owner, support, guest)
    staff.ok("POST", f"{P}/questions", json={"title": "Internal budget?", "body": "x", "space": internal["id"]})
    guest.ok("POST", f"{P}/questions", json={"title": "Where is my invoice?", "body": "x", "space": support["id"]})
    # make the guest a listener of their support space: they see its numbers only
    r = owner.post(f"{P}/spaces/{support['id']}/listeners", json={"account_id": guest.id})
    assert r.status_code == 200, r.text
    m = guest.ok("GET", f"{P}/spaces/{support['handle']}/metrics")
    assert m["asked"] == 1
    assert guest.get(f"{P}/spaces/{internal['handle']}/metrics").status_code == 404
    assert guest.get(f"{P}/metrics").status_code == 403
