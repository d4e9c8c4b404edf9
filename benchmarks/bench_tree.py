"""The Steps view's answers (``stepcat.stepTree``) on the synthetic catalog, before and after
the lazy tree, side by side in one run.

    python benchmarks/bench_tree.py [--steps 5000] [--rounds 3] [--baseline CHECKOUT]
                                    [--json out.json]

``--baseline`` is another checkout of stepcat (e.g. a ``git worktree`` at the commit before);
each round runs one fresh interpreter per checkout, alternately, and each builds the index and
its problems first (not timed: the server has them before a view asks). Timed, as CPU time of
the server's handler (the answer as JSON-ready dicts, the transport not included):

- ``full``: the whole tree at once (what the view asked before: every step's components);
- ``open``: what the view asks when it opens (the workspaces, then the shared workspace's
  steps), and ``expand``: one step's components (median over 50 steps);
- the JSON size of each answer (what crosses the pipe to the editor);
- ``shape_check``: deciding whether an edit (a comment added to a script) changed what the
  views show, i.e. whether ``stepcat/catalogChanged`` is sent (median over 7 edits).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

from harness import ensure_tree, report

HERE = Path(__file__).resolve().parent
REPO = HERE.parent

PROBE = r"""
import json, statistics, sys, time
import catalog_core
from catalog_core.api import StepCatalog
from stepcat_server.features import views

catalog = StepCatalog(sys.argv[1])
catalog.problems()
out = {"code": catalog_core.__file__}
t = time.process_time()
full = views.step_tree(catalog, "utf-16")
out["full_s"] = time.process_time() - t
out["full_bytes"] = len(json.dumps(full))
out["steps"] = sum(len(w["steps"]) for w in full)
if hasattr(views, "tree_level"):
    fresh = StepCatalog(sys.argv[1])  # nothing memoised by the full tree above
    fresh.problems()
    t = time.process_time()
    roots = views.tree_level(fresh, "utf-16", None, None)
    steps = views.tree_level(fresh, "utf-16", "shared", None)
    out["open_s"] = time.process_time() - t
    out["open_bytes"] = len(json.dumps(roots)) + len(json.dumps(steps))
    names = [s["name"] for s in steps][:: max(1, len(steps) // 50)][:50]
    times = []
    for name in names:
        t = time.process_time()
        views.tree_level(fresh, "utf-16", "shared", name)
        times.append(time.process_time() - t)
    out["expand_s"] = statistics.median(times)
if hasattr(catalog, "shape_changed"):  # the catalogChanged decision after an edit
    import pathlib
    catalog.shape_changed(None)
    script = sorted(pathlib.Path(sys.argv[1], "src/cursus/steps/scripts").glob("*.py"))[7]
    text = script.read_text()
    times = []
    for i in range(7):
        changed = catalog.set_document(script, text + "\n# edit %d\n" % i)
        t = time.process_time()
        assert catalog.shape_changed(changed) is False
        times.append(time.process_time() - t)
    out["shape_check_s"] = statistics.median(times)
print(json.dumps(out))
"""


def run(checkout: Path, root: Path) -> dict[str, float]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(checkout), str(checkout / "server")])
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(root)],
        env=env,
        cwd=checkout,  # `-c` puts the working folder first on sys.path
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise SystemExit(f"{checkout}: {done.stderr[-2000:]}")
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--baseline", type=Path, help="another checkout, measured alternately")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    root = ensure_tree(args.steps)
    checkouts = {"this": REPO}
    if args.baseline is not None:
        checkouts = {"baseline": args.baseline.resolve(), **checkouts}
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in checkouts}
    for _ in range(args.rounds):
        for name, checkout in checkouts.items():
            runs[name].append(run(checkout, root))
    results: dict[str, object] = {"steps": runs["this"][0]["steps"], "load": os.getloadavg()[0]}
    for name, rows in runs.items():
        for key in rows[0]:
            if key == "code":
                results[f"{name}_code"] = rows[0][key]
            elif key != "steps":
                values = [r[key] for r in rows]
                results[f"{name}_{key}"] = statistics.median(values)
    report(results, args.json)


if __name__ == "__main__":
    main()
