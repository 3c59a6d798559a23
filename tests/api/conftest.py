"""
Black-box harness for the Parley API and web tests.

Every test talks to a real `parley serve` process over HTTP on 127.0.0.1.
A session-scoped server (`server`) is shared by most tests; tests that need
a pristine instance (first-run setup, rate limiting, shutdown) start their
own with `start_private_server()` or the `private_server` fixture.

The binary comes from $PARLEY_BIN (tests/run.sh sets it), else
<repo>/build/parley.
"""
import base64
import hashlib
import http.client
import os
import re
import signal
import socket
import subprocess
import time
import uuid
from pathlib import Path

import pytest
import requests

REPO = Path(__file__).resolve().parents[2]
PARLEY_BIN = os.environ.get("PARLEY_BIN") or str(REPO / "build" / "parley")

PASSWORD = "correct horse battery"
OOB = "urn:ietf:wg:oauth:2.0:oob"
HTTP_TIMEOUT = 10          # seconds, for every request
START_TIMEOUT = 10         # seconds for /healthz to answer after start
STOP_TIMEOUT = 10          # seconds after SIGTERM before SIGKILL
CLI_TIMEOUT = 30           # seconds for one `parley admin ...`

CSRF_RE = re.compile(r'<input type="hidden" name="csrf" value="([^"]*)"')
OAUTH_CODE_RE = re.compile(r'<output[^>]*id="oauth-code"[^>]*>([^<]+)</output>')


# ---- small helpers -------------------------------------------------------

def unique(prefix="u"):
    """A fresh username: [A-Za-z0-9_], at most 30 characters."""
    return f"{prefix[:14]}_{uuid.uuid4().hex[:12]}"


def unique_email(name=None, domain="example.com"):
    return f"{(name or unique('e')).lower()}@{domain}"


def free_port():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
    finally:
        s.close()


def clean_env(extra=None):
    """The environment for a parley process: no PARLEY_* leaking in."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PARLEY_")}
    if extra:
        env.update(extra)
    return env


def run_cli(*args, data_dir=None, stdin="", env=None, timeout=CLI_TIMEOUT):
    """Run the parley binary; returns CompletedProcess (text)."""
    cmd = [PARLEY_BIN]
    if data_dir is not None:
        cmd += ["--data", str(data_dir)]
    cmd += [str(a) for a in args]
    return subprocess.run(cmd, input=stdin, capture_output=True, text=True,
                          timeout=timeout, env=clean_env(env))


def csrf_from(html):
    m = CSRF_RE.search(html)
    assert m, "no hidden csrf field in the page:\n" + html[:2000]
    return m.group(1)


def pkce_pair(verifier=None):
    verifier = verifier or (uuid.uuid4().hex + uuid.uuid4().hex)  # 64 chars
    digest = hashlib.sha256(verifier.encode()).digest()
    challenge = base64.urlsafe_b64encode(digest).decode().rstrip("=")
    return verifier, challenge


def assert_json_error(r, status):
    assert r.status_code == status, (r.status_code, r.text[:500])
    assert r.headers.get("Content-Type", "").startswith("application/json"), r.headers
    body = r.json()
    assert isinstance(body, dict) and isinstance(body.get("error"), str) and body["error"], body
    return body


# ---- the server process --------------------------------------------------

class ParleyServer:
    """One `parley serve` process on 127.0.0.1 with its own data dir."""

    def __init__(self, data_dir, port=None, env=None, listen_flag=True, extra_args=()):
        self.data_dir = Path(data_dir)
        self.extra_args = list(extra_args)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.port = port or free_port()
        # The suites make thousands of API calls from one address: a budget
        # far above them (tests/api/test_ratelimit.py checks the real one).
        self.env = {"PARLEY_API_RATE_LIMIT": "1000000"}
        self.env.update(env or {})
        self.listen_flag = listen_flag
        self.proc = None
        self.log_path = self.data_dir / "server.log"
        self._log = None

    # -- lifetime --
    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        cmd = [PARLEY_BIN, "serve", "--data", str(self.data_dir)]
        if self.listen_flag:
            cmd += ["--listen", f"127.0.0.1:{self.port}"]
        cmd += self.extra_args
        self._log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(cmd, stdout=self._log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, env=clean_env(self.env))
        deadline = time.monotonic() + START_TIMEOUT
        last = None
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"parley exited with status {self.proc.returncode} "
                                     f"while starting:\n{self.log_tail()}")
            try:
                r = requests.get(self.url + "/healthz", timeout=1)
                if r.status_code == 200:
                    return self
                last = r.status_code
            except requests.RequestException as e:
                last = e
            time.sleep(0.05)
        self.kill()
        raise AssertionError(f"/healthz on {self.url} did not answer 200 within "
                             f"{START_TIMEOUT}s (last: {last}):\n{self.log_tail()}")

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def signal(self, sig=signal.SIGTERM):
        self.proc.send_signal(sig)

    def stop(self, timeout=STOP_TIMEOUT):
        """SIGTERM, wait; SIGKILL after timeout. Returns the exit status."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
                self._close_log()
                raise AssertionError(f"parley did not stop within {timeout}s of SIGTERM:\n"
                                     f"{self.log_tail()}")
        self._close_log()
        return self.proc.returncode

    def kill(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=5)
        self._close_log()

    def _close_log(self):
        if self._log is not None:
            self._log.close()
            self._log = None

    def log_tail(self, n=40):
        try:
            lines = self.log_path.read_text(errors="replace").splitlines()
        except OSError:
            return "(no log)"
        return "\n".join(lines[-n:])

    # -- HTTP --
    def request(self, method, path, session=None, **kw):
        kw.setdefault("timeout", HTTP_TIMEOUT)
        kw.setdefault("allow_redirects", False)
        s = session or requests
        try:
            return s.request(method, self.url + path, **kw)
        except requests.ConnectionError:
            if not self.alive():
                raise AssertionError(f"parley is not running (status {self.proc.returncode}):\n"
                                     f"{self.log_tail()}")
            raise

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, **kw):
        return self.request("POST", path, **kw)

    # -- command line on this data dir --
    def cli(self, *args, stdin="", env=None):
        return run_cli(*args, data_dir=self.data_dir, stdin=stdin, env=env)

    def create_user(self, name=None, email=None, role="staff", password=PASSWORD,
                    display_name=None):
        name = name or unique(role)
        email = email or unique_email(name)
        args = ["admin", "create-user", name, "--email", email, "--role", role]
        if display_name is not None:
            args += ["--display-name", display_name]
        r = self.cli(*args, stdin=password + "\n")
        assert r.returncode == 0, f"create-user {name} failed: {r.stdout}{r.stderr}"
        return name

    # -- OAuth --
    def register_app(self, scopes="read write profile", redirect_uris=OOB, name=None, **extra):
        data = {"client_name": name or unique("app"), "redirect_uris": redirect_uris,
                "scopes": scopes}
        data.update(extra)
        r = self.post("/api/v1/apps", data=data)
        assert r.status_code == 200, (r.status_code, r.text)
        return r.json()

    def password_grant(self, app, username, password=PASSWORD, scope="read", **extra):
        data = {"grant_type": "password", "client_id": app["client_id"],
                "client_secret": app["client_secret"], "username": username,
                "password": password, "scope": scope}
        data.update(extra)
        return self.post("/oauth/token", data=data)

    def token(self, username, password=PASSWORD, scope="read", app=None):
        app = app or self.register_app()
        r = self.password_grant(app, username, password, scope)
        assert r.status_code == 200, (r.status_code, r.text)
        return r.json()["access_token"]

    def make_public(self, username):
        """Make an account's profile public (seen by anonymous visitors and
        by guests who share no space with it)."""
        tok = self.token(username, scope="write:accounts")
        r = self.request("PATCH", "/api/v1/accounts/update_credentials",
                         headers={"Authorization": f"Bearer {tok}"},
                         data={"profile_public": "true"})
        assert r.status_code == 200, (r.status_code, r.text)

    def verify(self, token):
        return self.get("/api/v1/accounts/verify_credentials",
                        headers={"Authorization": f"Bearer {token}"})

    # -- web --
    def web_session(self):
        s = requests.Session()
        s.headers["User-Agent"] = "parley-api-tests/" + uuid.uuid4().hex[:8]
        return s

    def page_csrf(self, session, path):
        r = self.get(path, session=session)
        assert r.status_code == 200, (path, r.status_code, r.text[:500])
        return csrf_from(r.text)

    def web_signin(self, session, login, password=PASSWORD, next_path=None):
        """Sign in through the form; returns the POST response (not followed)."""
        csrf = self.page_csrf(session, "/signin")
        data = {"csrf": csrf, "username": login, "password": password}
        if next_path is not None:
            data["next"] = next_path
        return self.post("/signin", session=session, data=data)

    def signed_in_session(self, login, password=PASSWORD):
        s = self.web_session()
        r = self.web_signin(s, login, password)
        assert r.status_code == 303, (r.status_code, r.text[:500])
        assert s.cookies.get("parley_session"), "no session cookie after sign-in"
        return s

    def admin_session(self):
        name = self.create_user(role="admin")
        return self.signed_in_session(name), name


def start_private_server(tmp_path_factory, name="private", **kw):
    return ParleyServer(tmp_path_factory.mktemp(name), **kw).start()


# ---- fixtures ------------------------------------------------------------

@pytest.fixture(scope="session")
def parley_bin():
    if not os.access(PARLEY_BIN, os.X_OK):
        pytest.exit(f"parley binary not found at {PARLEY_BIN} (set PARLEY_BIN)", returncode=2)
    return PARLEY_BIN


def _finish(srv):
    status = srv.stop()
    if status != 0:
        raise AssertionError(f"parley exited with status {status}:\n{srv.log_tail()}")


@pytest.fixture(scope="session")
def server(parley_bin, tmp_path_factory):
    """The shared server. Its setup is done (an admin exists), so /signin works."""
    srv = ParleyServer(tmp_path_factory.mktemp("shared")).start()
    try:
        srv.create_user("first_admin", "first_admin@example.com", role="admin")
        yield srv
    finally:
        _finish(srv)


@pytest.fixture
def private_server(parley_bin, tmp_path_factory):
    """A fresh server for one test (no account exists yet)."""
    srv = start_private_server(tmp_path_factory)
    try:
        yield srv
    finally:
        _finish(srv)


@pytest.fixture
def raw_http():
    """A raw HTTP/1.1 request that bypasses any client-side URL cleaning."""
    def do(port, method, path, headers=None, body=None):
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=HTTP_TIMEOUT)
        try:
            c.request(method, path, body=body, headers=headers or {})
            r = c.getresponse()
            return r.status, dict(r.getheaders()), r.read()
        finally:
            c.close()
    return do
