"""The support loop in a real browser (issue 7), against one fresh server,
in order: a guest asks in an external support space in the web UI; the
expert Parley routes it to finds it among their notifications, opens it and
answers; the guest accepts the answer; the space's listener opens the
metrics page and sees the question answered, with its time to first answer.

The people and the space are made through the API (the spaces browser test
covers doing that in the UI); everything the issue's story does is done in
the browser.
"""
import subprocess
import uuid

import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import PARLEY_BIN

WAIT = 10
TOKEN = uuid.uuid4().hex[:8]
ADMIN = {"username": "root", "display_name": "Root", "email": "root@example.com",
         "password": "admin password 2026"}
LISTENER = {"username": "lena", "email": "lena@example.com", "password": "listens all day 1"}
EXPERT = {"username": "erik", "email": "erik@example.com", "password": "knows billing 22"}
GUEST = {"username": "gwen", "email": "gwen@customer.example", "password": "customer side 333"}
SKILL = "Invoicing" + TOKEN
SPACE = {"name": "Customer Support " + TOKEN, "handle": "support_" + TOKEN}
QUESTION = {"title": "Why was I charged twice " + TOKEN,
            "body": "My March invoice lists the same line twice."}
ANSWER = "A duplicate line from the import; a credit note is on its way " + TOKEN
STATE = {}


def cli_user(server, who, role):
    subprocess.run([PARLEY_BIN, "--data", server.data, "admin", "create-user", who["username"],
                    "--email", who["email"], "--role", role],
                   input=who["password"] + "\n", text=True, check=True, capture_output=True)


def api_token(server, who):
    app = requests.post(server.base + "/api/v1/apps", data={
        "client_name": "questions browser test", "redirect_uris": "urn:ietf:wg:oauth:2.0:oob",
        "scopes": "read write follow"}, timeout=WAIT).json()
    r = requests.post(server.base + "/oauth/token", data={
        "grant_type": "password", "client_id": app["client_id"],
        "client_secret": app["client_secret"], "username": who["username"],
        "password": who["password"], "scope": "read write follow"}, timeout=WAIT)
    assert r.status_code == 200, r.text
    return {"Authorization": "Bearer " + r.json()["access_token"]}


def api(server, method, path, headers, **kw):
    r = requests.request(method, server.base + path, headers=headers, timeout=WAIT, **kw)
    assert r.status_code == 200, (method, path, r.status_code, r.text[:500])
    return r.json()


def page_has(driver, text):
    return text in driver.find_element(By.TAG_NAME, "body").text


def test_setup(ui):
    ui.get("/")
    ui.wait_path("/setup")
    ui.fill({"username": ADMIN["username"], "display_name": ADMIN["display_name"],
             "email": ADMIN["email"], "password": ADMIN["password"],
             "password_confirm": ADMIN["password"]})
    ui.submit("form[action='/setup']", expect_path="/")
    ui.sign_out()


def test_people_and_the_support_space(server):
    cli_user(server, LISTENER, "staff")
    cli_user(server, EXPERT, "staff")
    cli_user(server, GUEST, "guest")
    lh, eh, gh = (api_token(server, w) for w in (LISTENER, EXPERT, GUEST))
    api(server, "POST", "/api/parley/v1/profile/skills", eh, json={"skill": SKILL, "level": "expert"})
    sp = api(server, "POST", "/api/parley/v1/spaces", lh,
             json={"name": SPACE["name"], "handle": SPACE["handle"], "kind": "external",
                   "access": "closed", "purpose": "support"})
    for who, h in ((EXPERT, eh), (GUEST, gh)):
        inv = api(server, "POST", f"/api/parley/v1/spaces/{sp['id']}/invitations", lh,
                  data={"username": who["username"]})
        api(server, "POST", f"/api/parley/v1/invitations/{inv[0]['id']}/accept", h)
    me = api(server, "GET", "/api/v1/accounts/verify_credentials", lh)
    api(server, "POST", f"/api/parley/v1/spaces/{sp['id']}/listeners", lh,
        json={"account_id": me["id"]})
    api(server, "PUT", f"/api/parley/v1/spaces/{sp['id']}/routing", lh,
        json={"mode": "suggest", "top_n": 1, "target_seconds": 14400, "working_hours": False})
    STATE.update(space=sp, expert_headers=eh)


def test_guest_asks_in_the_support_space(ui, driver):
    ui.sign_in(GUEST["username"], GUEST["password"])
    ui.get("/questions/new")
    ui.fill({"q-title": QUESTION["title"], "q-body": QUESTION["body"], "q-tags": SKILL})
    Select(ui.find("#q-space")).select_by_value(SPACE["handle"])
    # the form's first button is "Check for similar"; "Ask" is the last one
    buttons = ui.find("form[action='/questions/new']").find_elements(By.CSS_SELECTOR,
                                                                     "button[type=submit]")
    ui._mark_page()
    buttons[-1].click()
    ui._wait_new_page()
    WebDriverWait(driver, WAIT).until(lambda d: ui.path().startswith("/questions/")
                                      and ui.path() != "/questions/new")
    STATE["qid"] = ui.path().rsplit("/", 1)[1]
    assert QUESTION["title"] in ui.main_text()
    assert SPACE["name"] in ui.main_text()
    ui.sign_out()


def test_the_expert_is_notified_and_answers(ui, driver, server):
    qid = STATE["qid"]
    # routing runs in a durable job right after the question is committed
    def routed():
        notes = api(server, "GET", "/api/v1/notifications", STATE["expert_headers"])
        return any(n["type"] == "parley.question_suggested" and n["status"]["id"] == qid
                   for n in notes)
    WebDriverWait(driver, WAIT).until(lambda d: routed(), "the expert was not notified")
    ui.sign_in(EXPERT["username"], EXPERT["password"])
    ui.get("/notifications")
    link = ui.find("main a[href='/questions/%s']" % qid)
    assert QUESTION["title"] in ui.main_text() or link
    ui._mark_page()
    link.click()
    ui._wait_new_page()
    ui.wait_path("/questions/" + qid)
    ui.fill({"answer-body": ANSWER})
    ui.submit("form[action='/questions/%s/answers']" % qid)
    WebDriverWait(driver, WAIT).until(lambda d: page_has(d, ANSWER))
    ui.sign_out()


def test_the_guest_accepts_the_answer(ui, driver):
    qid = STATE["qid"]
    ui.sign_in(GUEST["username"], GUEST["password"])
    ui.get("/questions/" + qid)
    assert ANSWER in ui.main_text()
    ui.submit("form[action='/questions/%s/accept']" % qid)
    WebDriverWait(driver, WAIT).until(lambda d: "resolved" in ui.main_text().lower())
    ui.sign_out()


def test_the_listener_sees_the_time_to_answer(ui):
    ui.sign_in(LISTENER["username"], LISTENER["password"])
    ui.get("/s/%s/metrics" % SPACE["handle"])
    assert ui.find("#m-asked").text.strip() == "1"
    assert ui.find("#m-answered").text.strip() == "1"
    assert ui.find("#m-resolved").text.strip() == "1"
    ttfa = ui.find("#m-ttfa").text.strip()
    assert ttfa and any(ch.isdigit() for ch in ttfa), ttfa
    assert ui.find_all("figure.chart svg"), "the charts are drawn"
    assert EXPERT["username"] in ui.main_text().lower(), "the expert is listed as a responder"
