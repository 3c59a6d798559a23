"""
Helpers for the people tests (profiles, directory, card, import).

- `admin(server)`: an Actor whose token also carries admin scopes.
- `share_space(server, *actors)`: put accounts in one space (spaces API).
- `png()`: a small valid PNG made with zlib only; `parse_png()` checks
  one chunk by chunk (CRCs, IHDR, IDAT inflates to the right size).
- `P`: the Parley API prefix.
"""
import random
import struct
import time
import zlib

from social import Actor, api
from conftest import unique

P = "/api/parley/v1"
ADMIN_SCOPES = "read write follow push profile admin:read admin:write"


def admin(server, name=None):
    """An admin Actor with admin:read and admin:write."""
    a = Actor(server, "admin", name=name, public=False)
    app = server.register_app(scopes=ADMIN_SCOPES)
    r = server.password_grant(app, a.name, scope=ADMIN_SCOPES)
    assert r.status_code == 200, r.text
    a.token = r.json()["access_token"]
    a.s = api(server, a.token)
    return a


def person(server, kind="staff", public=False, **profile):
    """An Actor (not public unless asked) with profile facts set."""
    a = Actor(server, kind, public=public)
    if profile:
        set_profile(a, **profile)
    return a


def set_profile(actor, **fields):
    r = actor.patch(P + "/profile", json=fields)
    assert r.status_code == 200, (r.status_code, r.text[:500])
    return r.json()


def add_skill(actor, skill, level="practised"):
    r = actor.post(P + "/profile/skills", json={"skill": skill, "level": level})
    assert r.status_code == 200, (r.status_code, r.text[:500])
    return r.json()


def endorse(actor, other, skill):
    oid = other.id if isinstance(other, Actor) else other
    return actor.post(f"{P}/people/{oid}/skills/{skill}/endorse")


def directory(actor_or_server, **params):
    """GET /directory as an actor, or anonymously when given the server."""
    if isinstance(actor_or_server, Actor):
        r = actor_or_server.get(P + "/directory", params=params)
    else:
        r = actor_or_server.get(P + "/directory", params=params)
    assert r.status_code == 200, (r.status_code, r.text[:500])
    return r.json()


def usernames(result):
    return [p["username"] for p in result["people"]]


def facet(result, name):
    return {f["value"]: f["count"] for f in result["facets"][name]}


def share_space(server, *actors, kind="external"):
    """Make the accounts members of one new space (through the spaces API:
    the first staff account creates it, the others accept an invitation);
    returns its id."""
    owner = next((a for a in actors if a.kind == "staff"), None) or Actor(server)
    sp = owner.ok("POST", "/api/parley/v1/spaces",
                  json={"name": "Space " + unique("n"), "handle": unique("sp")[:30],
                        "kind": kind, "access": "closed"})
    for a in actors:
        if a is owner:
            continue
        inv = owner.ok("POST", f"/api/parley/v1/spaces/{sp['id']}/invitations",
                       data={"username": a.name})
        a.ok("POST", f"/api/parley/v1/invitations/{inv[0]['id']}/accept")
    return int(sp["id"])


# ---- PNG ------------------------------------------------------------------

def _chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff)


def png(width=64, height=48, color=(200, 40, 40, 200), pad=0):
    """An RGBA PNG of one colour (translucent by default, so Parley's
    thumbnails of it are PNGs too); pad adds a private chunk of that many
    bytes (to make a file large without making the image large)."""
    raw = b"".join(b"\x00" + bytes(color) * width for _ in range(height))
    out = b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0))
    if pad:
        out += _chunk(b"prIv", b"\x00" * pad)
    return out + _chunk(b"IDAT", zlib.compress(raw)) + _chunk(b"IEND", b"")


def png_header_only(width, height):
    """A PNG that declares a huge size (a decompression bomb's header)."""
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)) +
            _chunk(b"IDAT", zlib.compress(b"\x00" * 16)) + _chunk(b"IEND", b""))


def parse_png(data):
    """Check a PNG chunk by chunk; returns (width, height, colour type, pixels
    rows as bytes). Asserts on anything malformed."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", data[:16]
    pos, idat, ihdr, palette = 8, b"", None, None
    seen_end = False
    while pos < len(data):
        (n,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + n]
        (crc,) = struct.unpack(">I", data[pos + 8 + n:pos + 12 + n])
        assert zlib.crc32(kind + body) & 0xffffffff == crc, f"bad CRC in {kind}"
        if kind == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", body)
        elif kind == b"PLTE":
            palette = body
        elif kind == b"IDAT":
            idat += body
        elif kind == b"IEND":
            seen_end = True
        pos += 12 + n
    assert ihdr and seen_end and idat
    w, h, depth, ctype = ihdr[0], ihdr[1], ihdr[2], ihdr[3]
    raw = zlib.decompress(idat)
    channels = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[ctype]
    stride = (w * channels * depth + 7) // 8
    assert len(raw) == h * (stride + 1), (len(raw), h, stride)
    return w, h, ctype, depth, palette, raw
