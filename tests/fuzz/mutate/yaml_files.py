"""Mutators of interface files (``*.step.yaml``): YAML as people half-type it, and as attackers
write it (tags, aliases, deep nesting)."""

from __future__ import annotations

import random

from .generic import _insert, _line_start

# interfaces: YAML as people half-type it, and as attackers write it

YAML_SNIPPETS = (
    b"step_type:",
    b"step_type: [a, b]",
    b"step_type: &a X\nnode_type: *a",
    b"registry: {sagemaker_step_type: Procesing, config_class: [",
    b"registry:\n  sagemaker_step_type: !!python/object:os.system 'x'",
    b"registry:\n  description: >\n    folded\n\n    paragraph\n  config_class: X",
    b'contract:\n  entry_point: "\\ud800.py"',
    b"contract:\n  entry_point:\n    - a.py",
    b"contract: null",
    b"variants:\n  training: {spec: {dependencies: {A: {type: nonsense}}}}",
    b"variants: [training]",
    b"variants:\n  ? [complex, key]\n  : x",
    b"spec:\n  dependancies: {}",
    b"\t  bad: tab",
    b"--- \n...\n---",
    b"a: &x [*x]",
    b"x: &a [" + b"*a, " * 50 + b"*a]",
    b"k: " + b"[" * 5000 + b"]" * 5000,
    b"k: " + b"{a: " * 2000 + b"1" + b"}" * 2000,
    b"%YAML 1.1\n---",
    b"? " + b"x" * 2000,
    b"key: 'unterminated",
    b'key: "\\x\\u12"',
    b"\xef\xbb\xbfstep_type: BOM",
    b"step_type: X\rnode_type: sink",
    b"step_type: X\\u2028",
)


def m_yaml_snippet(rng: random.Random, data: bytes) -> bytes:
    snippet = rng.choice(YAML_SNIPPETS)
    if rng.random() < 0.3:
        return snippet + b"\n"
    return _insert(data, _line_start(rng, data), snippet + b"\n")


def m_yaml_indent(rng: random.Random, data: bytes) -> bytes:
    """Indentation shifted on a run of lines (the commonest half-typed YAML)."""
    lines = data.split(b"\n")
    if not lines:
        return data
    start = rng.randrange(len(lines))
    shift = rng.choice((b" ", b"   ", b"\t", b""))
    for i in range(start, min(len(lines), start + rng.randint(1, 6))):
        lines[i] = shift + lines[i] if rng.random() < 0.5 else lines[i][1:]
    return b"\n".join(lines)
