"""Media attachments: uploads (images and PDFs), checks, thumbnails, serving.

The test images are made here with the standard library only: PNG with
zlib, a baseline greyscale JPEG (flat 8x8 blocks, so only DC coefficients),
GIF with fixed-width LZW codes, and lossless WebP (VP8L) with one-symbol
prefix codes. The server decodes them with libgd, which is the test that
they are real images.
"""
import os
import socket
import struct
import time
import zlib
from urllib.parse import urlsplit

import pytest
import requests

from conftest import HTTP_TIMEOUT, assert_json_error


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


# ---- making images ---------------------------------------------------------

def png(width, height, pixel=lambda x, y: (200, 30, 30), alpha=False, noise=None):
    """An 8-bit RGB (or RGBA) PNG; `noise` (bytes) replaces the pixels."""
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    channels = 4 if alpha else 3
    if noise is not None:
        stride = width * channels
        raw = b"".join(b"\x00" + noise[y * stride:(y + 1) * stride] for y in range(height))
        level = 0
    else:
        rows = []
        for y in range(height):
            row = bytearray(b"\x00")
            for x in range(width):
                p = pixel(x, y)
                row += bytes(p[:channels]) if alpha else bytes(p[:3])
            rows.append(bytes(row))
        raw = b"".join(rows)
        level = 9
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 6 if alpha else 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) +
            chunk(b"IDAT", zlib.compress(raw, level)) + chunk(b"IEND", b""))


class BitWriter:
    """Bits into bytes, most significant bit first (JPEG) or least (GIF, WebP)."""

    def __init__(self, msb_first):
        self.msb = msb_first
        self.out = bytearray()
        self.acc = 0
        self.n = 0

    def put(self, value, bits):
        for i in range(bits):
            bit = (value >> (bits - 1 - i)) & 1 if self.msb else (value >> i) & 1
            if self.msb:
                self.acc = (self.acc << 1) | bit
            else:
                self.acc |= bit << self.n
            self.n += 1
            if self.n == 8:
                self.out.append(self.acc)
                if self.msb and self.acc == 0xFF:
                    self.out.append(0)          # JPEG byte stuffing
                self.acc = 0
                self.n = 0

    def flush(self):
        if self.n:
            if self.msb:
                self.put((1 << (8 - self.n)) - 1, 8 - self.n)   # pad with ones
            else:
                self.out.append(self.acc)
                self.acc = self.n = 0
        return bytes(self.out)


def huffman_codes(bits, values):
    """Canonical Huffman codes (JPEG Annex C): symbol -> (code, length)."""
    codes, code, k = {}, 0, 0
    for length in range(1, 17):
        for _ in range(bits[length - 1]):
            codes[values[k]] = (code, length)
            code += 1
            k += 1
        code <<= 1
    return codes


def jpeg(width, height, level=lambda bx, by: 128, segments=()):
    """A baseline greyscale JPEG whose 8x8 block (bx, by) is flat grey
    `level`; `segments` (whole marker segments) go right after SOI."""
    dc_bits = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0]
    dc_vals = list(range(12))
    ac_bits = [1] + [0] * 15          # one code: end-of-block, "0"
    ac_vals = [0]
    dc = huffman_codes(dc_bits, dc_vals)
    eob = huffman_codes(ac_bits, ac_vals)[0]

    dqt = b"\xff\xdb" + struct.pack(">H", 67) + b"\x00" + bytes([8] * 64)
    sof = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + bytes([1, 0x11, 0])
    dht = (b"\xff\xc4" + struct.pack(">H", 2 + 17 + len(dc_vals) + 17 + len(ac_vals)) +
           bytes([0x00] + dc_bits + dc_vals) + bytes([0x10] + ac_bits + ac_vals))
    sos = b"\xff\xda" + struct.pack(">HB", 8, 1) + bytes([1, 0x00, 0, 63, 0])

    w = BitWriter(msb_first=True)
    prev = 0
    for by in range((height + 7) // 8):
        for bx in range((width + 7) // 8):
            v = level(bx, by) - 128     # with quantiser 8, the DC coefficient is v
            diff, prev = v - prev, v
            cat = abs(diff).bit_length()
            code, length = dc[cat]
            w.put(code, length)
            if cat:
                w.put(diff if diff >= 0 else diff + (1 << cat) - 1, cat)
            w.put(*eob)
    return b"\xff\xd8" + b"".join(segments) + dqt + sof + dht + sos + w.flush() + b"\xff\xd9"


def exif_app1(orientation=6, secret=b"GPS-SECRET 51.5007N 0.1246W"):
    """An APP1 Exif segment: IFD0 with Orientation and an ImageDescription
    holding `secret` (standing in for GPS data)."""
    text = secret + b"\x00"
    ifd_entries = 2
    ifd_size = 2 + 12 * ifd_entries + 4
    text_off = 8 + ifd_size
    tiff = (b"MM\x00\x2a" + struct.pack(">I", 8) + struct.pack(">H", ifd_entries) +
            struct.pack(">HHIHH", 0x0112, 3, 1, orientation, 0) +
            struct.pack(">HHII", 0x010E, 2, len(text), text_off) +
            struct.pack(">I", 0) + text)
    body = b"Exif\x00\x00" + tiff
    return b"\xff\xe1" + struct.pack(">H", len(body) + 2) + body


def gif(width, height, index=lambda x, y: 0, palette=((200, 30, 30), (20, 40, 200))):
    """A GIF89a with a 256-entry colour table and 9-bit LZW codes, a clear
    code every 254 pixels so the code width never grows."""
    table = b"".join(bytes(c) for c in palette) + b"\x00" * (3 * (256 - len(palette)))
    head = b"GIF89a" + struct.pack("<HHBBB", width, height, 0xF7, 0, 0) + table
    desc = b"\x2c" + struct.pack("<HHHHB", 0, 0, width, height, 0)
    w = BitWriter(msb_first=False)
    w.put(256, 9)
    run = 0
    for y in range(height):
        for x in range(width):
            if run == 254:
                w.put(256, 9)
                run = 0
            w.put(index(x, y), 9)
            run += 1
    w.put(257, 9)
    data = w.flush()
    blocks = b"".join(bytes([len(data[i:i + 255])]) + data[i:i + 255] for i in range(0, len(data), 255))
    return head + desc + b"\x08" + blocks + b"\x00" + b"\x3b"


def webp(width, height, rgba=(30, 160, 60, 255)):
    """A lossless WebP of one colour: five one-symbol prefix codes, so each
    pixel takes no bits at all."""
    w = BitWriter(msb_first=False)
    w.put(0x2F, 8)
    w.put(width - 1, 14)
    w.put(height - 1, 14)
    w.put(1 if rgba[3] != 255 else 0, 1)
    w.put(0, 3)                    # version
    w.put(0, 1)                    # no transform
    w.put(0, 1)                    # no colour cache
    w.put(0, 1)                    # no meta prefix codes
    r, g, b, a = rgba
    for sym in (g, r, b, a):
        w.put(1, 1)                # simple code
        w.put(0, 1)                # one symbol
        w.put(1, 1)                # 8-bit symbol
        w.put(sym, 8)
    w.put(1, 1)                    # distance code: simple, one symbol, 1-bit symbol 0
    w.put(0, 1)
    w.put(0, 1)
    w.put(0, 1)
    data = w.flush()
    if len(data) % 2:
        data += b"\x00"
    chunk = b"VP8L" + struct.pack("<I", len(data)) + data
    return b"RIFF" + struct.pack("<I", 4 + len(chunk)) + b"WEBP" + chunk


PDF = (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
       b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
       b"trailer << /Root 1 0 R >>\n%%EOF\n")


# ---- reading images back ---------------------------------------------------

def image_size(data):
    """(kind, width, height) from a PNG, JPEG, GIF or WebP header."""
    if data.startswith(b"\x89PNG"):
        return ("png",) + struct.unpack(">II", data[16:24])
    if data.startswith(b"GIF8"):
        return ("gif",) + struct.unpack("<HH", data[6:10])
    if data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        if data[12:16] == b"VP8L":
            bits = struct.unpack("<I", data[21:25])[0]
            return ("webp", (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1)
        if data[12:16] == b"VP8 ":
            w, h = struct.unpack("<HH", data[26:30])
            return ("webp", w & 0x3FFF, h & 0x3FFF)
        if data[12:16] == b"VP8X":
            return ("webp", int.from_bytes(data[24:27], "little") + 1,
                    int.from_bytes(data[27:30], "little") + 1)
    if data.startswith(b"\xff\xd8"):
        i = 2
        while i + 4 <= len(data):
            assert data[i] == 0xFF, "not a marker"
            m = data[i + 1]
            seg = struct.unpack(">H", data[i + 2:i + 4])[0]
            if 0xC0 <= m <= 0xCF and m not in (0xC4, 0xC8, 0xCC):
                h, w = struct.unpack(">HH", data[i + 5:i + 9])
                return ("jpeg", w, h)
            i += 2 + seg
    raise AssertionError("not an image: %r" % data[:16])


# ---- fixtures and helpers --------------------------------------------------

@pytest.fixture(scope="module")
def alice(server):
    name = server.create_user()
    return server.token(name, scope="read write")


@pytest.fixture(scope="module")
def bob(server):
    name = server.create_user()
    return server.token(name, scope="read write")


def upload(server, token, data, filename="upload.bin", ctype="application/octet-stream",
           version="v1", **fields):
    return server.post(f"/api/{version}/media", headers=bearer(token) if token else {},
                       files={"file": (filename, data, ctype)}, data=fields)


def uploaded(server, token, data, **kw):
    r = upload(server, token, data, **kw)
    assert r.status_code == 200, (r.status_code, r.text[:500])
    return r.json()


def fetch(server, url):
    assert url.startswith(server.url + "/media/"), url
    return server.get(url[len(server.url):])


# ---- uploads ----------------------------------------------------------------

def test_upload_png_entity_and_files(server, alice):
    j = uploaded(server, alice, png(640, 480), filename="photo.png", ctype="image/png",
                 description="A red square")
    assert isinstance(j["id"], str) and j["id"].isdigit()
    assert j["type"] == "image"
    assert j["description"] == "A red square"
    for k in ("remote_url", "preview_remote_url", "text_url", "blurhash"):
        assert k in j and j[k] is None, k
    meta = j["meta"]
    assert meta["original"] == {"width": 640, "height": 480, "size": "640x480", "aspect": 640 / 480}
    assert meta["small"]["width"] == 400 and meta["small"]["height"] == 300
    assert meta["small"]["size"] == "400x300"
    assert meta["focus"] == {"x": 0.0, "y": 0.0}
    assert urlsplit(j["url"]).path.endswith(".png")
    assert urlsplit(j["preview_url"]).path.endswith(".small.jpg")

    r = fetch(server, j["url"])
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "image/png"
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    # not attached to a post yet: only in the requester's own cache
    assert "private" in r.headers["Cache-Control"]
    assert "no-store" not in r.headers["Cache-Control"]
    assert r.headers.get("Content-Disposition", "").startswith("inline")
    assert image_size(r.content) == ("png", 640, 480)

    t = fetch(server, j["preview_url"])
    assert t.status_code == 200
    assert t.headers["Content-Type"] == "image/jpeg"
    assert t.headers["X-Content-Type-Options"] == "nosniff"
    assert image_size(t.content) == ("jpeg", 400, 300)


@pytest.mark.parametrize("kind, make, ctype", [
    ("png", lambda: png(900, 300, lambda x, y: (x % 256, y % 256, 90)), "image/png"),
    ("jpeg", lambda: jpeg(900, 300, lambda bx, by: 40 + (bx * 7 + by * 3) % 180), "image/jpeg"),
    ("gif", lambda: gif(900, 300, lambda x, y: (x // 30 + y // 30) % 2), "image/gif"),
    ("webp", lambda: webp(900, 300), "image/webp"),
])
def test_upload_each_kind(server, alice, kind, make, ctype):
    j = uploaded(server, alice, make(), filename="f." + kind, ctype=ctype, version="v2")
    assert j["type"] == "image"
    assert j["url"], "v2 answers with the url filled: processing is synchronous"
    assert j["meta"]["original"]["size"] == "900x300"
    assert j["meta"]["small"]["size"] == "400x133"
    r = fetch(server, j["url"])
    assert r.status_code == 200
    assert r.headers["Content-Type"] == ctype
    got = image_size(r.content)
    assert got == (kind, 900, 300)
    t = fetch(server, j["preview_url"])
    assert t.status_code == 200 and t.headers["Content-Type"] == "image/jpeg"
    assert image_size(t.content) == ("jpeg", 400, 133)


def test_declared_type_and_name_are_not_believed(server, alice):
    # a PNG sent as "text/plain" called notes.txt is an image all the same
    j = uploaded(server, alice, png(20, 10), filename="notes.txt", ctype="text/plain")
    assert urlsplit(j["url"]).path.endswith(".png")
    assert fetch(server, j["url"]).headers["Content-Type"] == "image/png"


def test_transparent_png_gets_png_thumbnail(server, alice):
    data = png(500, 500, lambda x, y: (10, 200, 10, 0 if x > 250 else 255), alpha=True)
    j = uploaded(server, alice, data)
    assert urlsplit(j["preview_url"]).path.endswith(".small.png")
    t = fetch(server, j["preview_url"])
    assert t.headers["Content-Type"] == "image/png"
    assert image_size(t.content) == ("png", 400, 400)
    assert t.content[25] == 6, "the thumbnail keeps an alpha channel"


def test_small_image_thumbnail_not_enlarged(server, alice):
    j = uploaded(server, alice, png(120, 80))
    assert j["meta"]["small"]["size"] == "120x80"


def test_pdf_is_kept_and_downloaded(server, alice):
    j = uploaded(server, alice, PDF, filename="report.pdf", ctype="application/pdf",
                 description="Quarterly report")
    assert j["type"] == "unknown"
    assert j["preview_url"] is None
    assert urlsplit(j["url"]).path.endswith(".pdf")
    assert j["description"] == "Quarterly report"
    assert "original" not in j["meta"]
    r = fetch(server, j["url"])
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "application/pdf"
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["Content-Disposition"].startswith("attachment")
    assert "sandbox" in r.headers.get("Content-Security-Policy", "")
    assert r.content == PDF


@pytest.mark.parametrize("data, name, ctype", [
    (b"just some text\n" * 10, "cat.png", "image/png"),
    (b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", "a.svg", "image/svg+xml"),
    (b"<html><script>alert(1)</script></html>", "a.html", "text/html"),
    (b"BM" + b"\x00" * 60, "a.bmp", "image/bmp"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 4, "short.png", "image/png"),
    (b"", "empty.png", "image/png"),
])
def test_not_an_image_is_422(server, alice, data, name, ctype):
    body = assert_json_error(upload(server, alice, data, filename=name, ctype=ctype), 422)
    assert "not an image or PDF" in body["error"]


def test_image_that_does_not_decode_is_422(server, alice):
    data = bytearray(png(64, 64))
    data[40:60] = b"\x00" * 20          # inside the compressed pixels
    body = assert_json_error(upload(server, alice, bytes(data)), 422)
    assert "image" in body["error"]


def test_decompression_bomb_is_refused_before_decoding(server, alice):
    # a tiny PNG whose header declares 50000 x 50000 pixels (10 GB decoded)
    data = bytearray(png(8, 8))
    data[16:24] = struct.pack(">II", 50000, 50000)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])) & 0xFFFFFFFF)
    t0 = time.monotonic()
    body = assert_json_error(upload(server, alice, bytes(data)), 422)
    assert "too big (50000x50000)" in body["error"]
    assert time.monotonic() - t0 < 2
    # one side too long is enough
    data = bytearray(jpeg(16, 16))
    i = data.index(b"\xff\xc0")
    data[i + 5:i + 9] = struct.pack(">HH", 8, 20000)
    body = assert_json_error(upload(server, alice, bytes(data)), 422)
    assert "too big (20000x8)" in body["error"]


def test_description_and_focus(server, alice):
    j = uploaded(server, alice, png(100, 50), description="ünïcödé alt", focus="0.5,-0.25")
    assert j["description"] == "ünïcödé alt"
    assert j["meta"]["focus"] == {"x": 0.5, "y": -0.25}
    for bad in ("2,0", "0.5", "x,y", "0.1,0.2,0.3", "nan,0"):
        assert_json_error(upload(server, alice, png(10, 10), focus=bad), 422)
    # 1500 characters are fine (3000 bytes of UTF-8), 1501 are not
    j = uploaded(server, alice, png(10, 10), description="é" * 1500)
    assert j["description"] == "é" * 1500
    body = assert_json_error(upload(server, alice, png(10, 10), description="a" * 1501), 422)
    assert "1500" in body["error"]


def test_missing_file_field_is_422(server, alice):
    r = server.post("/api/v1/media", headers=bearer(alice), files={"other": ("a.png", png(4, 4))})
    assert_json_error(r, 422)
    r = server.post("/api/v1/media", headers=bearer(alice), data={"description": "no file"})
    assert_json_error(r, 422)


# ---- EXIF --------------------------------------------------------------------

def test_exif_is_stripped_and_orientation_applied(server, alice):
    data = jpeg(64, 32, lambda bx, by: 230 if bx == 0 and by == 0 else 40,
                segments=[exif_app1(6)])
    assert b"Exif" in data and b"GPS-SECRET" in data
    j = uploaded(server, alice, data, filename="IMG_0001.JPG", ctype="image/jpeg")
    # turned upright: 32 wide, 64 high
    assert j["meta"]["original"]["size"] == "32x64"
    r = fetch(server, j["url"])
    assert r.headers["Content-Type"] == "image/jpeg"
    assert image_size(r.content) == ("jpeg", 32, 64)
    assert b"Exif" not in r.content
    assert b"GPS-SECRET" not in r.content
    t = fetch(server, j["preview_url"])
    assert b"Exif" not in t.content and b"GPS-SECRET" not in t.content


# ---- limits ----------------------------------------------------------------

def test_upload_larger_than_max_body_is_accepted(server, alice):
    # 2 MB of noise cannot be compressed: past max_body (1 MiB), within max_upload
    data = png(820, 820, noise=os.urandom(820 * 820 * 3))
    assert len(data) > 2 * 1000 * 1000
    j = uploaded(server, alice, data)
    assert j["meta"]["original"]["size"] == "820x820"
    # the token may come in the query string too
    r = server.post("/api/v1/media?access_token=" + alice, files={"file": ("n.png", data)})
    assert r.status_code == 200, r.text[:300]
    # without a valid user token, the upload route keeps the small limit:
    # nobody makes the server read 16 MiB just to answer 401
    for headers in ({}, bearer("not-a-token")):
        r = server.post("/api/v1/media", headers=headers, files={"file": ("n.png", data)})
        body = assert_json_error(r, 413)
        assert str(1024 * 1024) in body["error"]
    assert_json_error(upload(server, None, png(4, 4)), 401)
    # other routes keep the small limit
    r = server.post("/api/v1/apps", data=b"client_name=" + b"x" * (2 * 1024 * 1024),
                    headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert_json_error(r, 413)


def test_100_megabytes_is_413(server, alice):
    big = b"\x89PNG\r\n\x1a\n" + b"\x00" * (100 * 1024 * 1024)
    t0 = time.monotonic()
    r = upload(server, alice, big)
    body = assert_json_error(r, 413)
    assert str(16 * 1024 * 1024) in body["error"]
    assert time.monotonic() - t0 < 30
    assert server.get("/healthz").status_code == 200


def test_100_megabytes_with_expect_continue_is_refused_before_the_body(server, alice):
    s = socket.create_connection(("127.0.0.1", server.port), timeout=HTTP_TIMEOUT)
    try:
        s.sendall(b"POST /api/v1/media HTTP/1.1\r\nHost: x\r\n"
                  b"Authorization: Bearer " + alice.encode() + b"\r\n"
                  b"Content-Type: multipart/form-data; boundary=xyz\r\n"
                  b"Content-Length: 104857600\r\nExpect: 100-continue\r\n\r\n")
        head = s.recv(4096)
    finally:
        s.close()
    assert head.startswith(b"HTTP/1.1 413"), head[:200]
    assert b"100 Continue" not in head
    assert server.get("/healthz").status_code == 200


# ---- authentication and ownership ---------------------------------------------

def test_upload_needs_a_valid_token_and_scope(server, alice):
    assert_json_error(upload(server, None, png(4, 4)), 401)
    assert_json_error(upload(server, "not-a-token", png(4, 4)), 401)
    name = server.create_user()
    reader = server.token(name, scope="read")
    assert_json_error(upload(server, reader, png(4, 4)), 403)
    app = server.register_app(scopes="read write")
    r = server.password_grant(app, name, scope="write:media")
    assert r.status_code == 200, r.text
    narrow = r.json()["access_token"]
    j = uploaded(server, narrow, png(4, 4))
    # GET needs read (or write:media)
    assert server.get(f"/api/v1/media/{j['id']}", headers=bearer(narrow)).status_code == 200
    assert server.get(f"/api/v1/media/{j['id']}", headers=bearer(reader)).status_code == 200
    assert_json_error(server.request("PUT", f"/api/v1/media/{j['id']}", headers=bearer(reader),
                                     data={"description": "x"}), 403)


def test_get_and_update_own_media(server, alice):
    j = uploaded(server, alice, png(300, 200))
    r = server.get(f"/api/v1/media/{j['id']}", headers=bearer(alice))
    assert r.status_code == 200
    assert r.json() == j
    r = server.request("PUT", f"/api/v1/media/{j['id']}", headers=bearer(alice),
                       data={"description": "Now with alt text"})
    assert r.status_code == 200, r.text
    assert r.json()["description"] == "Now with alt text"
    assert r.json()["url"] == j["url"]
    r = server.request("PUT", f"/api/v1/media/{j['id']}", headers=bearer(alice),
                       json={"focus": "-1,1"})
    assert r.status_code == 200
    assert r.json()["meta"]["focus"] == {"x": -1.0, "y": 1.0}
    assert r.json()["description"] == "Now with alt text"   # unchanged
    got = server.get(f"/api/v1/media/{j['id']}", headers=bearer(alice)).json()
    assert got["description"] == "Now with alt text"
    assert got["meta"]["focus"] == {"x": -1.0, "y": 1.0}
    assert_json_error(server.request("PUT", f"/api/v1/media/{j['id']}", headers=bearer(alice),
                                     data={"description": "x" * 1501}), 422)
    # an empty description clears it
    r = server.request("PUT", f"/api/v1/media/{j['id']}", headers=bearer(alice),
                       data={"description": ""})
    assert r.json()["description"] is None


def test_other_users_media_is_404(server, alice, bob):
    j = uploaded(server, alice, png(30, 30))
    path = f"/api/v1/media/{j['id']}"
    assert_json_error(server.get(path, headers=bearer(bob)), 404)
    assert_json_error(server.request("PUT", path, headers=bearer(bob), data={"description": "mine"}), 404)
    assert_json_error(server.request("DELETE", path, headers=bearer(bob)), 404)
    # untouched
    got = server.get(path, headers=bearer(alice)).json()
    assert got["description"] is None
    assert fetch(server, j["url"]).status_code == 200
    # and ids that do not exist, or are not ids
    assert_json_error(server.get("/api/v1/media/123456789", headers=bearer(alice)), 404)
    assert_json_error(server.get("/api/v1/media/abc", headers=bearer(alice)), 404)


def test_delete_unattached_media(server, alice):
    j = uploaded(server, alice, png(30, 30))
    path = f"/api/v1/media/{j['id']}"
    r = server.request("DELETE", path, headers=bearer(alice))
    assert r.status_code == 200 and r.json() == {}
    assert_json_error(server.get(path, headers=bearer(alice)), 404)
    assert fetch(server, j["url"]).status_code == 404
    assert fetch(server, j["preview_url"]).status_code == 404
    assert_json_error(server.request("DELETE", path, headers=bearer(alice)), 404)


# ---- serving ------------------------------------------------------------------

def test_file_urls_are_capabilities(server, alice):
    j = uploaded(server, alice, png(30, 30))
    name = j["url"].rsplit("/", 1)[1]
    key = name.split(".")[0]
    assert len(key) == 22
    # no credentials needed, from any origin
    r = server.get("/media/" + name)
    assert r.status_code == 200
    assert r.headers.get("Access-Control-Allow-Origin") == "*"
    # a wrong extension, a thumbnail name with the original's extension,
    # another key, or anything odd is not found
    for bad in (key + ".jpg", key + ".small.png", key + ".png.png", key[:-1] + "A.png",
                key, "..%2F..%2Fparley.db", "%2e%2e", key + ".small.", ".tmp-xxxxxx"):
        assert server.get("/media/" + bad).status_code == 404, bad
    # HEAD works too
    r = server.request("HEAD", "/media/" + name)
    assert r.status_code == 200 and r.headers["Content-Type"] == "image/png"
    # the key stays out of the access log
    server.get("/healthz")
    assert key not in server.log_path.read_text(errors="replace")


# ---- media on posts ------------------------------------------------------------------

def post_with_media(server, token, ids, visibility="public", text="with a picture"):
    return server.post("/api/v1/statuses", headers=bearer(token),
                       data=[("status", text), ("visibility", visibility)] +
                       [("media_ids[]", i) for i in ids])


def test_media_on_a_post_and_gone_with_it(server, alice, bob):
    m1 = uploaded(server, alice, png(20, 10), description="first")
    m2 = uploaded(server, alice, png(10, 20), description="second")
    r = post_with_media(server, alice, [m2["id"], m1["id"]])
    assert r.status_code == 200, r.text
    st = r.json()
    got = st["media_attachments"]
    assert [m["id"] for m in got] == [m2["id"], m1["id"]], "in the order given"
    assert got[0]["description"] == "second" and got[0]["type"] == "image"
    # another reader sees the same attachments through the status
    other = server.get(f"/api/v1/statuses/{st['id']}", headers=bearer(bob)).json()
    assert [m["id"] for m in other["media_attachments"]] == [m2["id"], m1["id"]]
    assert fetch(server, got[0]["url"]).status_code == 200
    # attached media cannot go on a second post, nor be deleted on their own
    r = post_with_media(server, alice, [m1["id"]])
    assert r.status_code == 422, r.text
    r = server.request("DELETE", f"/api/v1/media/{m1['id']}", headers=bearer(alice))
    assert r.status_code == 422, r.text
    # deleting the post deletes the files
    r = server.request("DELETE", f"/api/v1/statuses/{st['id']}", headers=bearer(alice))
    assert r.status_code == 200, r.text
    assert fetch(server, got[0]["url"]).status_code == 404
    assert fetch(server, got[1]["preview_url"]).status_code == 404


def test_someone_elses_media_cannot_be_attached(server, alice, bob):
    m = uploaded(server, alice, png(8, 8))
    r = post_with_media(server, bob, [m["id"]])
    assert r.status_code == 422, r.text
    r = post_with_media(server, alice, ["1", "2", "3", "4", "5"])
    assert r.status_code == 422, r.text


def test_media_of_a_private_post_is_served_only_to_readers(server):
    """A media URL of a post the requester may not read is not readable:
    the signed URL a reader got works (apps fetch without their token);
    the bare URL works only for a reader's own token or session."""
    from social import Actor
    author, reader, stranger = Actor(server), Actor(server), Actor(server)
    reader.follow(author)
    m = upload(server, author.token, png(8, 8), "a.png").json()
    st = author.post_status("private picture", visibility="private", media_ids=[m["id"]])
    url = reader.status(st["id"]).json()["media_attachments"][0]["url"]
    bare = url.split("?")[0]
    path = bare[len(server.url):]
    assert requests.get(url, timeout=HTTP_TIMEOUT).status_code == 200
    assert requests.get(bare, timeout=HTTP_TIMEOUT).status_code == 404
    assert reader.get(path).status_code == 200
    assert stranger.get(path).status_code == 404
    assert stranger.status(st["id"]).status_code == 404
    # a forged or stale signature does not help
    q = url.split("?")[1]
    forged = bare + "?" + q[:-3] + ("AAA" if not q.endswith("AAA") else "BBB")
    assert requests.get(forged, timeout=HTTP_TIMEOUT).status_code == 404
    assert requests.get(bare + "?exp=1&sig=x", timeout=HTTP_TIMEOUT).status_code == 404
    r = requests.get(url, timeout=HTTP_TIMEOUT)
    assert "private" in r.headers["Cache-Control"]
