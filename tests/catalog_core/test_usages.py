"""Step names in DAG calls: which calls count (comments do not, strings holding '#' do not
comment anything out) and the exact span of each name."""

from __future__ import annotations

import pytest

from catalog_core.facts.usages import scan_python_usages


@pytest.mark.parametrize(
    ("source", "names"),
    [
        (b'dag.add_node("Foo")', ["Foo"]),
        (b"dag.add_edge('A_training', 'B')", ["A_training", "B"]),
        (b'x = "#"; dag.add_node("Foo")', ["Foo"]),  # a '#' inside a string is no comment
        (b"y = 'a#b'; dag.add_edge('A', 'B')", ["A", "B"]),
        (b'x = "\\"#"; dag.add_node("Q")', ["Q"]),  # an escaped quote does not end the string
        (b'# dag.add_node("Foo")', []),
        (b'x = 1  # dag.add_node("Foo")', []),
        (b'x = "a"  # "b" dag.add_node("Foo")', []),
        (b'dag.add_node(\n    "Multi",\n)', ["Multi"]),
    ],
)
def test_names_in_dag_calls(source: bytes, names: list[str]) -> None:
    assert [u.name for u in scan_python_usages(source)] == names


def test_a_name_spans_the_text_between_its_quotes() -> None:
    [usage] = scan_python_usages(b'x = "#"\ndag.add_node("CradleDataLoading_training")\n')
    assert (usage.call, usage.span) == ("add_node", (1, 14, 1, 40))
