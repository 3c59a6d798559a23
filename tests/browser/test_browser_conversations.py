"""Conversations in a real browser, against one fresh server: set up, post
with the composer (htmx inserts the post without a reload), react with an
emoji (the post is swapped in place), open the post page and reply."""
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.support.ui import WebDriverWait

ADMIN = {"username": "ada", "display_name": "Ada Lovelace", "email": "ada@example.com",
         "password": "analytical engine 1843"}
WAIT = 10


def test_setup(ui):
    ui.get("/")
    ui.wait_path("/setup")
    ui.fill({"username": ADMIN["username"], "display_name": ADMIN["display_name"],
             "email": ADMIN["email"], "password": ADMIN["password"],
             "password_confirm": ADMIN["password"]})
    ui.submit("form[action='/setup']", expect_path="/")


def test_compose_inserts_the_post_without_a_reload(ui, driver):
    ui.get("/")
    driver.execute_script("window.__parleyStay = 'still here'")
    ui.find("#composer-text").send_keys("Hello from the **browser** composer")
    ui.find("#composer button[type=submit]").click()
    WebDriverWait(driver, WAIT).until(
        lambda d: "browser composer" in d.find_element("css selector", "#timeline").text,
        "the new post did not appear")
    # the page did not navigate: the marker set on it is still there
    assert driver.execute_script("return window.__parleyStay") == "still here"
    assert ui.path() == "/"
    # the composer is fresh again
    WebDriverWait(driver, WAIT).until(lambda d: ui.find("#composer-text").get_attribute("value") == "")
    first = ui.find("#timeline article.post")
    assert "browser" in first.find_element("css selector", ".content strong").text


def test_composer_error_shows_next_to_the_composer(ui, driver):
    ui.get("/")
    driver.execute_script("window.__parleyStay = 'still here'")
    text = ui.find("#composer-text")
    driver.execute_script("arguments[0].removeAttribute('maxlength')", text)
    driver.execute_script("arguments[0].value = 'y'.repeat(6000)", text)
    ui.find("#composer button[type=submit]").click()
    err = WebDriverWait(driver, WAIT).until(
        lambda d: d.find_elements("css selector", "#composer-error"))
    assert "long" in err[0].text.lower() or err[0].text
    assert driver.execute_script("return window.__parleyStay") == "still here"
    assert len(ui.find("#composer-text").get_attribute("value")) == 6000


def test_react_with_an_emoji(ui, driver):
    ui.get("/")
    driver.execute_script("window.__parleyStay = 'still here'")
    post = ui.find("#timeline article.post")
    post_id = post.get_attribute("id")
    button = post.find_element("css selector", ".reactions button[aria-pressed=false]")
    emoji = button.text.strip()
    button.click()

    def pressed(d):
        el = d.find_element("css selector", "#" + post_id)
        on = el.find_elements("css selector", ".reactions button[aria-pressed=true]")
        return on[0].text if on else None
    # the article is replaced while we look: a stale element just means "look again"
    text = WebDriverWait(driver, WAIT, ignored_exceptions=(StaleElementReferenceException,)).until(pressed)
    assert text.startswith(emoji) and "1" in text
    assert driver.execute_script("return window.__parleyStay") == "still here"


def test_open_the_post_page_and_reply(ui, driver):
    ui.get("/")
    link = ui.find("#timeline article.post .post-head a.when")
    href = link.get_attribute("href")
    ui.get(href[len(ui.base):])
    assert ui.find("article.post.focus")
    ui.find("#composer-text").send_keys("A reply in the thread")
    ui.find("#composer button[type=submit]").click()
    WebDriverWait(driver, WAIT).until(
        lambda d: "A reply in the thread" in d.find_element("css selector", "#replies").text)
    # and it is there after a reload too
    ui.get(href[len(ui.base):])
    assert "A reply in the thread" in ui.find("#replies").text


def test_no_csp_violations(ui):
    ui.assert_no_csp_violations()


def _token(base, username, password):
    import requests
    app = requests.post(base + "/api/v1/apps", data={
        "client_name": "live test", "redirect_uris": "urn:ietf:wg:oauth:2.0:oob",
        "scopes": "read write follow"}).json()
    r = requests.post(base + "/oauth/token", data={
        "grant_type": "password", "client_id": app["client_id"],
        "client_secret": app["client_secret"], "username": username,
        "password": password, "scope": "read write follow"})
    assert r.status_code == 200, r.text
    return {"Authorization": "Bearer " + r.json()["access_token"]}


def test_home_updates_live(ui, driver, server):
    """Someone Ada follows posts through the API: the post appears at the top
    of Ada's open home page without a reload (SSE), and leaves it when deleted."""
    import subprocess
    import requests
    from conftest import PARLEY_BIN
    pw = "live updates are nice"
    subprocess.run([PARLEY_BIN, "--data", server.data, "admin", "create-user", "grace",
                    "--email", "grace@example.com", "--role", "staff"],
                   input=pw + "\n", text=True, check=True, capture_output=True)
    ada = _token(server.base, ADMIN["username"], ADMIN["password"])
    grace = _token(server.base, "grace", pw)
    me = requests.get(server.base + "/api/v1/accounts/lookup?acct=grace", headers=ada).json()
    assert requests.post(server.base + f"/api/v1/accounts/{me['id']}/follow",
                         headers=ada).status_code == 200
    ui.get("/")
    driver.execute_script("window.__parleyStay = 'still here'")
    # the EventSource must be open before the post is made
    WebDriverWait(driver, WAIT).until(lambda d: d.execute_script(
        "var e = document.querySelector('[sse-connect]');"
        "return !!(e && htmx.find && e['htmx-internal-data'] && "
        "e['htmx-internal-data'].sseEventSource && "
        "e['htmx-internal-data'].sseEventSource.readyState === 1)"))
    r = requests.post(server.base + "/api/v1/statuses", headers=grace,
                      data={"status": "Live from Grace", "visibility": "organisation"})
    assert r.status_code == 200, r.text
    sid = r.json()["id"]
    WebDriverWait(driver, WAIT).until(
        lambda d: d.find_elements("css selector", f"#timeline #post-{sid}"),
        "the followed person's post did not arrive live")
    assert driver.execute_script("return window.__parleyStay") == "still here"
    assert "Live from Grace" in ui.find("#timeline article.post").text
    requests.delete(server.base + f"/api/v1/statuses/{sid}", headers=grace)
    WebDriverWait(driver, WAIT).until(
        lambda d: not d.find_elements("css selector", f"#post-{sid}"),
        "the deleted post stayed on the page")
