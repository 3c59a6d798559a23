"""The web pages of routing and the listeners' queue (issue 7): /queue and
/queue/:id with their action forms, the routing pages of a space and of the
organisation, the Routing section of the question page, and Queue in the
nav for listeners only. Through the real binary with browser sessions (as
test_web_questions.py); every change made with a form is checked through
the API too."""
import re

from conftest import csrf_from, unique
from people_util import admin, add_skill
from social import Actor
import spacekit
from routingkit import (P, rserver, wait_for, skill_name, ask, set_policy, add_listener, queue,
                        item_of, routed)


class Web:
    """A browser session for an Actor (same account)."""

    def __init__(self, actor):
        self.actor = actor
        self.srv = actor.server
        self.s = self.srv.signed_in_session(actor.name)

    def get(self, path, **kw):
        return self.srv.get(path, session=self.s, **kw)

    def post(self, path, data=None, csrf_from_path="/", **kw):
        data = dict(data or {})
        data.setdefault("csrf", self.srv.page_csrf(self.s, csrf_from_path))
        return self.srv.post(path, session=self.s, data=data, allow_redirects=False, **kw)


def nav(html):
    m = re.search(r'<nav aria-label="Main">(.*?)</nav>', html, re.S)
    assert m, html[:500]
    return re.findall(r'<li><a href="[^"]*">([^<]*)', m.group(1))


def setup_space(server, mode="manual"):
    owner, asker, listener, other = (Actor(server, public=False) for _ in range(4))
    sp = spacekit.create(owner, kind="internal", access="closed")
    for m in (asker, listener, other):
        spacekit.enrol(owner, sp, m)
    set_policy(owner, sp, mode=mode, working_hours=False)
    add_listener(owner, listener, sp)
    return owner, asker, listener, other, sp


def api_item(actor, iid):
    return actor.ok("GET", f"{P}/queue/{iid}")


# ---- the queue ------------------------------------------------------------------

def test_queue_lists_items_for_listeners_and_403_for_others(rserver):
    owner, asker, listener, other, sp = setup_space(rserver)
    title = f"Where is the {unique('w')} <script>alert(1)</script> runbook?"
    q = ask(asker, sp, title=title)
    it = routed(listener, q["id"])
    lw = Web(listener)
    page = lw.get("/queue")
    assert page.status_code == 200, page.text[:500]
    assert f'id="item-{it["id"]}"' in page.text
    assert f'href="/questions/{q["id"]}"' in page.text
    assert "<script>alert(1)</script>" not in page.text and "&lt;script&gt;alert(1)" in page.text
    assert sp["name"] in page.text and "unassigned" in page.text
    # every view is a tab; the space filter keeps to the space
    for v in ("unassigned", "assigned", "mine", "overdue", "awaiting", "mentions", "closed", "all"):
        assert f'href="/queue?view={v}"' in page.text, v
        assert lw.get(f"/queue?view={v}").status_code == 200
    assert f'id="item-{it["id"]}"' in lw.get(f"/queue?view=unassigned&space={sp['handle']}").text
    assert f'id="item-{it["id"]}"' not in lw.get("/queue?view=assigned").text
    assert lw.get("/queue?view=everything").status_code == 404
    assert lw.get("/queue?space=no-such-space-x").status_code == 404
    item = lw.get(f"/queue/{it['id']}")
    assert item.status_code == 200 and "History" in item.text and "created" in item.text
    # non-listeners: 403 for the queue, and no item page
    for who in (asker, other, owner):
        w = Web(who)
        assert w.get("/queue").status_code == 403
        assert w.get(f"/queue/{it['id']}").status_code == 403
        r = w.post(f"/queue/{it['id']}/assign", {"me": "1"})
        assert r.status_code == 403
    assert api_item(listener, it["id"])["assignee"] is None
    # anonymous: to the sign-in page
    r = rserver.get("/queue", allow_redirects=False)
    assert r.status_code in (302, 303) and "/signin" in r.headers["Location"]


def test_assign_snooze_close_reopen_through_the_forms_and_history(rserver):
    owner, asker, listener, other, sp = setup_space(rserver)
    q = ask(asker, sp)
    iid = routed(listener, q["id"])["id"]
    lw = Web(listener)

    # assign to me (back to the list page given as next)
    r = lw.post(f"/queue/{iid}/assign", {"me": "1", "next": "/queue?view=mine"}, csrf_from_path="/queue")
    assert r.status_code == 303 and r.headers["Location"] == "/queue?view=mine"
    assert api_item(listener, iid)["assignee"]["id"] == listener.id
    assert f'id="item-{iid}"' in lw.get("/queue?view=mine").text
    # assign to someone else by username; an unknown name changes nothing
    r = lw.post(f"/queue/{iid}/assign", {"username": "@" + other.name})
    assert r.status_code == 303 and r.headers["Location"] == f"/queue/{iid}"
    assert api_item(listener, iid)["assignee"]["id"] == other.id
    r = lw.post(f"/queue/{iid}/assign", {"username": "nobody_" + unique("x")})
    assert r.status_code == 303
    page = lw.get(r.headers["Location"]).text
    assert "There is no such person" in page
    assert api_item(listener, iid)["assignee"]["id"] == other.id
    # unassign
    assert lw.post(f"/queue/{iid}/unassign", {}).status_code == 303
    assert api_item(listener, iid)["assignee"] is None
    # snooze for an hour
    assert lw.post(f"/queue/{iid}/snooze", {"minutes": "60"}).status_code == 303
    got = api_item(listener, iid)
    assert got["snoozed_until"] is not None
    assert "snoozed until" in lw.get(f"/queue/{iid}").text
    assert lw.post(f"/queue/{iid}/snooze", {"minutes": "soon"}).status_code == 303
    # close with a reason (escaped), then reopen
    reason = "handled by phone <script>alert(2)</script>"
    assert lw.post(f"/queue/{iid}/close", {"reason": reason}).status_code == 303
    got = api_item(listener, iid)
    assert got["state"] == "closed" and got["close_reason"] == reason
    page = lw.get(f"/queue/{iid}").text
    assert "<script>alert(2)</script>" not in page and "&lt;script&gt;alert(2)" in page
    assert f'action="/queue/{iid}/reopen"' in page and f'action="/queue/{iid}/close"' not in page
    assert f'id="item-{iid}"' in lw.get("/queue?view=closed").text
    assert lw.post(f"/queue/{iid}/reopen", {}).status_code == 303
    assert api_item(listener, iid)["state"] == "open"
    # the history: who did what, in order
    page = lw.get(f"/queue/{iid}").text
    hist = page[page.index('id="hist-h"'):]
    order = [a for a in re.findall(r'<strong class="action">([a-z]+)</strong>', hist)]
    assert order[0] == "created", order
    for a in ("assigned", "reassigned", "unassigned", "snoozed", "closed", "reopened"):
        assert a in order, (a, order)
    assert order.index("assigned") < order.index("unassigned") < order.index("closed") < order.index("reopened")
    assert f'href="/@{listener.name}"' in hist


def test_older_link_pages_the_queue(rserver):
    owner, asker, listener, other, sp = setup_space(rserver)
    qs = [ask(asker, sp) for _ in range(21)]
    wait_for(lambda: len(queue(listener, view="all", space=sp["handle"], limit=40)) >= 21, what="21 routed")
    lw = Web(listener)
    page = lw.get(f"/queue?view=all&space={sp['handle']}").text
    m = re.search(r'<a class="more" href="([^"]+)">Older</a>', page)
    assert m, "no Older link"
    older = lw.get(m.group(1).replace("&amp;", "&")).text
    first = set(re.findall(r'id="item-(\d+)"', page))
    second = set(re.findall(r'id="item-(\d+)"', older))
    assert len(first) == 20 and second and not (first & second)


def test_nav_shows_queue_to_listeners_only(rserver):
    owner, asker, listener, other, sp = setup_space(rserver)
    links = nav(Web(listener).get("/").text)
    assert links[:5] == ["Home", "Spaces", "People", "Questions", "Queue"], links
    assert links[5].startswith("Notifications")
    for who in (asker, owner):
        assert "Queue" not in nav(Web(who).get("/").text)
    # an organisation listener sees it too; removed, it goes away
    staff = Actor(rserver, public=False)
    boss = admin(rserver)
    add_listener(boss, staff)
    sw = Web(staff)
    assert "Queue" in nav(sw.get("/").text)
    boss.ok("DELETE", f"{P}/listeners/{staff.id}")
    assert "Queue" not in nav(sw.get("/").text)


def test_keyword_item_escaped_and_links_to_the_post(rserver):
    owner, asker, listener, other, sp = setup_space(rserver)
    word = unique("kw").replace("_", "")
    kw = f"{word} <script>x</script>"
    r = owner.put(f"{P}/spaces/{sp['id']}/watches", json={"keywords": [kw]})
    assert r.status_code == 200, r.text[:300]
    keyword = r.json()["keywords"][0]
    st = spacekit.space_post(asker, sp, f"About {kw} today")
    it = wait_for(lambda: [i for i in queue(listener, view="mentions", limit=40)
                           if i["status"] and i["status"]["id"] == st["id"]], what="keyword item")[0]
    assert it["kind"] == "keyword" and it["matched"] == keyword
    page = Web(listener).get("/queue?view=mentions").text
    assert f'id="item-{it["id"]}"' in page
    assert "<script>x</script>" not in page and "&lt;script&gt;x" in page
    assert f'href="/@{asker.name}/{st["id"]}"' in page


# ---- routing pages ------------------------------------------------------------------

def test_space_routing_page_saves_the_policy_and_refuses_members(rserver):
    owner, asker, listener, other, sp = setup_space(rserver)
    ow = Web(owner)
    path = f"/s/{sp['handle']}/routing"
    page = ow.get(path)
    assert page.status_code == 200 and f'action="{path}"' in page.text
    assert f'href="{path}"' in ow.get(f"/s/{sp['handle']}/settings").text
    r = ow.post(path, {"mode": "assign", "top_n": "4", "target_hours": "2", "target_minutes": "30",
                       "working_hours": "1", "max_open": "9"}, csrf_from_path=path)
    assert r.status_code == 303 and r.headers["Location"] == path
    assert owner.ok("GET", f"{P}/spaces/{sp['id']}/routing") == {
        "mode": "assign", "top_n": 4, "target_seconds": 9000, "working_hours": True, "max_open": 9}
    page = ow.get(path).text
    assert '<option value="assign" selected>' in page and 'value="30"' in page
    # unchecking working hours; an out-of-range value shows the model's message and changes nothing
    ow.post(path, {"mode": "assign", "top_n": "4", "target_hours": "2", "target_minutes": "30",
                   "max_open": "9"}, csrf_from_path=path)
    assert owner.ok("GET", f"{P}/spaces/{sp['id']}/routing")["working_hours"] is False
    r = ow.post(path, {"mode": "assign", "top_n": "11", "target_hours": "2", "target_minutes": "0",
                       "max_open": "9"}, csrf_from_path=path)
    assert r.status_code == 422 and 'role="alert"' in r.text
    r = ow.post(path, {"mode": "assign", "top_n": "many", "max_open": "9"}, csrf_from_path=path)
    assert r.status_code == 422
    assert owner.ok("GET", f"{P}/spaces/{sp['id']}/routing")["top_n"] == 4
    # a listener reads it without forms; members and outsiders get 403
    lp = Web(listener).get(path)
    assert lp.status_code == 200 and f'action="{path}"' not in lp.text and 'id="r-mode">assign' in lp.text
    mw = Web(other)
    assert mw.get(path).status_code == 403
    csrf = csrf_from(Web(other).get("/").text)
    r = rserver.post(path, session=mw.s, data={"csrf": csrf, "mode": "manual"}, allow_redirects=False)
    assert r.status_code == 403
    assert owner.ok("GET", f"{P}/spaces/{sp['id']}/routing")["mode"] == "assign"


def test_space_listeners_add_and_remove(rserver):
    owner, asker, listener, other, sp = setup_space(rserver)
    ow = Web(owner)
    path = f"/s/{sp['handle']}/routing"
    lpath = f"{P}/spaces/{sp['id']}/listeners"
    r = ow.post(f"{path}/listeners", {"username": other.name}, csrf_from_path=path)
    assert r.status_code == 303
    assert {a["id"] for a in owner.ok("GET", lpath)} == {listener.id, other.id}
    assert f"@{other.name}" in ow.get(path).text
    # not a member: the model's message
    outsider = Actor(rserver, public=False)
    r = ow.post(f"{path}/listeners", {"username": outsider.name}, csrf_from_path=path)
    assert r.status_code == 422 and 'role="alert"' in r.text and "member" in r.text
    r = ow.post(f"{path}/listeners", {"username": "<script>nobody</script>"}, csrf_from_path=path)
    assert r.status_code == 422 and "<script>nobody" not in r.text and "&lt;script&gt;nobody" in r.text
    # remove
    r = ow.post(f"{path}/listeners/remove", {"account_id": other.id}, csrf_from_path=path)
    assert r.status_code == 303
    assert [a["id"] for a in owner.ok("GET", lpath)] == [listener.id]
    # a listener sees the list but no forms, and may not add
    lw = Web(listener)
    lp = lw.get(path).text
    assert f"@{listener.name}" in lp and f'action="{path}/listeners"' not in lp
    r = lw.post(f"{path}/listeners", {"username": other.name}, csrf_from_path=path)
    assert r.status_code == 403
    assert [a["id"] for a in owner.ok("GET", lpath)] == [listener.id]


def test_org_routing_page(rserver):
    boss = admin(rserver)
    bw = Web(boss)
    page = bw.get("/admin/routing")
    assert page.status_code == 200 and 'action="/admin/routing"' in page.text
    assert 'href="/admin/routing"' in bw.get("/admin").text
    before = boss.ok("GET", f"{P}/routing")
    r = bw.post("/admin/routing", {"mode": "manual", "top_n": str(before["top_n"]), "target_hours": "1",
                                   "target_minutes": "0", "max_open": "5"}, csrf_from_path="/admin/routing")
    assert r.status_code == 303
    got = boss.ok("GET", f"{P}/routing")
    assert got["mode"] == "manual" and got["target_seconds"] == 3600
    staff = Actor(rserver, public=False)
    sw = Web(staff)
    assert sw.get("/admin/routing").status_code == 403
    r = bw.post("/admin/routing/listeners", {"username": staff.name}, csrf_from_path="/admin/routing")
    assert r.status_code == 303
    sp = sw.get("/admin/routing")
    assert sp.status_code == 200 and 'action="/admin/routing"' not in sp.text and f"@{staff.name}" in sp.text
    guest = Actor(rserver, "guest", public=False)
    r = bw.post("/admin/routing/listeners", {"username": guest.name}, csrf_from_path="/admin/routing")
    assert r.status_code == 422
    r = bw.post("/admin/routing/listeners/remove", {"account_id": staff.id}, csrf_from_path="/admin/routing")
    assert r.status_code == 303
    assert staff.id not in [a["id"] for a in boss.ok("GET", f"{P}/listeners")]
    assert sw.get("/admin/routing").status_code == 403
    boss.ok("PUT", f"{P}/routing", json=before)


# ---- the question page ------------------------------------------------------------------

def test_question_page_shows_routing_to_listeners_only(rserver):
    sk = skill_name()
    owner, asker, listener = (Actor(rserver, public=False) for _ in range(3))
    best = Actor(rserver, public=False)
    add_skill(best, sk, "expert")
    guest = Actor(rserver, "guest", public=False)
    sp = spacekit.create(owner, kind="external", access="closed")
    for m in (asker, listener, best, guest):
        spacekit.enrol(owner, sp, m)
    set_policy(owner, sp, mode="suggest", top_n=1, working_hours=False, target_seconds=3600)
    add_listener(owner, listener, sp)
    q = ask(asker, sp, tags=[sk])
    it = routed(listener, q["id"])
    wait_for(lambda: listener.ok("GET", f"{P}/questions/{q['id']}")["routing"]["candidates"], what="candidates")
    page = Web(listener).get(f"/questions/{q['id']}").text
    assert 'id="routing-h"' in page
    sec = page[page.index('id="routing-h"'):]
    assert f'href="/@{best.name}"' in sec and "declared skill" in sec
    assert re.search(r"<td>1</td><th scope=\"row\"><a href=\"/@" + re.escape(best.name), sec)
    assert "<td>yes</td>" in sec and "escalation level 0" in sec and "due <time" in sec
    assert f'href="/queue/{it["id"]}"' in sec and "Nobody assigned" in sec
    # assigned through the queue: the section names the assignee
    listener.ok("POST", f"{P}/queue/{it['id']}/assign", json={"account_id": best.id})
    sec = Web(listener).get(f"/questions/{q['id']}").text
    assert "Assigned to" in sec[sec.index('id="routing-h"'):]
    # the asker, a guest member and the expert see the question without its routing
    for who in (asker, guest, best):
        p = Web(who).get(f"/questions/{q['id']}")
        assert p.status_code == 200 and 'id="routing-h"' not in p.text, who
