"""Browser tests: the real parley binary driven by headless Chromium.

Each test module gets a fresh server (its own free port on 127.0.0.1 and its
own temporary data directory) and one browser; the tests of a module run in
order and build on each other (setup, then sign-in, ...).

    make BUILD=build/browser
    PARLEY_BIN=$PWD/build/browser/parley /usr/bin/python3 -m pytest -q -p no:cacheprovider tests/browser

Needs Debian's python3-selenium, chromium and chromium-driver.
"""
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

try:
    from selenium import webdriver
    from selenium.common.exceptions import TimeoutException, WebDriverException
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait
except ImportError:  # pragma: no cover - reported as a skip below
    webdriver = None

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PARLEY_BIN = os.environ.get("PARLEY_BIN") or os.path.join(REPO, "build", "parley")
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
# Screenshots go to docs/screenshots only when asked (PARLEY_SCREENSHOTS=1,
# see `make screenshots`); otherwise to a temporary folder, so a test run
# never changes tracked files.
SCREENSHOTS = (os.path.join(REPO, "docs", "screenshots") if os.environ.get("PARLEY_SCREENSHOTS") == "1"
               else os.path.join(tempfile.gettempdir(), "parley-screenshots-%d" % os.getpid()))

WAIT = 10           # seconds for an element or a navigation
START_WAIT = 15     # seconds for the server to answer /healthz


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """One parley process on a free port with a throw-away data directory."""

    def __init__(self):
        if not os.access(PARLEY_BIN, os.X_OK):
            pytest.fail("no parley binary at %s: build it (make BUILD=build/browser) "
                        "or set PARLEY_BIN" % PARLEY_BIN, pytrace=False)
        self.tmp = tempfile.mkdtemp(prefix="parley-browser-")
        self.data = os.path.join(self.tmp, "data")
        os.mkdir(self.data)
        self.log_path = os.path.join(self.tmp, "server.log")
        self.proc = None
        for _ in range(3):  # the port may be taken between probing and binding
            self.port = free_port()
            self.base = "http://127.0.0.1:%d" % self.port
            if self._start():
                return
        self.stop()
        pytest.fail("parley did not start:\n" + self.log(), pytrace=False)

    def _start(self):
        env = dict(os.environ)
        for k in list(env):
            if k.startswith("PARLEY_") and k != "PARLEY_BIN":
                del env[k]  # no stray configuration from the caller
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(
                [PARLEY_BIN, "serve", "--listen", "127.0.0.1:%d" % self.port, "--data", self.data],
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=self.tmp)
        deadline = time.monotonic() + START_WAIT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return False
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=2) as r:
                    if r.status == 200:
                        return True
            except (urllib.error.URLError, ConnectionError, OSError):
                pass
            time.sleep(0.1)
        self._kill()
        return False

    def log(self):
        try:
            with open(self.log_path, encoding="utf-8", errors="replace") as f:
                return f.read()[-4000:]
        except OSError:
            return "(no log)"

    def _kill(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)

    def stop(self):
        self._kill()
        shutil.rmtree(self.tmp, ignore_errors=True)


class CspViolation(AssertionError):
    pass


class UI:
    """The browser plus the helpers the tests share."""

    def __init__(self, driver, base):
        self.driver = driver
        self.base = base
        self.console = []  # every browser log entry seen, for failure messages
        self.csp = []      # (page URL, message) of every CSP violation seen

    # -- navigation ---------------------------------------------------------

    def url(self, path):
        return self.base + path

    def path(self):
        return urllib.parse.urlsplit(self.driver.current_url).path

    def get(self, path):
        self.driver.get(self.url(path))
        self.wait_ready()
        self.check_console()

    def wait_ready(self):
        WebDriverWait(self.driver, WAIT).until(
            lambda d: d.execute_script("return document.readyState") == "complete")

    def _mark_page(self):
        self.driver.execute_script("window.__parleyOldPage = true")

    def _wait_new_page(self):
        """Wait until the marked page has been replaced by a fully loaded one."""
        def loaded(d):
            try:
                return d.execute_script(
                    "return !window.__parleyOldPage && document.readyState === 'complete'")
            except WebDriverException:  # mid-navigation
                return False
        WebDriverWait(self.driver, WAIT).until(loaded)

    def wait_path(self, path):
        try:
            WebDriverWait(self.driver, WAIT).until(lambda d: self.path() == path)
        except TimeoutException:
            raise AssertionError("expected to reach %s, still at %s; page says: %s"
                                 % (path, self.driver.current_url, self.main_text()[:500]))
        self.wait_ready()
        self.check_console()

    def submit(self, form_css, expect_path=None):
        """Click the submit button of the form, wait for the next page to load."""
        form = self.find(form_css)
        self._mark_page()
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        self._wait_new_page()
        if expect_path:
            self.wait_path(expect_path)
        else:
            self.check_console()

    # -- elements -----------------------------------------------------------

    def find(self, css):
        return WebDriverWait(self.driver, WAIT).until(
            EC.presence_of_element_located((By.CSS_SELECTOR, css)))

    def find_all(self, css):
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def fill(self, values):
        for field_id, value in values.items():
            el = self.find("#" + field_id)
            el.clear()
            el.send_keys(value)

    def main_text(self):
        try:
            return self.driver.find_element(By.TAG_NAME, "main").text
        except Exception:
            return self.driver.page_source[:1000]

    def nav_links(self):
        return [a.text.strip() for a in self.find_all("header.top nav ul a")]

    def sign_out(self):
        self.submit("header.top form[action='/signout']", expect_path="/signin")

    def sign_in(self, login, password, expect_path="/"):
        if self.path() != "/signin":
            self.get("/signin")
        self.fill({"username": login, "password": password})
        self.submit("form[action='/signin']", expect_path=expect_path)

    # -- console ------------------------------------------------------------

    def check_console(self):
        """Read the browser console; remember Content-Security-Policy violations
        (SEVERE entries naming the policy) with the page they happened on.
        Returns the violations found by this call."""
        entries = self.driver.get_log("browser")
        self.console.extend(entries)
        found = [(self.driver.current_url, e["message"]) for e in entries
                 if e.get("level") == "SEVERE" and "content security policy" in e.get("message", "").lower()]
        self.csp.extend(found)
        return found

    def assert_no_csp_violations(self):
        self.check_console()
        if self.csp:
            pages = {}  # message -> the pages it appeared on, in order
            for url, msg in self.csp:
                msg = re.sub(r"https?://[^/ ]+|\?v=\w+", "", msg)
                path = urllib.parse.urlsplit(url).path
                pages.setdefault(msg, [])
                if path not in pages[msg]:
                    pages[msg].append(path)
            raise CspViolation("CSP violation(s) in the browser console (%d in all):\n%s" % (
                len(self.csp), "\n".join("%s\n    on %s" % (m, ", ".join(p)) for m, p in pages.items())))

    def screenshot(self, name):
        os.makedirs(SCREENSHOTS, exist_ok=True)
        path = os.path.join(SCREENSHOTS, name)
        # full-page capture: grow the window to the document height first
        w = self.driver.get_window_size()["width"]
        h = self.driver.execute_script("return Math.max(document.documentElement.scrollHeight, 600)")
        inner_h = self.driver.execute_script("return window.innerHeight")
        chrome_h = self.driver.get_window_size()["height"] - inner_h
        self.driver.set_window_size(w, min(h + chrome_h, 4000))
        self.driver.save_screenshot(path)
        self.driver.set_window_size(w, inner_h + chrome_h)
        return path


@pytest.fixture(scope="module")
def server():
    s = Server()
    yield s
    s.stop()


def make_driver():
    """Headless Chromium with a fresh profile; returns (driver, profile dir)."""
    profile = tempfile.mkdtemp(prefix="parley-chromium-")
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=1280,900",
                "--user-data-dir=" + profile):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    try:
        d = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=opts)
    except Exception:
        shutil.rmtree(profile, ignore_errors=True)
        raise
    d.set_page_load_timeout(30)
    d.set_script_timeout(10)
    return d, profile


@pytest.fixture(scope="module")
def driver():
    if webdriver is None:
        pytest.skip("python3-selenium is not installed")
    for p in (CHROMIUM, CHROMEDRIVER):
        if not os.access(p, os.X_OK):
            pytest.skip("%s is missing (install chromium and chromium-driver)" % p)
    d, profile = make_driver()
    try:
        yield d
    finally:
        d.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def ui(server, driver):
    u = UI(driver, server.base)
    yield u


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """On failure, attach the server log to the report."""
    outcome = yield
    rep = outcome.get_result()
    srv = getattr(item, "funcargs", {}).get("server")
    if rep.failed and srv is not None:
        rep.sections.append(("parley server log", srv.log()))
