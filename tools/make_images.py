#!/usr/bin/env python3
"""Write the default avatar and header images used by the Mastodon API.

    python3 tools/make_images.py [OUTDIR]      (default: src/web/static)

Writes avatar.png (96x96: a neutral head-and-shoulders silhouette on a
soft background) and header.png (600x200: a soft diagonal gradient).
Standard library only (zlib, struct), so it runs anywhere Python 3 does;
the output is deterministic, so re-running it changes no bytes.
"""
import os
import struct
import sys
import zlib


def png(width, height, rows):
    """Encode 8-bit RGB rows (each a bytes of width*3) as a PNG file."""
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + bytes(r) for r in rows)  # filter type 0 on every row
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit truecolour
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) +
            chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def mix(a, b, t):
    t = 0.0 if t < 0 else 1.0 if t > 1 else t
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b))


def avatar(size=96, ss=4):
    """Head-and-shoulders silhouette, anti-aliased by ss x ss supersampling."""
    top, bottom = (0xE4, 0xE9, 0xF0), (0xD2, 0xDA, 0xE4)   # soft blue-grey background
    figure = (0x8C, 0x9A, 0xAD)                            # neutral slate silhouette
    cx = size / 2
    head_cy, head_r = size * 0.385, size * 0.185
    body_cy, body_rx, body_ry = size * 1.02, size * 0.36, size * 0.30
    rows = []
    for y in range(size):
        bg = mix(top, bottom, y / (size - 1))
        row = bytearray()
        for x in range(size):
            hits = 0
            for sy in range(ss):
                py = y + (sy + 0.5) / ss
                for sx in range(ss):
                    px = x + (sx + 0.5) / ss
                    dx = px - cx
                    if dx * dx + (py - head_cy) ** 2 <= head_r * head_r:
                        hits += 1
                    elif (dx / body_rx) ** 2 + ((py - body_cy) / body_ry) ** 2 <= 1.0:
                        hits += 1
            row += bytes(mix(bg, figure, hits / (ss * ss)))
        rows.append(row)
    return png(size, size, rows)


BAYER4 = ((0, 8, 2, 10), (12, 4, 14, 6), (3, 11, 1, 9), (15, 7, 13, 5))


def header(width=600, height=200):
    """A soft diagonal gradient from pale blue to pale teal, ordered-dithered
    so the few available shades do not show as bands."""
    a, b = (0xD6, 0xE2, 0xF3), (0xE2, 0xF2, 0xEC)
    rows = []
    for y in range(height):
        row = bytearray()
        for x in range(width):
            t = (x / (width - 1)) * 0.75 + (y / (height - 1)) * 0.25
            d = (BAYER4[y & 3][x & 3] + 0.5) / 16 - 0.5
            row += bytes(min(255, max(0, int(p + (q - p) * t + d + 0.5))) for p, q in zip(a, b))
        rows.append(row)
    return png(width, height, rows)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "src", "web", "static")
    os.makedirs(out, exist_ok=True)
    for name, data in (("avatar.png", avatar()), ("header.png", header())):
        path = os.path.join(out, name)
        with open(path, "wb") as f:
            f.write(data)
        print("wrote %s (%d bytes)" % (os.path.normpath(path), len(data)))


if __name__ == "__main__":
    main()
