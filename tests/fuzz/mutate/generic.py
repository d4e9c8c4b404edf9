"""Byte-level helpers and the mutators every file kind gets (truncation, deleted, duplicated
and swapped lines, NUL, lone surrogates, braces, triple quotes, f-string templates, huge
integers, deep nesting, long lines, line ends, BOMs, latin-1, garbage, empty files)."""

from __future__ import annotations

import random
import re
from collections.abc import Callable

# -- byte-level helpers ------------------------------------------------------------------------

LONE_SURROGATE = b"\xed\xa0\x80"  # '\ud800' as (invalid) UTF-8
BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf\xef\xbb\xbf")


def _lines(data: bytes) -> list[bytes]:
    return data.splitlines(keepends=True) or [b""]


def _pos(rng: random.Random, data: bytes) -> int:
    """A random offset, often just inside a string literal (where names live)."""
    quotes = [m.end() for m in re.finditer(rb"[\"']", data)]
    if quotes and rng.random() < 0.5:
        return rng.choice(quotes)
    return rng.randrange(len(data) + 1)


def _insert(data: bytes, at: int, piece: bytes) -> bytes:
    return data[:at] + piece + data[at:]


def _line_start(rng: random.Random, data: bytes) -> int:
    starts = [0] + [m.end() for m in re.finditer(rb"\n", data)]
    return rng.choice(starts)


def huge_int(rng: random.Random, digits: int = 5000) -> bytes:
    return str(rng.randrange(1, 10)).encode() + bytes(
        rng.choice(b"0123456789") for _ in range(digits - 1)
    )


# -- generic mutators (every kind) -------------------------------------------------------------

Mutator = Callable[[random.Random, bytes], bytes]


def m_truncate(rng: random.Random, data: bytes) -> bytes:
    return data[: rng.randrange(len(data) + 1)]


def m_delete_lines(rng: random.Random, data: bytes) -> bytes:
    lines = _lines(data)
    i = rng.randrange(len(lines))
    del lines[i : i + rng.randint(1, 4)]
    return b"".join(lines)


def m_duplicate_lines(rng: random.Random, data: bytes) -> bytes:
    lines = _lines(data)
    i = rng.randrange(len(lines))
    run = lines[i : i + rng.randint(1, 6)]
    lines[i:i] = run * rng.choice((1, 1, 2, 50))
    return b"".join(lines)


def m_swap_lines(rng: random.Random, data: bytes) -> bytes:
    lines = _lines(data)
    i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
    lines[i], lines[j] = lines[j], lines[i]
    return b"".join(lines)


def m_nul(rng: random.Random, data: bytes) -> bytes:
    for _ in range(rng.randint(1, 4)):
        data = _insert(data, _pos(rng, data), b"\x00")
    return data


def m_lone_surrogate(rng: random.Random, data: bytes) -> bytes:
    return _insert(data, _pos(rng, data), LONE_SURROGATE)


def m_braces(rng: random.Random, data: bytes) -> bytes:
    piece = rng.choice((b"{{", b"}}", b"{{ }}", b"{", b"}"))
    if b"{" in data and rng.random() < 0.5:
        spots = [m.start() for m in re.finditer(rb"[{}]", data)]
        at = rng.choice(spots)
        return data[:at] + data[at : at + 1] * 2 + data[at + 1 :]
    return _insert(data, _pos(rng, data), piece)


def m_triple_quote(rng: random.Random, data: bytes) -> bytes:
    piece = rng.choice((b'"""', b"'''", b'"""\n', b'r"""', b'f"""'))
    at = _line_start(rng, data) if rng.random() < 0.5 else _pos(rng, data)
    return _insert(data, at, piece)


def m_fstring_template(rng: random.Random, data: bytes) -> bytes:
    """Wrap some lines in an f-string template, braces doubled (a code generator's source)."""
    lines = _lines(data)
    i = rng.randrange(len(lines))
    j = min(len(lines), i + rng.randint(1, 12))
    body = b"".join(lines[i:j]).replace(b"{", b"{{").replace(b"}", b"}}")
    if rng.random() < 0.5:
        body += b"    {name}\n"
    head = rng.choice((b'TEMPLATE = f"""\n', b'    return f"""\n', b'f"""\n', b"TEMPLATE = f'''\n"))
    tail = b"'''\n" if head.endswith(b"'''\n") else b'"""\n'
    return b"".join(lines[:i]) + head + body + tail + b"".join(lines[j:])


def m_huge_int(rng: random.Random, data: bytes) -> bytes:
    number = huge_int(rng)
    nums = list(re.finditer(rb"(?<![\w.])\d+(?![\w.])", data))
    if nums and rng.random() < 0.5:
        m = rng.choice(nums)
        return data[: m.start()] + number + data[m.end() :]
    return _insert(data, _line_start(rng, data), b"X = " + number + b"\n")


def m_deep_nesting(rng: random.Random, data: bytes) -> bytes:
    depth = rng.choice((10_000, 10_000, 1_000, 100_000))
    opener, closer = rng.choice(((b"[", b"]"), (b"{", b"}"), (b"(", b")")))
    closed = rng.random() < 0.7
    piece = opener * depth + (closer * depth if closed else b"")
    if rng.random() < 0.5:
        return _insert(data, _line_start(rng, data), b"X = " + piece + b"\n")
    return _insert(data, _pos(rng, data), piece)


def m_long_line(rng: random.Random, data: bytes) -> bytes:
    n = rng.choice((100_000, 300_000, 1_000_000))
    piece = rng.choice(
        (
            b"# " + b"x" * n + b"\n",
            b'X = "' + b"a" * n + b'"\n',
            b"X = " + b"1 + " * (n // 4) + b"1\n",
            b'dag.add_node("' + b"A" * n + b'")\n',
        )
    )
    return _insert(data, _line_start(rng, data), piece)


def m_line_ends(rng: random.Random, data: bytes) -> bytes:
    style = rng.choice(("crlf", "cr", "mixed", "crcrlf"))
    if style == "crlf":
        return data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    if style == "cr":
        return data.replace(b"\r\n", b"\n").replace(b"\n", b"\r")
    if style == "crcrlf":
        return data.replace(b"\n", b"\r\r\n")
    lines = _lines(data)
    return b"".join(
        ln.rstrip(b"\r\n") + rng.choice((b"\n", b"\r\n", b"\r")) if ln.endswith(b"\n") else ln
        for ln in lines
    )


def m_bom(rng: random.Random, data: bytes) -> bytes:
    bom = rng.choice(BOMS)
    if rng.random() < 0.8:
        return bom + data
    return _insert(data, _line_start(rng, data), bom)


def m_latin1(rng: random.Random, data: bytes) -> bytes:
    piece = rng.choice(("café", "Größe", "naïve ½ µ", "ÿ")).encode("latin-1")
    if rng.random() < 0.3:  # the whole file as latin-1 text
        return (
            data.decode("utf-8", "replace").replace("\ufffd", "?").encode("latin-1", "replace")
            + b"# "
            + piece
            + b"\n"
        )
    return _insert(data, _pos(rng, data), piece)


def m_garbage(rng: random.Random, data: bytes) -> bytes:
    blob = rng.randbytes(rng.choice((1, 16, 256, 4096)))
    if rng.random() < 0.2:
        return blob
    return _insert(data, _pos(rng, data), blob)


def m_empty(rng: random.Random, data: bytes) -> bytes:
    return rng.choice((b"", b"\n", b" ", b"\x00", b"\xef\xbb\xbf"))


GENERIC: dict[str, tuple[Mutator, int]] = {
    "truncate": (m_truncate, 6),
    "delete_lines": (m_delete_lines, 6),
    "duplicate_lines": (m_duplicate_lines, 5),
    "swap_lines": (m_swap_lines, 5),
    "nul": (m_nul, 4),
    "lone_surrogate": (m_lone_surrogate, 4),
    "braces": (m_braces, 4),
    "triple_quote": (m_triple_quote, 4),
    "fstring_template": (m_fstring_template, 4),
    "huge_int": (m_huge_int, 3),
    "deep_nesting": (m_deep_nesting, 3),
    "long_line": (m_long_line, 2),
    "line_ends": (m_line_ends, 3),
    "bom": (m_bom, 3),
    "latin1": (m_latin1, 3),
    "garbage": (m_garbage, 3),
    "empty": (m_empty, 1),
}
