"""The shortcuts the index takes for speed and memory answer exactly as the long way does:
the tolerant registry reader's entry search, the empty link of a row without files, quoted
regions and spans, the DAG receiver check, and answer models sharing their field-name sets."""

from __future__ import annotations

import pickle
import random
import shutil
from pathlib import Path
from unittest.mock import patch

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from catalog_core import StepCatalog
from catalog_core.base.text import LineIndex
from catalog_core.facts import registry_reader, registry_scan, usages
from catalog_core.facts.pylex import _TOKEN, QuotedRegions
from catalog_core.index.catalog_index import CatalogIndex
from catalog_core.index.linker import Link, Linker
from catalog_core.models import FileMetadata, Span, StepInfo

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo"

# Pieces of registries being typed: entries whole and cut, comments holding entries, blanks.
PIECES = [
    b'    "A": {"config_class": "AConfig"},\n',
    b'    "B": {"config_class": "BConfig",\n',
    b"    'C': {'x': 'y'}\n",
    b'# "D": {"config_class": "DConfig"}\n',
    b'  # "E": {} trailing\n',
    b"\n",
    b"   \t",
    b'"F"',
    b": {",
    b"}",
    b"{",
    b"#",
    b"STEP_NAMES = {\n",
    b'"G": {"a": "b"} , ',
    b"'\\'' : {}",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=30), st.integers(0, 200))
def test_entry_search_from_a_quote_equals_the_plain_search(parts: list[bytes], pos: int) -> None:
    data = b"".join(parts)
    pos = min(pos, len(data))
    reader = registry_reader._RegexReader(data, LineIndex(data), skipping=True)
    fast, plain = reader._next(pos), registry_reader._ENTRY.search(data, pos)
    assert (fast is None) == (plain is None)
    if fast is not None and plain is not None:
        assert fast.span() == plain.span()
        assert [fast.span(g) for g in (1, 2, 3)] == [plain.span(g) for g in (1, 2, 3)]


def test_a_registry_being_typed_keeps_every_complete_entry() -> None:
    data = (
        b"STEP_NAMES = {\n"
        + b"".join(b'    "Gen%d": {"config_class": "Gen%dConfig",\n' % (i, i) for i in range(50))
        + b'    "Done": {"config_class": "DoneConfig"},\n'
        + b'    # "Quoted": {"config_class": "QuotedConfig"},\n'
        + b'    "Last": {"config_class": "LastConfig"},\n'
    )
    facts = registry_reader.read_registry("step_names.py", data)
    names = [e.name for e in facts.sections["STEP_NAMES"]]
    assert names == ["Done", "Last"]
    assert [p.rule for p in facts.problems] == ["syntax-error"]


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_quoted_regions_are_the_tokens(data: bytes) -> None:
    quoted = QuotedRegions(data)
    tokens = [m.span() for m in _TOKEN.finditer(data)] if data else []
    inside = {i for s, e in tokens for i in range(s, e)}
    assert [quoted.contains(i) for i in range(len(data) + 1)] == [
        i in inside for i in range(len(data) + 1)
    ]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab\n\té_", max_size=60), st.data())
def test_spans_are_code_point_positions(text: str, data: st.DataObject) -> None:
    raw = text.encode()
    first = data.draw(st.integers(0, len(text)))
    last = data.draw(st.integers(first, len(text)))
    start, end = len(text[:first].encode()), len(text[:last].encode())  # character boundaries
    got = LineIndex(raw).span(start, end)

    def position(offset: int) -> tuple[int, int]:
        before = raw[:offset].decode("utf-8", "replace")
        return before.count("\n"), len(before) - (before.rfind("\n") + 1)

    assert got == (*position(start), *position(end))


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab\n\té_", max_size=80), st.lists(st.integers(0, 80), max_size=20))
def test_spans_asked_in_a_row_equal_spans_asked_alone(text: str, offsets: list[int]) -> None:
    """One index answers many lookups (counted on from the last, then bisected past a few):
    each answer is the one a fresh index gives."""
    raw = text.encode()
    bounds = sorted({len(text[:i].encode()) for i in range(len(text) + 1)})
    lines = LineIndex(raw)
    for i in offsets:
        start = bounds[min(i, len(bounds) - 1)]
        end = bounds[min(i + 2, len(bounds) - 1)]
        assert lines.span(start, end) == LineIndex(raw).span(start, end)
        assert lines.line_start(end) == LineIndex(raw).line_start(end)


def test_the_receiver_check_reads_back_as_the_walk() -> None:
    rnd = random.Random(7)
    pieces = [b" ", b"\t", b".", b"dag", b"Dag", b"x", b"_", b"\n", b"a" * 70, b" " * 70, b"my_dag"]
    for _ in range(5000):
        head = b"".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 40)))
        data = head + b"add_node"
        assert usages._on_a_dag(data, len(head)) == usages._on_a_dag_walk(data, len(head))


def _walk(linker: Linker, ws: str, step: str) -> Link:
    """The full walk, without the shortcut for rows that have no file."""
    original = linker._nothing_to_find
    linker._nothing_to_find = lambda *args: False  # type: ignore[method-assign]
    try:
        return linker.link(ws, step)
    finally:
        linker._nothing_to_find = original  # type: ignore[method-assign]


def test_every_link_equals_the_full_walk(tmp_path: Path) -> None:
    names = ("multi", "mixed", "irregular", "broken", "v2", "v2_project")
    roots = [FIXTURES / name for name in names]
    roots.append(DEMO)
    registry = tmp_path / "src/cursus/registry/step_names.py"
    registry.parent.mkdir(parents=True)
    rows = "".join(f'    "Only{i}": {{"config_class": "Only{i}Config"}},\n' for i in range(20))
    registry.write_text("STEP_NAMES = {\n" + rows + "}\n")
    roots.append(tmp_path)
    shortcuts = 0
    for root in roots:
        index = CatalogIndex([root])
        linker = index.graph.linker
        for (ws, step), link in index.graph.links.items():
            assert link == _walk(linker, ws, step), (root, step)
            shortcuts += not link.files()
    assert shortcuts >= 20


def test_answers_share_their_field_names_and_stay_answers(tmp_path: Path) -> None:
    shutil.copytree(DEMO, tmp_path / "demo")
    catalog = StepCatalog(tmp_path / "demo")
    infos = [catalog.get_step_info(name) for name in catalog.list_available_steps()]
    infos = [info for info in infos if info is not None]
    assert len(infos) >= 2
    files = [f for info in infos for f in info.file_components.values() if f is not None]
    assert len({id(f.__pydantic_fields_set__) for f in files}) == 1
    assert files[0].model_fields_set == set(FileMetadata.model_fields)
    assert len({id(i.__pydantic_fields_set__) for i in infos}) == 1
    assert infos[0].model_fields_set == set(StepInfo.model_fields)
    # Every field given: dumping what was set is dumping everything; copies get their own set.
    assert infos[0].model_dump(exclude_unset=True) == infos[0].model_dump()
    copy = files[0].model_copy(update={"symbol": "Other"})
    assert copy.__pydantic_fields_set__ is not files[0].__pydantic_fields_set__
    assert files[1].symbol != "Other" or files[1].path == copy.path
    # A span built with a field missing keeps a set of its own (what was given).
    assert Span.of((1, 2, 3, 4)).model_fields_set == set(Span.model_fields)
    # The same question gets the same (cached) answer, equal to a fresh catalog's.
    again = StepCatalog(tmp_path / "demo")
    for info in infos:
        assert catalog.get_step_info(info.step_name) is info
        assert again.get_step_info(info.step_name) == info


def test_shared_parts_of_answers_cannot_be_changed_through_one(tmp_path: Path) -> None:
    """A step's registry data and variants are objects shared by its answer and its nodes':
    they refuse changes, yet read, compare, dump, validate and copy as the plain dicts they
    were; file paths built from their folder's ``Path`` equal ``Path(str)``."""
    shutil.copytree(DEMO, tmp_path / "demo")
    catalog = StepCatalog(tmp_path / "demo")
    step = next(s for s in catalog.list_available_steps() if catalog.get_job_type_variants(s))
    info = catalog.get_step_info(step)
    node = catalog.resolve_pipeline_node(f"{step}_{catalog.get_job_type_variants(step)[0]}")
    assert info is not None and node is not None and info.registry_data
    assert node.registry_data is info.registry_data and node.variants is info.variants
    with pytest.raises(TypeError):
        node.variants["x"] = node.variants[node.job_type or ""]
    before = dict(info.registry_data)
    data = info.registry_data
    for change in (
        lambda: data.__setitem__("x", 1),
        lambda: data.__delitem__(next(iter(data))),
        lambda: data.update(x=1),
        lambda: data.setdefault("x", 1),
        lambda: data.pop(next(iter(data))),
        data.popitem,
        data.clear,
    ):
        with pytest.raises(TypeError):
            change()
    with pytest.raises(TypeError):
        data |= {"x": 1}
    assert node.registry_data == before and isinstance(info.registry_data, dict)
    mine = info.registry_data.copy()
    mine["x"] = 1  # a copy is the caller's own
    assert type(mine) is dict and "x" not in node.registry_data
    assert info.model_dump()["registry_data"] == before
    assert StepInfo.model_validate_json(info.model_dump_json()) == info
    assert pickle.loads(pickle.dumps(info)) == info == info.model_copy(deep=True)
    for answer in (info, node):
        for f in [*answer.file_components.values(), *answer.variants.values()]:
            if f is not None:
                assert f.path == Path(str(f.path)) and f.path.parts == Path(str(f.path)).parts


ASSIGN_PIECES = [
    b"STEP_NAMES = {\n",
    b"LOCAL_STEPS = {}\n",
    b'"""\n',
    b"'''",
    b'"',
    b"'",
    b"#",
    b"\\",
    b"\n",
    b"x = 1\n",
    b'T = """STEP_NAMES = {"""\n',
    b"  ",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(ASSIGN_PIECES), max_size=25))
def test_sections_are_found_as_with_the_whole_file_lexed(parts: list[bytes]) -> None:
    data = b"".join(parts)
    whole = QuotedRegions(data)
    expected = [m.span() for m in registry_scan.ASSIGN.finditer(data)]
    expected = [span for span in expected if not whole.contains(span[0])]
    assert [m.span() for m in registry_scan.assignments(data)] == expected


# Pieces of registry entry bodies: pairs whole and cut, comments (holding pairs), blanks, escapes.
BODY_PIECES = [
    b'"a": "b"',
    b"'c': 'd'",
    b'"": ""',
    b",",
    b" ",
    b"\n",
    b"\t",
    b"# x\n",
    b'# "e": "f"',
    b"#",
    b'"g\\"h": "i\\\\"',
    b'"j',
    b":",
    b"k",
    b"'",
]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(BODY_PIECES), max_size=14))
def test_entry_body_pairs_in_one_pass_equal_the_two_regexes(parts: list[bytes]) -> None:
    body = b"{" + b"".join(parts) + b"}"
    start, end = 1, len(body) - 1
    if registry_scan._BODY.fullmatch(body, start, end) is None:
        expected = None
    else:
        expected = registry_scan.PAIR.findall(body, start, end)
    assert registry_scan.body_pairs(body, start, end) == expected


# Bodies of double-quoted strings alone (the shape the split at quotes reads), cut and odd.
PLAIN_BODY_PIECES = [b'"a": "b"', b'"": ""', b'"c"', b",", b":", b" ", b"\n", b"\t", b"x", b'"']


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(PLAIN_BODY_PIECES), max_size=14))
def test_plain_body_split_at_quotes_equals_the_two_regexes(parts: list[bytes]) -> None:
    body = b"{" + b"".join(parts) + b"}"
    start, end = 1, len(body) - 1
    if registry_scan._BODY.fullmatch(body, start, end) is None:
        expected = None
    else:
        expected = registry_scan.PAIR.findall(body, start, end)
    assert registry_scan.body_pairs(body, start, end) == expected
    plain = registry_scan.plain_strings(body, start, end)
    if plain is not None:
        assert [(k, b"", v, b"") for k, v in zip(*plain, strict=True)] == expected


# Pieces of modules around registry sections: assignments at and off line starts, in strings.
ASSIGN_PIECES = [
    b"STEP_NAMES = {",
    b"LOCAL_STEPS: dict = {",
    b"_EXTRAS={",
    b"WORKSPACE_METADATA = {",
    b"STEP_OVERRIDES = {",
    b"STEP_NAMES",
    b"x",
    b" ",
    b"\n",
    b"=",
    b"{",
    b'"',
]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(ASSIGN_PIECES), max_size=20))
def test_assignments_found_from_the_names_equal_the_pattern_search(parts: list[bytes]) -> None:
    data = b"".join(parts)
    found = registry_scan.assign_matches(data)
    expected = list(registry_scan.ASSIGN.finditer(data))
    assert [m.span() for m in found] == [m.span() for m in expected]
    assert [m.group(1) for m in found] == [m.group(1) for m in expected]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["A", "B", "Ünï", "", "C d"]),
            st.lists(
                st.tuples(
                    st.sampled_from(["k", "x", "", "é"]), st.sampled_from(["v", "", "ü", "w"])
                ),
                max_size=4,
            ),
        ),
        max_size=6,
    )
)
def test_registry_fields_read_by_the_split_equal_the_long_way(
    rows: list[tuple[str, list[tuple[str, str]]]],
) -> None:
    body = "".join(
        f'    "{name}": {{' + "".join(f'"{k}": "{v}", ' for k, v in pairs) + "},\n"
        for name, pairs in rows
    )
    data = ("STEP_NAMES = {\n" + body + "}\n").encode()
    fast = registry_reader.read_registry("step_names.py", data)
    with patch.object(registry_reader, "plain_strings", lambda *args: None):
        slow = registry_reader.read_registry("step_names.py", data)

    def rows_of(facts: registry_reader.RegistryFacts) -> list[tuple[str, dict, object]]:
        return [(e.name, e.fields, e.key_span) for e in facts.sections.get("STEP_NAMES", [])]

    assert rows_of(fast) == rows_of(slow)
    assert [p.message for p in fast.problems] == [p.message for p in slow.problems]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=30), st.integers(0, 200))
def test_entry_body_found_by_byte_search_equals_the_pattern(parts: list[bytes], pos: int) -> None:
    data = b"".join(parts)
    pos = min(pos, len(data))
    fast = registry_reader._match_entry(data, pos)
    plain = registry_reader._ENTRY.match(data, pos)
    assert (fast is None) == (plain is None)
    if fast is not None and plain is not None:
        m, body_start, body_end, end = fast
        assert (m.start(), body_start, body_end, end) == (
            plain.start(),
            *plain.span(3),
            plain.end(),
        )
        assert [m.span(g) for g in (1, 2)] == [plain.span(g) for g in (1, 2)]
