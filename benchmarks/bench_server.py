"""Language server benchmark through a real LSP client over stdio (pytest-lsp's client), N = 5,000.

    python benchmarks/bench_server.py [--steps 5000] [--requests 400] [--layout 1.x|interface]
                                      [--json out.json]

Measures, in one run: the engine's cold index in this process (the comparison point); the
time from sending ``initialized`` to the first correct definition answer; definition, hover
and completion latencies (p50/p99) on a DAG document; and how long after a ``didChange`` /
``didSave`` the changed file's diagnostics are published (push, VS Code capabilities).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import random
import statistics
import sys
import time
from pathlib import Path

from harness import WORK, ensure_tree, percentile, report
from lsprotocol import types
from pytest_lsp import client_capabilities
from pytest_lsp.client import make_test_lsp_client

from catalog_core import StepCatalog


def dag_text(manifest: dict, count: int, seed: int = 4) -> tuple[str, list[str]]:
    rng = random.Random(seed)
    nodes = []
    for name in rng.sample(sorted(manifest["steps"]), count):
        variants = list(manifest["steps"][name]["variants"])
        nodes.append(f"{name}_{rng.choice(variants)}" if variants and rng.random() < 0.6 else name)
    lines = ['"""A benchmark DAG."""', ""] + [f'dag.add_node("{n}")' for n in nodes]
    return "\n".join(lines) + "\n", nodes


def expected_spec(manifest: dict, node: str) -> str:
    """The spec a node's definition must lead to first: its variant spec, else the base spec
    (in the interface-first layout: the step's interface)."""
    if manifest.get("layout") == "interface":
        step = node if node in manifest["steps"] else node.rsplit("_", 1)[0]
        return manifest["steps"][step]["interface"]
    if node in manifest["steps"]:
        return manifest["steps"][node]["files"]["spec"]
    step, job = node.rsplit("_", 1)
    return manifest["steps"][step]["variants"][job]


async def published(client, uri: str, code: str, present: bool, timeout: float = 30) -> None:
    """Until the file's last published diagnostics do (or do not) include ``code``. Wakes on
    each publishDiagnostics; the client keeps the last set per file, so none is missed."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while any(d.code == code for d in client.diagnostics.get(uri, [])) != present:
        if loop.time() > deadline:
            raise TimeoutError(f"{code} {'never' if present else 'still'} published on {uri}")
        waiter = client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(waiter, 0.01)


async def timed(coro) -> tuple[float, object]:
    start = time.perf_counter()
    result = await coro
    return time.perf_counter() - start, result


async def run(root: Path, requests: int) -> dict[str, float]:
    manifest = json.loads((root / "manifest.json").read_text())
    dag_path = WORK / "bench_dag.py"  # outside the root: answered from the folder's catalog
    text, nodes = dag_text(manifest, requests)
    dag_path.write_text(text)
    dag_uri = dag_path.as_uri()

    client = make_test_lsp_client()

    @client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(params: types.RegistrationParams) -> None:
        return None

    await client.start_io(sys.executable, "-m", "stepcat_server")
    results: dict[str, float] = {}
    client.capabilities = client_capabilities("visual-studio-code")
    await client.initialize_async(
        types.InitializeParams(
            capabilities=client.capabilities,
            process_id=None,
            workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name=root.name)],
        )
    )
    start = time.perf_counter()
    client.initialized(types.InitializedParams())
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=dag_uri, language_id="python", version=1, text=text
            )
        )
    )
    first = await client.text_document_definition_async(
        types.DefinitionParams(
            text_document=types.TextDocumentIdentifier(uri=dag_uri),
            position=types.Position(line=2, character=15),
        )
    )
    results["initialized_to_first_definition_s"] = time.perf_counter() - start
    assert first and first[0].target_uri == (root / expected_spec(manifest, nodes[0])).as_uri(), (
        first
    )

    # Steady state: wait for the start-up sweep (all diagnostics, cache warm-up) to finish.
    await client.workspace_symbol_async(types.WorkspaceSymbolParams(query="barrier"))
    doc = types.TextDocumentIdentifier(uri=dag_uri)
    positions = [types.Position(line=2 + i, character=15) for i in range(len(nodes))]
    for label, request in (
        (
            "definition",
            lambda p: client.text_document_definition_async(
                types.DefinitionParams(text_document=doc, position=p)
            ),
        ),
        (
            "hover",
            lambda p: client.text_document_hover_async(
                types.HoverParams(text_document=doc, position=p)
            ),
        ),
        (
            "completion",
            lambda p: client.text_document_completion_async(
                types.CompletionParams(text_document=doc, position=p)
            ),
        ),
    ):
        times = []
        for position in positions:
            elapsed, answer = await timed(request(position))
            assert answer, f"{label} must answer"
            times.append(elapsed)
        results[f"{label}_p50_s"] = statistics.median(times)
        results[f"{label}_p99_s"] = percentile(times, 99)

    version = 1
    latencies: dict[str, list[float]] = {"didChange": [], "didSave": []}
    for i in range(40):
        version += 1
        broken = i % 2 == 0
        new_text = text + ('dag.add_node("NoSuchStepAnywhere")\n' if broken else "")
        sent = time.perf_counter()
        if i % 4 < 2:
            client.text_document_did_change(
                types.DidChangeTextDocumentParams(
                    text_document=types.VersionedTextDocumentIdentifier(
                        uri=dag_uri, version=version
                    ),
                    content_changes=[types.TextDocumentContentChangeWholeDocument(text=new_text)],
                )
            )
            kind = "didChange"
        else:
            dag_path.write_text(new_text)
            client.text_document_did_change(
                types.DidChangeTextDocumentParams(
                    text_document=types.VersionedTextDocumentIdentifier(
                        uri=dag_uri, version=version
                    ),
                    content_changes=[types.TextDocumentContentChangeWholeDocument(text=new_text)],
                )
            )
            client.text_document_did_save(types.DidSaveTextDocumentParams(text_document=doc))
            kind = "didSave"
        await published(client, dag_uri, "dag-unknown-step", broken)
        latencies[kind].append(time.perf_counter() - sent)
    latencies.update(await component_edits(client, root, manifest, nodes[0]))
    for kind, values in latencies.items():
        results[f"diagnostics_after_{kind}_p50_s"] = statistics.median(values)
        results[f"diagnostics_after_{kind}_max_s"] = max(values)
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    dag_path.write_text(text)
    return results


async def component_edits(
    client, root: Path, manifest: dict, node: str, rounds: int = 20
) -> dict[str, list[float]]:
    """A catalog file edited and saved: a contract's ``entry_point`` broken and repaired. The
    index is updated and the contract's diagnostics republished (entry-point-not-found)."""
    step = node if node in manifest["steps"] else node.rsplit("_", 1)[0]
    if manifest.get("layout") == "interface":  # the interface's contract.entry_point
        path = root / manifest["steps"][step]["interface"]
        original = path.read_text()
        script = original.split("entry_point: ", 1)[1].split("\n", 1)[0]
        broken_text = original.replace(f"entry_point: {script}", "entry_point: no_such_script.py")
    else:
        path = root / manifest["steps"][step]["files"]["contract"]
        original = path.read_text()
        script = Path(manifest["steps"][step]["files"]["script"]).name
        broken_text = original.replace(f'"{script}"', '"no_such_script.py"')
    assert broken_text != original
    uri = path.as_uri()
    doc = types.TextDocumentIdentifier(uri=uri)
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri, language_id="python", version=1, text=original
            )
        )
    )
    await client.workspace_symbol_async(types.WorkspaceSymbolParams(query="barrier"))
    times: dict[str, list[float]] = {"component_didChange": [], "component_didSave": []}
    try:
        for i in range(rounds):
            broken = i % 2 == 0
            new_text = broken_text if broken else original
            save = i % 4 >= 2
            sent = time.perf_counter()
            if save:
                path.write_text(new_text)
            client.text_document_did_change(
                types.DidChangeTextDocumentParams(
                    text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=i + 2),
                    content_changes=[types.TextDocumentContentChangeWholeDocument(text=new_text)],
                )
            )
            if save:
                client.text_document_did_save(types.DidSaveTextDocumentParams(text_document=doc))
            await published(client, uri, "entry-point-not-found", broken)
            times["component_didSave" if save else "component_didChange"].append(
                time.perf_counter() - sent
            )
    finally:
        path.write_text(original)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=5000)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--layout", choices=("1.x", "interface"), default="1.x")
    args = parser.parse_args()
    if args.layout == "interface":
        from bench_interfaces import interface_tree

        root = interface_tree(args.steps)
    else:
        root = ensure_tree(args.steps)
    cold = []
    for _ in range(3):
        start = time.perf_counter()
        StepCatalog(root)
        cold.append(time.perf_counter() - start)
    results = {"engine_cold_index_s": statistics.median(cold)}
    results.update(asyncio.run(run(root, args.requests)))
    results["first_definition_minus_cold_index_s"] = (
        results["initialized_to_first_definition_s"] - results["engine_cold_index_s"]
    )
    report(results, args.json)


if __name__ == "__main__":
    main()
