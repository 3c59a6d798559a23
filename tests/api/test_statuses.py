"""Statuses: create (visibility and audience, text rendering, limits, articles),
read, reply and context, edit with history and source, delete, and the actions
on a status (reblog, favourite, emoji reactions, bookmark, pin)."""
import re
import threading
import time
import urllib.parse
import uuid

import pytest

from conftest import assert_json_error
from social import (Actor, anon_get, guest, ids, notes_of, settle, staff, status_ids_in,
                    wait_for, wait_note)


# ---- create: the entity ----------------------------------------------------

def test_create_public_status_entity(server):
    a = staff(server)
    st = a.post_status("Hello from the API", "public")
    assert re.fullmatch(r"[0-9]+", st["id"]), st["id"]
    assert st["visibility"] == "public"
    assert st["parley"]["audience"] == "public"
    assert "Hello from the API" in st["content"]
    assert st["account"]["id"] == a.id and st["account"]["username"] == a.name
    assert st["in_reply_to_id"] is None and st["in_reply_to_account_id"] is None
    assert st["reblog"] is None and st["poll"] is None
    assert st["sensitive"] is False and st["spoiler_text"] == ""
    assert st["media_attachments"] == [] and st["mentions"] == [] and st["tags"] == []
    assert st["reblogs_count"] == 0 and st["favourites_count"] == 0 and st["replies_count"] == 0
    assert st["favourited"] is False and st["reblogged"] is False
    assert st["bookmarked"] is False
    assert st["edited_at"] is None
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z", st["created_at"]), st
    assert st["uri"] and st["url"]
    assert st["parley"]["kind"] != "article"

    got = a.ok("GET", f"/api/v1/statuses/{st['id']}")
    assert got["id"] == st["id"] and got["content"] == st["content"]
    # anonymous readers see public posts
    r = anon_get(server, f"/api/v1/statuses/{st['id']}")
    assert r.status_code == 200, r.text
    assert r.json()["id"] == st["id"]
    # the author's statuses_count counts it
    acc = a.ok("GET", f"/api/v1/accounts/{a.id}")
    assert acc["statuses_count"] == 1


STAFF_VIS = [  # (visibility sent, visibility shown, parley audience)
    ("public", "public", "public"),
    ("unlisted", "unlisted", "organisation"),
    ("organisation", "unlisted", "organisation"),
    ("private", "private", "followers"),
    ("direct", "direct", "direct"),
]
GUEST_VIS = [
    ("public", "public", "public"),
    ("unlisted", "private", "followers"),
    ("private", "private", "followers"),
    ("direct", "direct", "direct"),
]


@pytest.mark.parametrize("sent,shown,audience", STAFF_VIS)
def test_visibility_mapping_staff(server, sent, shown, audience):
    a = staff(server)
    st = a.post_status(f"visibility {sent}", sent)
    assert (st["visibility"], st["parley"]["audience"]) == (shown, audience)
    got = a.ok("GET", f"/api/v1/statuses/{st['id']}")
    assert (got["visibility"], got["parley"]["audience"]) == (shown, audience)


@pytest.mark.parametrize("sent,shown,audience", GUEST_VIS)
def test_visibility_mapping_guest(server, sent, shown, audience):
    g = guest(server)
    st = g.post_status(f"visibility {sent}", sent)
    assert (st["visibility"], st["parley"]["audience"]) == (shown, audience)


def test_guest_cannot_post_to_organisation(server):
    g = guest(server)
    assert_json_error(g.post_status_raw("inside?", "organisation"), 422)
    statuses = g.ok("GET", f"/api/v1/accounts/{g.id}/statuses")
    assert statuses == []


def test_unknown_visibility_is_refused(server):
    a = staff(server)
    assert_json_error(a.post_status_raw("where?", "everyone"), 422)


def test_default_audience_follows_account_kind(server):
    s, g = staff(server), guest(server)
    st = s.post_status("no visibility given")
    assert (st["visibility"], st["parley"]["audience"]) == ("unlisted", "organisation")
    gt = g.post_status("no visibility given")
    assert (gt["visibility"], gt["parley"]["audience"]) == ("private", "followers")

    assert s.account["source"]["privacy"] == "unlisted"
    assert g.account["source"]["privacy"] == "private"
    # an app that posts with the account's default privacy never goes public
    st = s.post_status("as my app would", s.account["source"]["privacy"])
    assert st["parley"]["audience"] == "organisation"
    assert anon_get(server, f"/api/v1/statuses/{st['id']}").status_code == 404


# ---- create: text -----------------------------------------------------------

def test_markdown_is_rendered(server):
    a = staff(server)
    st = a.post_status("Some **bold** and *slanted* words, and `code`.\n\n"
                       "[a link](https://example.com/page)", "public")
    c = st["content"]
    assert "<strong>bold</strong>" in c, c
    assert "<em>slanted</em>" in c, c
    assert "<code>code</code>" in c, c
    assert re.search(r'<a [^>]*href="https://example\.com/page"', c), c
    assert "**" not in c


@pytest.mark.parametrize("evil", [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<a href=\"javascript:alert(1)\">x</a>",
    "[click](javascript:alert(1))",
    "<iframe src=\"https://evil.example\"></iframe>",
    "<svg onload=alert(1)>",
    "<<script>script>alert(1)<</script>/script>",
])
def test_html_is_sanitised(server, evil):
    a = staff(server)
    st = a.post_status(f"before {evil} after", "public")
    for c in (st["content"], a.ok("GET", f"/api/v1/statuses/{st['id']}")["content"]):
        low = c.lower()
        assert "<script" not in low, c
        assert "<img" not in low and "<iframe" not in low and "<svg" not in low, c
        assert not re.search(r"""href\s*=\s*["']?\s*javascript:""", low), c
        assert not re.search(r"<[^>]*\son\w+\s*=", low), c
        assert "before" in c and "after" in c


def test_mentions_become_links_and_notify(server):
    a, b = staff(server), staff(server)
    st = a.post_status(f"Hello @{b.name}, and @nobody_{uuid.uuid4().hex[:8]}", "public")
    assert len(st["mentions"]) == 1, st["mentions"]
    m = st["mentions"][0]
    assert m["id"] == b.id and m["username"] == b.name and m["acct"] == b.name, m
    assert m["url"].endswith(f"/@{b.name}"), m
    assert re.search(rf'<a [^>]*href="[^"]*/@{b.name}"', st["content"]), st["content"]
    n = wait_note(b, "mention", st["id"])
    assert n["account"]["id"] == a.id


def test_hashtags_link_and_are_listed(server):
    a = staff(server)
    tag = "tg" + uuid.uuid4().hex[:10]
    st = a.post_status(f"About #{tag} today", "public")
    assert [t["name"] for t in st["tags"]] == [tag], st["tags"]
    assert st["tags"][0]["url"].endswith(f"/tags/{tag}"), st["tags"]
    assert re.search(rf'<a [^>]*href="[^"]*/tags/{tag}"', st["content"]), st["content"]


def test_status_length_limit_counts_characters(server):
    a = staff(server)
    st = a.post_status("é" * 5000, "public")  # 5000 characters, 10000 bytes
    assert len(a.ok("GET", f"/api/v1/statuses/{st['id']}/source")["text"]) == 5000
    assert_json_error(a.post_status_raw("x" * 5001, "public"), 422)
    assert_json_error(a.post_status_raw("é" * 5001, "public"), 422)


@pytest.fixture(scope="module")
def fifty_one(server):
    """51 existing accounts to mention (read-only for the tests)."""
    return [server.create_user(role="staff") for _ in range(51)]


def test_mention_limit(server, fifty_one):
    a = staff(server)
    body = " ".join("@" + n for n in fifty_one[:50])
    st = a.post_status(body, "public")
    assert len(st["mentions"]) == 50
    body = " ".join("@" + n for n in fifty_one)
    assert_json_error(a.post_status_raw(body, "public"), 422)


def test_ten_thousand_mentions_refused_quickly(server, fifty_one):
    a = staff(server)
    # a status: too long anyway
    body = " ".join(f"@m{i}" for i in range(10000))
    t0 = time.monotonic()
    r = a.post_status_raw(body, "public")
    assert r.status_code in (413, 422), (r.status_code, r.text[:300])
    assert time.monotonic() - t0 < 5
    # an article has room for them (about 70,000 characters); more than 50 of
    # them name real accounts, so it must be refused whatever else is counted
    body = " ".join("@" + n for n in fifty_one) + " " + " ".join(f"@m{i}" for i in range(9949))
    assert len(body) < 100000
    t0 = time.monotonic()
    r = a.post_status_raw(body, "public", parley_title="Everyone")
    assert r.status_code in (413, 422), (r.status_code, r.text[:300])
    assert time.monotonic() - t0 < 5
    assert server.alive()


def test_empty_status_is_refused(server):
    a = staff(server)
    assert_json_error(a.post_status_raw("", "public"), 422)
    assert_json_error(a.post_status_raw(None, "public"), 422)
    assert_json_error(a.post_status_raw(spoiler_text="only a warning"), 422)


# ---- articles ---------------------------------------------------------------

def test_article(server):
    a = staff(server)
    body = "# Heading\n\n" + ("A long paragraph about our work. " * 1000)  # ~33,000 chars
    st = a.post_status(body, "public", parley_title="Our year in review")
    assert st["parley"]["kind"] == "article"
    assert st["parley"]["title"] == "Our year in review"
    got = a.ok("GET", f"/api/v1/statuses/{st['id']}")
    assert got["parley"]["kind"] == "article" and got["parley"]["title"] == "Our year in review"
    assert "A long paragraph" in got["content"]


def test_article_length_limit(server):
    a = staff(server)
    st = a.post_status("y" * 100000, "public", parley_title="Exactly at the limit")
    assert st["parley"]["kind"] == "article"
    r = a.post_status_raw("y" * 100001, "public", parley_title="One past the limit")
    assert r.status_code in (413, 422), (r.status_code, r.text[:300])


def test_article_title_is_escaped(server):
    a = staff(server)
    st = a.post_status("body", "public", parley_title="<script>alert(1)</script> title")
    assert st["parley"]["title"] == "<script>alert(1)</script> title"  # JSON carries the text
    assert "<script" not in st["content"].lower()


# ---- errors -----------------------------------------------------------------

def test_write_needs_a_token(server):
    r = server.post("/api/v1/statuses", data={"status": "anonymous?"})
    assert_json_error(r, 401)


def test_read_only_token_cannot_post(server):
    a = Actor(server, "staff", scope="read")
    assert_json_error(a.post_status_raw("read only", "public"), 403)
    assert a.ok("GET", f"/api/v1/accounts/{a.id}/statuses") == []


def test_unknown_status_is_404(server):
    a = staff(server)
    for sid in ("1", "999999999999999999", "abc", "-5"):
        assert_json_error(a.status(sid), 404)
        assert_json_error(anon_get(server, f"/api/v1/statuses/{sid}"), 404)
        assert_json_error(a.act(sid, "favourite"), 404)
        assert_json_error(a.get(f"/api/v1/statuses/{sid}/context"), 404)


# ---- options ----------------------------------------------------------------

def test_spoiler_sensitive_language(server):
    a = staff(server)
    st = a.post_status("behind a warning", "public", spoiler_text="spoilers", sensitive=True,
                       language="en")
    assert st["spoiler_text"] == "spoilers"
    assert st["sensitive"] is True
    assert st["language"] == "en"


# ---- replies and context ----------------------------------------------------

def test_reply_and_context(server):
    a, b, c = staff(server), staff(server), staff(server)
    root = a.post_status("root", "public")
    mid = b.reply(root, f"@{a.name} middle", "public")
    leaf = c.reply(mid, f"@{b.name} leaf", "public")
    other = c.reply(root, "a second branch", "public")
    assert mid["in_reply_to_id"] == root["id"]
    assert mid["in_reply_to_account_id"] == a.id
    assert a.ok("GET", f"/api/v1/statuses/{root['id']}")["replies_count"] == 2

    ctx = a.ok("GET", f"/api/v1/statuses/{mid['id']}/context")
    assert ids(ctx["ancestors"]) == [root["id"]]
    assert ids(ctx["descendants"]) == [leaf["id"]]
    ctx = a.ok("GET", f"/api/v1/statuses/{root['id']}/context")
    assert ctx["ancestors"] == []
    assert sorted(ids(ctx["descendants"])) == sorted([mid["id"], leaf["id"], other["id"]])
    # a thread is read in order: a reply comes after what it answers
    d = ids(ctx["descendants"])
    assert d.index(mid["id"]) < d.index(leaf["id"])
    ctx = anon_get(server, f"/api/v1/statuses/{leaf['id']}/context").json()
    assert ids(ctx["ancestors"]) == [root["id"], mid["id"]]


def test_reply_to_unknown_status(server):
    a = staff(server)
    r = a.post_status_raw("into the void", "public", in_reply_to_id="999999999999999")
    assert r.status_code in (404, 422), (r.status_code, r.text)


# ---- edit, history, source --------------------------------------------------

def test_edit_history_and_source(server):
    a = staff(server)
    st = a.post_status("first *version*", "public")
    src = a.ok("GET", f"/api/v1/statuses/{st['id']}/source")
    assert src == {"id": st["id"], "text": "first *version*", "spoiler_text": ""}
    hist = a.ok("GET", f"/api/v1/statuses/{st['id']}/history")
    assert len(hist) == 1 and "first" in hist[0]["content"]

    time.sleep(0.01)
    ed = a.ok("PUT", f"/api/v1/statuses/{st['id']}",
              data={"status": "second **version**", "spoiler_text": "cw", "sensitive": "true",
                    "language": "de"})
    assert ed["id"] == st["id"]
    assert ed["edited_at"] is not None and ed["edited_at"] >= ed["created_at"]
    assert "<strong>version</strong>" in ed["content"]
    assert ed["spoiler_text"] == "cw" and ed["sensitive"] is True and ed["language"] == "de"
    assert ed["visibility"] == "public" and ed["created_at"] == st["created_at"]

    a.ok("PUT", f"/api/v1/statuses/{st['id']}", data={"status": "third"})
    hist = a.ok("GET", f"/api/v1/statuses/{st['id']}/history")
    assert len(hist) == 3
    assert "first" in hist[0]["content"] and "second" in hist[1]["content"]
    assert "third" in hist[2]["content"]
    assert hist[1]["spoiler_text"] == "cw" and hist[1]["sensitive"] is True
    assert [h["account"]["id"] for h in hist] == [a.id] * 3
    assert hist[0]["created_at"] <= hist[1]["created_at"] <= hist[2]["created_at"]
    src = a.ok("GET", f"/api/v1/statuses/{st['id']}/source")
    assert src["text"] == "third"
    # readers see the new text too
    assert "third" in anon_get(server, f"/api/v1/statuses/{st['id']}").json()["content"]


def test_only_the_author_edits(server):
    a, b = staff(server), staff(server)
    st = a.post_status("mine", "public")
    r = b.put(f"/api/v1/statuses/{st['id']}", data={"status": "yours now"})
    assert r.status_code in (403, 404), (r.status_code, r.text)
    assert b.get(f"/api/v1/statuses/{st['id']}/source").status_code in (403, 404)
    assert "mine" in a.ok("GET", f"/api/v1/statuses/{st['id']}")["content"]
    assert_json_error(server.request("PUT", f"/api/v1/statuses/{st['id']}",
                                     data={"status": "x"}), 401)


def test_edit_validates_like_create(server):
    a = staff(server)
    st = a.post_status("valid", "public")
    assert_json_error(a.put(f"/api/v1/statuses/{st['id']}", data={"status": ""}), 422)
    assert_json_error(a.put(f"/api/v1/statuses/{st['id']}", data={"status": "z" * 5001}), 422)
    got = a.ok("GET", f"/api/v1/statuses/{st['id']}")
    assert got["edited_at"] is None and "valid" in got["content"]


def test_edit_updates_mentions_and_tags(server):
    a, b = staff(server), staff(server)
    tag = "ed" + uuid.uuid4().hex[:10]
    st = a.post_status("plain", "public")
    ed = a.ok("PUT", f"/api/v1/statuses/{st['id']}", data={"status": f"now @{b.name} #{tag}"})
    assert [m["id"] for m in ed["mentions"]] == [b.id]
    assert [t["name"] for t in ed["tags"]] == [tag]
    tl = anon_get(server, f"/api/v1/timelines/tag/{tag}").json()
    assert ids(tl) == [st["id"]]


# ---- delete -----------------------------------------------------------------

def test_delete_returns_source_and_removes_everywhere(server):
    a, b, c = staff(server), staff(server), staff(server)
    tag = "del" + uuid.uuid4().hex[:10]
    b.follow(a)
    root = b.post_status("a thread", "public")
    st = a.reply(root, f"@{b.name} going away soon #{tag}", "public")
    b.ok("POST", f"/api/v1/statuses/{st['id']}/favourite")
    b.ok("POST", f"/api/v1/statuses/{st['id']}/bookmark")
    c.ok("POST", f"/api/v1/statuses/{st['id']}/reblog")
    wait_note(b, "mention", st["id"])
    wait_note(a, "favourite", st["id"])
    wait_for(lambda: st["id"] in b.home_ids())

    r = a.delete(f"/api/v1/statuses/{st['id']}")
    assert r.status_code == 200, r.text
    gone = r.json()
    assert gone["id"] == st["id"]
    assert gone["text"] == f"@{b.name} going away soon #{tag}"

    settle()
    for who in (a, b, c):
        assert_json_error(who.status(st["id"]), 404)
    assert_json_error(anon_get(server, f"/api/v1/statuses/{st['id']}"), 404)
    assert_json_error(a.delete(f"/api/v1/statuses/{st['id']}"), 404)
    assert st["id"] not in status_ids_in(b.timeline("/api/v1/timelines/home", limit=40))
    assert st["id"] not in status_ids_in(b.timeline("/api/v1/timelines/public", limit=40))
    assert b.timeline(f"/api/v1/timelines/tag/{tag}") == []
    assert a.timeline(f"/api/v1/accounts/{a.id}/statuses") == []
    assert c.timeline(f"/api/v1/accounts/{c.id}/statuses") == [], "the reblog goes too"
    assert b.ok("GET", f"/api/v1/statuses/{root['id']}/context")["descendants"] == []
    assert b.ok("GET", f"/api/v1/statuses/{root['id']}")["replies_count"] == 0
    assert st["id"] not in ids(b.timeline("/api/v1/bookmarks"))
    assert st["id"] not in ids(b.timeline("/api/v1/favourites"))
    assert notes_of(b, status_id=st["id"]) == []
    assert notes_of(a, status_id=st["id"]) == []
    assert a.ok("GET", f"/api/v1/accounts/{a.id}")["statuses_count"] == 0
    # nothing can hang off it any more
    r = c.post_status_raw("late reply", "public", in_reply_to_id=st["id"])
    assert r.status_code in (404, 422), r.text


def test_only_the_author_deletes(server):
    a, b = staff(server), staff(server)
    st = a.post_status("keep me", "public")
    r = b.delete(f"/api/v1/statuses/{st['id']}")
    assert r.status_code in (403, 404), (r.status_code, r.text)
    assert a.status(st["id"]).status_code == 200
    assert_json_error(server.request("DELETE", f"/api/v1/statuses/{st['id']}"), 401)
    assert a.status(st["id"]).status_code == 200


# ---- reblog -----------------------------------------------------------------

def test_reblog_and_unreblog(server):
    a, b = staff(server), staff(server)
    st = a.post_status("worth sharing", "public")
    rb = b.ok("POST", f"/api/v1/statuses/{st['id']}/reblog")
    assert rb["reblog"]["id"] == st["id"]
    assert rb["id"] != st["id"]
    assert rb["account"]["id"] == b.id
    assert rb["reblogged"] is True or rb["reblog"]["reblogged"] is True
    assert rb["visibility"] == "public"
    orig = b.ok("GET", f"/api/v1/statuses/{st['id']}")
    assert orig["reblogs_count"] == 1 and orig["reblogged"] is True
    assert a.ok("GET", f"/api/v1/statuses/{st['id']}")["reblogged"] is False
    by = a.ok("GET", f"/api/v1/statuses/{st['id']}/reblogged_by")
    assert ids(by) == [b.id]
    assert rb["id"] in ids(anon_get(server, f"/api/v1/accounts/{b.id}/statuses").json())

    un = b.ok("POST", f"/api/v1/statuses/{st['id']}/unreblog")
    assert un["id"] == st["id"] and un["reblogged"] is False
    assert b.ok("GET", f"/api/v1/statuses/{st['id']}")["reblogs_count"] == 0
    assert a.ok("GET", f"/api/v1/statuses/{st['id']}/reblogged_by") == []
    assert b.status(rb["id"]).status_code == 404


def test_reblog_keeps_organisation_audience(server):
    a, b = staff(server), staff(server)
    g = guest(server)
    g.follow(b)
    st = a.post_status("staff only", "organisation")
    rb = b.ok("POST", f"/api/v1/statuses/{st['id']}/reblog")
    assert rb["parley"]["audience"] == "organisation"
    assert rb["visibility"] == "unlisted"
    settle()
    assert_json_error(g.status(rb["id"]), 404)
    assert status_ids_in(g.timeline("/api/v1/timelines/home", limit=40)) & {rb["id"], st["id"]} == set()
    assert rb["id"] not in ids(g.timeline(f"/api/v1/accounts/{b.id}/statuses"))
    assert anon_get(server, f"/api/v1/statuses/{rb['id']}").status_code == 404


def test_reblog_visibility_param_cannot_widen(server):
    a, b = staff(server), staff(server)
    st = a.post_status("staff only", "organisation")
    r = b.post(f"/api/v1/statuses/{st['id']}/reblog", data={"visibility": "public"})
    if r.status_code == 200:
        assert r.json()["parley"]["audience"] == "organisation"
        assert anon_get(server, f"/api/v1/statuses/{r.json()['id']}").status_code == 404
    else:
        assert r.status_code == 422, (r.status_code, r.text)


@pytest.mark.parametrize("vis", ["private", "direct"])
def test_cannot_reblog_followers_or_direct(server, vis):
    a, b = staff(server), staff(server)
    b.follow(a)
    st = a.post_status(f"@{b.name} just for you", vis)
    assert b.status(st["id"]).status_code == 200
    assert_json_error(b.act(st["id"], "reblog"), 422)
    assert_json_error(a.act(st["id"], "reblog"), 422)  # not even the author
    assert b.ok("GET", f"/api/v1/statuses/{st['id']}")["reblogs_count"] == 0


# ---- favourite --------------------------------------------------------------

def test_favourite_and_unfavourite(server):
    a, b, c = staff(server), staff(server), staff(server)
    st = a.post_status("likeable", "public")
    f = b.ok("POST", f"/api/v1/statuses/{st['id']}/favourite")
    assert f["id"] == st["id"] and f["favourited"] is True and f["favourites_count"] == 1
    again = b.ok("POST", f"/api/v1/statuses/{st['id']}/favourite")
    assert again["favourites_count"] == 1, "favouriting twice counts once"
    c.ok("POST", f"/api/v1/statuses/{st['id']}/favourite")
    got = a.ok("GET", f"/api/v1/statuses/{st['id']}")
    assert got["favourites_count"] == 2 and got["favourited"] is False
    assert sorted(ids(a.ok("GET", f"/api/v1/statuses/{st['id']}/favourited_by"))) == \
        sorted([b.id, c.id])
    assert ids(b.timeline("/api/v1/favourites")) == [st["id"]]

    u = b.ok("POST", f"/api/v1/statuses/{st['id']}/unfavourite")
    assert u["favourited"] is False and u["favourites_count"] == 1
    assert ids(a.ok("GET", f"/api/v1/statuses/{st['id']}/favourited_by")) == [c.id]
    assert b.timeline("/api/v1/favourites") == []
    b.ok("POST", f"/api/v1/statuses/{st['id']}/unfavourite")  # twice is harmless


# ---- emoji reactions ------------------------------------------------------------

def react_path(sid, verb, emoji):
    return f"/api/v1/statuses/{sid}/{verb}/{urllib.parse.quote(emoji)}"


def test_emoji_reactions(server):
    a, b, c = staff(server), staff(server), staff(server)
    st = a.post_status("react to me", "public")
    assert st["parley"]["reactions"] == []
    r = b.post(react_path(st["id"], "react", "👍"))
    assert r.status_code == 200, r.text
    c.ok("POST", react_path(st["id"], "react", "👍"))
    c.ok("POST", react_path(st["id"], "react", "🎉"))
    b.ok("POST", react_path(st["id"], "react", "👍"))  # again: still one from b

    def reactions(who):
        got = who.ok("GET", f"/api/v1/statuses/{st['id']}")["parley"]["reactions"]
        return {x["name"]: (x["count"], x["me"]) for x in got}

    assert reactions(b) == {"👍": (2, True), "🎉": (1, False)}
    assert reactions(c) == {"👍": (2, True), "🎉": (1, True)}
    assert reactions(a) == {"👍": (2, False), "🎉": (1, False)}
    anon = anon_get(server, f"/api/v1/statuses/{st['id']}").json()["parley"]["reactions"]
    assert {x["name"]: (x["count"], x["me"]) for x in anon} == {"👍": (2, False), "🎉": (1, False)}

    b.ok("POST", react_path(st["id"], "unreact", "👍"))
    assert reactions(a) == {"👍": (1, False), "🎉": (1, False)}
    c.ok("POST", react_path(st["id"], "unreact", "🎉"))
    assert reactions(c) == {"👍": (1, True)}


@pytest.mark.parametrize("emoji", ["🍕", "x", "👍👍", ":custom:"])
def test_reaction_outside_the_allowed_set(server, emoji):
    a, b = staff(server), staff(server)
    st = a.post_status("react to me", "public")
    assert_json_error(b.post(react_path(st["id"], "react", emoji)), 422)
    assert b.ok("GET", f"/api/v1/statuses/{st['id']}")["parley"]["reactions"] == []


@pytest.mark.parametrize("emoji", ["👍", "❤️", "🎉", "😄", "🤔", "👀"])
def test_default_reaction_set(server, emoji):
    a, b = staff(server), staff(server)
    st = a.post_status("react to me", "public")
    b.ok("POST", react_path(st["id"], "react", emoji))
    got = b.ok("GET", f"/api/v1/statuses/{st['id']}")["parley"]["reactions"]
    assert got == [{"name": emoji, "count": 1, "me": True}]


def test_reaction_needs_a_token(server):
    a = staff(server)
    st = a.post_status("react to me", "public")
    assert_json_error(server.post(react_path(st["id"], "react", "👍")), 401)


# ---- bookmark ---------------------------------------------------------------

def test_bookmarks(server):
    a, b = staff(server), staff(server)
    s1 = a.post_status("one", "public")
    s2 = a.post_status("two", "organisation")
    bm = b.ok("POST", f"/api/v1/statuses/{s1['id']}/bookmark")
    assert bm["bookmarked"] is True
    b.ok("POST", f"/api/v1/statuses/{s2['id']}/bookmark")
    assert ids(b.timeline("/api/v1/bookmarks")) == [s2["id"], s1["id"]]
    assert a.timeline("/api/v1/bookmarks") == []  # bookmarks are private
    assert a.ok("GET", f"/api/v1/statuses/{s1['id']}")["bookmarked"] is False
    ub = b.ok("POST", f"/api/v1/statuses/{s1['id']}/unbookmark")
    assert ub["bookmarked"] is False
    assert ids(b.timeline("/api/v1/bookmarks")) == [s2["id"]]
    assert_json_error(server.get("/api/v1/bookmarks"), 401)


# ---- pin --------------------------------------------------------------------

def test_pin_own_posts(server):
    a = staff(server)
    s1 = a.post_status("pin me", "public")
    s2 = a.post_status("pin me too", "organisation")
    a.post_status("not pinned", "public")
    p = a.ok("POST", f"/api/v1/statuses/{s1['id']}/pin")
    assert p["pinned"] is True
    a.ok("POST", f"/api/v1/statuses/{s2['id']}/pin")
    pinned = a.timeline(f"/api/v1/accounts/{a.id}/statuses", pinned="true")
    assert sorted(ids(pinned)) == sorted([s1["id"], s2["id"]])
    anon = anon_get(server, f"/api/v1/accounts/{a.id}/statuses", params={"pinned": "true"}).json()
    assert ids(anon) == [s1["id"]], "pins respect the audience"
    u = a.ok("POST", f"/api/v1/statuses/{s1['id']}/unpin")
    assert u["pinned"] is False
    assert ids(a.timeline(f"/api/v1/accounts/{a.id}/statuses", pinned="true")) == [s2["id"]]


def test_concurrent_pins_respect_the_limit(server):
    # the limit, whatever it is, found one pin at a time
    a = staff(server)
    limit = 0
    for i in range(12):
        st = a.post_status(f"pin {i}", "public")
        if a.act(st["id"], "pin").status_code != 200:
            break
        limit += 1
    assert 0 < limit < 12, "a pin limit exists (Mastodon's is 5)"
    # the same number of pins cannot be passed by pinning at once
    b = staff(server)
    posts = [b.post_status(f"pin {i}", "public") for i in range(limit + 7)]
    codes = []
    gate = threading.Barrier(len(posts))

    def pin(p):
        gate.wait()
        codes.append(b.act(p["id"], "pin").status_code)

    threads = [threading.Thread(target=pin, args=(p,)) for p in posts]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    pinned = b.timeline(f"/api/v1/accounts/{b.id}/statuses", pinned="true", limit=40)
    assert len(pinned) <= limit, (len(pinned), limit, sorted(codes))
    assert codes.count(200) == len(pinned), sorted(codes)


def test_pin_rules(server):
    a, b = staff(server), staff(server)
    d = a.post_status(f"@{b.name} secret", "direct")
    assert_json_error(a.act(d["id"], "pin"), 422)
    theirs = b.post_status("not yours", "public")
    r = a.act(theirs["id"], "pin")
    assert r.status_code in (403, 404, 422), (r.status_code, r.text)
    assert b.timeline(f"/api/v1/accounts/{b.id}/statuses", pinned="true") == []


# ---- more edges -------------------------------------------------------------

@pytest.mark.parametrize("blank", ["   ", "\n\n", " \t \n "])
def test_blank_status_is_refused(server, blank):
    a = staff(server)
    assert_json_error(a.post_status_raw(blank, "public"), 422)
    assert a.ok("GET", f"/api/v1/accounts/{a.id}/statuses") == []


def test_edit_cannot_change_the_audience(server):
    a = staff(server)
    st = a.post_status("staff only", "organisation")
    r = a.put(f"/api/v1/statuses/{st['id']}", data={"status": "still staff only",
                                                   "visibility": "public"})
    assert r.status_code in (200, 422), (r.status_code, r.text)
    got = a.ok("GET", f"/api/v1/statuses/{st['id']}")
    assert got["parley"]["audience"] == "organisation"
    assert anon_get(server, f"/api/v1/statuses/{st['id']}").status_code == 404


def test_text_that_is_not_a_tag_or_mention(server):
    a, b = staff(server), staff(server)
    st = a.post_status(f"see https://example.com/page#section, write to me@example.com, "
                       f"and ask @{b.name.upper()}", "public")
    assert st["tags"] == [], st["tags"]
    assert [m["id"] for m in st["mentions"]] == [b.id], "usernames match without case"
    assert re.search(r'<a [^>]*href="https://example\.com/page#section"', st["content"])


def test_same_mention_twice_counts_once(server):
    a, b = staff(server), staff(server)
    st = a.post_status(f"@{b.name} and again @{b.name}", "public")
    assert [m["id"] for m in st["mentions"]] == [b.id]
    wait_note(b, "mention", st["id"])
    settle()
    assert len(notes_of(b, "mention", st["id"])) == 1


def test_acting_on_a_reblog_acts_on_the_original(server):
    a, b, c = staff(server), staff(server), staff(server)
    st = a.post_status("original", "public")
    rb = b.ok("POST", f"/api/v1/statuses/{st['id']}/reblog")
    rr = c.ok("POST", f"/api/v1/statuses/{rb['id']}/reblog")
    assert rr["reblog"]["id"] == st["id"], "a reblog of a reblog reblogs the original"
    c.ok("POST", f"/api/v1/statuses/{rb['id']}/favourite")
    orig = c.ok("GET", f"/api/v1/statuses/{st['id']}")
    assert orig["reblogs_count"] == 2 and orig["favourites_count"] == 1
    assert orig["favourited"] is True and orig["reblogged"] is True
    # undoing a reblog by deleting it
    b.ok("DELETE", f"/api/v1/statuses/{rb['id']}")
    assert c.ok("GET", f"/api/v1/statuses/{st['id']}")["reblogs_count"] == 1


def test_concurrent_favourites_are_all_counted(server):
    a = staff(server)
    fans = [staff(server) for _ in range(12)]
    st = a.post_status("popular", "public")
    codes = []
    gate = threading.Barrier(len(fans))

    def fav(who):
        gate.wait()
        codes.append(who.post(f"/api/v1/statuses/{st['id']}/favourite").status_code)

    threads = [threading.Thread(target=fav, args=(f,)) for f in fans]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert codes == [200] * 12, codes
    got = a.ok("GET", f"/api/v1/statuses/{st['id']}")
    assert got["favourites_count"] == 12
    assert len(a.ok("GET", f"/api/v1/statuses/{st['id']}/favourited_by",
                    params={"limit": 40})) == 12


def test_fine_grained_scopes(server):
    a = staff(server)
    st = a.post_status("target", "public")
    w = Actor(server, "staff", scope="read write:statuses")
    assert w.post_status_raw("allowed", "public").status_code == 200
    assert_json_error(w.act(st["id"], "favourite"), 403)
    assert_json_error(w.acct(a, "follow"), 403)
    f = Actor(server, "staff", scope="read follow")
    assert f.acct(a, "follow").status_code == 200
    assert_json_error(f.post_status_raw("not allowed", "public"), 403)
    ro = Actor(server, "staff", scope="read")
    for verb in ("favourite", "reblog", "bookmark", "pin"):
        assert_json_error(ro.act(st["id"], verb), 403)
    assert_json_error(ro.put(f"/api/v1/statuses/{st['id']}", data={"status": "x"}), 403)
    assert_json_error(ro.delete(f"/api/v1/statuses/{st['id']}"), 403)


def test_concurrent_same_reblog_makes_one(server):
    # a race shows only sometimes: several rounds, each on a fresh post
    a, b = staff(server), staff(server)
    made = []
    for round_ in range(10):
        st = a.post_status(f"share once ({round_})", "public")
        gate = threading.Barrier(12)
        codes = []

        def go():
            gate.wait()
            codes.append(b.act(st["id"], "reblog").status_code)

        threads = [threading.Thread(target=go) for _ in range(12)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert all(c in (200, 422) for c in codes) and 200 in codes, codes
        made.append(a.ok("GET", f"/api/v1/statuses/{st['id']}")["reblogs_count"])
    assert made == [1] * 10, f"reblogs_count per round: {made}"
    assert len(b.timeline(f"/api/v1/accounts/{b.id}/statuses", limit=40)) == 10


def test_concurrent_deletes_answer_404_not_500(server):
    a = staff(server)
    for _ in range(3):
        st = a.post_status("delete me once", "public")
        gate = threading.Barrier(6)
        codes = []

        def go():
            gate.wait()
            codes.append(a.delete(f"/api/v1/statuses/{st['id']}").status_code)

        threads = [threading.Thread(target=go) for _ in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(codes) == [200] + [404] * 5, codes
    assert a.ok("GET", f"/api/v1/accounts/{a.id}")["statuses_count"] == 0


def test_actions_racing_a_delete_leave_nothing_behind(server):
    a = staff(server)
    others = [staff(server) for _ in range(6)]
    verbs = ["favourite", "reblog", "bookmark", "react/" + urllib.parse.quote("👍"), "favourite"]
    for _ in range(4):
        st = a.post_status("going, going", "public")
        gate = threading.Barrier(len(others) + 1)
        codes = []

        def run(label, fn):
            gate.wait()
            codes.append((label, fn().status_code))

        jobs = [("delete", lambda: a.delete(f"/api/v1/statuses/{st['id']}"))]
        for i, o in enumerate(others[:5]):
            jobs.append((verbs[i], lambda o=o, v=verbs[i]: o.act(st["id"], v)))
        o6 = others[5]
        jobs.append(("reply", lambda: o6.post_status_raw("late", "public",
                                                          in_reply_to_id=st["id"])))
        threads = [threading.Thread(target=run, args=j) for j in jobs]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert all(c < 500 for _, c in codes), sorted(codes)
        assert ("delete", 200) in codes
        assert_json_error(a.status(st["id"]), 404)
        for o in others:
            for x in o.timeline(f"/api/v1/accounts/{o.id}/statuses", limit=40):
                assert x["reblog"] is None or x["reblog"]["id"] != st["id"], x["id"]
            assert st["id"] not in ids(o.timeline("/api/v1/bookmarks", limit=40))
            assert st["id"] not in ids(o.timeline("/api/v1/favourites", limit=40))
        assert notes_of(a, status_id=st["id"]) == []


def test_hashtag_limit(server):
    a = staff(server)
    base = "h" + uuid.uuid4().hex[:8]
    st = a.post_status(" ".join(f"#{base}{i}" for i in range(50)), "public")
    assert len(st["tags"]) == 50
    assert_json_error(a.post_status_raw(" ".join(f"#{base}x{i}" for i in range(51)), "public"), 422)


def test_edit_notifies_newly_mentioned_only(server):
    a, b, c = staff(server), staff(server), staff(server)
    st = a.post_status(f"hello @{b.name}", "public")
    wait_note(b, "mention", st["id"])
    a.ok("PUT", f"/api/v1/statuses/{st['id']}", data={"status": f"hello @{b.name} and @{c.name}"})
    wait_note(c, "mention", st["id"])
    settle()
    assert len(notes_of(b, "mention", st["id"])) == 1, "b was already told"


def test_fetch_many_by_id(server):
    a, b = staff(server), staff(server)
    g = guest(server)
    pub = a.post_status("pub", "public")
    org = a.post_status("org", "organisation")
    dm = a.post_status(f"@{b.name} dm", "direct")
    want = [pub["id"], org["id"], dm["id"], "999999999999"]
    got = ids(b.ok("GET", "/api/v1/statuses", params={"id[]": want}))
    assert got == [pub["id"], org["id"], dm["id"]]
    assert ids(g.ok("GET", "/api/v1/statuses", params={"id[]": want})) == [pub["id"]]
    r = anon_get(server, "/api/v1/statuses", params={"id[]": want})
    assert r.status_code == 200 and ids(r.json()) == [pub["id"]]
