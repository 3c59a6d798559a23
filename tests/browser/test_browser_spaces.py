"""Spaces in a real browser (issue 5), against one fresh server, in order:
the admin sets up the instance and allows invite links; a staff member
(through the API) fills the organisation with internal content; the admin
creates an external space in the web UI and invites a guest by email link;
the guest signs up through the link, lands as a member, posts in the
space, and sees nothing internal anywhere; the admin sees the guest's post.

The space pages' markup is not fixed by the contract, so fields are found
by their name attribute inside the form that holds them, and the invite
link by its shape (BASE/invite/<code>) anywhere on the settings page.
"""
import re
import subprocess
import uuid

import requests
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import PARLEY_BIN

WAIT = 10
ADMIN = {"username": "ada", "display_name": "Ada Lovelace", "email": "ada@example.com",
         "password": "analytical engine 1843"}
STAFF = {"username": "linus", "email": "linus@example.com", "password": "kernel hacker 1991"}
GUEST = {"username": "grace", "display_name": "Grace Partner", "email": "grace@partner.example",
         "password": "compiler and cobol 59"}
TOKEN = uuid.uuid4().hex[:8]
SPACE = {"name": "Partner Project " + TOKEN, "handle": "partners_" + TOKEN,
         "description": "Where we work with our partners"}
# internal content the guest must never see: words that appear nowhere else
INTERNAL = {
    "org_post": "orgonly" + TOKEN,
    "space_name": "Inner Circle " + TOKEN,
    "space_handle": "inner_" + TOKEN,
    "space_post": "innerpost" + TOKEN,
    "secret_name": "Hushed Plans " + TOKEN,
    "secret_handle": "hushed_" + TOKEN,
    "secret_post": "hushpost" + TOKEN,
}
TAG = "proj" + TOKEN
GUEST_POST = "Hello from Grace the partner " + TOKEN
STATE = {}


# ---- helpers -------------------------------------------------------------------------------

def api_token(server, username, password):
    app = requests.post(server.base + "/api/v1/apps", data={
        "client_name": "spaces browser test", "redirect_uris": "urn:ietf:wg:oauth:2.0:oob",
        "scopes": "read write follow"}, timeout=WAIT).json()
    r = requests.post(server.base + "/oauth/token", data={
        "grant_type": "password", "client_id": app["client_id"],
        "client_secret": app["client_secret"], "username": username,
        "password": password, "scope": "read write follow"}, timeout=WAIT)
    assert r.status_code == 200, r.text
    return {"Authorization": "Bearer " + r.json()["access_token"]}


def api(server, method, path, headers, **kw):
    r = requests.request(method, server.base + path, headers=headers, timeout=WAIT, **kw)
    assert r.status_code == 200, (method, path, r.status_code, r.text[:500])
    return r.json()


def form_with(ui, field):
    """The form on the page that has a field with that name."""
    xpath = "//main//form[.//*[@name='%s']]" % field
    try:
        return WebDriverWait(ui.driver, WAIT).until(
            lambda d: d.find_elements(By.XPATH, xpath))[0]
    except TimeoutException:
        raise AssertionError("no form with a field %r on %s: %s"
                             % (field, ui.driver.current_url, ui.main_text()[:800]))


def set_field(driver, form, name, value):
    els = form.find_elements(By.CSS_SELECTOR, "[name='%s']" % name)
    assert els, name
    el = els[0]
    kind = (el.get_attribute("type") or "").lower()
    if el.tag_name.lower() == "select":
        Select(el).select_by_value(value)
    elif kind == "radio":
        for e in els:
            if e.get_attribute("value") == value:
                driver.execute_script("arguments[0].click()", e)
                break
        else:
            raise AssertionError("no %s radio button with the value %r" % (name, value))
    else:
        if el.get_attribute("readonly"):
            assert el.get_attribute("value") == value, (name, el.get_attribute("value"))
            return
        el.clear()
        el.send_keys(value)


def click_submit(form):
    form.find_element(By.CSS_SELECTOR, "button[type=submit], input[type=submit]").click()


def page_has(driver, text):
    try:
        return text in driver.find_element(By.TAG_NAME, "body").text
    except StaleElementReferenceException:
        return False


def assert_nothing_internal(ui, where):
    src = ui.driver.page_source
    for key, word in INTERNAL.items():
        assert word not in src, "%s shows %s (%r)" % (where, key, word)


# ---- the story ---------------------------------------------------------------------------

def test_setup(ui):
    ui.get("/")
    ui.wait_path("/setup")
    ui.fill({"username": ADMIN["username"], "display_name": ADMIN["display_name"],
             "email": ADMIN["email"], "password": ADMIN["password"],
             "password_confirm": ADMIN["password"]})
    ui.submit("form[action='/setup']", expect_path="/")


def test_allow_invite_links(ui):
    """Email invitations are guest registration invites: the admin lets the
    instance take invite links (as for any invite)."""
    ui.get("/admin")
    ui.find("input[name=mode][value=invite]").click()
    ui.submit("form[action='/admin/registration']", expect_path="/admin")
    assert ui.find("#reg-mode").text == "invite links"


def test_internal_content_exists(server):
    """A staff member fills the organisation with things a guest must not see."""
    subprocess.run([PARLEY_BIN, "--data", server.data, "admin", "create-user",
                    STAFF["username"], "--email", STAFF["email"], "--role", "staff"],
                   input=STAFF["password"] + "\n", text=True, check=True, capture_output=True)
    h = api_token(server, STAFF["username"], STAFF["password"])
    STATE["staff"] = h
    org = api(server, "POST", "/api/v1/statuses", h,
              data={"status": f"{INTERNAL['org_post']} #{TAG}", "visibility": "organisation"})
    STATE["org_post"] = org["id"]
    inner = api(server, "POST", "/api/parley/v1/spaces", h,
                json={"name": INTERNAL["space_name"], "handle": INTERNAL["space_handle"],
                      "kind": "internal", "access": "open"})
    hushed = api(server, "POST", "/api/parley/v1/spaces", h,
                 json={"name": INTERNAL["secret_name"], "handle": INTERNAL["secret_handle"],
                       "kind": "internal", "access": "secret"})
    STATE["inner"], STATE["hushed"] = inner, hushed
    p = api(server, "POST", f"/api/parley/v1/spaces/{inner['id']}/statuses", h,
            data={"status": f"{INTERNAL['space_post']} #{TAG}"})
    STATE["inner_post"] = p["id"]
    p = api(server, "POST", f"/api/parley/v1/spaces/{hushed['id']}/statuses", h,
            data={"status": f"{INTERNAL['secret_post']} #{TAG}"})
    STATE["secret_post"] = p["id"]


def test_create_an_external_space_in_the_ui(ui, driver):
    ui.get("/spaces")
    try:
        link = ui.find("a[href='/spaces/new']")
    except TimeoutException:
        raise AssertionError("no 'New space' link on /spaces: " + ui.main_text()[:500])
    ui._mark_page()
    link.click()
    ui._wait_new_page()
    ui.wait_path("/spaces/new")
    form = form_with(ui, "handle")
    for name, value in (("name", SPACE["name"]), ("handle", SPACE["handle"]),
                        ("kind", "external"), ("access", "closed"), ("purpose", "project"),
                        ("description", SPACE["description"])):
        set_field(driver, form, name, value)
    ui._mark_page()
    click_submit(form)
    ui._wait_new_page()
    ui.wait_path("/s/" + SPACE["handle"])
    assert SPACE["name"] in ui.main_text()
    # the directory lists it, with its kind
    ui.get("/spaces")
    main = ui.main_text()
    assert SPACE["name"] in main and "external" in main.lower()
    assert INTERNAL["space_name"] in main, "staff see open internal spaces"
    assert INTERNAL["secret_name"] not in main, "a secret space is not listed to non-members"


def test_invite_a_guest_by_email_link(ui, driver):
    ui.get("/s/%s/settings" % SPACE["handle"])
    form = form_with(ui, "email")
    set_field(driver, form, "email", GUEST["email"])
    click_submit(form)
    pattern = re.compile(re.escape(ui.base) + r"/invite/[A-Za-z0-9_\-]+")
    found = WebDriverWait(driver, WAIT).until(
        lambda d: pattern.search(d.page_source), "no invite link on the settings page")
    STATE["link"] = found.group(0)
    # it is listed as a pending invitation of the space
    ui.get("/s/%s/settings" % SPACE["handle"])
    assert GUEST["email"] in ui.driver.page_source


def test_the_guest_signs_up_through_the_link(ui, driver, server):
    ui.sign_out()
    driver.get(STATE["link"])
    ui.wait_ready()
    ui.check_console()
    form = form_with(ui, "password_confirm")
    for name in ("username", "display_name", "email", "password"):
        set_field(driver, form, name, GUEST[name])
    set_field(driver, form, "password_confirm", GUEST["password"])
    ui._mark_page()
    click_submit(form)
    ui._wait_new_page()
    WebDriverWait(driver, WAIT).until(lambda d: not ui.path().startswith("/invite/"),
                                      "still on the invite page: " + ui.main_text()[:500])
    assert ui.path() in ("/", "/s/" + SPACE["handle"]), ui.path()
    assert ui.find("header.top .who").text.strip() == "@" + GUEST["username"]
    # a guest, and a member of the space
    h = api_token(server, GUEST["username"], GUEST["password"])
    STATE["guest"] = h
    me = api(server, "GET", "/api/v1/accounts/verify_credentials", h)
    assert me["parley"]["kind"] == "guest"
    sp = api(server, "GET", "/api/parley/v1/spaces/" + SPACE["handle"], h)
    assert sp["membership"] and sp["membership"]["role"] == "member", sp
    STATE["space"] = sp


def test_the_guest_posts_in_the_space(ui, driver):
    ui.get("/s/" + SPACE["handle"])
    assert SPACE["name"] in ui.main_text()
    try:
        form = WebDriverWait(driver, WAIT).until(
            lambda d: d.find_elements(By.XPATH, "//main//form[.//textarea]"))[0]
    except TimeoutException:
        raise AssertionError("no composer on the space page: " + ui.main_text()[:500])
    box = form.find_element(By.TAG_NAME, "textarea")
    box.send_keys(GUEST_POST)
    click_submit(form)
    # with htmx the post is inserted in place; without, the page reloads
    WebDriverWait(driver, WAIT).until(lambda d: page_has(d, GUEST_POST),
                                      "the guest's post did not appear")
    ui.get("/s/" + SPACE["handle"])
    assert GUEST_POST in ui.main_text()


def test_the_guest_sees_nothing_internal(ui, driver, server):
    staff_h, guest_h = STATE["staff"], STATE["guest"]
    # the staff member names the guest in internal places: still nothing
    api(server, "POST", "/api/v1/statuses", staff_h,
        data={"status": f"{INTERNAL['org_post']} @{GUEST['username']}",
              "visibility": "organisation"})
    api(server, "POST", f"/api/parley/v1/spaces/{STATE['inner']['id']}/statuses", staff_h,
        data={"status": f"{INTERNAL['space_post']} @{GUEST['username']}"})
    # and the admin posts in the external space: that the guest sees at home
    admin_h = api_token(server, ADMIN["username"], ADMIN["password"])
    news = "News for partners " + uuid.uuid4().hex[:8]
    api(server, "POST", f"/api/parley/v1/spaces/{STATE['space']['id']}/statuses", admin_h,
        data={"status": news})

    def home_has_news(d):
        ui.get("/")
        return news in ui.main_text()
    WebDriverWait(driver, WAIT).until(home_has_news, "the guest's home lacks the space's post")
    assert_nothing_internal(ui, "the guest's home")
    for path in ("/spaces", "/notifications", "/tags/" + TAG, "/@" + STAFF["username"],
                 "/s/" + SPACE["handle"], "/s/%s/members" % SPACE["handle"]):
        ui.get(path)
        assert_nothing_internal(ui, path)
    # guessing the internal addresses leads nowhere
    for path in ("/s/" + INTERNAL["space_handle"], "/s/" + INTERNAL["secret_handle"],
                 "/@%s/%s" % (STAFF["username"], STATE["org_post"]),
                 "/@%s/%s" % (STAFF["username"], STATE["inner_post"]),
                 "/@%s/%s" % (STAFF["username"], STATE["secret_post"])):
        ui.get(path)
        assert ui.find("main h1").text == "Not found", (path, ui.main_text()[:300])
        assert_nothing_internal(ui, path)
    # nor through the API with the guest's own token
    for sid in (STATE["org_post"], STATE["inner_post"], STATE["secret_post"]):
        r = requests.get(server.base + "/api/v1/statuses/" + sid, headers=guest_h, timeout=WAIT)
        assert r.status_code == 404, (sid, r.status_code)
    r = requests.get(server.base + "/api/parley/v1/spaces", headers=guest_h,
                     params={"limit": 40}, timeout=WAIT)
    assert r.status_code == 200
    assert [s["handle"] for s in r.json()] == [SPACE["handle"]], r.json()


def test_the_admin_sees_the_guests_post(ui):
    ui.sign_out()
    ui.sign_in(ADMIN["username"], ADMIN["password"])
    ui.get("/s/" + SPACE["handle"])
    assert GUEST_POST in ui.main_text()
    ui.get("/s/%s/members" % SPACE["handle"])
    assert "@" + GUEST["username"] in ui.main_text()


def test_no_csp_violations(ui):
    ui.assert_no_csp_violations()
