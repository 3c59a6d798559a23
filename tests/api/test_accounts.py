"""The command line (accounts, config, schema) and sign-in rate limiting."""
import sqlite3
import subprocess
import time

import pytest
import requests

from conftest import (PARLEY_BIN, PASSWORD, ParleyServer, assert_json_error, clean_env,
                      free_port, run_cli, start_private_server, unique, unique_email)


# ---- command line --------------------------------------------------------

def test_help(parley_bin):
    r = run_cli("--help")
    assert r.returncode == 0, r.stderr
    for word in ("serve", "admin", "--listen", "PARLEY_LISTEN", "create-user"):
        assert word in r.stdout, word
    r = run_cli("--version")
    assert r.returncode == 0 and r.stdout.startswith("parley ")
    r = run_cli("no-such-command")
    assert r.returncode != 0


def test_create_user_needs_password_on_stdin(server):
    name = unique("nopw")
    r = server.cli("admin", "create-user", name, "--email", unique_email(name), "--role", "staff",
                   stdin="")
    assert r.returncode != 0
    assert "password" in r.stderr.lower()
    r = server.cli("admin", "set-role", name, "admin")
    assert r.returncode != 0, "the account must not exist"


def test_create_user_rejects_bad_input(server):
    name = unique("Case")
    server.create_user(name)
    r = server.cli("admin", "create-user", name.lower(), "--email", unique_email(), "--role",
                   "staff", stdin=PASSWORD + "\n")
    assert r.returncode != 0, r.stdout
    assert "taken" in r.stderr.lower()
    r = server.cli("admin", "create-user", name.upper(), "--email", unique_email(), "--role",
                   "staff", stdin=PASSWORD + "\n")
    assert r.returncode != 0, r.stdout

    other = unique("weak")
    r = server.cli("admin", "create-user", other, "--email", unique_email(other), "--role",
                   "staff", stdin="password123\n")
    assert r.returncode != 0, r.stdout
    assert "common" in r.stderr.lower()
    r = server.cli("admin", "create-user", other, "--email", unique_email(other), "--role",
                   "staff", stdin="short\n")
    assert r.returncode != 0
    r = server.cli("admin", "create-user", "bad-name!", "--email", unique_email(), "--role",
                   "staff", stdin=PASSWORD + "\n")
    assert r.returncode != 0
    r = server.cli("admin", "create-user", other, "--email", unique_email(other), "--role",
                   "emperor", stdin=PASSWORD + "\n")
    assert r.returncode != 0
    # none of the refused attempts created the account
    assert server.cli("admin", "suspend", other).returncode != 0


def test_set_role(server):
    name = server.create_user(role="staff")
    app = server.register_app()
    tok = server.token(name, app=app)
    a = server.verify(tok).json()
    assert a["parley"]["role"] == "staff"
    r = server.cli("admin", "set-role", name, "moderator")
    assert r.returncode == 0, r.stderr
    a = server.verify(tok).json()
    assert a["parley"] == {"kind": "staff", "role": "moderator", "profile_public": False}
    assert a["role"]["name"] == "Moderator"
    r = server.cli("admin", "set-role", name, "guest")
    assert r.returncode == 0, r.stderr
    assert server.verify(tok).json()["parley"] == {"kind": "guest", "role": "guest", "profile_public": False}
    assert server.cli("admin", "set-role", name, "overlord").returncode != 0
    assert server.cli("admin", "set-role", unique("ghost"), "staff").returncode != 0


def test_suspend_and_unsuspend(server):
    name = server.create_user()
    app = server.register_app()
    tok = server.token(name, app=app)
    s = server.signed_in_session(name)
    assert server.get("/settings", session=s).status_code == 200

    r = server.cli("admin", "suspend", name)
    assert r.returncode == 0, r.stderr
    assert_json_error(server.verify(tok), 401)
    r = server.password_grant(app, name)
    assert r.status_code == 400, r.text
    assert r.json()["error"] == "invalid_grant"
    r = server.get("/settings", session=s)
    assert r.status_code == 303 and r.headers["Location"].startswith("/signin")

    r = server.cli("admin", "unsuspend", name)
    assert r.returncode == 0, r.stderr
    # the old token stays revoked; a new sign-in works
    assert_json_error(server.verify(tok), 401)
    tok2 = server.token(name, app=app)
    assert server.verify(tok2).status_code == 200


def test_reset_password(server):
    name = server.create_user()
    app = server.register_app()
    tok = server.token(name, app=app)
    new_pw = "staple battery horse correct"
    r = server.cli("admin", "reset-password", name, stdin=new_pw + "\n")
    assert r.returncode == 0, r.stderr
    assert_json_error(server.verify(tok), 401)
    r = server.password_grant(app, name, PASSWORD)
    assert r.status_code == 400 and r.json()["error"] == "invalid_grant"
    tok2 = server.token(name, new_pw, app=app)
    assert server.verify(tok2).json()["username"] == name
    # the rules apply to resets too
    r = server.cli("admin", "reset-password", name, stdin="password123\n")
    assert r.returncode != 0
    assert server.verify(tok2).status_code == 200


@pytest.mark.parametrize("sources,expect", [
    (("file", "env", "flag"), "flag"),
    (("file", "env"), "env"),
    (("file",), "file"),
])
def test_listen_precedence(parley_bin, tmp_path, sources, expect):
    ports = {"file": free_port(), "env": free_port(), "flag": free_port()}
    assert len(set(ports.values())) == 3
    (tmp_path / "parley.conf").write_text(
        "# test config\n" + (f"listen = 127.0.0.1:{ports['file']}\n" if "file" in sources else ""))
    env = {"PARLEY_LISTEN": f"127.0.0.1:{ports['env']}"} if "env" in sources else {}
    srv = ParleyServer(tmp_path, port=ports[expect], env=env,
                       listen_flag="flag" in sources)
    srv.start()
    try:
        assert srv.get("/healthz").status_code == 200
        for src, port in ports.items():
            if src == expect:
                continue
            with pytest.raises(requests.ConnectionError):
                requests.get(f"http://127.0.0.1:{port}/healthz", timeout=2)
    finally:
        assert srv.stop() == 0, srv.log_tail()


def test_newer_schema_refuses_to_start(parley_bin, tmp_path):
    r = run_cli("init", data_dir=tmp_path)
    assert r.returncode == 0, r.stderr
    db = sqlite3.connect(tmp_path / "parley.db")
    db.execute("INSERT INTO schema_version(version, applied_at) VALUES (999, 0)")
    db.commit()
    db.close()
    port = free_port()
    p = subprocess.run([PARLEY_BIN, "--data", str(tmp_path), "serve", "--listen",
                        f"127.0.0.1:{port}"], capture_output=True, text=True, timeout=10,
                       env=clean_env(), stdin=subprocess.DEVNULL)
    assert p.returncode != 0
    assert "newer" in (p.stdout + p.stderr), p.stdout + p.stderr
    # admin commands refuse too, and nothing was changed
    r = run_cli("admin", "create-user", unique("x"), "--email", unique_email(), "--role", "staff",
                data_dir=tmp_path, stdin=PASSWORD + "\n")
    assert r.returncode != 0


# ---- rate limiting (private servers: the limits are per address) ----------

@pytest.fixture(scope="module")
def limit_server(parley_bin, tmp_path_factory):
    srv = start_private_server(tmp_path_factory, "limits")
    try:
        srv.create_user("limit_admin", "limit_admin@example.com", role="admin")
        yield srv
    finally:
        assert srv.stop() == 0, srv.log_tail()


def test_password_grant_rate_limit(limit_server):
    srv = limit_server
    name = srv.create_user()
    app = srv.register_app()
    statuses = []
    for i in range(10):
        r = srv.password_grant(app, name, f"wrong password {i}")
        statuses.append(r.status_code)
        if i < 5:
            assert r.status_code == 400, (i, r.text)
            assert r.json()["error"] == "invalid_grant"
        else:
            assert r.status_code == 429, (i, statuses, r.text)
            ra = r.headers.get("Retry-After")
            assert ra is not None and ra.isdigit() and 0 < int(ra) <= 3600, r.headers
            assert "error" in r.json()
    # while locked even the right password is refused
    r = srv.password_grant(app, name, PASSWORD)
    assert r.status_code == 429, r.text
    assert int(r.headers["Retry-After"]) > 0
    # the lock is per login name: another account is unaffected
    other = srv.create_user()
    assert srv.password_grant(app, other).status_code == 200


def test_parallel_guesses_do_not_slip_past_the_limit(parley_bin, tmp_path_factory):
    """Sixteen wrong passwords at once: at most five are checked, the rest get 429."""
    import concurrent.futures
    srv = start_private_server(tmp_path_factory, "parallel")
    try:
        name = srv.create_user()
        app = srv.register_app()
        with concurrent.futures.ThreadPoolExecutor(16) as pool:
            codes = list(pool.map(lambda i: srv.password_grant(app, name, f"guess {i}").status_code,
                                  range(16)))
        assert codes.count(400) <= 5, codes
        assert codes.count(400) + codes.count(429) == 16, codes
        assert srv.password_grant(app, name, PASSWORD).status_code == 429
    finally:
        assert srv.stop() == 0, srv.log_tail()


def test_username_and_email_share_one_counter(parley_bin, tmp_path_factory):
    """Failures by username and by email count against the same account."""
    srv = start_private_server(tmp_path_factory, "bothnames")
    try:
        name = unique("both")
        email = name.lower() + "@example.net"
        srv.create_user(name, email=email)
        app = srv.register_app()
        codes = [srv.password_grant(app, name, f"wrong {i}").status_code for i in range(3)]
        codes += [srv.password_grant(app, email, f"wrong by email {i}").status_code
                  for i in range(2)]
        assert codes == [400] * 5, codes
        # five failures in all: the account is locked, by either name
        r = srv.password_grant(app, email, PASSWORD)
        assert r.status_code == 429, r.text
        r = srv.password_grant(app, name, PASSWORD)
        assert r.status_code == 429, r.text
    finally:
        assert srv.stop() == 0, srv.log_tail()


def test_web_signin_failures_and_limit(limit_server):
    srv = limit_server
    name = srv.create_user()
    s = srv.web_session()
    r = srv.web_signin(s, name, "not my password")
    assert r.status_code == 401, r.status_code
    assert r.headers["Content-Type"].startswith("text/html")
    assert "Invalid username or password" in r.text
    assert PASSWORD not in r.text and "not my password" not in r.text
    assert "parley_session" not in s.cookies
    for i in range(4):
        assert srv.web_signin(s, name, f"bad {i}").status_code == 401
    r = srv.web_signin(s, name, PASSWORD)
    assert r.status_code == 429, r.status_code
    assert int(r.headers["Retry-After"]) > 0
    assert "parley_session" not in s.cookies
    # the same lock applies to the API
    r = srv.password_grant(srv.register_app(), name, PASSWORD)
    assert r.status_code == 429


def test_ip_rate_limit(parley_bin, tmp_path_factory):
    srv = start_private_server(tmp_path_factory, "iplimit")
    try:
        real = srv.create_user()
        app = srv.register_app()
        # 20 failures spread over 10 names (2 each: no name is locked)
        for i in range(20):
            r = srv.password_grant(app, f"nobody_{i % 10}", "wrong password here")
            assert r.status_code == 400, (i, r.text)
        r = srv.password_grant(app, real, PASSWORD)
        assert r.status_code == 429, r.text
        assert int(r.headers["Retry-After"]) > 0
    finally:
        assert srv.stop() == 0, srv.log_tail()


def test_ip_rate_limit_behind_a_reverse_proxy(parley_bin, tmp_path_factory):
    """Behind a trusted proxy (loopback by default) clients are told apart by
    X-Forwarded-For: one client's failures do not lock the others out, and the
    part of the header a client wrote itself is not believed."""
    srv = start_private_server(tmp_path_factory, "proxy")
    try:
        real = srv.create_user()
        app = srv.register_app()
        grant = {"grant_type": "password", "client_id": app["client_id"],
                 "client_secret": app["client_secret"], "scope": "read"}

        def attempt(user, password, xff):
            return srv.post("/oauth/token", data=dict(grant, username=user, password=password),
                            headers={"X-Forwarded-For": xff})
        # the attacker varies the left part; the proxy appends the real address
        for i in range(20):
            r = attempt(f"nobody_{i % 10}", "wrong password here", f"10.9.8.{i}, 198.51.100.7")
            assert r.status_code == 400, (i, r.text)
        assert attempt(real, PASSWORD, "198.51.100.7").status_code == 429
        # another client behind the same proxy is not affected
        r = attempt(real, PASSWORD, "203.0.113.20")
        assert r.status_code == 200, r.text
        # IPv6 clients are counted by /64: another address in the same /64 is locked too
        for i in range(20):
            assert attempt(f"v6_{i % 10}", "wrong password here", f"2001:db8:1:2::{i + 1}").status_code == 400
        assert attempt(real, PASSWORD, "2001:db8:1:2:ffff::9").status_code == 429
        assert attempt(real, PASSWORD, "2001:db8:1:3::1").status_code == 200
    finally:
        assert srv.stop() == 0, srv.log_tail()
