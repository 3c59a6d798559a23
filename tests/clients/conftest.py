"""
Fixtures of the real-client suite: Parley driven by real Mastodon client
libraries from Debian (python3-mastodon, i.e. Mastodon.py, and
python3-websocket) against the real binary on loopback. The server is
started by the tests/api harness (see clientlib.py).
"""
import pytest

pytest.importorskip("mastodon", reason="python3-mastodon is missing (scripts/deps.sh test installs it)")

from clientlib import ParleyServer, Person  # noqa: E402


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    srv = ParleyServer(tmp_path_factory.mktemp("clients")).start()
    try:
        srv.create_user("clients_admin", "clients_admin@example.com", role="admin")
        yield srv
    finally:
        status = srv.stop()
        assert status == 0, srv.log_tail()


@pytest.fixture
def person(server):
    """A factory: person() is a fresh staff account with a logged-in client."""
    return lambda role="staff": Person(server, role)
