"""The fact extractors are total: any bytes give facts or nothing, never an exception or a hang."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from catalog_core.facts.pyfacts import extract_facts
from catalog_core.facts.registry_reader import read_registry
from catalog_core.facts.usages import scan_python_usages

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SAMPLES = [p.read_bytes() for p in sorted((FIXTURES / "irregular").rglob("*.py"))]


def extract_all(data: bytes) -> None:
    for contract, spec in ((False, False), (True, False), (False, True)):
        facts = extract_facts(data, want_contract=contract, want_spec=spec)
        for _, span in facts.classes:
            assert span[0] <= data.count(b"\n")
    read_registry("x.py", data)
    scan_python_usages(data)


@settings(max_examples=300, deadline=1000)
@given(st.binary(max_size=4000))
def test_random_bytes(data: bytes) -> None:
    extract_all(data)


@settings(max_examples=300, deadline=1000)
@given(
    st.sampled_from(SAMPLES), st.integers(0, 10_000), st.integers(0, 10_000), st.binary(max_size=20)
)
def test_mangled_real_files(sample: bytes, cut: int, at: int, junk: bytes) -> None:
    """Real component files cut short, or with junk spliced in (the states of a file being typed)."""
    extract_all(sample[:cut])
    at %= len(sample) + 1
    extract_all(sample[:at] + junk + sample[at:])


def test_classes_only_at_line_starts() -> None:
    data = b"classify = 1\n    class Inner:\n        pass\nclass A(B):\n  x = 'class C'\nclass\nclass D:"
    assert [
        name for name, _ in extract_facts(data, want_contract=False, want_spec=False).classes
    ] == ["A", "D"]
