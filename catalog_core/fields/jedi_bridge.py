"""jedi as the second opinion on a base class the static reader could not follow.

jedi parses and infers; it is configured here so that it never runs an interpreter and never
imports anything from the project:

- no ``Environment`` (those start a Python subprocess: ``Script(environment=None)`` picks the
  default environment, which spawns ``sys.executable``, or the ``VIRTUAL_ENV`` interpreter, and
  an interpreter's start-up runs ``.pth`` files). ``_StdlibEnvironment`` is an
  ``InterpreterEnvironment``: inference stays in this process and jedi only reads files;
- the one thing jedi imports in-process is a *compiled* module it found but cannot parse (a C
  extension, a builtin): ``__import__(name)`` with ``sys.path`` swapped for the environment's
  own path. ``_StdlibEnvironment`` narrows that path to the standard library, and its
  ``load_module`` refuses every name that is neither already imported nor a standard-library
  module -- ``__import__`` also asks ``sys.meta_path`` finders (editable installs) that ignore
  ``sys.path``, and importing ``pkg.ext`` would run ``pkg/__init__.py``. The project's folders
  are only ``added_sys_path``, searched for source files;
- ``smart_sys_path=False``: no folders guessed from the file's location;
- jedi's optional ``from numpydoc.docscrape import ...`` (to read types from numpy-style
  docstrings) is turned off: it would import ``numpydoc`` from this process's sys.path, which
  may hold the working directory.

jedi reads the other modules from disk (an editor's unsaved text of the module asked about is
passed in; other open buffers are not seen by jedi).
"""

from __future__ import annotations

import os
import sys
import sysconfig
from dataclasses import dataclass
from typing import Any

from .model import Position


def _stdlib_paths() -> list[str]:
    paths: list[str] = []
    for key in ("stdlib", "platstdlib"):
        path = sysconfig.get_paths().get(key)
        if path and path not in paths:
            paths.append(path)
            dynload = os.path.join(path, "lib-dynload")
            if os.path.isdir(dynload) and dynload not in paths:
                paths.append(dynload)
    return paths


def _may_import(dotted_name: str) -> bool:
    """Importing it runs no project code: it is loaded already, or it is the stdlib's."""
    return dotted_name in sys.modules or dotted_name.split(".")[0] in sys.stdlib_module_names


def _no_numpydoc() -> None:
    from jedi.inference import docstrings  # type: ignore[import-untyped]

    if getattr(docstrings, "_numpy_doc_string_cache", ImportError()) is None:
        docstrings._numpy_doc_string_cache = ImportError("numpydoc is not imported by stepcat")


@dataclass(frozen=True, slots=True)
class JediClass:
    """A class jedi found: where it is defined and its dotted name (``pkg.mod.Name``)."""

    module_path: str
    name: str
    full_name: str | None
    position: Position


class JediLookup:
    """Infers what a base-class expression of a module refers to (jedi 0.19/0.20 API)."""

    def __init__(self, import_roots: list[str]) -> None:
        import jedi  # type: ignore[import-untyped]  # loaded on first use: ~50 ms
        from jedi.inference.compiled.subprocess import (  # type: ignore[import-untyped]
            InferenceStateSameProcess,
        )

        class _StdlibOnlyProcess(InferenceStateSameProcess):
            def load_module(self, *, dotted_name: str, **kwargs: Any) -> Any:
                if not _may_import(dotted_name):
                    return None  # jedi: "not importable"
                return self.__getattr__("load_module")(dotted_name=dotted_name, **kwargs)

        class _StdlibEnvironment(jedi.InterpreterEnvironment):
            """In-process inference whose own sys.path (the only place jedi may import a
            compiled module from) is the standard library."""

            def get_sys_path(self) -> list[str]:
                return _stdlib_paths()

            def get_inference_state_subprocess(self, inference_state: Any) -> Any:
                return _StdlibOnlyProcess(inference_state)

        _no_numpydoc()
        self._jedi = jedi
        self._environment = _StdlibEnvironment()
        root = import_roots[0] if import_roots else os.sep
        self._project = jedi.Project(
            root,
            added_sys_path=list(import_roots),
            smart_sys_path=False,
            load_unsafe_extensions=False,
        )

    def find_class(self, module_path: str, code: str, position: Position) -> JediClass | None:
        """The class the name at ``position`` (of the base expression) refers to, or None.

        ``infer`` first (it sees through ``X = make_base()`` and re-exports), then ``goto``."""
        try:
            script = self._jedi.Script(
                code, path=module_path, project=self._project, environment=self._environment
            )
        except Exception:
            return None
        line, column = position.line + 1, position.column
        for follow in (False, True):
            try:
                if follow:
                    names = script.goto(line, column, follow_imports=True)
                else:
                    names = script.infer(line, column)
            except Exception:  # jedi on arbitrary input: any failure is "no answer"
                continue
            for name in names:
                if name.type != "class" or name.module_path is None:
                    continue
                return JediClass(
                    module_path=str(name.module_path),
                    name=name.name,
                    full_name=name.full_name,
                    position=Position(max(0, (name.line or 1) - 1), name.column or 0),
                )
        return None
