"""Graceful shutdown under load, and durability of what was acknowledged."""
import signal
import threading
import time

import requests

from conftest import OOB, PASSWORD, ParleyServer, start_private_server

THREADS = 4
PER_THREAD = 10  # 40 apps in all


def test_sigterm_under_load_exits_cleanly_and_keeps_acknowledged_writes(parley_bin,
                                                                          tmp_path_factory):
    srv = start_private_server(tmp_path_factory, "shutdown")
    acked = []            # (client_id, client_secret) of every 200
    lock = threading.Lock()
    halfway = threading.Barrier(THREADS + 1, timeout=20)
    go_on = threading.Event()
    errors = []

    def worker(n):
        s = requests.Session()
        for i in range(PER_THREAD):
            if i == PER_THREAD // 2:
                try:
                    halfway.wait()
                except threading.BrokenBarrierError:
                    pass
                go_on.wait(20)
            try:
                r = s.post(srv.url + "/api/v1/apps", timeout=5,
                           data={"client_name": f"load {n}-{i}", "redirect_uris": OOB})
            except requests.RequestException:
                continue  # expected once the server is stopping
            if r.status_code == 200:
                j = r.json()
                with lock:
                    acked.append((j["client_id"], j["client_secret"]))
            elif r.status_code >= 500:
                with lock:
                    errors.append((r.status_code, r.text))

    threads = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(THREADS)]
    try:
        for t in threads:
            t.start()
        halfway.wait()
        assert len(acked) == THREADS * (PER_THREAD // 2), "the first half should all succeed"
        # release the workers and signal while their requests are in flight
        go_on.set()
        time.sleep(0.002)
        t0 = time.monotonic()
        srv.signal(signal.SIGTERM)
        try:
            status = srv.proc.wait(timeout=5)
        except Exception:
            raise AssertionError("parley did not exit within 5 s of SIGTERM:\n" + srv.log_tail())
        elapsed = time.monotonic() - t0
        for t in threads:
            t.join(10)
        assert status == 0, f"exit status {status}:\n{srv.log_tail()}"
        assert elapsed <= 5, elapsed
        assert not errors, errors
    finally:
        go_on.set()
        srv.kill()

    again = ParleyServer(srv.data_dir).start()
    try:
        missing = []
        for cid, secret in acked:
            r = again.post("/oauth/token", data={"grant_type": "client_credentials",
                                                 "client_id": cid, "client_secret": secret,
                                                 "scope": "read"})
            if r.status_code != 200:
                missing.append((cid, r.status_code, r.text))
        assert not missing, f"{len(missing)} of {len(acked)} acknowledged apps were lost: {missing[:3]}"
    finally:
        assert again.stop() == 0, again.log_tail()


def test_sigterm_when_idle_exits_zero(parley_bin, tmp_path_factory):
    srv = start_private_server(tmp_path_factory, "idle")
    # a kept-alive idle connection must not hold the shutdown up
    s = requests.Session()
    assert s.get(srv.url + "/healthz", timeout=5).status_code == 200
    t0 = time.monotonic()
    try:
        status = srv.stop(timeout=5)
    finally:
        srv.kill()
        s.close()
    assert status == 0, srv.log_tail()
    assert time.monotonic() - t0 < 5
    assert "stopped" in srv.log_tail()


def test_sigterm_during_a_burst_of_sign_ins(parley_bin, tmp_path_factory):
    """Sign-ins run on the slow lane with their connections suspended: a stop
    in the middle of a burst still exits 0 within 5 s, and every answer is a
    token or a clean refusal (503 while stopping), never a broken response."""
    srv = start_private_server(tmp_path_factory, "slowstop")
    name = srv.create_user()
    app = srv.register_app()
    answers, lock, stop = [], threading.Lock(), threading.Event()

    def worker():
        s = requests.Session()
        while not stop.is_set():
            try:
                r = s.post(srv.url + "/oauth/token", timeout=5,
                           data={"grant_type": "password", "client_id": app["client_id"],
                                 "client_secret": app["client_secret"], "username": name,
                                 "password": PASSWORD, "scope": "read"})
            except requests.RequestException:
                continue
            with lock:
                answers.append(r.status_code)

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(8)]
    try:
        for t in threads:
            t.start()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with lock:
                if len(answers) >= 8:
                    break
            time.sleep(0.05)
        t0 = time.monotonic()
        srv.signal(signal.SIGTERM)
        status = srv.proc.wait(timeout=5)
        assert time.monotonic() - t0 <= 5
        assert status == 0, srv.log_tail()
    finally:
        stop.set()
        for t in threads:
            t.join(10)
        srv.kill()
    assert answers and set(answers) <= {200, 503}, answers
    assert 200 in answers
