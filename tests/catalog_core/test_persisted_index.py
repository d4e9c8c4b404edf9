"""The persisted index (issue 17): a second process restores the snapshot the first one wrote
(``_db.warm``) and answers exactly as a cold build, after any edit between the two runs; the
switches turn it off; processes racing on the same roots leave a cache that reads back whole.
Hostile cache files are in ``test_persisted_index_hostile.py``."""

from __future__ import annotations

import os
import random
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from persisted_support import (
    age,
    answers,
    cold,
    leftovers,
    settle,
    the_cache_file,
)
from synth import generate

from catalog_core import StepCatalog
from catalog_core.base import cache_store

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
REPO = FIXTURES.parents[1]
PAST_SECONDS = 7200
LAYOUTS = ["irregular", "multi", "mixed", "broken", "v2", "v2_project", "v2_attributes"]


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache folder of this test alone (so ``the_cache_file`` is this test's)."""
    folder = tmp_path / "cache"
    monkeypatch.setenv(cache_store.DIR_VARIABLE, str(folder))
    monkeypatch.delenv(cache_store.SWITCH_VARIABLE, raising=False)
    return folder


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("synth")
    generate(root, 300, seed=17, dev_workspaces=2, dev_steps=10)
    age(root)
    settle()
    return root


@pytest.mark.parametrize("layout", LAYOUTS)
def test_unchanged_tree_starts_warm_and_answers_as_cold(layout, workspace_copy, cache_dir) -> None:
    root = workspace_copy(layout)
    age(root)
    settle()
    first = StepCatalog([root])
    assert not first._db.warm and the_cache_file().is_file()
    expected = cold([root])
    assert answers(first) == expected
    second = StepCatalog([root])
    assert second._db.warm
    assert answers(second) == expected
    assert leftovers() == []


def test_synthetic_catalog_starts_warm_and_answers_as_cold(synthetic, cache_dir) -> None:
    expected = cold([synthetic])
    assert len(expected["steps"]) >= 300
    StepCatalog([synthetic])
    warm = StepCatalog([synthetic])
    assert warm._db.warm
    assert answers(warm) == expected


def test_files_in_the_racy_window_are_read_again(workspace_copy, cache_dir) -> None:
    """Files written just before the snapshot are not trusted: an edit within the same clock
    tick (same size, the mtime set back) is still seen by the next start."""
    root = workspace_copy("irregular")
    StepCatalog([root])  # the copy's files are seconds old: all in the racy window
    spec = next(root.rglob("*_spec.py"))
    st_before = spec.stat()
    text = spec.read_text()
    spec.write_text(text.replace('"', "'"))  # same size
    os.utime(spec, ns=(st_before.st_atime_ns, st_before.st_mtime_ns))
    warm = StepCatalog([root])
    assert answers(warm) == cold([root])


# -- edits between two runs ------------------------------------------------------------------

STEPS = ["CradleDataLoading", "TabularPreprocessing", "XGBoostTraining", "Package", "NewStep"]
JOBS = ["training", "calibration", "validation", "testing"]


def _component_files(root: Path) -> list[Path]:
    return sorted(
        p
        for p in root.rglob("*")
        if p.is_file()
        and (p.suffix == ".py" or p.name.endswith(".step.yaml"))
        and ("steps" in p.parts or "step_pack" in p.parts or "registry" in p.parts)
    )


def _edit(root: Path, rng: random.Random) -> None:
    """One edit between two runs (content, deletion, creation, touch, interface, registry)."""
    files = _component_files(root)
    target = rng.choice(files)
    text = target.read_text(errors="replace")
    kind = rng.randrange(9)
    if kind == 0:  # rename a class
        text = re.sub(r"class (\w+)", f"class {rng.choice(STEPS)}Config", text, count=1)
    elif kind == 1:  # another step or sagemaker type
        text = re.sub(r'"(\w+)"', f'"{rng.choice(STEPS)}"', text, count=rng.randrange(1, 4))
    elif kind == 2:
        target.unlink()
        return
    elif kind == 3:  # a new spec, contract or builder
        step = rng.choice(STEPS)
        snake = re.sub(r"(?<!^)(?=[A-Z])", "_", step).lower()
        folder = rng.choice(sorted({p.parent for p in files}))
        name, body = rng.choice(
            [
                (
                    f"{snake}_{rng.choice(JOBS)}_spec.py",
                    f'S = StepSpecification(step_type=get_spec_step_type("{step}"))\n',
                ),
                (f"{snake}_contract.py", f'C = ScriptContract(entry_point="{snake}.py")\n'),
                (
                    f"builder_{snake}_step.py",
                    f"class {step}StepBuilder(StepBuilderBase):\n    pass\n",
                ),
            ]
        )
        (folder / name).write_text(body)
        return
    elif kind == 4:  # touched, content unchanged (mtime now)
        target.touch()
        return
    elif kind == 5:  # an interface's value
        interfaces = [p for p in files if p.name.endswith(".step.yaml")] or [target]
        target = rng.choice(interfaces)
        text = target.read_text(errors="replace")
        text = re.sub(r": (\w+)\n", lambda m: f": {m.group(1)}X\n", text, count=1)
    elif kind == 6:  # the registry
        registries = [p for p in files if "registry" in p.parts and p.stat().st_size] or [target]
        target = rng.choice(registries)
        text = target.read_text(errors="replace")
        text = re.sub(r'"sagemaker_step_type": "\w+"', '"sagemaker_step_type": "Training"', text)
        text = text.replace("{\n", '{\n    "NewStep": {"config_class": "NewStepConfig"},\n', 1)
    elif kind == 7:  # half-typed
        text = text[: rng.randrange(len(text) + 1)]
    else:  # the same size, other content, the old mtime (ctime and maybe inode change)
        st_old = target.stat()
        text = text.replace("a", "b", 1) if "a" in text else text.replace("b", "a", 1)
        target.write_text(text)
        os.utime(target, ns=(st_old.st_atime_ns, st_old.st_mtime_ns))
        return
    target.write_text(text)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    layout=st.sampled_from(["irregular", "multi", "v2", "v2_project", "mixed"]),
    seed=st.integers(0, 2**32 - 1),
    edits=st.integers(0, 5),
)
def test_edits_between_runs_warm_equals_cold(tmp_path_factory, layout, seed, edits) -> None:
    base = tmp_path_factory.mktemp("edits")
    root = base / layout
    shutil.copytree(FIXTURES / layout, root)
    age(root)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(cache_store.DIR_VARIABLE, str(base / "cache"))
        settle()
        StepCatalog([root])  # writes the snapshot; every file trusted
        rng = random.Random(seed)
        for _ in range(edits):
            _edit(root, rng)
        warm = StepCatalog([root])
        assert answers(warm) == cold([root])
        again = StepCatalog([root])  # from whatever the warm start left
        assert answers(again) == cold([root])


def _contents(root: Path) -> dict[Path, tuple[bytes, int]]:
    """Each file's bytes and mtime (a touch is an edit too: answers show the time)."""
    return {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in root.rglob("*") if p.is_file()}


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    layout=st.sampled_from(["irregular", "multi", "v2", "mixed"]),
    seed=st.integers(0, 2**32 - 1),
    edits=st.integers(1, 4),
)
def test_edits_after_a_warm_start_update_as_cold(tmp_path_factory, layout, seed, edits) -> None:
    """A warm start restores the links but makes the tables only updates read (which links
    and which files' checks read each key) when an update first asks: edits in the running
    process then answer as a cold build."""
    base = tmp_path_factory.mktemp("live")
    root = base / layout
    shutil.copytree(FIXTURES / layout, root)
    age(root)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(cache_store.DIR_VARIABLE, str(base / "cache"))
        settle()
        StepCatalog([root])  # writes the snapshot
        warm = StepCatalog([root])
        assert warm._db.warm
        before = _contents(root)
        rng = random.Random(seed)
        for _ in range(edits):
            _edit(root, rng)
        after = _contents(root)
        warm.update([p for p in before.keys() | after.keys() if before.get(p) != after.get(p)])
        assert answers(warm) == cold([root])


def test_content_change_with_the_old_mtime_is_seen(workspace_copy, cache_dir) -> None:
    root = workspace_copy("irregular")
    age(root)
    settle()
    StepCatalog([root])
    registry = next(root.rglob("step_names.py"))
    spec = next(p for p in root.rglob("*_spec.py") if "get_spec_step_type(" in p.read_text())
    old = spec.stat()
    text = spec.read_text()
    new = re.sub(r'get_spec_step_type\("(\w+)"\)', 'get_spec_step_type("Nope")', text, count=1)
    assert new != text
    spec.write_text(new)
    os.utime(spec, ns=(old.st_atime_ns, old.st_mtime_ns))
    assert spec.stat().st_mtime_ns == old.st_mtime_ns
    warm = StepCatalog([root])
    assert warm._db.warm and answers(warm) == cold([root])
    assert registry.exists()


def test_a_clock_that_went_backwards(workspace_copy, cache_dir) -> None:
    """Files stamped in the future (a clock set back since): an edit that sets times earlier
    than the recorded ones is still a change."""
    root = workspace_copy("v2")
    future = time.time() + 3600
    for path in root.rglob("*"):
        os.utime(path, (future, future))
    StepCatalog([root])
    target = next(root.rglob("*.step.yaml"))
    target.write_text(target.read_text().replace("\n", "\n# edited\n", 1))
    past = time.time() - PAST_SECONDS
    os.utime(target, (past, past))
    warm = StepCatalog([root])
    assert answers(warm) == cold([root])


# -- switches --------------------------------------------------------------------------------


def test_switches_write_nothing_and_never_start_warm(
    workspace_copy, cache_dir, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = workspace_copy("irregular")
    expected = cold([root])
    assert not cache_dir.exists() or os.listdir(cache_dir) == []  # cache=False wrote nothing
    for value in ("off", "0", "FALSE", "no"):
        monkeypatch.setenv(cache_store.SWITCH_VARIABLE, value)
        catalog = StepCatalog([root])
        assert not catalog._db.warm and answers(catalog) == expected
        assert cache_store.cache_files() == []
    monkeypatch.delenv(cache_store.SWITCH_VARIABLE)
    (root / "stepcat.toml").write_text("cache = false\n")
    for _ in range(2):
        catalog = StepCatalog([root])
        assert not catalog._db.warm
        assert cache_store.cache_files() == []
    (root / "stepcat.toml").unlink()
    (root / "pyproject.toml").write_text("[tool.stepcat]\ncache = false\n")
    assert not StepCatalog([root])._db.warm and cache_store.cache_files() == []
    (root / "pyproject.toml").write_text("[tool.stepcat]\ncache = true\n")
    age(root)
    settle()
    StepCatalog([root])
    assert StepCatalog([root])._db.warm
    assert not StepCatalog([root], cache=False)._db.warm  # the file is there, not used


# -- processes -------------------------------------------------------------------------------

_BUILD = (
    "import sys, json\n"
    "from catalog_core import StepCatalog\n"
    "from persisted_support import answers\n"
    "c = StepCatalog([sys.argv[1]])\n"
    "print(json.dumps({'warm': c._db.warm, 'answers': answers(c)}, sort_keys=True, default=str))\n"
)


def _process(root: Path) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(
            [str(REPO), str(REPO / "server"), str(Path(__file__).parent)]
        ),
    }
    return subprocess.Popen(
        [sys.executable, "-c", _BUILD, str(root)], env=env, stdout=subprocess.PIPE, text=True
    )


def test_racing_processes_leave_a_whole_cache(synthetic, cache_dir) -> None:
    import json

    expected = json.loads(json.dumps(cold([synthetic]), sort_keys=True, default=str))
    for _ in range(2):
        cache_store.clear()
        pair = [_process(synthetic), _process(synthetic)]
        for proc in pair:
            out, _ = proc.communicate(timeout=300)
            assert proc.returncode == 0
            assert json.loads(out)["answers"] == expected
        third = _process(synthetic)
        out, _ = third.communicate(timeout=300)
        result = json.loads(out)
        assert result["warm"] and result["answers"] == expected
        assert leftovers() == []
