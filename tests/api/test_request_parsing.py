"""Request bodies as Mastodon clients send them: form-urlencoded, JSON and
multipart; arrays as key[]=, key[0]= and JSON arrays; booleans as
true/false/1/0/True/False. Read through real endpoints (filters take an
array and two booleans; statuses a poll with an options array).
"""
import json

import pytest

from social import staff

ARRAYS = {
    "form []": ("data", [("phrase", "p1"), ("context[]", "home"), ("context[]", "thread")]),
    "form [N]": ("data", [("phrase", "p2"), ("context[0]", "home"), ("context[1]", "thread")]),
    "json": ("json", {"phrase": "p3", "context": ["home", "thread"]}),
    "json key[]": ("json", {"phrase": "p4", "context[]": ["home", "thread"]}),
    "multipart []": ("files", [("phrase", (None, "p5")), ("context[]", (None, "home")),
                               ("context[]", (None, "thread"))]),
    "multipart [N]": ("files", [("phrase", (None, "p6")), ("context[0]", (None, "home")),
                                ("context[1]", (None, "thread"))]),
}


@pytest.mark.parametrize("how", sorted(ARRAYS))
def test_arrays_every_way(server, how):
    a = staff(server)
    kind, body = ARRAYS[how]
    r = a.post("/api/v1/filters", **{kind: body})
    assert r.status_code == 200, (how, r.text)
    assert r.json()["context"] == ["home", "thread"], how


@pytest.mark.parametrize("yes,no", [("true", "false"), ("True", "False"), ("1", "0"), ("TRUE", "FALSE")])
def test_booleans_every_spelling(server, yes, no):
    a = staff(server)
    r = a.post("/api/v1/filters", data={"phrase": "b", "context[]": "home", "irreversible": yes,
                                         "whole_word": no})
    assert r.status_code == 200, r.text
    assert r.json()["irreversible"] is True and r.json()["whole_word"] is False
    r = a.post("/api/v1/filters", json={"phrase": "j", "context": ["home"], "irreversible": True,
                                         "whole_word": False})
    assert r.json()["irreversible"] is True and r.json()["whole_word"] is False
    r = a.post("/api/v1/filters", data={"phrase": "x", "context[]": "home", "irreversible": "maybe"})
    assert r.status_code == 422


def test_poll_options_every_way(server):
    a = staff(server)
    forms = [
        {"data": [("status", "q1"), ("poll[options][]", "a"), ("poll[options][]", "b"),
                  ("poll[expires_in]", "600")]},
        {"data": [("status", "q2"), ("poll[options][0]", "a"), ("poll[options][1]", "b"),
                  ("poll[expires_in]", "600")]},
        {"json": {"status": "q3", "poll": {"options": ["a", "b"], "expires_in": 600}}},
        {"files": [("status", (None, "q4")), ("poll[options][]", (None, "a")),
                   ("poll[options][]", (None, "b")), ("poll[expires_in]", (None, "600"))]},
    ]
    for kw in forms:
        r = a.post("/api/v1/statuses", **kw)
        assert r.status_code == 200, (kw, r.text)
        assert [o["title"] for o in r.json()["poll"]["options"]] == ["a", "b"]


def test_json_errors_are_json(server):
    a = staff(server)
    r = a.post("/api/v1/filters", data="{not json", headers={"Content-Type": "application/json"})
    assert r.status_code == 400 and "error" in r.json()
    r = a.post("/api/v1/filters", data=json.dumps([1, 2]), headers={"Content-Type": "application/json"})
    assert r.status_code == 422 and "error" in r.json()
