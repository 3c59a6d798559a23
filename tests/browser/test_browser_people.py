"""People in a real browser, against one fresh server: a user edits their
profile and adds skills, a colleague endorses one on the person page, and
the directory's facet counts change as profiles do."""
import subprocess

from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import PARLEY_BIN

ADA = {"username": "ada", "display_name": "Ada Lovelace", "email": "ada@example.com",
       "password": "analytical engine 1843"}
GRACE = {"username": "grace", "password": "compiler and cobol 59"}
WAIT = 10


def facet_counts(ui, facet):
    return {li.find_element("css selector", "a").text: int(li.find_element("css selector", ".count").text)
            for li in ui.find_all(f"ul.facet[data-facet={facet}] li")}


def test_setup_and_a_colleague(ui, server):
    ui.get("/")
    ui.wait_path("/setup")
    ui.fill({"username": ADA["username"], "display_name": ADA["display_name"], "email": ADA["email"],
             "password": ADA["password"], "password_confirm": ADA["password"]})
    ui.submit("form[action='/setup']", expect_path="/")
    r = subprocess.run([PARLEY_BIN, "--data", server.data, "admin", "create-user", "grace",
                        "--email", "grace@example.com", "--role", "staff", "--display-name", "Grace Hopper"],
                       input=GRACE["password"] + "\n", capture_output=True, text=True, timeout=30)
    assert r.returncode == 0, r.stderr


def test_edit_profile(ui):
    ui.get("/settings/profile")
    ui.fill({"f-headline": "Analyst of engines", "f-department": "Research", "f-location": "London",
             "f-languages": "English, French", "f-interests": "poetry, mathematics", "f-status": "Writing notes"})
    Select(ui.find("#v-phone")).select_by_value("only_me")
    ui.fill({"f-phone": "+44 20 0000 0000"})
    ui.submit("#profile-form", expect_path="/settings/profile")
    assert "saved" in ui.find("main .notice").text
    assert ui.find("#f-headline").get_attribute("value") == "Analyst of engines"
    assert Select(ui.find("#v-phone")).first_selected_option.get_attribute("value") == "only_me"
    ui.get("/@ada")
    main = ui.main_text()
    assert "Analyst of engines" in main and "Research" in main and "London" in main
    assert "+44 20 0000 0000" in main          # the owner sees their only-me phone


def test_add_skills(ui):
    ui.get("/settings/profile")
    ui.fill({"skill": "Rust"})
    Select(ui.find("#level")).select_by_value("expert")
    ui.submit("#skill-form", expect_path="/settings/profile")
    ui.fill({"skill": "Go"})
    ui.submit("#skill-form", expect_path="/settings/profile")
    skills = ui.find("#my-skills").text
    assert "Rust" in skills and "expert" in skills and "Go" in skills


def test_directory_facets_before(ui):
    ui.get("/directory")
    assert facet_counts(ui, "department") == {"Research": 1}
    assert facet_counts(ui, "skill") == {"Go": 1, "Rust": 1}


def test_colleague_endorses_a_skill(ui):
    ui.sign_out()
    ui.sign_in(GRACE["username"], GRACE["password"])
    ui.get("/@ada")
    rust = [li for li in ui.find_all("li.skill") if li.get_attribute("data-skill") == "Rust"][0]
    assert "0 endorsements" in rust.text
    assert "+44 20" not in ui.main_text()       # only me: Grace does not see the phone
    ui.submit("li.skill[data-skill=Rust] form", expect_path="/@ada")
    rust = ui.find("li.skill[data-skill=Rust]")
    assert "1 endorsement" in rust.text and "Grace Hopper" in rust.text
    assert rust.find_element("css selector", "button.endorse").get_attribute("aria-pressed") == "true"
    # and on her own page there is no endorse button for her own skills
    ui.get("/@grace")
    assert not ui.find_all("button.endorse")


def test_directory_facet_counts_change(ui):
    ui.get("/settings/profile")
    ui.fill({"f-department": "Research"})
    ui.submit("#profile-form", expect_path="/settings/profile")
    ui.fill({"skill": "rust"})                  # another spelling of the same skill
    ui.submit("#skill-form", expect_path="/settings/profile")
    ui.get("/directory")
    assert facet_counts(ui, "department") == {"Research": 2}
    assert facet_counts(ui, "skill") == {"Rust": 2, "Go": 1}
    # a facet link filters, and counts follow the filter
    [a for a in ui.find_all("ul.facet[data-facet=skill] a") if a.text == "Go"][0].click()
    WebDriverWait(ui.driver, WAIT).until(lambda d: "skill=Go" in d.current_url)
    ui.wait_ready()
    assert ui.find("#total").text == "1"
    assert facet_counts(ui, "skill") == {"Go": 1, "Rust": 1}


def test_who_knows(ui):
    ui.get("/directory")
    ui.fill({"knows": "rsut"})                  # a typo
    ui.submit("#knows-search")
    names = [a.text for a in ui.find_all("#people li.person a strong")]
    assert names[:2] == ["Ada Lovelace", "Grace Hopper"]
    why = ui.find("#people li.person .why").text
    assert "expert" in why and "1 endorsement" in why
    ui.assert_no_csp_violations()
