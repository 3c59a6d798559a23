"""Filters, as Mastodon has them: v2 (keywords, statuses, warn / hide,
contexts, expiry) and v1 (one keyword each), kept per account and applied
where Mastodon applies them: home, public (and hashtags), account, thread,
notifications, and the streams.
"""
import json
import time
import uuid

from conftest import assert_json_error
from social import staff, ids
from test_streaming import RawStream


def word():
    return "w" + uuid.uuid4().hex[:8]


def make(actor, **body):
    r = actor.post("/api/v2/filters", json=body)
    assert r.status_code == 200, r.text
    return r.json()


def by_id(items):
    return {x["id"]: x for x in items}


def test_v2_crud_json_and_forms(server):
    a = staff(server)
    f = make(a, title="Spoilers", context=["home", "public"], filter_action="warn",
             keywords_attributes=[{"keyword": "finale", "whole_word": True},
                                  {"keyword": "ending", "whole_word": False}])
    assert f["title"] == "Spoilers" and f["context"] == ["home", "public"]
    assert f["filter_action"] == "warn" and f["expires_at"] is None
    assert [(k["keyword"], k["whole_word"]) for k in f["keywords"]] == [("finale", True), ("ending", False)]
    assert f["statuses"] == []

    # form, Rails style without indexes: a field seen again starts the next keyword
    r = a.post("/api/v2/filters", data=[
        ("title", "Form"), ("context[]", "thread"), ("context[]", "notifications"),
        ("filter_action", "hide"), ("expires_in", "3600"),
        ("keywords_attributes[][keyword]", "one"), ("keywords_attributes[][whole_word]", "false"),
        ("keywords_attributes[][keyword]", "two")])
    assert r.status_code == 200, r.text
    g = r.json()
    assert g["context"] == ["notifications", "thread"] and g["filter_action"] == "hide"
    assert [(k["keyword"], k["whole_word"]) for k in g["keywords"]] == [("one", False), ("two", True)]
    assert g["expires_at"] and g["expires_at"].endswith("Z")
    # indexed form keys
    r = a.post("/api/v2/filters", data={
        "title": "Idx", "context[0]": "account",
        "keywords_attributes[0][keyword]": "x1", "keywords_attributes[1][keyword]": "x2",
        "keywords_attributes[1][whole_word]": "0"})
    assert r.status_code == 200, r.text
    assert [(k["keyword"], k["whole_word"]) for k in r.json()["keywords"]] == [("x1", True), ("x2", False)]

    listed = by_id(a.ok("GET", "/api/v2/filters"))
    assert {f["id"], g["id"]} <= set(listed)
    assert a.ok("GET", f"/api/v2/filters/{f['id']}")["title"] == "Spoilers"

    # PUT: rename, change a keyword, remove another, add one
    kw = {k["keyword"]: k["id"] for k in f["keywords"]}
    r = a.put(f"/api/v2/filters/{f['id']}", json={
        "title": "Spoilers!", "filter_action": "hide",
        "keywords_attributes": [{"id": kw["finale"], "keyword": "season finale"},
                                {"id": kw["ending"], "_destroy": True},
                                {"keyword": "twist"}]})
    assert r.status_code == 200, r.text
    u = r.json()
    assert u["title"] == "Spoilers!" and u["filter_action"] == "hide" and u["context"] == ["home", "public"]
    assert sorted(k["keyword"] for k in u["keywords"]) == ["season finale", "twist"]

    assert a.delete(f"/api/v2/filters/{g['id']}").status_code == 200
    assert_json_error(a.get(f"/api/v2/filters/{g['id']}"), 404)


def test_v2_validation(server):
    a = staff(server)
    for body in ({"context": ["home"]},                           # no title
                 {"title": "t"},                                  # no context
                 {"title": "t", "context": ["everywhere"]},
                 {"title": "t", "context": ["home"], "filter_action": "explode"},
                 {"title": "t", "context": ["home"], "expires_in": "soon"},
                 {"title": "t", "context": ["home"], "keywords_attributes": [{"keyword": "  "}]},
                 {"title": "x" * 300, "context": ["home"]}):
        assert_json_error(a.post("/api/v2/filters", json=body), 422)
    f = make(a, title="ok", context=["home"])
    assert_json_error(a.put(f"/api/v2/filters/{f['id']}", json={"context": []}), 422)


def test_keywords_and_statuses_subroutes(server):
    a, b = staff(server), staff(server)
    f = make(a, title="Sub", context=["home"])
    r = a.post(f"/api/v2/filters/{f['id']}/keywords", data={"keyword": "alpha", "whole_word": "false"})
    assert r.status_code == 200 and r.json()["keyword"] == "alpha" and r.json()["whole_word"] is False
    kid = r.json()["id"]
    assert ids(a.ok("GET", f"/api/v2/filters/{f['id']}/keywords")) == [kid]
    assert a.ok("GET", f"/api/v2/filters/keywords/{kid}")["keyword"] == "alpha"
    assert a.put(f"/api/v2/filters/keywords/{kid}", data={"keyword": "beta"}).json()["keyword"] == "beta"
    st = b.post_status("filter me by id", "public")
    r = a.post(f"/api/v2/filters/{f['id']}/statuses", data={"status_id": st["id"]})
    assert r.status_code == 200 and r.json()["status_id"] == st["id"]
    sid = r.json()["id"]
    assert_json_error(a.post(f"/api/v2/filters/{f['id']}/statuses", data={"status_id": st["id"]}), 422)
    assert a.ok("GET", f"/api/v2/filters/{f['id']}")["statuses"] == [{"id": sid, "status_id": st["id"]}]
    assert a.ok("GET", f"/api/v2/filters/statuses/{sid}")["status_id"] == st["id"]
    # a status one cannot read cannot go into a filter
    secret = b.post_status(f"@{b.name} only me", "direct")
    assert_json_error(a.post(f"/api/v2/filters/{f['id']}/statuses", data={"status_id": secret["id"]}), 404)
    # someone else's filter, keyword or status rule does not exist for b
    for path in (f"/api/v2/filters/{f['id']}", f"/api/v2/filters/keywords/{kid}",
                 f"/api/v2/filters/statuses/{sid}", f"/api/v2/filters/{f['id']}/keywords"):
        assert_json_error(b.get(path), 404)
    assert_json_error(b.delete(f"/api/v2/filters/{f['id']}"), 404)
    assert_json_error(b.post(f"/api/v2/filters/{f['id']}/keywords", data={"keyword": "x"}), 404)
    assert a.delete(f"/api/v2/filters/keywords/{kid}").status_code == 200
    assert a.delete(f"/api/v2/filters/statuses/{sid}").status_code == 200
    assert a.ok("GET", f"/api/v2/filters/{f['id']}")["keywords"] == []


def test_v1_is_a_view_of_keywords(server):
    a = staff(server)
    r = a.post("/api/v1/filters", data=[("phrase", "brexit"), ("context[]", "home"),
                                         ("context[]", "public"), ("irreversible", "True"),
                                         ("whole_word", "False")])
    assert r.status_code == 200, r.text
    v1 = r.json()
    assert v1 == {"id": v1["id"], "phrase": "brexit", "context": ["home", "public"],
                  "whole_word": False, "expires_at": None, "irreversible": True}
    # it is a v2 filter with that one keyword, the v1 id being the keyword's
    v2 = [f for f in a.ok("GET", "/api/v2/filters") if f["title"] == "brexit"][0]
    assert v2["filter_action"] == "hide" and v2["keywords"][0]["id"] == v1["id"]
    r = a.put(f"/api/v1/filters/{v1['id']}", data={"phrase": "brexit deal", "irreversible": "0",
                                                    "context[]": "thread"})
    assert r.status_code == 200
    assert r.json()["phrase"] == "brexit deal" and r.json()["irreversible"] is False
    assert r.json()["context"] == ["thread"]
    assert a.ok("GET", f"/api/v2/filters/{v2['id']}")["title"] == "brexit deal"
    assert v1["id"] in ids(a.ok("GET", "/api/v1/filters"))
    assert a.delete(f"/api/v1/filters/{v1['id']}").status_code == 200
    assert v1["id"] not in ids(a.ok("GET", "/api/v1/filters"))
    assert_json_error(a.get(f"/api/v2/filters/{v2['id']}"), 404)   # nothing left in it
    assert_json_error(a.post("/api/v1/filters", data={"phrase": "", "context[]": "home"}), 422)


def test_applied_to_timelines_by_context(server):
    a, b = staff(server), staff(server)
    a.follow(b)
    w, tag = word(), word()
    warn = make(a, title="Warned", context=["home", "public"], filter_action="warn",
                keywords_attributes=[{"keyword": w, "whole_word": True}])
    hit = b.post_status(f"About {w.upper()} and #{tag}", "public")
    partial = b.post_status(f"About {w}s", "public")          # not the whole word
    home = by_id(a.timeline("/api/v1/timelines/home", limit=40))
    f = home[hit["id"]]["filtered"]
    assert len(f) == 1 and f[0]["filter"]["id"] == warn["id"] and f[0]["keyword_matches"] == [w]
    assert f[0]["status_matches"] is None and "keywords" not in f[0]["filter"]
    assert home[partial["id"]]["filtered"] == []
    # the author sees nothing of someone else's filters
    assert by_id(b.timeline(f"/api/v1/accounts/{b.id}/statuses"))[hit["id"]]["filtered"] == []
    # single statuses carry "filtered" too
    assert a.ok("GET", f"/api/v1/statuses/{hit['id']}")["filtered"][0]["filter"]["id"] == warn["id"]

    hide = make(a, title="Hidden", context=["public"], filter_action="hide",
                keywords_attributes=[{"keyword": w}])
    assert hit["id"] in ids(a.timeline("/api/v1/timelines/home", limit=40))   # not home's context
    assert hit["id"] not in ids(a.timeline("/api/v1/timelines/public", limit=40))
    assert hit["id"] not in ids(a.timeline(f"/api/v1/timelines/tag/{tag}"))  # hashtags are public
    assert hit["id"] in ids(a.timeline(f"/api/v1/accounts/{b.id}/statuses"))   # account: not hidden
    a.put(f"/api/v2/filters/{hide['id']}", json={"context": ["account"]})
    assert hit["id"] not in ids(a.timeline(f"/api/v1/accounts/{b.id}/statuses"))
    assert hit["id"] in ids(a.timeline("/api/v1/timelines/public", limit=40))
    # the filter's hide reaches the reblog of a filtered status too
    c = staff(server)
    a.follow(c)
    rb = c.act(hit["id"], "reblog").json()
    a.put(f"/api/v2/filters/{hide['id']}", json={"context": ["home"]})
    home = a.home_ids()
    assert rb["id"] not in home and hit["id"] not in home
    # paging keeps working past hidden statuses: the Link header says where
    r = a.get("/api/v1/timelines/home", params={"limit": 1})
    assert r.status_code == 200 and "max_id=" in r.headers.get("Link", "")


def test_thread_and_notifications(server):
    a, b = staff(server), staff(server)
    w = word()
    root = a.post_status("root", "public")
    reply = b.reply(root, f"{w} in a reply")
    b.post_status(f"@{a.name} {w} mention", "public")
    assert reply["id"] in ids(a.ok("GET", f"/api/v1/statuses/{root['id']}/context")["descendants"])
    before = a.ok("GET", "/api/v1/notifications/unread_count")["count"]
    f = make(a, title="t", context=["thread", "notifications"], filter_action="hide",
             keywords_attributes=[{"keyword": w}])
    assert reply["id"] not in ids(a.ok("GET", f"/api/v1/statuses/{root['id']}/context")["descendants"])
    notes = a.notifications()
    assert not [n for n in notes if n["status"] and w in n["status"]["content"]]
    assert a.ok("GET", "/api/v1/notifications/unread_count")["count"] == before - 2
    a.put(f"/api/v2/filters/{f['id']}", json={"filter_action": "warn"})
    notes = [n for n in a.notifications() if n["status"] and w in n["status"]["content"]]
    assert len(notes) == 2 and all(n["status"]["filtered"] for n in notes)


def test_status_filter_and_expiry(server):
    a, b = staff(server), staff(server)
    a.follow(b)
    st = b.post_status("just this one", "public")
    f = make(a, title="One status", context=["home"], filter_action="warn")
    a.post(f"/api/v2/filters/{f['id']}/statuses", data={"status_id": st["id"]})
    got = by_id(a.timeline("/api/v1/timelines/home"))[st["id"]]["filtered"]
    assert got[0]["status_matches"] == [st["id"]] and got[0]["keyword_matches"] is None
    # an expired filter no longer applies, but is still listed
    w = word()
    e = make(a, title="Short", context=["home"], filter_action="hide", expires_in=1,
             keywords_attributes=[{"keyword": w}])
    later = b.post_status(f"{w} later", "public")
    assert later["id"] not in a.home_ids()
    time.sleep(1.2)
    assert later["id"] in a.home_ids()
    assert e["id"] in ids(a.ok("GET", "/api/v2/filters"))


def stream_events(s):
    out, name = [], None
    for line in s.data.decode("utf-8", "replace").split("\n"):
        if line.startswith("event: "):
            name = line[7:].strip()
        elif line.startswith("data: ") and name:
            out.append((name, line[6:].strip()))
            name = None
    return out


def test_streams_apply_filters(server):
    a, b = staff(server), staff(server)
    a.follow(b)
    w, v = word(), word()
    make(a, title="hide", context=["home"], filter_action="hide", keywords_attributes=[{"keyword": w}])
    warn = make(a, title="warn", context=["home"], filter_action="warn", keywords_attributes=[{"keyword": v}])
    s = RawStream(server.port, "/api/v1/streaming/user", headers={"Authorization": f"Bearer {a.token}"})
    try:
        assert s.read_until(b"\r\n\r\n") and s.status == 200
        hidden = b.post_status(f"{w} hidden", "public")
        warned = b.post_status(f"{v} warned", "public")
        plain = b.post_status("plain", "public")
        assert s.read_until(plain["id"].encode(), 5), s.data[-300:]
        updates = {json.loads(d)["id"]: json.loads(d) for e, d in stream_events(s) if e == "update"}
        assert hidden["id"] not in updates
        assert updates[warned["id"]]["filtered"][0]["filter"]["id"] == warn["id"]
        assert updates[plain["id"]]["filtered"] == []
    finally:
        s.close()
