"""
Parley as Mastodon.py (Debian's python3-mastodon) sees it: every call here
is the library's own, so what passes is what an app built on it gets.

Covered: app registration, the password grant and the authorization-code
flow, verify_credentials, posting with media and a poll, replies,
favourites, reblogs, bookmarks, follows (and follow requests), every
timeline read to its end with fetch_next, notifications, filters,
conversations, announcements, suggestions, trends, instance metadata,
and stream_user over SSE receiving an update and a notification within a
second. Lists, search and update_credentials come with the spaces and
people branches (both landed).
"""
import struct
import threading
import time
import zlib

import mastodon
import pytest
import requests

from clientlib import OOB, PASSWORD, SCOPES, authorize_in_browser, register, unique

def png_bytes(w=8, h=6):
    """A small real PNG (8-bit RGB, a gradient), made with zlib."""
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + bytes(v for x in range(w) for v in (30 * x % 256, 40 * y % 256, 90))
                   for y in range(h))
    ihdr = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw))
            + chunk(b"IEND", b""))


def drain(api, page, limit=200):
    """Every item of a paginated list, following fetch_next to the end."""
    items = list(page)
    while page and len(items) < limit:
        page = api.fetch_next(page)
        if not page:
            break
        items.extend(page)
    return items


def ids(items):
    return [x["id"] for x in items]


# ---- connecting --------------------------------------------------------------------

def test_instance_metadata_and_version(server):
    anon = mastodon.Mastodon(api_base_url=server.url, version_check_mode="created")
    inst = anon.instance()
    assert inst["title"]
    assert inst["version"].startswith("4.3.0 (compatible; Parley")
    assert anon.retrieve_mastodon_version() == "4.3.0"
    assert anon.verify_minimum_version("4.0.0", cached=True)
    assert inst["urls"]["streaming_api"].startswith("ws://")
    assert inst["configuration"]["statuses"]["max_characters"] == 5000
    assert anon.instance_peers() == []
    assert anon.custom_emojis() == []
    assert isinstance(anon.instance_rules(), list)
    weeks = anon.instance_activity()
    assert len(weeks) == 12 and {"week", "statuses", "logins", "registrations"} <= set(weeks[0])
    info = anon.instance_nodeinfo()
    assert info["software"]["name"] == "parley" and "metadata" in info
    assert anon.instance_health()


def test_app_and_password_grant(server):
    name = server.create_user(unique("pw"))
    cid, secret = register(server)
    api = mastodon.Mastodon(client_id=cid, client_secret=secret, api_base_url=server.url)
    token = api.log_in(name, PASSWORD, scopes=SCOPES)
    assert token
    me = api.account_verify_credentials()
    assert me["username"] == name and me["acct"] == name
    assert me["source"]["privacy"] in ("public", "unlisted", "private", "direct")
    assert api.app_verify_credentials()["name"]


def test_authorization_code_flow(server):
    name = server.create_user(unique("code"))
    cid, secret = register(server)
    api = mastodon.Mastodon(client_id=cid, client_secret=secret, api_base_url=server.url)
    url = api.auth_request_url(client_id=cid, redirect_uris=OOB, scopes=SCOPES)
    code = authorize_in_browser(server, name, url)
    api.log_in(code=code, redirect_uri=OOB, scopes=SCOPES)
    assert api.account_verify_credentials()["username"] == name


# ---- writing ------------------------------------------------------------------------

def test_post_with_media_and_poll(person):
    a, b = person(), person()
    media = a.api.media_post(png_bytes(), mime_type="image/png", description="a test pattern")
    assert media["type"] == "image" and media["description"] == "a test pattern"
    st = a.api.status_post("A picture", media_ids=[media["id"]], visibility="public")
    assert [m["id"] for m in st["media_attachments"]] == [media["id"]]
    assert st["media_attachments"][0]["url"].startswith("http")

    poll = a.api.make_poll(["tea", "coffee"], expires_in=3600)
    st = a.api.status_post("Tea or coffee?", poll=poll, visibility="public")
    assert [o["title"] for o in st["poll"]["options"]] == ["tea", "coffee"]
    b.api.poll_vote(st["poll"]["id"], [1])     # Mastodon.py 1.8 returns nothing here
    voted = b.api.poll(st["poll"]["id"])
    assert voted["voted"] and voted["own_votes"] == [1]
    assert a.api.poll(st["poll"]["id"])["votes_count"] == 1


def test_reply_favourite_reblog_bookmark(person):
    a, b = person(), person()
    st = a.api.status_post("Hello, world", visibility="public")
    reply = b.api.status_reply(st, "Hello back")
    assert reply["in_reply_to_id"] == st["id"]
    assert b.api.status_favourite(st)["favourited"]
    reblog = b.api.status_reblog(st)
    assert reblog["reblog"]["id"] == st["id"]
    assert b.api.status_bookmark(st)["bookmarked"]
    assert st["id"] in ids(b.api.bookmarks())
    assert st["id"] in ids(b.api.favourites())
    ctx = a.api.status_context(st)
    assert reply["id"] in ids(ctx["descendants"])
    fresh = a.api.status(st)
    assert fresh["favourites_count"] == 1 and fresh["reblogs_count"] == 1 and fresh["replies_count"] == 1
    types = {n["type"] for n in a.api.notifications()}
    assert {"mention", "favourite", "reblog"} <= types


def test_follow_and_follow_requests(person):
    a, b, c = person(), person(), person()
    rel = a.api.account_follow(b.id)
    assert rel["following"]
    assert b.id in ids(a.api.account_following(a.id))
    assert "follow" in {n["type"] for n in b.api.notifications()}

    c.api.account_update_credentials(locked=True)
    rel = a.api.account_follow(c.id)
    assert not rel["following"] and rel["requested"]
    assert a.id in ids(c.api.follow_requests())
    assert "follow_request" in {n["type"] for n in c.api.notifications()}
    rel = c.api.follow_request_authorize(a.id)
    assert rel["followed_by"]
    assert a.api.account_relationships(c.id)[0]["following"]
    assert c.api.follow_requests() == []


# ---- reading: every timeline to its end --------------------------------------------

def test_every_timeline_with_fetch_next(person):
    a, b = person(), person()
    tag = unique("tag").replace("_", "")
    a.api.account_follow(b.id)
    posted = [b.api.status_post(f"post {i} #{tag}", visibility="public")["id"] for i in range(12)]
    posted.reverse()                             # newest first, as timelines list them

    home = drain(a.api, a.api.timeline_home(limit=5))
    assert [i for i in ids(home) if i in posted] == posted
    assert len(ids(home)) == len(set(ids(home)))

    tagged = drain(a.api, a.api.timeline_hashtag(tag, limit=5))
    assert ids(tagged) == posted

    account = drain(a.api, a.api.account_statuses(b.id, limit=5))
    assert ids(account) == posted

    public = drain(a.api, a.api.timeline_public(limit=5), limit=2000)
    assert [i for i in ids(public) if i in posted] == posted
    local = drain(a.api, a.api.timeline_local(limit=5), limit=2000)
    assert [i for i in ids(local) if i in posted] == posted

    for sid in posted[:7]:
        a.api.status_bookmark(sid)
        a.api.status_favourite(sid)
    assert sorted(ids(drain(a.api, a.api.bookmarks(limit=3)))) == sorted(posted[:7])
    assert sorted(ids(drain(a.api, a.api.favourites(limit=3)))) == sorted(posted[:7])

    notes = drain(b.api, b.api.notifications(limit=3))
    assert sum(1 for n in notes if n["type"] == "favourite") == 7
    # and back: fetch_previous from the second page returns the first
    first = b.api.notifications(limit=3)
    second = b.api.fetch_next(first)
    assert ids(b.api.fetch_previous(second)) == ids(first)


def test_notifications_types_and_dismiss(person):
    a, b = person(), person()
    st = a.api.status_post("notice me", visibility="public")
    b.api.status_favourite(st)
    b.api.status_post(f"@{a.name} hi", visibility="public")
    mentions = a.api.notifications(types=["mention"])
    assert mentions and all(n["type"] == "mention" for n in mentions)
    every = a.api.notifications()
    a.api.notifications_dismiss(every[0]["id"])
    assert every[0]["id"] not in ids(a.api.notifications())


# ---- filters --------------------------------------------------------------------------

def test_filters_v1(person):
    a, b = person(), person()
    a.api.account_follow(b.id)
    word = unique("w").replace("_", "")
    f = a.api.filter_create(word, ["home", "public"], irreversible=False, whole_word=True)
    assert f["phrase"] == word and set(f["context"]) == {"home", "public"}
    assert f["id"] in ids(a.api.filters())
    st = b.api.status_post(f"about {word} today", visibility="public")
    other = b.api.status_post(f"about {word}s and more", visibility="public")
    home = {s["id"]: s for s in a.api.timeline_home()}
    assert home[st["id"]]["filtered"][0]["keyword_matches"] == [word]
    assert home[other["id"]]["filtered"] == []            # whole word only
    kept = a.api.filters_apply(list(home.values()), a.api.filters(), "home")
    assert st["id"] not in ids(kept) and other["id"] in ids(kept)

    a.api.filter_update(f["id"], irreversible=True)
    assert st["id"] not in ids(a.api.timeline_home())     # hide: gone server-side
    assert other["id"] in ids(a.api.timeline_home())
    a.api.filter_delete(f["id"])
    assert a.api.filters() == []
    assert st["id"] in ids(a.api.timeline_home())


# ---- the rest of the client API --------------------------------------------------------

def test_conversations(person):
    a, b = person(), person()
    st = a.api.status_post(f"@{b.name} just between us", visibility="direct")
    convs = b.api.conversations()
    assert convs and convs[0]["last_status"]["id"] == st["id"] and convs[0]["unread"]
    assert a.id in ids(convs[0]["accounts"])
    assert not b.api.conversations_read(convs[0]["id"])["unread"]


def test_announcements_preferences_markers(server, person):
    a = person()
    admin_tok = server.token("clients_admin", scope="read write admin:read admin:write",
                             app=server.register_app(scopes="read write admin:read admin:write"))
    r = requests.post(server.url + "/api/parley/v1/admin/announcements", timeout=10,
                      headers={"Authorization": f"Bearer {admin_tok}"},
                      data={"text": "Welcome to **Parley**"})
    assert r.status_code == 200, r.text
    ann = [x for x in a.api.announcements() if x["id"] == int(r.json()["id"])][0]
    assert "<strong>Parley</strong>" in ann["content"] and ann["read"] is False
    a.api.announcement_reaction_create(ann["id"], "\U0001F44D")
    again = [x for x in a.api.announcements() if x["id"] == ann["id"]][0]
    assert again["reactions"][0]["count"] == 1 and again["reactions"][0]["me"]
    a.api.announcement_dismiss(ann["id"])
    assert ann["id"] not in ids(a.api.announcements())
    prefs = a.api.preferences()
    assert "posting:default:visibility" in prefs
    st = a.api.status_post("mark me", visibility="public")
    a.api.markers_set(["home"], [st["id"]])
    assert a.api.markers_get(["home"])["home"]["last_read_id"] == st["id"]


def test_suggestions_and_trends(person):
    a, b, c = person(), person(), person()
    a.api.account_follow(b.id)
    b.api.account_follow(c.id)
    assert c.id in ids(a.api.suggestions())
    a.api.suggestion_delete(c.id)
    assert c.id not in ids(a.api.suggestions())
    tag = unique("trend").replace("_", "")
    st = c.api.status_post(f"#{tag} is trending", visibility="public")
    b.api.status_favourite(st)
    assert tag in [t["name"] for t in a.api.trending_tags(limit=20)]
    assert st["id"] in ids(a.api.trending_statuses())
    assert a.api.trending_links() == []


# ---- streaming over SSE -----------------------------------------------------------------

class Listener(mastodon.StreamListener):
    def __init__(self):
        self.updates, self.notifications = [], []
        self.got_update, self.got_notification = threading.Event(), threading.Event()

    def on_update(self, status):
        self.updates.append(status)
        self.got_update.set()

    def on_notification(self, notification):
        self.notifications.append(notification)
        self.got_notification.set()

    def on_unknown_event(self, name, unknown_event=None):
        pass


def test_stream_user_update_and_notification_within_a_second(person):
    a, b = person(), person()
    a.api.account_follow(b.id)
    mine = a.api.status_post("stream me a favourite", visibility="public")
    listener = Listener()
    handle = a.api.stream_user(listener, run_async=True, reconnect_async=False)
    try:
        time.sleep(0.2)
        t0 = time.monotonic()
        st = b.api.status_post("live!", visibility="public")
        assert listener.got_update.wait(1.0), "no update within a second"
        assert time.monotonic() - t0 < 1.0
        assert listener.updates[0]["id"] == st["id"]

        t0 = time.monotonic()
        b.api.status_favourite(mine)
        assert listener.got_notification.wait(1.0), "no notification within a second"
        assert time.monotonic() - t0 < 1.0
        n = listener.notifications[0]
        assert n["type"] == "favourite" and n["status"]["id"] == mine["id"]
    finally:
        handle.close()


# ---- waiting for the spaces and people branches ------------------------------------------

def test_lists(person):
    a, b = person(), person()
    a.api.account_follow(b.id)
    lst = a.api.list_create("Team")
    a.api.list_accounts_add(lst, [b.id])
    assert b.id in ids(a.api.list_accounts(lst))
    st = b.api.status_post("for the team", visibility="public")
    assert st["id"] in ids(drain(a.api, a.api.timeline_list(lst, limit=5)))
    a.api.list_update(lst, "Team 2")
    assert [x["title"] for x in a.api.lists() if x["id"] == lst["id"]] == ["Team 2"]
    a.api.list_delete(lst)


def test_search(person):
    a, b = person(), person()
    tag = unique("srch").replace("_", "")
    st = b.api.status_post(f"findable #{tag}", visibility="public")
    res = a.api.search_v2(b.name, resolve=True)
    assert b.id in ids(res["accounts"])
    res = a.api.search_v2(tag)
    assert tag in [t["name"] for t in res["hashtags"]]
    assert st["id"] in ids(a.api.search_v2("findable", result_type="statuses")["statuses"])


def test_update_credentials(person):
    a = person()
    me = a.api.account_update_credentials(display_name="New Name", note="About me",
                                          fields=[("Team", "Payments")],
                                          avatar=png_bytes(), avatar_mime_type="image/png")
    assert me["display_name"] == "New Name"
    assert me["fields"][0]["name"] == "Team"
    assert "/static/avatar.png" not in me["avatar"], me["avatar"]  # the uploaded picture
