"""Mutators of settings files (``pyproject.toml``/``stepcat.toml``): bad ``[tool.stepcat]``
values and deeply nested TOML."""

from __future__ import annotations

import random

# settings: TOML text

SETTINGS_LINES = (
    b'tool = "x"',
    b"[tool]\nstepcat = 5",
    b'[tool.stepcat]\nregistry_files = "x"',
    b'[tool.stepcat]\nregistry_files = ["/etc/*.py"]',
    b'[tool.stepcat]\nregistry_files = ["../../*.py"]',
    b'[tool.stepcat]\nregistry_files = ["../**/*.py"]',
    b'[tool.stepcat]\nregistry_files = ["**/*.py"]',
    b'[tool.stepcat]\nregistry_files = ["**"]',
    b'[tool.stepcat]\nregistry_files = [""]',
    b'[tool.stepcat]\nregistry_files = ["**/**/**/**/*.py"]',
    b'[tool.stepcat]\nregistry_files = ["/"]',
    b"[tool.stepcat]\nregistry_files = [1, 2]",
    b'[tool.stepcat]\nexclude = ["/abs", "..", "**", "../*", ""]',
    b'[tool.stepcat]\nexclude = ["**"]',
    b"[tool.stepcat]\nexclude = 5",
    b"[tool.stepcat]\njob_types = [1, 2]",
    b'[tool.stepcat]\njob_types = ["", "_", "a b", "\\ud800"]',
    b"[tool.stepcat]\nmax_file_size = -1",
    b"[tool.stepcat]\nmax_file_size = 0",
    b'[tool.stepcat]\nmax_file_size = "big"',
    b"[tool.stepcat]\nmax_file_size = 1",
    b"[tool.stepcat]\nmax_file_size = 9223372036854775807",
    b"[tool.stepcat]\nmax_file_size = 1e400",
    b'[tool.stepcat]\nseverity = {x = "loud"}',
    b'[tool.stepcat]\nseverity = "off"',
    b'[tool.stepcat]\nseverity = {"missing-spec" = "off", "internal-error" = "off"}',
    b'[tool.stepcat]\ncomponent_dirs = {spec = "x"}',
    b'[tool.stepcat]\ncomponent_dirs = {nonsense = ["a"]}',
    b'[tool.stepcat]\ncomponent_dirs = {spec = ["..", "/", ""]}',
    b"[tool.stepcat]\ntree_names = []",
    b'[tool.stepcat]\ntree_names = ["..", "/", "", "*"]',
    b'[tool.stepcat]\nworkspace_globs = ["*", "**", "../*", "/*", ""]',
    b'[tool.stepcat]\nworkspace_id = ""',
    b'[tool.stepcat]\nworkspace_id = "../x"',
    b"[tool.stepcat]\nworkspace_id = 5",
    b'[tool.stepcat]\nconfig_files = ["/**/*.json", "../*.json", "**"]',
    b"[tool.stepcat]\nconfig_files = []",
    b"[tool.stepcat]\nfoo = 1",
    b"[tool.stepcat]\n[tool.stepcat]",
    b"[tool.stepcat",
    b"[tool.stepcat]\njob_types = [",
    b"[tool.stepcat.severity]\n" + b"r = 'off'\n" * 3,
)


def m_settings_line(rng: random.Random, data: bytes) -> bytes:
    snippet = rng.choice(SETTINGS_LINES)
    if rng.random() < 0.5:  # replace the file
        return snippet + b"\n"
    body = (
        data.replace(b"[tool.stepcat]", b"[tool.stepcat_old]")
        if b"[tool.stepcat]" in snippet
        else data
    )
    return body + b"\n" + snippet + b"\n"


def m_settings_deep(rng: random.Random, data: bytes) -> bytes:
    depth = rng.choice((1000, 10_000))
    form = rng.random()
    if form < 0.33:
        deep = b"[tool.stepcat]\nseverity = " + b"{a = " * depth + b"1" + b"}" * depth
    elif form < 0.66:
        deep = b"[tool.stepcat]\njob_types = " + b"[" * depth + b"]" * depth
    else:
        deep = b"[tool.stepcat." + b".".join([b"a"] * depth) + b"]\nx = 1"
    return data.replace(b"[tool.stepcat]", b"[tool.other]") + b"\n" + deep + b"\n"
