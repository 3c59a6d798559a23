"""The web UI end to end, in order, against one fresh server:
first-run setup, sign out and in, a wrong password, an invite that makes a
guest, a phone-width layout check and the skip link."""
import time

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

ADMIN = {"username": "ada", "display_name": "Ada Lovelace", "email": "ada@example.com",
         "password": "analytical engine 1843"}
GUEST = {"username": "grace", "display_name": "Grace Hopper", "email": "grace@example.org",
         "password": "compiler and cobol 59"}


def account_fields(who):
    return {"username": who["username"], "display_name": who["display_name"], "email": who["email"],
            "password": who["password"], "password_confirm": who["password"]}


def assert_home(ui, who):
    h1 = ui.find("main h1").text
    assert "Welcome" in h1 and who["display_name"] in h1, h1
    who_el = ui.find("header.top .who")
    assert who_el.text.strip() == "@" + who["username"]


def test_setup_creates_the_admin(ui):
    ui.get("/")
    ui.wait_path("/setup")
    assert "Set up" in ui.find("main h1").text
    assert ui.nav_links() == ["Sign in"]
    ui.fill(account_fields(ADMIN))
    ui.submit("form[action='/setup']", expect_path="/")
    assert_home(ui, ADMIN)
    assert ui.find("#composer")  # the home timeline with its composer
    assert ui.find("main .notice[role=status]").text.strip()
    assert ui.nav_links() == ["Home", "Spaces", "People", "Questions", "Notifications", "New article", "Settings", "Admin"]


def test_setup_is_gone_once_done(ui):
    ui.get("/setup")
    assert ui.path() != "/setup"


def test_sign_out_then_sign_in(ui):
    ui.sign_out()
    assert "signed out" in ui.find("main .notice").text
    assert ui.nav_links() == ["Sign in"]
    ui.get("/")
    ui.wait_path("/signin")
    ui.sign_in(ADMIN["username"], ADMIN["password"])
    assert_home(ui, ADMIN)
    assert "Admin" in ui.nav_links()


def test_sign_in_by_email(ui):
    ui.sign_out()
    ui.sign_in(ADMIN["email"], ADMIN["password"])
    assert_home(ui, ADMIN)


def test_wrong_password_shows_an_error(ui):
    ui.sign_out()
    ui.fill({"username": ADMIN["username"], "password": "not the password at all"})
    ui.submit("form[action='/signin']", expect_path="/signin")
    alert = ui.find("main [role=alert]")
    assert alert.is_displayed()
    assert alert.text.strip(), "the error message is empty"
    assert ui.find("main h1").text == "Sign in"
    # what was typed comes back, the password never does
    assert ui.find("#username").get_attribute("value") == ADMIN["username"]
    assert ui.find("#password").get_attribute("value") == ""
    assert ui.nav_links() == ["Sign in"]
    # and the right password still works afterwards
    ui.sign_in(ADMIN["username"], ADMIN["password"])
    assert_home(ui, ADMIN)


def test_invite_makes_a_guest(ui, driver):
    # as the admin: allow invite links, then make a one-use guest invite
    ui.get("/admin")
    assert ui.find("#reg-mode").text == "closed"
    ui.find("input[name=mode][value=invite]").click()
    ui.submit("form[action='/admin/registration']", expect_path="/admin")
    assert ui.find("#reg-mode").text == "invite links"
    assert ui.find("input[name=mode][value=invite]").is_selected()

    Select(ui.find("#kind")).select_by_value("guest")
    ui.fill({"max_uses": "1"})
    ui.submit("form[action='/admin/invites']", expect_path="/admin")
    links = [e.get_attribute("value") for e in ui.find_all("#invite-list input.invite-link")]
    assert len(links) == 1, links
    link = links[0]
    assert link.startswith(ui.base + "/invite/"), link
    row = ui.find("#invite-list tbody tr").text
    assert "guest" in row and "0 of 1" in row and "active" in row, row

    # signed out, the link makes a guest account and signs it in
    ui.sign_out()
    driver.get(link)
    ui.wait_ready()
    ui.check_console()
    assert ui.find("main h1").text == "Accept your invitation"
    assert "guest" in ui.main_text()
    ui.fill(account_fields(GUEST))
    ui.submit("form[action^='/invite/']", expect_path="/")
    assert_home(ui, GUEST)
    assert "administrator" not in ui.main_text()
    assert ui.nav_links() == ["Home", "Spaces", "People", "Questions", "Notifications", "New article", "Settings"]

    # the guest sees the role in Settings and is refused the admin page
    ui.get("/settings")
    facts = dict(zip([e.text for e in ui.find_all("dl.facts dt")], [e.text for e in ui.find_all("dl.facts dd")]))
    assert facts.get("Role") == "guest", facts
    assert facts.get("Username") == "@" + GUEST["username"]
    ui.get("/admin")
    assert ui.path() == "/admin"
    assert ui.find("main h1").text == "Not allowed"
    assert "administrators" in ui.find("main [role=alert]").text

    # a used-up invite cannot be used again
    ui.sign_out()
    driver.get(link)
    ui.wait_ready()
    ui.check_console()
    assert ui.find_all("form[action^='/invite/']") == []
    assert ui.find("main [role=alert]").text.strip()

    # and the admin page lists the guest with the guest role
    ui.sign_in(ADMIN["username"], ADMIN["password"])
    ui.get("/admin")
    rows = [r for r in ui.find_all("#account-list tbody tr") if "@" + GUEST["username"] in r.text]
    assert len(rows) == 1
    role = Select(rows[0].find_element(By.CSS_SELECTOR, "select[name=role]"))
    assert role.first_selected_option.get_attribute("value") == "guest"
    invite_row = ui.find("#invite-list tbody tr").text
    assert "1 of 1" in invite_row and "used up" in invite_row, invite_row


def test_invite_notices_are_shown(ui, driver):
    """Making and revoking an invite link both confirm it in a notice."""
    ui.get("/admin")
    Select(ui.find("#kind")).select_by_value("staff")
    ui.fill({"max_uses": "0", "expires_days": "0"})
    ui.submit("form[action='/admin/invites']", expect_path="/admin")
    rows = ui.find_all("#invite-list tbody tr")
    assert len(rows) == 2
    assert any("staff" in r.text and "no limit" in r.text and "never" in r.text for r in rows)
    notices = ui.find_all("main .notice[role=status]")
    assert notices and "invite link is ready" in notices[0].text, \
        "no notice after making an invite link (URL %s)" % driver.current_url
    ui.submit("#invite-list form[action$='/revoke']", expect_path="/admin")
    assert "revoked" in ui.find("#invite-list").text
    notices = ui.find_all("main .notice[role=status]")
    assert notices and "revoked" in notices[0].text, \
        "no notice after revoking an invite link (URL %s)" % driver.current_url


def test_not_found_page_keeps_the_signed_in_nav(ui):
    """A 404 page still shows who is signed in (not a "Sign in" link)."""
    ui.get("/")
    assert ui.find_all("header.top form[action='/signout']")
    ui.get("/no/such/page")
    assert ui.find("main h1").text == "Not found"
    assert ui.find("main [role=alert]").text.strip()
    assert ui.find_all("header.top form[action='/signout']"), \
        "the 404 page shows the signed-out navigation (%s)" % ui.nav_links()


def test_skip_link_shows_on_focus(ui, driver):
    ui.get("/")
    skip = ui.find("a.skip")
    assert skip.rect["y"] + skip.rect["height"] <= 0, "the skip link should be off-screen until focused"
    driver.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    active = driver.switch_to.active_element
    assert active.get_attribute("class") == "skip"
    assert active.rect["y"] >= 0 and active.is_displayed()
    outline = driver.execute_script(
        "return getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "focus must be visible"


@pytest.mark.parametrize("path", ["/signin", "/", "/settings", "/admin"])
def test_phone_width_has_no_horizontal_scroll(ui, driver, path):
    driver.set_window_size(375, 740)
    try:
        if path == "/signin":
            ui.sign_out()
            ui.get("/signin")
            assert ui.path() == "/signin"
        elif ui.find_all("header.top form[action='/signout']") == []:
            ui.sign_in(ADMIN["username"], ADMIN["password"])
        if path != "/signin":
            ui.get(path)
            assert ui.path() == path
        inner = driver.execute_script("return window.innerWidth")
        assert inner <= 400, "the window did not shrink (innerWidth %d)" % inner
        scroll = driver.execute_script("return document.documentElement.scrollWidth")
        assert scroll <= inner + 1, "%s scrolls sideways at %dpx: scrollWidth %d" % (path, inner, scroll)
        # every field and button of the main form fits the width
        for el in ui.find_all("main form input:not([type=hidden]), main form button, main form select"):
            if el.is_displayed() and not el.find_elements(By.XPATH, "ancestor::*[contains(@class,'table-wrap')]"):
                r = el.rect
                assert r["x"] >= 0 and r["x"] + r["width"] <= inner + 1, (path, el.get_attribute("outerHTML")[:120], r)
    finally:
        driver.set_window_size(1280, 900)


def test_console_check_catches_csp_violations(ui, driver):
    """The console check is not vacuous: an inline style attribute is refused
    by the policy and reported (then forgotten, as it was done on purpose)."""
    ui.get("/")
    before = len(ui.csp)
    driver.execute_script("document.querySelector('main').setAttribute('style', 'color: red')")
    deadline = time.monotonic() + 5
    found = []
    while not found and time.monotonic() < deadline:
        found = ui.check_console()
        time.sleep(0.1)
    assert found, "setting a style attribute produced no CSP report in the console"
    assert "style-src" in found[0][1]
    del ui.csp[before:]


def test_no_csp_violations_on_any_page(ui):
    """Every page the tests above loaded kept to the Content-Security-Policy."""
    ui.assert_no_csp_violations()
