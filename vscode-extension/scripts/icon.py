"""Draws images/icon.png (128x128): three ascending steps, a catalog's "steps", on a rounded
square. Standard library only; run it again after changing the drawing."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

SIZE = 128
BACKGROUND = (37, 99, 235)  # blue
STEP = (255, 255, 255)
DOT = (250, 204, 21)  # yellow: the step a DAG node names


def inside_rounded(x: float, y: float, radius: float = 24) -> bool:
    cx = min(max(x, radius), SIZE - radius)
    cy = min(max(y, radius), SIZE - radius)
    return (x - cx) ** 2 + (y - cy) ** 2 <= radius**2


def color(x: int, y: int) -> tuple[int, int, int, int]:
    px, py = x + 0.5, y + 0.5
    if not inside_rounded(px, py):
        return (0, 0, 0, 0)
    # three steps rising to the right, 28 px wide, 20 px taller each
    for i in range(3):
        left, right = 22 + 28 * i, 22 + 28 * (i + 1)
        top = 88 - 20 * (i + 1)
        if left <= px < right and top <= py < 100:
            return (*STEP, 255)
    if (px - 92) ** 2 + (py - 17) ** 2 <= 7**2:
        return (*DOT, 255)
    return (*BACKGROUND, 255)


def png(pixels: list[list[tuple[int, int, int, int]]]) -> bytes:
    raw = b"".join(b"\x00" + b"".join(struct.pack("4B", *p) for p in row) for row in pixels)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", SIZE, SIZE, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


if __name__ == "__main__":
    out = Path(__file__).resolve().parent.parent / "images" / "icon.png"
    out.write_bytes(png([[color(x, y) for x in range(SIZE)] for y in range(SIZE)]))
    print(f"{out}: {out.stat().st_size} bytes")
