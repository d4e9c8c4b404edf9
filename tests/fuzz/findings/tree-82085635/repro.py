"""Fuzz finding: exception in the cli (cli_text).

signature: exception|UnicodeEncodeError|catalog_core/cli/catalog_commands.py:78 in run_check
input: fixture 'demo', tree:bad_name
Run: python tests/fuzz/findings/tree-82085635/repro.py   (exits 1 while it reproduces; see traceback.txt)
"""

import faulthandler
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
FUZZ = HERE.parents[1] if (HERE.parents[1] / "campaign.py").exists() else Path('/work/wt-fuzz/tests/fuzz')
sys.path.insert(0, str(FUZZ))  # tests/fuzz
import campaign  # noqa: E402  (puts this checkout's catalog_core and stepcat_server first)

faulthandler.dump_traceback_later(120, exit=True)  # a hang prints where it is, then exits
root = campaign.build_tree(HERE)  # the fixture with this folder's files and tree operations
files, docs = campaign.finding_inputs(HERE, root)  # mutated paths; (path, text) documents
print("tree:", root)
sys.stdout.reconfigure(errors="strict")  # type: ignore[union-attr]

import catalog_core.cli  # noqa: E402
from catalog_core import StepCatalog  # noqa: E402
broken: list[str] = []
start = time.perf_counter()
code = catalog_core.cli.main(['check', 'ROOT'][:1] + [str(root)] + [])
print('exit code', code)
if code not in (0, 1):
    broken.append(f'exit code {code}')
for line in broken:
    print('BROKEN:', line)
sys.exit(1 if broken else 0)
