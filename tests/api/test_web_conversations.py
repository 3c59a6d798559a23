"""The web pages of conversations, driven with requests.Session: the home
timeline and its composer (plain form and htmx), the actions on a post, the
post page with its thread, hashtags, notifications, profiles and articles,
and the audience rule on every one of them."""
import re

from conftest import csrf_from, unique

XSS = "<script>alert(1)</script>"
XSS_ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
HTMX = {"HX-Request": "true"}
POST_ID_RE = re.compile(r'data-post-id="(\d+)"')


class User:
    """A signed-in browser session of a new account."""

    def __init__(self, srv, role="staff", name=None, public=True):
        self.srv = srv
        self.name = srv.create_user(name or unique(role[:5]), role=role)
        if public:
            srv.make_public(self.name)
        self.s = srv.signed_in_session(self.name)

    def get(self, path, **kw):
        return self.srv.get(path, session=self.s, **kw)

    def csrf(self, path="/"):
        return self.srv.page_csrf(self.s, path)

    def post(self, path, data=None, csrf_from_path="/", **kw):
        data = dict(data or {})
        data.setdefault("csrf", self.csrf(csrf_from_path))
        return self.srv.post(path, session=self.s, data=data, **kw)

    def compose(self, text, audience=None, **extra):
        """Post with the plain form; returns the new post's id."""
        data = {"text": text}
        if audience:
            data["audience"] = audience
        data.update(extra)
        r = self.post("/posts", data)
        assert r.status_code == 303, (r.status_code, r.text[:500])
        token = self.srv.token(self.name, scope="read")
        r = self.srv.get(f"/api/v1/accounts/{self.account_id(token)}/statuses?limit=1",
                         headers={"Authorization": f"Bearer {token}"})
        return r.json()[0]["id"]

    def account_id(self, token):
        return self.srv.verify(token).json()["id"]


def anon(srv):
    return srv.web_session()


# ---- composing ---------------------------------------------------------------

def test_compose_without_js_redirects_and_shows_the_post(server):
    u = User(server)
    text = "Hello from the form " + unique("t")
    r = u.post("/posts", {"text": text, "audience": "organisation"})
    assert r.status_code == 303
    assert r.headers["Location"].endswith("/")
    home = u.get("/")
    assert home.status_code == 200
    assert text in home.text
    assert 'id="timeline"' in home.text
    assert "Organisation" in home.text


def test_compose_with_htmx_answers_a_fragment(server):
    u = User(server)
    text = "Via htmx " + unique("t")
    r = u.post("/posts", {"text": text, "audience": "public"}, headers=HTMX)
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("text/html")
    assert "<html" not in r.text
    assert text in r.text
    assert r.text.lstrip().startswith("<article")
    # a fresh composer replaces the old one out of band
    assert 'hx-swap-oob="true"' in r.text
    assert 'id="composer"' in r.text


def test_composer_errors_are_shown_with_the_text_kept(server):
    u = User(server)
    long_text = "x" * 6000 + " keepme"
    r = u.post("/posts", {"text": long_text})
    assert r.status_code == 422
    assert 'class="error"' in r.text
    assert "keepme" in r.text and "<html" in r.text
    r = u.post("/posts", {"text": long_text}, headers=HTMX)
    assert r.status_code == 422
    assert "<html" not in r.text
    assert 'id="composer-error"' in r.text and "keepme" in r.text


def test_guest_composer_offers_no_organisation(server):
    g = User(server, role="guest")
    home = g.get("/")
    assert home.status_code == 200
    assert 'value="organisation"' not in home.text
    staff = User(server)
    home = staff.get("/")
    assert re.search(r'<option value="organisation" selected>', home.text)


def test_csrf_is_required_on_posts(server):
    u = User(server)
    r = server.post("/posts", session=u.s, data={"text": "no token"})
    assert r.status_code == 403
    r = server.post("/posts", session=u.s, data={"text": "bad token", "csrf": "x" * 40})
    assert r.status_code == 403
    pid = u.compose("to favourite " + unique("t"))
    r = server.post(f"/posts/{pid}/favourite", session=u.s, data={"on": "1"})
    assert r.status_code == 403
    r = server.post("/posts", data={"text": "anonymous"})
    assert r.status_code in (303, 403)
    assert "/posts" not in r.headers.get("Location", "")


def test_escaping_of_post_text(server):
    u = User(server)
    pid = u.compose("look " + XSS, audience="public")
    page = u.get(f"/@{u.name}/{pid}")
    assert page.status_code == 200
    assert XSS not in page.text
    assert XSS_ESCAPED in page.text


# ---- actions -----------------------------------------------------------------

def test_favourite_bookmark_react_with_htmx_and_without(server):
    u = User(server)
    pid = u.compose("act on me " + unique("t"), audience="public")
    r = u.post(f"/posts/{pid}/favourite", {"on": "1"}, headers=HTMX)
    assert r.status_code == 200 and r.text.lstrip().startswith("<article")
    assert "Favourited" in r.text
    r = u.post(f"/posts/{pid}/bookmark", {"on": "1", "next": "/"})
    assert r.status_code == 303 and r.headers["Location"].endswith("/")
    r = u.post(f"/posts/{pid}/react", {"on": "1", "emoji": "👍"}, headers=HTMX)
    assert r.status_code == 200
    assert re.search(r'aria-pressed="true" title="Remove your 👍">👍 <span class="count">1</span>', r.text)
    page = u.get(f"/@{u.name}/{pid}")
    assert "Bookmarked" in page.text and "Favourited" in page.text
    r = u.post(f"/posts/{pid}/favourite", {"on": "0"}, headers=HTMX)
    assert "☆ Favourite" in r.text


def test_delete_own_post_only(server):
    u, other = User(server), User(server)
    pid = u.compose("delete me " + unique("t"), audience="public")
    r = other.post(f"/posts/{pid}/delete", {})
    assert r.status_code == 403
    r = u.post(f"/posts/{pid}/delete", {"next": f"/@{u.name}/{pid}"})
    assert r.status_code == 303
    assert r.headers["Location"].endswith("/")
    assert u.get(f"/@{u.name}/{pid}").status_code == 404
    pid = u.compose("delete me with htmx " + unique("t"), audience="public")
    r = u.post(f"/posts/{pid}/delete", {}, headers=HTMX)
    assert r.status_code == 200 and r.text == ""


# ---- post page and thread ----------------------------------------------------

def test_post_page_thread_and_reply(server):
    a, b = User(server), User(server)
    root = a.compose("root of the thread " + unique("t"), audience="public")
    r = b.post("/posts", {"text": "a reply " + unique("t"), "in_reply_to": root, "audience": "public"},
               csrf_from_path=f"/@{a.name}/{root}")
    assert r.status_code == 303
    assert r.headers["Location"].endswith(f"/@{a.name}/{root}")
    page = b.get(f"/@{a.name}/{root}")
    assert page.status_code == 200
    assert 'id="replies"' in page.text and "a reply" in page.text
    assert 'name="in_reply_to"' in page.text
    reply_id = [i for i in POST_ID_RE.findall(page.text) if i != root][0]
    page = anon(server).get(server.url + f"/@{b.name}/{reply_id}")
    assert page.status_code == 200
    assert "root of the thread" in page.text  # the ancestor
    assert "In reply to" in page.text
    # the wrong author in the path is a 404
    assert a.get(f"/@{b.name}/{root}").status_code == 404


# ---- the audience rule on every page ------------------------------------------

def test_guest_gets_404_for_an_organisation_post(server):
    staff, guest = User(server), User(server, role="guest")
    pid = staff.compose("inside only " + unique("t"), audience="organisation")
    assert staff.get(f"/@{staff.name}/{pid}").status_code == 200
    assert guest.get(f"/@{staff.name}/{pid}").status_code == 404
    assert anon(server).get(server.url + f"/@{staff.name}/{pid}").status_code == 404
    r = guest.post(f"/posts/{pid}/favourite", {"on": "1"})
    assert r.status_code == 404
    prof = guest.get(f"/@{staff.name}")
    assert prof.status_code == 200 and "inside only" not in prof.text


def test_anonymous_sees_only_public_on_a_profile(server):
    u = User(server)
    pub = "for everyone " + unique("t")
    org = "for staff " + unique("t")
    fol = "for followers " + unique("t")
    u.compose(pub, audience="public")
    u.compose(org, audience="organisation")
    u.compose(fol, audience="followers")
    r = anon(server).get(server.url + f"/@{u.name}")
    assert r.status_code == 200
    assert pub in r.text and org not in r.text and fol not in r.text
    other = User(server)
    r = other.get(f"/@{u.name}")
    assert pub in r.text and org in r.text and fol not in r.text
    # following shows the followers-only post
    assert other.post(f"/@{u.name}/follow", {}).status_code == 303
    r = other.get(f"/@{u.name}")
    assert fol in r.text and "Unfollow" in r.text


def test_direct_post_is_404_for_others(server):
    a, b, c = User(server), User(server), User(server)
    pid = a.compose(f"psst @{b.name} " + unique("t"), audience="direct")
    assert a.get(f"/@{a.name}/{pid}").status_code == 200
    assert b.get(f"/@{a.name}/{pid}").status_code == 200
    assert c.get(f"/@{a.name}/{pid}").status_code == 404
    assert "psst" not in c.get(f"/@{a.name}").text
    assert "psst" not in anon(server).get(server.url + f"/@{a.name}").text


# ---- hashtags ------------------------------------------------------------------

def test_tag_page_and_follow(server):
    u, v = User(server), User(server)
    tag = "webtag" + unique("t").replace("-", "")[-8:]
    text = f"about #{tag} " + unique("t")
    u.compose(text, audience="public")
    r = anon(server).get(server.url + f"/tags/{tag}")
    assert r.status_code == 200
    assert text.split()[-1] in r.text
    assert "Follow #" not in r.text
    page = v.get(f"/tags/{tag}")
    assert f"Follow #{tag}" in page.text
    r = v.post(f"/tags/{tag}/follow", {"on": "1"}, csrf_from_path=f"/tags/{tag}")
    assert r.status_code == 303
    assert f"Unfollow #{tag}" in v.get(f"/tags/{tag}").text
    # the followed tag brings the post to v's home timeline
    text2 = f"more #{tag} " + unique("t")
    u.compose(text2, audience="public")
    assert text2.split()[-1] in v.get("/").text
    assert anon(server).get(server.url + "/tags/not-a-tag!").status_code == 404


# ---- notifications -------------------------------------------------------------

def test_notifications_page_marks_read_and_clears(server):
    a, b = User(server), User(server)
    pid = a.compose("notice me " + unique("t"), audience="public")
    assert b.post(f"/posts/{pid}/favourite", {"on": "1"}).status_code == 303
    assert b.post(f"/@{a.name}/follow", {}).status_code == 303
    home = a.get("/")
    assert re.search(r'class="count-badge"[^>]*>2<', home.text), home.text[:3000]
    page = a.get("/notifications")
    assert page.status_code == 200
    assert "favourited your post" in page.text and "followed you" in page.text
    assert "notice me" in page.text
    home = a.get("/")
    assert "count-badge" not in home.text
    r = a.post("/notifications/clear", {}, csrf_from_path="/notifications")
    assert r.status_code == 303
    assert "No notifications." in a.get("/notifications").text
    assert server.get("/notifications").status_code == 303


# ---- profiles --------------------------------------------------------------------

def test_profile_page_counts_and_buttons(server):
    u, v = User(server), User(server)
    u.compose("profile post " + unique("t"), audience="public")
    page = v.get(f"/@{u.name}")
    assert page.status_code == 200
    assert f"@{u.name}" in page.text
    assert re.search(r"<strong>1</strong> posts", page.text)
    for action in ("Follow", "Mute", "Block"):
        assert f">{action}</button>" in page.text
    assert v.post(f"/@{u.name}/mute", {}).status_code == 303
    assert ">Unmute</button>" in v.get(f"/@{u.name}").text
    assert v.post(f"/@{u.name}/block", {}).status_code == 303
    page = v.get(f"/@{u.name}")
    assert ">Unblock</button>" in page.text and "profile post" not in page.text
    assert anon(server).get(server.url + "/@nobody-" + unique("x")).status_code == 404
    own = u.get(f"/@{u.name}")
    assert ">Follow</button>" not in own.text and "This is you" in own.text


# ---- articles ----------------------------------------------------------------------

def test_article_editor_page_and_edit(server):
    u = User(server)
    r = u.get("/articles/new")
    assert r.status_code == 200 and 'name="title"' in r.text
    title = "A long read " + unique("t")
    r = u.post("/articles", {"title": title, "text": "# Part one\n\nSome *text*.\n\n> quoted",
                             "audience": "public"}, csrf_from_path="/articles/new")
    assert r.status_code == 303
    path = r.headers["Location"]
    path = path[path.index("/@"):]
    page = anon(server).get(server.url + path)
    assert page.status_code == 200
    assert f'<h1 class="article-title">{title}</h1>' in page.text
    assert "<h2>Part one</h2>" in page.text and "<blockquote>" in page.text
    prof = anon(server).get(server.url + f"/@{u.name}")
    assert title in prof.text and 'id="articles-h"' in prof.text
    # refused: missing title keeps the text
    r = u.post("/articles", {"title": "", "text": "kept body"}, csrf_from_path="/articles/new")
    assert r.status_code == 422 and "kept body" in r.text
    # edit by the author
    edit = u.get(path + "/edit")
    assert edit.status_code == 200 and title in edit.text
    r = u.post(path + "/edit", {"title": title + " (revised)", "text": "New body"},
               csrf_from_path=path + "/edit")
    assert r.status_code == 303
    page = u.get(path)
    assert "(revised)" in page.text and "New body" in page.text and "(edited)" in page.text
    other = User(server)
    assert other.get(path + "/edit").status_code == 403


def test_home_load_more_with_htmx(server):
    u = User(server)
    for i in range(22):
        r = u.post("/posts", {"text": f"bulk {i} " + unique("t")})
        assert r.status_code == 303
    home = u.get("/")
    m = re.search(r'href="(/\?max_id=\d+)"', home.text)
    assert m, "no Load more link"
    more = u.get(m.group(1), headers=HTMX)
    assert more.status_code == 200 and "<html" not in more.text
    assert "bulk 0 " in more.text and "bulk 0 " not in home.text
    plain = u.get(m.group(1))
    assert "<html" in plain.text and "bulk 0 " in plain.text
