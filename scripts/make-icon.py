#!/usr/bin/env python3
"""Draws the app icon, an upward arrow over sound bars, in pure Python, as a 1024 px PNG.

scripts/make-icons.sh turns it into every size the installers need (src-tauri/icons/).
"""
import math, struct, sys, zlib

SIZE = 256  # the design's units; drawn at OUT_SIZE
OUT_SIZE = 1024
OUT = sys.argv[1] if len(sys.argv) > 1 else "icon-1024.png"

def inside_rounded(x, y, r=56):
    cx = min(max(x, r), SIZE - 1 - r)
    cy = min(max(y, r), SIZE - 1 - r)
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r

def pixel(x, y):
    if not inside_rounded(x, y):
        return (0, 0, 0, 0)
    t = y / SIZE
    bg = (int(88 + 40 * t), int(60 + 20 * t), int(210 - 60 * t), 255)
    # sound bars along the bottom
    bars = [(40, 60), (76, 110), (112, 84), (148, 130), (184, 70)]
    for bx, h in bars:
        if bx <= x < bx + 26 and 210 - h <= y < 210:
            return (255, 255, 255, 235)
    # arrow: shaft and head, top centre
    if 116 <= x < 140 and 52 <= y < 120:
        return (255, 214, 102, 255)
    if 24 <= y < 72 and abs(x - 128) <= (y - 24) * 1.0:
        return (255, 214, 102, 255)
    return bg

SCALE = SIZE / OUT_SIZE
rows = b"".join(
    b"\x00" + bytes(c for x in range(OUT_SIZE) for c in pixel((x + 0.5) * SCALE, (y + 0.5) * SCALE))
    for y in range(OUT_SIZE)
)
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", OUT_SIZE, OUT_SIZE, 8, 6, 0, 0, 0)) \
    + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")
open(OUT, "wb").write(png)
