"""Timelines: home, public (and local), tag, organisation, account statuses,
bookmarks and favourites; pagination (limit, max_id, since_id, min_id, Link
header); followed hashtags."""
import uuid

import pytest

from conftest import assert_json_error
from social import (anon_get, guest, id_above, ids, link, links, settle, staff, status_ids_in,
                    wait_for, walk)


def tagname(prefix="tl"):
    return prefix + uuid.uuid4().hex[:10]


# ---- home -------------------------------------------------------------------

def test_home_has_own_and_followed_posts(server):
    a, b, c = staff(server), staff(server), staff(server)
    a.follow(b)
    mine = a.post_status("mine", "followers")
    b_pub = b.post_status("b public", "public")
    b_org = b.post_status("b organisation", "organisation")
    b_fol = b.post_status("b followers", "private")
    c_pub = c.post_status("c public, not followed", "public")
    want = [b_fol["id"], b_org["id"], b_pub["id"], mine["id"]]
    assert wait_for(lambda: set(want) <= set(a.home_ids())), a.home_ids()
    home = a.home_ids()
    assert [i for i in home if i in want] == want, "newest first"
    assert c_pub["id"] not in home
    # ids are decreasing all the way down
    assert [int(i) for i in home] == sorted((int(i) for i in home), reverse=True)


def test_home_needs_a_token(server):
    assert_json_error(anon_get(server, "/api/v1/timelines/home"), 401)


def test_home_shows_reblogs_of_followed(server):
    a, b, c = staff(server), staff(server), staff(server)
    a.follow(b)
    st = c.post_status("from a stranger", "public")
    rb = b.ok("POST", f"/api/v1/statuses/{st['id']}/reblog")
    home = wait_for(lambda: [x for x in a.timeline("/api/v1/timelines/home", limit=40)
                             if x["id"] == rb["id"]])
    assert home and home[0]["reblog"]["id"] == st["id"], a.timeline("/api/v1/timelines/home")


def test_unfollow_stops_new_posts_in_home(server):
    a, b = staff(server), staff(server)
    a.follow(b)
    a.ok("POST", f"/api/v1/accounts/{b.id}/unfollow")
    st = b.post_status("after the unfollow", "public")
    settle()
    assert st["id"] not in a.home_ids()


# ---- public and local ---------------------------------------------------------

def window(server, who, path, posts, **params):
    """The ids `path` shows `who` (None: anonymous) at and below the newest of
    `posts`, so posts made by other tests later do not push them out."""
    params.setdefault("limit", 40)
    params["max_id"] = id_above(*[p["id"] for p in posts])
    if who is None:
        r = anon_get(server, path, params=params)
        assert r.status_code == 200, (r.status_code, r.text[:300])
        return status_ids_in(r.json())
    return status_ids_in(who.timeline(path, **params))


@pytest.fixture
def four_posts(server):
    """A staff author's post in each audience; the direct one mentions b."""
    a = staff(server)
    b = staff(server)
    posts = {
        "public": a.post_status("pub", "public"),
        "organisation": a.post_status("org", "organisation"),
        "followers": a.post_status("fol", "private"),
        "direct": a.post_status(f"@{b.name} dm", "direct"),
    }
    return a, b, posts


def test_public_timeline_shows_public_posts_only(server, four_posts):
    a, b, posts = four_posts
    g = guest(server)
    s = staff(server)
    all_posts = list(posts.values())
    for who in (None, a, b, g, s):
        got = window(server, who, "/api/v1/timelines/public", all_posts)
        assert posts["public"]["id"] in got, who
        for aud in ("organisation", "followers", "direct"):
            assert posts[aud]["id"] not in got, (who, aud)


def test_local_timeline_is_the_organisation_feed_for_staff(server, four_posts):
    a, b, posts = four_posts
    g = guest(server)
    s = staff(server)
    all_posts = list(posts.values())
    for who in (a, b, s):
        got = window(server, who, "/api/v1/timelines/public", all_posts, local="true")
        assert posts["public"]["id"] in got and posts["organisation"]["id"] in got, who
        assert posts["followers"]["id"] not in got and posts["direct"]["id"] not in got, who
    for who in (None, g):
        got = window(server, who, "/api/v1/timelines/public", all_posts, local="true")
        assert posts["public"]["id"] in got, who
        for aud in ("organisation", "followers", "direct"):
            assert posts[aud]["id"] not in got, (who, aud)


def test_organisation_timeline(server, four_posts):
    a, b, posts = four_posts
    s = staff(server)
    for who in (a, b, s):
        got = window(server, who, "/api/parley/v1/timelines/organisation", list(posts.values()))
        assert posts["organisation"]["id"] in got, who
        assert posts["followers"]["id"] not in got and posts["direct"]["id"] not in got, who
    g = guest(server)
    assert_json_error(g.get("/api/parley/v1/timelines/organisation"), 403)
    assert_json_error(anon_get(server, "/api/parley/v1/timelines/organisation"), 401)


# ---- tag --------------------------------------------------------------------

def test_tag_timeline(server):
    a = staff(server)
    g = guest(server)
    tag = tagname()
    pub = a.post_status(f"public #{tag}", "public")
    org = a.post_status(f"organisation #{tag}", "organisation")
    fol = a.post_status(f"followers #{tag}", "private")
    a.post_status("untagged", "public")
    other = a.post_status(f"#{tag}x is another tag", "public")
    anon = anon_get(server, f"/api/v1/timelines/tag/{tag}").json()
    assert ids(anon) == [pub["id"]]
    assert ids(g.timeline(f"/api/v1/timelines/tag/{tag}")) == [pub["id"]]
    staff_view = ids(staff(server).timeline(f"/api/v1/timelines/tag/{tag}"))
    assert pub["id"] in staff_view
    assert fol["id"] not in staff_view and other["id"] not in staff_view
    assert set(staff_view) <= {pub["id"], org["id"]}
    # the tag is matched without regard to case
    upper = anon_get(server, f"/api/v1/timelines/tag/{tag.upper()}").json()
    assert ids(upper) == [pub["id"]]


# ---- account statuses ---------------------------------------------------------

def test_account_statuses_filters(server):
    a, b = staff(server), staff(server)
    other = b.post_status("someone else", "public")
    s1 = a.post_status("top level", "public")
    reply = a.reply(other, f"@{b.name} a reply", "public")
    rb = a.ok("POST", f"/api/v1/statuses/{other['id']}/reblog")
    s2 = a.post_status("another top level", "public")
    a.ok("POST", f"/api/v1/statuses/{s1['id']}/pin")

    path = f"/api/v1/accounts/{a.id}/statuses"
    assert ids(b.timeline(path)) == [s2["id"], rb["id"], reply["id"], s1["id"]]
    assert ids(b.timeline(path, exclude_replies="true")) == [s2["id"], rb["id"], s1["id"]]
    assert ids(b.timeline(path, exclude_reblogs="true")) == [s2["id"], reply["id"], s1["id"]]
    assert ids(b.timeline(path, exclude_replies="true", exclude_reblogs="true")) == \
        [s2["id"], s1["id"]]
    assert ids(b.timeline(path, pinned="true")) == [s1["id"]]
    assert b.timeline(path, only_media="true") == []
    assert ids(b.timeline(path, limit=2)) == [s2["id"], rb["id"]]
    assert_json_error(b.get("/api/v1/accounts/999999999999/statuses"), 404)


def test_account_statuses_respect_audience(server):
    a = staff(server)
    f, g, s = guest(server), guest(server), staff(server)
    f.follow(a)
    pub = a.post_status("pub", "public")
    org = a.post_status("org", "organisation")
    fol = a.post_status("fol", "private")
    path = f"/api/v1/accounts/{a.id}/statuses"
    assert ids(anon_get(server, path).json()) == [pub["id"]]
    assert ids(g.timeline(path)) == [pub["id"]]
    assert ids(f.timeline(path)) == [fol["id"], pub["id"]]
    assert ids(s.timeline(path)) == [org["id"], pub["id"]]
    assert ids(a.timeline(path)) == [fol["id"], org["id"], pub["id"]]


# ---- pagination ----------------------------------------------------------------

@pytest.fixture
def forty_five(server):
    """A fresh account with 45 posts; returns (actor, ids newest first)."""
    a = staff(server)
    made = [a.post_status(f"post number {i}", "public")["id"] for i in range(45)]
    made.reverse()
    assert [int(x) for x in made] == sorted((int(x) for x in made), reverse=True)
    return a, made


def test_limits(server, forty_five):
    a, made = forty_five
    path = f"/api/v1/accounts/{a.id}/statuses"
    assert ids(a.timeline(path)) == made[:20]
    assert ids(a.timeline(path, limit=5)) == made[:5]
    assert ids(a.timeline(path, limit=100)) == made[:40]
    assert ids(a.timeline("/api/v1/timelines/home")) == made[:20]
    assert ids(a.timeline("/api/v1/timelines/home", limit=100)) == made[:40]
    r = a.get(path, params={"limit": "0"})
    assert r.status_code in (200, 422), r.status_code
    if r.status_code == 200:
        assert len(r.json()) >= 1
    r = a.get(path, params={"limit": "lots"})
    assert r.status_code in (200, 400, 422), r.status_code


@pytest.mark.parametrize("which", ["home", "account"])
def test_max_since_min_id(server, forty_five, which):
    a, made = forty_five
    path = "/api/v1/timelines/home" if which == "home" else f"/api/v1/accounts/{a.id}/statuses"
    assert ids(a.timeline(path, max_id=made[9], limit=5)) == made[10:15]
    assert ids(a.timeline(path, since_id=made[44], limit=5)) == made[:5], "since_id: newest"
    assert ids(a.timeline(path, min_id=made[44], limit=5)) == made[39:44], "min_id: just after"
    assert ids(a.timeline(path, max_id=made[5], since_id=made[9])) == made[6:9]
    assert ids(a.timeline(path, max_id=made[5], min_id=made[9])) == made[6:9]
    assert a.timeline(path, since_id=made[0]) == []
    assert a.timeline(path, max_id=made[44]) == []


@pytest.mark.parametrize("which", ["home", "account", "public"])
def test_walking_next_links_returns_every_post_once(server, forty_five, which):
    a, made = forty_five
    path = {"home": "/api/v1/timelines/home",
            "account": f"/api/v1/accounts/{a.id}/statuses",
            "public": "/api/v1/timelines/public"}[which]
    params = {"limit": 10}
    if which == "public":  # others post too: start at our newest
        params["max_id"] = id_above(made[0])
    mine = set(made)
    # on the public timeline, stop once ours are all seen: older posts belong
    # to other tests
    items, pages = walk(server, a.s, path, params,
                        until=lambda seen: mine <= set(ids(seen)))
    got = [i for i in ids(items) if i in mine]
    assert got == made, (len(got), len(set(got)))
    if which != "public":
        assert ids(items) == made
    assert pages >= 5


def test_link_header(server, forty_five):
    a, made = forty_five
    r = a.get("/api/v1/timelines/home", params={"limit": 20})
    assert r.status_code == 200
    rels = [rel for rel, _ in links(r)]
    assert rels == ["next", "prev"], r.headers.get("Link")
    assert r.headers["Link"].startswith("<http"), r.headers["Link"]
    nxt = link(r, "next")
    assert "max_id=" + made[19] in nxt, nxt
    assert "/api/v1/timelines/home" in nxt
    page2 = a.get(nxt)
    assert ids(page2.json()) == made[20:40]
    prev = link(page2, "prev")
    assert prev and ("min_id=" + made[20] in prev or "since_id=" + made[20] in prev), prev
    back = a.get(prev)
    assert ids(back.json()) == made[:20], "prev from page 2 is page 1"
    # other parameters survive in the links
    r = a.get(f"/api/v1/accounts/{a.id}/statuses",
              params={"limit": 5, "exclude_replies": "true"})
    nxt = link(r, "next")
    assert "limit=5" in nxt and "exclude_replies=true" in nxt, nxt
    assert ids(a.get(nxt).json()) == made[5:10]


def test_empty_page_has_no_link(server):
    a = staff(server)
    r = a.get("/api/v1/timelines/home")
    assert r.status_code == 200 and r.json() == []
    assert link(r, "next") is None


# ---- bookmarks and favourites --------------------------------------------------------

def test_bookmarks_and_favourites_timelines(server):
    a, b = staff(server), staff(server)
    posts = [a.post_status(f"n{i}", "public") for i in range(5)]
    for p in posts:
        b.ok("POST", f"/api/v1/statuses/{p['id']}/bookmark")
        b.ok("POST", f"/api/v1/statuses/{p['id']}/favourite")
    want = [p["id"] for p in reversed(posts)]
    assert ids(b.timeline("/api/v1/bookmarks")) == want
    assert ids(b.timeline("/api/v1/favourites")) == want
    items, _ = walk(server, b.s, "/api/v1/bookmarks", {"limit": 2})
    assert ids(items) == want
    items, _ = walk(server, b.s, "/api/v1/favourites", {"limit": 2})
    assert ids(items) == want
    assert a.timeline("/api/v1/favourites") == []
    assert_json_error(anon_get(server, "/api/v1/favourites"), 401)


def test_bookmarks_and_favourites_hide_what_became_invisible(server):
    a, b = staff(server), staff(server)
    st = a.post_status("soon followers only", "public")
    b.ok("POST", f"/api/v1/statuses/{st['id']}/bookmark")
    b.ok("POST", f"/api/v1/statuses/{st['id']}/favourite")
    # the author blocks the reader: the post is no longer theirs to see
    a.ok("POST", f"/api/v1/accounts/{b.id}/block")
    assert st["id"] not in ids(b.timeline("/api/v1/bookmarks"))
    assert st["id"] not in ids(b.timeline("/api/v1/favourites"))


# ---- followed hashtags ------------------------------------------------------------

def test_follow_a_hashtag(server):
    a, c = staff(server), staff(server)
    tag = tagname("ft")
    t = a.ok("POST", f"/api/v1/tags/{tag}/follow")
    assert t["name"] == tag and t["following"] is True
    assert t["url"].endswith(f"/tags/{tag}")
    assert a.ok("GET", f"/api/v1/tags/{tag}")["following"] is True
    assert staff(server).ok("GET", f"/api/v1/tags/{tag}")["following"] is False
    assert tag in [x["name"] for x in a.ok("GET", "/api/v1/followed_tags")]

    pub = c.post_status(f"news about #{tag}", "public")
    org = c.post_status(f"internal news about #{tag}", "organisation")
    fol = c.post_status(f"followers news about #{tag}", "private")
    untagged = c.post_status("nothing to see", "public")
    assert wait_for(lambda: pub["id"] in a.home_ids()), a.home_ids()
    home = a.home_ids()
    assert org["id"] in home
    assert fol["id"] not in home and untagged["id"] not in home

    u = a.ok("POST", f"/api/v1/tags/{tag}/unfollow")
    assert u["following"] is False
    assert tag not in [x["name"] for x in a.ok("GET", "/api/v1/followed_tags")]
    later = c.post_status(f"more about #{tag}", "public")
    settle()
    assert later["id"] not in a.home_ids()


def test_tag_history_counts_public_posts(server):
    a, b = staff(server), staff(server)
    tag = tagname("hi")
    a.post_status(f"one #{tag}", "public")
    a.post_status(f"two #{tag}", "public")
    b.post_status(f"three #{tag}", "public")
    b.post_status(f"internal #{tag}", "organisation")
    t = anon_get(server, f"/api/v1/tags/{tag}")
    assert t.status_code == 200, t.text
    hist = t.json()["history"]
    assert len(hist) == 7, hist
    today = hist[0]
    assert (today["uses"], today["accounts"]) == ("3", "2"), hist
    assert int(today["day"]) > int(hist[1]["day"])
    assert all(h["uses"] == "0" for h in hist[1:]), hist


def test_guest_following_a_hashtag_never_gets_organisation_posts(server):
    g, c = guest(server), staff(server)
    tag = tagname("fg")
    g.ok("POST", f"/api/v1/tags/{tag}/follow")
    org = c.post_status(f"internal #{tag}", "organisation")
    pub = c.post_status(f"public #{tag}", "public")
    assert wait_for(lambda: pub["id"] in g.home_ids()), g.home_ids()
    assert org["id"] not in g.home_ids()


def test_followed_tags_needs_a_token(server):
    assert_json_error(anon_get(server, "/api/v1/followed_tags"), 401)
    assert_json_error(server.post(f"/api/v1/tags/{tagname()}/follow"), 401)


@pytest.mark.skip(reason="any[], all[] and none[] on the tag timeline are not implemented yet (docs/API.md)")
def test_tag_timeline_any_all_none(server):
    a = staff(server)
    t1, t2 = tagname("ta"), tagname("tb")
    only1 = a.post_status(f"#{t1} alone", "public")
    both = a.post_status(f"#{t1} with #{t2}", "public")
    only2 = a.post_status(f"#{t2} alone", "public")
    path = f"/api/v1/timelines/tag/{t1}"
    assert ids(a.timeline(path)) == [both["id"], only1["id"]]
    assert ids(a.timeline(path, **{"any[]": [t2]})) == [only2["id"], both["id"], only1["id"]]
    assert ids(a.timeline(path, **{"all[]": [t2]})) == [both["id"]]
    assert ids(a.timeline(path, **{"none[]": [t2]})) == [only1["id"]]


def test_links_keep_the_local_flag(server):
    a = staff(server)
    a.post_status("one", "organisation")
    a.post_status("two", "organisation")
    r = a.get("/api/v1/timelines/public", params={"local": "true", "limit": 1})
    nxt = link(r, "next")
    assert nxt and "local=true" in nxt and "limit=1" in nxt, r.headers.get("Link")
    assert "local=true" in link(r, "prev")
