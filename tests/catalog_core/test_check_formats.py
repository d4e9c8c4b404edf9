"""``stepcat check`` for CI: each output format against what its consumer documents, rule
selection, ``--fail-on`` and file arguments (what the pre-commit hook passes)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from catalog_core.api import rules
from catalog_core.cli import main, output
from catalog_core.models import Problem, Severity, Span

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "examples" / "demo"
DEMO_RULES = {
    "missing-contract",
    "config-unknown-job-type",
    "missing-spec",
    "unlinked-component",
    "interface-unknown-key",
}
DEMO_PROBLEMS = 5  # README's Quick start shows them
CONFIG = DEMO / "pipeline_configs" / "config_xgboost_pipeline.json"
REGISTRY = DEMO / "src" / "cursus" / "registry" / "step_names.py"


def check(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["check", *args])
    return code, capsys.readouterr().out


@pytest.fixture(autouse=True)
def at_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)  # paths are printed relative to the current folder
    monkeypatch.delenv("STEPCAT_ROOTS", raising=False)


def tricky(tmp_path: Path) -> list[Problem]:
    """Problems with what each format must escape, a multi-line span and no path."""
    path = tmp_path / "a, b" / "x:y%.py"
    return [
        Problem.at(
            path,
            "dag-unknown-step",
            Severity.ERROR,
            "100% wrong:\nsee, here",
            Span.of((2, 4, 2, 9)),
        ),
        Problem.at(
            path, "duplicate-step", Severity.WARNING, 'twice <&> "q"', Span.of((0, 0, 3, 1))
        ),
        Problem.at(
            path, "duplicate-step", Severity.WARNING, 'twice <&> "q"', Span.of((7, 0, 7, 1))
        ),
        Problem.at(None, "missing-root", Severity.HINT, "gone", Span.of((0, 0, 0, 0))),
    ]


# -- json ----------------------------------------------------------------------------------------


def test_json_is_the_documented_list_with_1_based_positions(capsys) -> None:
    code, out = check(capsys, "examples/demo", "--format", "json")
    rows = json.loads(out)
    assert code == 0 and {r["rule"] for r in rows} == DEMO_RULES
    keys = {"path", "line", "column", "end_line", "end_column", "severity", "rule", "message",
            "step", "workspace", "url", "data"}  # fmt: skip
    assert all(set(r) == keys for r in rows)
    config = next(r for r in rows if r["rule"] == "config-unknown-job-type")
    assert (config["path"], config["line"], config["column"]) == (
        "examples/demo/pipeline_configs/config_xgboost_pipeline.json", 57, 7)  # fmt: skip
    assert config["url"] == rules.BY_ID["config-unknown-job-type"].url
    # the same positions as the text output
    code, text = check(capsys, "examples/demo", "-q")
    for row, line in zip(rows, text.splitlines(), strict=True):
        assert line.startswith(f"{row['path']}:{row['line']}:{row['column']}: {row['severity']} ")


# -- GitHub workflow commands --------------------------------------------------------------------

# docs.github.com, "Workflow commands for GitHub Actions": ::{command} {parameters}::{message};
# parameters are comma-separated key=value; '%', CR and LF are escaped in the message, and ':'
# and ',' as well in parameter values (%25, %0D, %0A, %3A, %2C).
ESCAPED = r"(?:[^%\r\n]|%25|%0D|%0A)"
PROPERTY_VALUE = r"(?:[^%\r\n:,]|%25|%0D|%0A|%3A|%2C)*"
WORKFLOW_COMMAND = re.compile(
    rf"^::(error|warning|notice) ((?:file|line|col|endLine|endColumn|title)={PROPERTY_VALUE}"
    rf"(?:,(?:file|line|col|endLine|endColumn|title)={PROPERTY_VALUE})*)::({ESCAPED}*)$"
)


def _unescape(value: str) -> str:
    return (
        value.replace("%0A", "\n").replace("%0D", "\r").replace("%3A", ":").replace("%2C", ",")
    ).replace("%25", "%")


def test_github_annotations_follow_the_workflow_command_syntax(capsys, tmp_path) -> None:
    lines = output.github(tricky(tmp_path), tmp_path).splitlines()
    assert len(lines) == 4  # the four tricky problems
    parsed = []
    for line in lines:
        m = WORKFLOW_COMMAND.match(line)
        assert m, line
        props = dict(kv.split("=", 1) for kv in m.group(2).split(","))
        parsed.append(
            (m.group(1), {k: _unescape(v) for k, v in props.items()}, _unescape(m.group(3)))
        )
    kind, props, message = parsed[0]
    assert kind == "error" and message == "100% wrong:\nsee, here"
    assert props == {"file": "a, b/x:y%.py", "line": "3", "col": "5", "endLine": "3",
                     "endColumn": "10", "title": "stepcat (dag-unknown-step)"}  # fmt: skip
    kind, props, _ = parsed[1]  # several lines: no columns (GitHub refuses them)
    assert kind == "warning" and props == {"file": "a, b/x:y%.py", "line": "1", "endLine": "4",
                                           "title": "stepcat (duplicate-step)"}  # fmt: skip
    assert parsed[3][:2] == ("notice", {"title": "stepcat (missing-root)"})


def test_github_format_on_the_demo(capsys) -> None:
    code, out = check(capsys, "examples/demo", "--format", "github")
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == DEMO_PROBLEMS and all(WORKFLOW_COMMAND.match(line) for line in lines)
    assert (
        "::warning file=examples/demo/pipeline_configs/config_xgboost_pipeline.json,line=57,col=7,"
        in out
    )


# -- GitLab Code Quality -------------------------------------------------------------------------


def test_gitlab_code_quality_fields(capsys, tmp_path) -> None:
    # docs.gitlab.com, "Code Quality", report format: an array of objects with description,
    # check_name, fingerprint (unique), severity (info, minor, major, critical, blocker),
    # location.path (relative to the repository) and location.lines.begin (or positions).
    issues = json.loads(output.gitlab(tricky(tmp_path), tmp_path))
    assert isinstance(issues, list) and len(issues) == 4
    for issue in issues:
        assert isinstance(issue["description"], str) and issue["description"]
        assert isinstance(issue["check_name"], str)
        assert re.fullmatch(r"[0-9a-f]{64}", issue["fingerprint"])
        assert issue["severity"] in {"info", "minor", "major", "critical", "blocker"}
        assert isinstance(issue["location"]["path"], str)
        assert not issue["location"]["path"].startswith("/")
        assert isinstance(issue["location"]["lines"]["begin"], int)
        assert issue["location"]["lines"]["begin"] >= 1
    assert len({i["fingerprint"] for i in issues}) == 4  # the two same-message duplicates too
    assert [i["severity"] for i in issues] == ["major", "minor", "minor", "info"]
    _, out = check(capsys, "examples/demo", "--format", "gitlab")
    first = json.loads(out)
    assert {i["check_name"] for i in first} == DEMO_RULES
    assert json.loads(check(capsys, "examples/demo", "--format", "gitlab")[1]) == first  # stable


# -- JUnit XML -----------------------------------------------------------------------------------


def test_junit_xml_has_what_ci_servers_read(capsys, tmp_path) -> None:
    # The common JUnit XML schema (Jenkins' junit-10.xsd; GitLab, Azure, CircleCI read it):
    # testsuites > testsuite(name, tests, failures, errors) > testcase(name, classname) with
    # optional failure(message, type) and text.
    root = ET.fromstring(output.junit(tricky(tmp_path), tmp_path))
    assert root.tag == "testsuites" and root.get("tests") == "4" and root.get("failures") == "4"
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [str(Path("a, b/x:y%.py")), "<catalog>"]
    total = 0
    for suite in suites:
        cases = suite.findall("testcase")
        assert suite.get("tests") == str(len(cases)) == suite.get("failures")
        assert suite.get("errors") == "0" and suite.get("skipped") == "0"
        for case in cases:
            assert case.get("name") and case.get("classname")
            failure = case.find("failure")
            assert failure is not None and failure.get("message") and failure.get("type")
            total += 1
    assert total == 4
    assert suites[0].find("testcase/failure").get("message") == "100% wrong:\nsee, here"  # type: ignore[union-attr]
    assert suites[0].find("testcase").get("line") == "3"  # type: ignore[union-attr]


def test_junit_without_problems_is_one_passing_case(capsys) -> None:
    code, out = check(capsys, "examples/demo", "--format", "junit", "--select", "dag-")
    root = ET.fromstring(out)
    assert code == 0 and root.get("failures") == "0"
    cases = root.findall("testsuite/testcase")
    assert len(cases) == 1 and cases[0].find("failure") is None


# -- SARIF 2.1.0 ---------------------------------------------------------------------------------


def test_sarif_has_described_rules_and_1_based_results(capsys, tmp_path) -> None:
    # OASIS SARIF 2.1.0 (errata01), the properties code scanning consumers read: version,
    # runs[].tool.driver.{name, rules[]}, reportingDescriptor {id, shortDescription.text,
    # fullDescription.text, helpUri, defaultConfiguration.level}, result {ruleId, ruleIndex,
    # level, message.text, locations[].physicalLocation.{artifactLocation.uri, region}}.
    _, out = check(capsys, "examples/demo", "--format", "sarif")
    doc = json.loads(out)
    assert doc["version"] == "2.1.0" and len(doc["runs"]) == 1
    run = doc["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "stepcat"
    assert ("informationUri" in driver) is not rules.REPOSITORY_URL_IS_PLACEHOLDER
    ids = [r["id"] for r in driver["rules"]]
    assert ids == [r.id for r in rules.RULES] and len(set(ids)) == len(ids)
    for descriptor in driver["rules"]:
        doc_rule = rules.BY_ID[descriptor["id"]]
        assert descriptor["shortDescription"]["text"] == doc_rule.summary
        assert descriptor["fullDescription"]["text"] == doc_rule.explanation
        assert descriptor["helpUri"] == doc_rule.url
        assert descriptor["defaultConfiguration"]["level"] in {"none", "note", "warning", "error"}
    assert run["columnKind"] == "unicodeCodePoints"
    assert run["originalUriBaseIds"]["ROOT"]["uri"].endswith("/")
    results = run["results"]
    assert {r["ruleId"] for r in results} == DEMO_RULES
    for result in results:
        assert ids[result["ruleIndex"]] == result["ruleId"]
        assert result["level"] in {"none", "note", "warning", "error"}
        assert result["message"]["text"]
        (location,) = result["locations"]
        physical = location["physicalLocation"]
        assert not physical["artifactLocation"]["uri"].startswith("/")
        assert physical["artifactLocation"]["uriBaseId"] == "ROOT"
        region = physical["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1
        assert (region["endLine"], region["endColumn"]) >= (
            region["startLine"],
            region["startColumn"],
        )
    config = next(r for r in results if r["ruleId"] == "config-unknown-job-type")
    assert config["locations"][0]["physicalLocation"]["region"]["startLine"] == 57
    assert config["locations"][0]["physicalLocation"]["region"]["startColumn"] == 7


# -- selection, --fail-on, file arguments -------------------------------------------------------


def test_select_and_ignore_take_ids_and_prefixes(capsys) -> None:
    _, out = check(capsys, "examples/demo", "-q", "--select", "missing-")
    assert {line.split("[")[1].split("]")[0] for line in out.splitlines()} == {
        "missing-contract",
        "missing-spec",
    }
    _, out = check(
        capsys, "examples/demo", "-q", "--select", "missing-,config-", "--ignore", "missing-spec"
    )
    assert {line.split("[")[1].split("]")[0] for line in out.splitlines()} == {
        "missing-contract",
        "config-unknown-job-type",
    }
    _, out = check(
        capsys,
        "examples/demo",
        "-q",
        "--ignore",
        "missing-",
        "--ignore",
        "unlinked-component",
        "--ignore",
        "interface-",
    )
    assert len(out.splitlines()) == 1


def test_an_unknown_rule_pattern_is_a_usage_error(capsys) -> None:
    assert main(["check", "examples/demo", "--ignore", "dag-unknwon"]) == 2
    assert "--ignore: no rule matches dag-unknwon" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("fail_on", "code"),
    [("error", 0), ("warning", 1), ("information", 1), ("hint", 1), ("never", 0)],
)
def test_fail_on(capsys, fail_on: str, code: int) -> None:
    assert check(capsys, "examples/demo", "-q", "--fail-on", fail_on)[0] == code


def test_fail_on_counts_only_reported_problems(capsys) -> None:
    assert (
        check(capsys, "examples/demo", "-q", "--fail-on", "information", "--select", "unlinked-")[0]
        == 1
    )
    assert (
        check(capsys, "examples/demo", "-q", "--fail-on", "warning", "--select", "unlinked-")[0]
        == 0
    )


def test_errors_fail_by_default(capsys, tmp_path: Path) -> None:
    root = tmp_path / "demo"
    shutil.copytree(DEMO, root)
    dag = root / "pipelines" / "broken.py"
    dag.write_text(
        "from cursus.api.dag.base_dag import PipelineDAG\ndag = PipelineDAG()\ndag.add_node('Nope')\n"
    )
    code, out = check(capsys, str(root), "-q")
    assert code == 1 and "[dag-unknown-step]" in out
    assert check(capsys, str(root), "-q", "--fail-on", "never")[0] == 0


def test_file_arguments_report_only_those_files(capsys) -> None:
    code, out = check(capsys, str(REGISTRY.relative_to(REPO)), str(CONFIG.relative_to(REPO)), "-q")
    lines = out.splitlines()
    assert code == 0 and len(lines) == 2
    assert lines[0].startswith("examples/demo/pipeline_configs/config_xgboost_pipeline.json:57:7: ")
    assert lines[1].startswith("examples/demo/src/cursus/registry/step_names.py:43:6: ")
    # checked against the whole catalog of the file's project (examples/demo has a pyproject):
    # bob's registry is not among the files, so its missing-contract is not reported
    assert "missing-contract" not in out


def test_file_arguments_with_an_explicit_root(capsys, monkeypatch) -> None:
    monkeypatch.chdir(DEMO)
    _, out = check(capsys, ".", "src/cursus/registry/step_names.py", "-q", "--format", "json")
    assert [(r["path"], r["rule"]) for r in json.loads(out)] == [
        ("src/cursus/registry/step_names.py", "missing-spec")
    ]


def test_a_file_with_no_problem_gives_an_empty_report(capsys) -> None:
    spec = DEMO / "src/cursus/steps/specs/tabular_preprocessing_training_spec.py"
    code, out = check(capsys, str(spec), "--format", "json")
    assert code == 0 and json.loads(out) == []


def test_a_missing_path_is_a_usage_error(capsys) -> None:
    assert main(["check", "examples/demo/nope.py"]) == 2
    assert "no such file or folder: examples/demo/nope.py" in capsys.readouterr().err
