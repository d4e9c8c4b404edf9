"""The workspace context: set / get / clear / the context manager, the environment fallback,
and isolation between threads and asyncio tasks that switch contexts at the same time (a
global variable fails the same scenarios, which the last tests prove)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from catalog_core.step_names import (
    STEP_NAMES,
    clear_workspace_context,
    get_step_names,
    get_workspace_context,
    set_workspace_context,
    workspace_context,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
MULTI = (FIXTURES / "multi" / "shared", FIXTURES / "multi" / "alice")
DESCRIPTION = {  # what XGBoostTraining's description is in each context
    None: "XGBoost model training step",
    "alice": "XGBoost training with Alice's early stopping",
}

pytestmark = pytest.mark.usefixtures("isolated_library")


@pytest.fixture(autouse=True)
def multi(isolated_library) -> None:
    isolated_library(*MULTI)


def described() -> str:
    """What the live mapping says in the current context."""
    return STEP_NAMES["XGBoostTraining"]["description"]


def test_set_get_clear() -> None:
    assert get_workspace_context() is None and described() == DESCRIPTION[None]
    set_workspace_context("alice")
    assert get_workspace_context() == "alice" and described() == DESCRIPTION["alice"]
    clear_workspace_context()
    assert get_workspace_context() is None and described() == DESCRIPTION[None]


def test_the_context_manager_restores_the_previous_context_even_on_error() -> None:
    set_workspace_context("bob")
    with pytest.raises(RuntimeError), workspace_context("alice"):
        assert described() == DESCRIPTION["alice"]
        raise RuntimeError("boom")
    assert get_workspace_context() == "bob"
    clear_workspace_context()
    with workspace_context("alice"):
        with workspace_context(None):
            assert described() == DESCRIPTION[None]
        assert described() == DESCRIPTION["alice"]
    assert get_workspace_context() is None


@pytest.mark.parametrize("variable", ["STEPCAT_WORKSPACE_ID", "CURSUS_WORKSPACE_ID"])
def test_environment_fallback(monkeypatch: pytest.MonkeyPatch, variable: str) -> None:
    assert described() == DESCRIPTION[None]
    monkeypatch.setenv(variable, "alice")  # set after first use: still seen
    assert get_workspace_context() == "alice" and described() == DESCRIPTION["alice"]
    with workspace_context("shared"):  # an explicit context wins over the environment
        assert described() == DESCRIPTION[None]
    monkeypatch.setenv(variable, "")
    assert get_workspace_context() is None and described() == DESCRIPTION[None]


def test_stepcat_variable_wins_over_the_cursus_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CURSUS_WORKSPACE_ID", "bob")
    monkeypatch.setenv("STEPCAT_WORKSPACE_ID", "alice")
    assert get_workspace_context() == "alice" and described() == DESCRIPTION["alice"]


@pytest.mark.parametrize("bad,error", [(7, TypeError), ("", ValueError), ("  ", ValueError)])
def test_bad_workspace_ids_are_refused(bad: object, error: type[Exception]) -> None:
    with pytest.raises(error):
        set_workspace_context(bad)  # type: ignore[arg-type]
    with pytest.raises(error), workspace_context(bad):  # type: ignore[arg-type]
        pass


# -- concurrency -------------------------------------------------------------------------------

Setter = Callable[[str | None], None]
Reader = Callable[[], str]
WORKERS = ["alice", None] * 4  # half of the workers in each context


def real_set(ws: str | None) -> None:
    if ws is None:
        clear_workspace_context()
    else:
        set_workspace_context(ws)


_GLOBAL: dict[str, str | None] = {"ws": None}


def global_set(ws: str | None) -> None:
    """What the framework's fallback did: one process-wide value."""
    _GLOBAL["ws"] = ws


def global_read() -> str:
    return get_step_names(_GLOBAL["ws"])["XGBoostTraining"]["description"]


def run_threads(set_ctx: Setter, read: Reader) -> list[str]:
    """Every thread sets its context, waits until all have, reads, switches to the other
    context, waits again, reads again. Returns what any thread saw wrongly."""
    barrier = threading.Barrier(len(WORKERS))
    wrong: list[str] = []

    def worker(ws: str | None) -> None:
        other = None if ws else "alice"
        for current in (ws, other):
            set_ctx(current)
            barrier.wait()
            for _ in range(50):
                if read() != DESCRIPTION[current]:
                    wrong.append(f"thread in {current!r} saw {read()!r}")
            barrier.wait()

    threads = [threading.Thread(target=worker, args=(ws,)) for ws in WORKERS]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return wrong


async def run_tasks(set_ctx: Setter, read: Reader) -> list[str]:
    """The same with asyncio tasks on one loop, yielding to each other between reads."""
    wrong: list[str] = []
    arrived = [0, 0]
    phases = [asyncio.Event(), asyncio.Event()]

    async def task(ws: str | None) -> None:
        other = None if ws else "alice"
        for phase, current in enumerate((ws, other)):
            set_ctx(current)
            arrived[phase] += 1
            if arrived[phase] == len(WORKERS):
                phases[phase].set()
            await phases[phase].wait()
            for _ in range(20):
                if read() != DESCRIPTION[current]:
                    wrong.append(f"task in {current!r} saw {read()!r}")
                await asyncio.sleep(0)
        with workspace_context("alice"):
            await asyncio.sleep(0)
            if read() != DESCRIPTION["alice"]:
                wrong.append("task lost its context manager's context")
        if read() != DESCRIPTION[other]:
            wrong.append("task's context not restored after the context manager")

    await asyncio.gather(*(task(ws) for ws in WORKERS))
    return wrong


def test_threads_never_see_each_others_context() -> None:
    assert run_threads(real_set, described) == []
    assert get_workspace_context() is None  # the main thread is untouched


async def test_asyncio_tasks_never_see_each_others_context() -> None:
    assert await run_tasks(real_set, described) == []
    assert get_workspace_context() is None


def test_threads_each_running_asyncio_tasks_at_once() -> None:
    results: list[list[str]] = []
    threads = [
        threading.Thread(target=lambda: results.append(asyncio.run(run_tasks(real_set, described))))
        for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [[]] * 4


def test_a_global_variable_fails_the_thread_scenario() -> None:
    assert run_threads(global_set, global_read) != []


async def test_a_global_variable_fails_the_task_scenario() -> None:
    assert await run_tasks(global_set, global_read) != []
