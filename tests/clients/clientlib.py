"""
Helpers of the real-client suite (tests/clients): the server harness of
tests/api, loaded under its own name, and Mastodon.py clients logged in
as fresh accounts.
"""
import importlib.util
import os
from urllib.parse import parse_qs, urlsplit

import mastodon

_spec = importlib.util.spec_from_file_location(
    "parley_api_harness", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "api", "conftest.py"))
harness = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(harness)
OOB, OAUTH_CODE_RE, PASSWORD = harness.OOB, harness.OAUTH_CODE_RE, harness.PASSWORD
ParleyServer, csrf_from, unique = harness.ParleyServer, harness.csrf_from, harness.unique

SCOPES = ["read", "write", "follow", "push"]


def register(server, name=None):
    """A Mastodon.py app: (client_id, client_secret)."""
    return mastodon.Mastodon.create_app(name or unique("mpy"), scopes=SCOPES,
                                        redirect_uris=OOB, api_base_url=server.url)


def client(server, username, app=None):
    """A logged-in Mastodon.py client for username (password grant)."""
    cid, secret = app or register(server)
    api = mastodon.Mastodon(client_id=cid, client_secret=secret, api_base_url=server.url,
                            ratelimit_method="throw", request_timeout=10)
    api.log_in(username, PASSWORD, scopes=SCOPES)
    return api


class Person:
    """An account with its Mastodon.py client: .name, .api, .me (Account)."""

    def __init__(self, server, role="staff"):
        self.name = server.create_user(unique(role[:5]), role=role)
        self.api = client(server, self.name)
        self.me = self.api.account_verify_credentials()
        self.id = self.me["id"]


def authorize_in_browser(server, username, auth_url):
    """What a person does in the browser an app opened: sign in, approve,
    and read the code shown to out-of-band apps."""
    s = server.signed_in_session(username)
    query = {k: v[0] for k, v in parse_qs(urlsplit(auth_url).query).items()}
    page = server.get("/oauth/authorize", session=s, params=query)
    assert page.status_code == 200, page.text[:500]
    form = dict(query, csrf=csrf_from(page.text), approve="1")
    r = server.post("/oauth/authorize", session=s, data=form)
    assert r.status_code == 200, (r.status_code, r.text[:500])
    m = OAUTH_CODE_RE.search(r.text)
    assert m, r.text[:1000]
    return m.group(1).strip()
