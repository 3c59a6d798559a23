"""Screenshots for the documentation, taken from a fresh server with a little
content: {setup,home,post,article,admin,space,spaces,metrics,queue,ideas,signin,signin-phone}.png, written to docs/screenshots
when PARLEY_SCREENSHOTS=1 (make screenshots), else to a temporary folder.

Full-page captures; desktop at 1280 CSS pixels wide, phone at 375."""
import os

from selenium.webdriver.support.ui import Select

ADMIN = {"username": "ada", "display_name": "Ada Lovelace", "email": "ada@example.com",
         "password": "analytical engine 1843"}
PEOPLE = [
    {"username": "grace", "display_name": "Grace Hopper", "email": "grace@example.org",
     "password": "compiler and cobol 59"},
    {"username": "alan", "display_name": "Alan Turing", "email": "alan@example.org",
     "password": "universal machine 36"},
]


def fields(who):
    return {"username": who["username"], "display_name": who["display_name"], "email": who["email"],
            "password": who["password"], "password_confirm": who["password"]}


def shot(ui, name):
    path = ui.screenshot(name)
    assert os.path.getsize(path) > 1000
    with open(path, "rb") as f:
        assert f.read(8) == b"\x89PNG\r\n\x1a\n"


def test_setup_screenshot(ui):
    ui.get("/")
    ui.wait_path("/setup")
    shot(ui, "setup.png")
    ui.fill(fields(ADMIN))
    ui.submit("form[action='/setup']", expect_path="/")


POSTS = [
    ("Notes from today's review of the **analytical engine** design: the store holds "
     "1,000 numbers of 40 digits. Questions welcome. #engineering", "organisation"),
    ("We are hiring! Come and build the future of computing with us. #jobs", "public"),
]
ARTICLE = ("Notes on the Analytical Engine",
           "# What it is\n\nA general-purpose machine: the **mill** computes and the **store** "
           "remembers.\n\n> It weaves algebraic patterns just as the Jacquard loom weaves "
           "flowers and leaves.\n\n# Why it matters\n\n- programs on punched cards\n"
           "- loops and conditional branches\n- results printed, or punched for later")


def wait_text(driver, css, text):
    from selenium.webdriver.support.ui import WebDriverWait
    WebDriverWait(driver, 10).until(lambda d: text in d.find_element("css selector", css).text)


def test_home_screenshot(ui, driver):
    ui.get("/")
    assert "Welcome" in ui.find("main h1").text
    for text, audience in POSTS:
        Select(ui.find("#composer-audience")).select_by_value(audience)
        ui.find("#composer-text").send_keys(text)
        ui.find("#composer button[type=submit]").click()
        wait_text(driver, "#timeline", text.split()[-2])
    ui.find("#timeline article.post .reactions button").click()
    ui.get("/")
    shot(ui, "home.png")


def test_post_page_screenshot(ui, driver):
    ui.get("/")
    href = ui.find_all("#timeline article.post .post-head a.when")[-1].get_attribute("href")
    path = href[len(ui.base):]
    ui.get(path)
    ui.find("#composer-text").send_keys("How fast is the mill at multiplication?")
    ui.find("#composer button[type=submit]").click()
    wait_text(driver, "#replies", "multiplication")
    ui.get(path)
    shot(ui, "post.png")


def test_article_screenshot(ui):
    ui.get("/articles/new")
    ui.fill({"editor-title": ARTICLE[0], "editor-text": ARTICLE[1]})
    Select(ui.find("#editor-audience")).select_by_value("public")
    ui.submit("form[action='/articles']")
    assert ui.find("h1.article-title").text == ARTICLE[0]
    shot(ui, "article.png")


def test_admin_screenshot(ui, driver):
    # some content: invite registration, two people who joined by invite, a spare invite
    ui.get("/admin")
    ui.find("input[name=mode][value=invite]").click()
    ui.submit("form[action='/admin/registration']", expect_path="/admin")
    for who in PEOPLE:
        ui.get("/admin")
        Select(ui.find("#kind")).select_by_value("guest")
        ui.fill({"max_uses": "1"})
        ui.submit("form[action='/admin/invites']", expect_path="/admin")
        link = ui.find("#invite-list tbody tr input.invite-link").get_attribute("value")
        ui.sign_out()
        driver.get(link)
        ui.wait_ready()
        ui.check_console()
        ui.fill(fields(who))
        ui.submit("form[action^='/invite/']", expect_path="/")
        ui.sign_out()
        ui.sign_in(ADMIN["username"], ADMIN["password"])
    ui.get("/admin")
    Select(ui.find("#kind")).select_by_value("staff")
    ui.fill({"max_uses": "10", "expires_days": "30"})
    ui.submit("form[action='/admin/invites']", expect_path="/admin")
    ui.get("/admin")
    assert len(ui.find_all("#account-list tbody tr")) == 3
    shot(ui, "admin.png")


def test_spaces_screenshots(ui, driver):
    for name, handle, kind, access, purpose, desc in (
            ("Analytical Engine project", "engine", "internal", "open", "project",
             "Design, drawings and the mill's arithmetic."),
            ("Acme customer support", "acme_support", "external", "closed", "support",
             "Questions from Acme's engineers, answered by ours.")):
        ui.get("/spaces/new")
        ui.fill({"sp-name": name, "sp-handle": handle, "sp-desc": desc})
        Select(ui.find("#sp-kind")).select_by_value(kind)
        Select(ui.find("#sp-access")).select_by_value(access)
        Select(ui.find("#sp-purpose")).select_by_value(purpose)
        ui.submit("form[action='/spaces']", expect_path=f"/s/{handle}")
    for text in ("Welcome! Ask anything about the **store** of the engine here.",
                 "The new punched-card reader arrives on Monday. #hardware"):
        ui.find("#composer-text").send_keys(text)
        ui.find("#composer button[type=submit]").click()
        wait_text(driver, "#timeline", text.split()[-2])
    ui.get("/s/acme_support")
    shot(ui, "space.png")
    ui.get("/spaces")
    shot(ui, "spaces.png")


def seed_questions(server):
    """Two colleagues join the engine space; one asks three questions
    through the API, the other answers two, and one answer is accepted."""
    import requests
    import subprocess
    from conftest import PARLEY_BIN

    tokens = []
    for name in ("charles", "mary"):
        r = subprocess.run([PARLEY_BIN, "--data", server.data, "admin", "create-user", name, "--email",
                            f"{name}@example.org", "--role", "staff"], input="difference engine 1822\n",
                           capture_output=True, text=True, timeout=30)
        assert r.returncode == 0, r.stdout + r.stderr
        app = requests.post(server.base + "/api/v1/apps", data={
            "client_name": "shots", "redirect_uris": "urn:ietf:wg:oauth:2.0:oob", "scopes": "read write"}).json()
        tok = requests.post(server.base + "/oauth/token", data={
            "grant_type": "password", "client_id": app["client_id"], "client_secret": app["client_secret"],
            "username": name, "password": "difference engine 1822", "scope": "read write"}).json()["access_token"]
        s = requests.Session()
        s.headers["Authorization"] = "Bearer " + tok
        assert s.post(server.base + "/api/parley/v1/spaces/engine/join").status_code == 200
        tokens.append(s)
    asker, expert = tokens
    api = server.base + "/api/parley/v1"
    qs = [asker.post(api + "/questions", json={"title": t, "body": "Asking for the drawings.", "space": "engine"}).json()
          for t in ("How many digits does the store hold?", "Which cards drive the mill?",
                    "Can the engine print its results?")]
    answers = []
    for q in qs[:2]:
        a = expert.post(api + f"/questions/{q['id']}/answers", json={"body": "See the notes of the review."})
        assert a.status_code == 200, a.text
        answers.append(a.json())
    r = asker.post(api + f"/questions/{qs[0]['id']}/accept", json={"answer_id": answers[0]["id"]})
    assert r.status_code == 200, r.text


def test_metrics_screenshot(ui, driver, server):
    """The space's question metrics: figures, the SVG charts (questions per
    day, time to first answer) and their tables."""
    seed_questions(server)
    ui.get("/s/engine/metrics")
    assert "Question metrics" in ui.find("main h1").text
    assert len(driver.find_elements("css selector", "figure.chart svg[role=img]")) == 2
    shot(ui, "metrics.png")


def test_queue_screenshot(ui, driver):
    """The listeners' queue: Ada makes herself a listener of the engine
    space on its routing page; the questions seeded for the metrics are in
    her queue; she takes the newest."""
    from selenium.webdriver.support.ui import WebDriverWait
    ui.get("/s/engine/routing")
    ui.fill({"l-user": "ada"})
    ui.submit("form[action='/s/engine/routing/listeners']", expect_path="/s/engine/routing")
    assert "@ada" in ui.main_text()
    assert "Queue" in ui.nav_links()

    def items(d):
        d.get(ui.url("/queue?view=all"))
        return len(d.find_elements("css selector", "li.queue-item")) >= 3
    WebDriverWait(driver, 15, poll_frequency=0.5).until(items)
    ui.get("/queue?view=all")
    ui.submit("li.queue-item form[action$='/assign']", expect_path="/queue")
    ui.get("/queue?view=all")
    assert "assigned to" in ui.main_text()
    shot(ui, "queue.png")


IDEAS = [
    ("Punched cards in colour", "Colour the cards by program, so a dropped deck sorts itself.", "cards"),
    ("A second mill", "Two mills working on one store would double the speed of long sums.", "design"),
]


def test_ideas_screenshot(ui, driver):
    ui.get("/s/engine/settings")
    ui.submit("form[action='/s/engine/ideas/board']", expect_path="/s/engine/settings")
    ui.get("/s/engine/ideas")
    for title, description, category in IDEAS:
        ui.get("/s/engine/ideas")
        ui.fill({"idea-title": title, "idea-desc": description, "idea-category": category})
        ui.submit("form[method='post'][action='/s/engine/ideas']")
        assert ui.path().startswith("/ideas/")
    # vote in place (htmx) on the board
    ui.get("/s/engine/ideas?sort=new")
    ui.find(".idea-vote button[type=submit]").click()
    # htmx replaces the whole widget: read the page, not an element that goes stale
    from selenium.webdriver.support.ui import WebDriverWait
    WebDriverWait(driver, 10).until(lambda d: "Withdraw vote" in d.page_source)
    ui.get("/s/engine/ideas")
    shot(ui, "ideas.png")


def test_signin_screenshots(ui, driver):
    ui.sign_out()
    ui.get("/signin")
    shot(ui, "signin.png")
    driver.set_window_size(375, 740)
    try:
        ui.get("/signin")
        assert driver.execute_script("return window.innerWidth") <= 400
        shot(ui, "signin-phone.png")
    finally:
        driver.set_window_size(1280, 900)


def test_no_csp_violations_on_any_page(ui):
    ui.assert_no_csp_violations()
