"""``StepCatalog``: the API boundary. Every method is a one-line delegation to a feature
module (``catalog_core.features``) over the index, and returns plain data (the models of
``catalog_core.models`` or the result types of the features). The server, the CLI, the
importable registry and the integration manager use this object and nothing below it.

Contexts: ``workspace_id=None`` answers from the shared tree, or from the developer workspace
that defines a step the shared tree lacks; ``"shared"`` answers from the shared tree only; a
developer id answers from that workspace, its copies winning over shared ones per component.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from catalog_core.base.settings import CatalogSettings
from catalog_core.facts.config_document import ConfigDocument
from catalog_core.features import (
    checking,
    completion,
    config_fields,
    configs,
    dag_view,
    interface_attributes,
    interface_help,
    lookup,
    names,
    navigation,
    registry_rows,
    rename,
    search,
    step_tree,
    steps,
    symbols,
    templates,
)
from catalog_core.features.catalog_shape import CatalogShape
from catalog_core.features.completion import CompletionResult
from catalog_core.features.config_fields import FieldCard, FieldCompletion, FieldKeyAt
from catalog_core.features.configs import CatalogConfigContext
from catalog_core.features.dag_view import DagGraph
from catalog_core.features.migrate import plan as migration
from catalog_core.features.migrate.plan import MigrationPlan
from catalog_core.features.names import NameAt
from catalog_core.features.navigation import ClassCard, Reference, StepCard, Target
from catalog_core.features.rename import RenamePlan
from catalog_core.features.step_tree import TreeComponent, TreeStep, TreeWorkspace
from catalog_core.features.symbols import Symbol
from catalog_core.features.templates import NewFile
from catalog_core.index.catalog_index import CatalogIndex
from catalog_core.models import (
    ComponentFile,
    ComponentRef,
    ComponentType,
    FileMetadata,
    Problem,
    RegistryRow,
    StepInfo,
    StepSearchResult,
    TreeInfo,
    WorkspaceInfo,
)
from catalog_core.problems.config_fixer import FixPlan
from catalog_core.sources.framework import NO_FRAMEWORK, InstalledFramework
from catalog_core.sources.framework_report import FrameworkReport, framework_report

PathLike = str | os.PathLike[str]


class StepCatalog:
    """Static, multi-workspace index of steps and their component files. Never imports them."""

    def __init__(
        self,
        roots: PathLike | Iterable[PathLike],
        *,
        settings: CatalogSettings | None = None,
        progress: Callable[[str, int, int], None] | None = None,
        framework: InstalledFramework | None = None,
        cache: bool | None = None,
    ) -> None:
        """Index ``roots`` (a folder or several) and, below them, the ``framework`` installed
        in the project's environment (``find_framework``; None: none). ``progress(message,
        done, total)`` is called during builds. ``cache``: start from the index persisted in
        the user cache folder by the last run, and persist this one (None: unless
        ``STEPCAT_CACHE=off`` or a root's ``cache = false``; the answers are the same)."""
        if isinstance(roots, (str, os.PathLike)):
            roots = [roots]
        self._db = CatalogIndex(
            list(roots), settings, progress, framework or NO_FRAMEWORK, cache=cache
        )
        self._shape = CatalogShape()

    # -- state -----------------------------------------------------------------------------------

    @property
    def roots(self) -> list[Path]:
        """The workspace roots (never the installed framework's read-only packages)."""
        return [Path(r) for r, _ in self._db.roots if not self._db.in_package(r)]

    @property
    def package_roots(self) -> list[Path]:
        """The installed framework's packages indexed below the workspaces (read-only)."""
        return [Path(r) for r in self._db.package_roots]

    @property
    def framework(self) -> InstalledFramework:
        """The environment and the installed framework's packages this catalog indexes."""
        return self._db.framework

    def framework_report(self) -> FrameworkReport:
        """Which framework this catalog uses (package, workspace or none), for status and logs."""
        return framework_report(self.framework, self._db.workspace_paths)

    @property
    def generation(self) -> int:
        """Bumped by every change; answers of one generation never change."""
        return self._db.generation

    def update(self, changed_paths: Iterable[PathLike]) -> set[Path] | None:
        """Re-read only these files (deleted ones included); the result equals a full rebuild.
        Returns the files whose problems may have changed (None: any file may have)."""
        return _paths(self._db.update(changed_paths))

    def refresh(self) -> None:
        self._db.build()

    def set_document(self, path: PathLike, text: str) -> set[Path] | None:
        """Use an editor's unsaved text for ``path`` instead of the disk (see ``update``)."""
        return _paths(self._db.set_buffer(path, text))

    def close_document(self, path: PathLike) -> set[Path] | None:
        """Return ``path`` to its disk contents (see ``update``)."""
        return _paths(self._db.drop_buffer(path))

    def set_extra_job_types(self, job_types: Iterable[str]) -> None:
        """Job types known beyond the catalog's own (e.g. from editor settings)."""
        self._db.set_extra_job_types(job_types)

    def warm(self) -> None:
        """Build, ahead of need, what the first question of a kind would otherwise pay for."""
        search.search_steps(self._db, "warm")
        steps.job_type_sources(self._db)

    # -- steps (seeds/001) ----------------------------------------------------------------------

    def get_step_info(
        self, step_name: str, job_type: str | None = None, *, workspace_id: str | None = None
    ) -> StepInfo | None:
        """A step (or, with ``job_type``, one of its pipeline nodes); None when unknown."""
        return steps.get_step_info(self._db, step_name, job_type, workspace_id)

    def resolve_pipeline_node(
        self, node_name: str, *, workspace_id: str | None = None
    ) -> StepInfo | None:
        """``CradleDataLoading_training`` -> the step with its ``training`` variant spec (or the
        base spec when that job type has no variant). Registered names win over splitting."""
        return steps.resolve_pipeline_node(self._db, node_name, workspace_id)

    def split_node_name(
        self, node_name: str, workspace_id: str | None = None
    ) -> tuple[str, str | None] | None:
        """(step, job type) of a node name; None when it names no step."""
        return steps.split_node_name(self._db, node_name, workspace_id)

    def canonical_name(self, name: str, workspace_id: str | None = None) -> str | None:
        """The registered step a name means: exact, else normalised (``tabular_preprocessing``)."""
        return steps.canonical_name(self._db, name, workspace_id)

    def list_available_steps(
        self, workspace_id: str | None = None, job_type: str | None = None
    ) -> list[str]:
        """Step names, all of them or those a workspace defines (registers or has files for),
        optionally only those with a variant spec for ``job_type``."""
        return steps.list_available_steps(self._db, workspace_id, job_type)

    def get_job_type_variants(
        self, base_step_name: str, *, workspace_id: str | None = None
    ) -> list[str]:
        """Job types that have a variant spec for the step, sorted."""
        return steps.job_type_variants(self._db, base_step_name, workspace_id)

    def get_shared_components(
        self, base_step_name: str, *, workspace_id: str | None = None
    ) -> dict[str, FileMetadata | None]:
        """The components every job-type variant shares: script, contract, builder, config."""
        return steps.shared_components(self._db, base_step_name, workspace_id)

    def step_summary(
        self, step: str, workspace_id: str | None = None
    ) -> tuple[str, str, list[str]] | None:
        """(SageMaker step type, workspace whose definition it is, job types with a variant
        spec): what lists of steps show, cheaper than a StepInfo."""
        return steps.step_summary(self._db, step, workspace_id)

    def known_job_types(self, excluding: PathLike | None = None) -> list[str]:
        """Job types known from defaults, settings, variant specs, DAG modules and config files;
        ``excluding`` leaves one file's own uses out (so a typo does not excuse itself)."""
        return steps.known_job_types(self._db, excluding)

    def is_known_job_type(self, job_type: str, excluding: PathLike | None = None) -> bool:
        return job_type.lower() in steps.known_job_types(self._db, excluding)

    def search_steps(self, query: str, job_type: str | None = None) -> list[StepSearchResult]:
        """Exact, normalised and fuzzy matches, scored 0..1, one per step, best first."""
        return search.search_steps(self._db, query, job_type)

    # -- registries, files and workspaces ------------------------------------------------------

    def registry_rows(self, workspace_id: str | None = None) -> list[RegistryRow]:
        """The entries one layer declares, in file order: the core's (None or "shared"), else a
        developer workspace's own local steps and overrides."""
        return registry_rows.rows(self._db, workspace_id)

    def registry_fields(self, workspace_id: str | None = None) -> dict[str, dict[str, Any]]:
        """name -> fields of the entries one layer declares (what ``registry_rows`` holds,
        without positions: the importable registry's tables are built from it)."""
        return registry_rows.fields(self._db, workspace_id)

    def registry_rows_in(self, path: PathLike) -> list[RegistryRow]:
        """Every entry a registry module declares (an editor's unsaved text included)."""
        return registry_rows.rows_in(self._db, path)

    def steps_with_class(
        self, class_name: str, field: str = "config_class", workspace_id: str | None = None
    ) -> list[str]:
        """Steps whose registry entry names ``class_name`` in ``field`` (``config_class`` or
        ``builder_step_name``), in a workspace's context."""
        return registry_rows.steps_with_class(self._db, class_name, field, workspace_id)

    def component_files(self, workspace_id: str | None = None) -> list[ComponentFile]:
        """Every indexed component file (of one workspace, when given)."""
        return lookup.component_files(self._db, workspace_id)

    def component_trees(self, workspace_id: str | None = None) -> list[TreeInfo]:
        """The ``steps/`` folders (of one workspace) with their component folders."""
        return lookup.component_trees(self._db, workspace_id)

    def registry_modules(self, workspace_id: str | None = None) -> dict[Path, list[str]]:
        """Registry modules (of one workspace) and the sections each declares."""
        return lookup.registry_modules(self._db, workspace_id)

    def component_at(self, path: PathLike) -> ComponentRef | None:
        """What an indexed component file is and which steps use it."""
        return lookup.component_at(self._db, path)

    def find_step_by_component(self, component_path: PathLike) -> str | None:
        """The step a component file belongs to (any path form); None for unknown files."""
        return lookup.find_step_by_component(self._db, component_path)

    def resolve_path(self, path: PathLike) -> str | None:
        """The indexed file a path means: absolute, relative to a root, with '..', symlinked,
        or a unique trailing part (``contracts/x_contract.py``)."""
        return lookup.resolve_path(self._db, path)

    def list_workspaces(self) -> list[WorkspaceInfo]:
        return lookup.list_workspaces(self._db)

    def developer_ids(self) -> list[str]:
        return lookup.developer_ids(self._db)

    def workspace_of(self, path: PathLike) -> str:
        """The workspace a path (indexed or not) belongs to."""
        return lookup.workspace_of(self._db, path)

    def line_text(self, path: str, line: int) -> str:
        """One line of a file as the index sees it (unsaved editor text wins)."""
        return lookup.line_text(self._db, path, line)

    def counts(self) -> dict[str, int]:
        """How much the index holds: steps, component files, workspaces."""
        return lookup.counts(self._db)

    # -- problems ------------------------------------------------------------------------------

    def problems(self, path: PathLike | None = None) -> list[Problem]:
        """Every problem (or those located in one file), config files included, severities as
        configured. Computed on demand and kept until the next change."""
        return checking.problems(self._db, path)

    def step_problems(self, info: StepInfo) -> list[Problem]:
        """The problems about one step: naming it, or in its files and registry entry."""
        return checking.step_problems(self._db, info)

    def python_files(self) -> list[Path]:
        """Every Python file the index read or located: components, registries, DAG modules."""
        return checking.python_files(self._db)

    def text_problems(self, path: PathLike, text: str) -> list[Problem]:
        """Problems of Python text that is no file of the catalog (a notebook cell), as if it
        were written at ``path``."""
        return checking.text_problems(self._db, path, text)

    def check_syntax(self, paths: Iterable[PathLike] | None = None) -> list[Problem]:
        """Fully parse Python files (default: ``python_files()``) and report where each stops
        parsing. On demand only: indexing itself never parses whole files."""
        return checking.check_syntax(self._db, paths)

    # -- pipeline config files -----------------------------------------------------------------

    def config_files(self) -> list[Path]:
        """The pipeline config JSON files under the roots (those with metadata.config_types)."""
        return [Path(p) for p in configs.config_files(self._db).documents()]

    def config_document(self, path: PathLike) -> ConfigDocument | None:
        """A config file (or its open editor buffer) read with positions; None if not a config."""
        return configs.config_document(self._db, path)

    def config_context(self, path: PathLike | None = None) -> CatalogConfigContext:
        """What the config_types rules ask the catalog, for one file."""
        return configs.config_context(self._db, path)

    def config_problems(self, path: PathLike | None = None) -> list[Problem]:
        """config_types problems of one config file, or of all of them."""
        return configs.config_problems(self._db, path)

    def fix_config_types(self, text: str, path: PathLike) -> tuple[str, FixPlan]:
        """A config file's text with class-name keys rewritten to step names, and the plan."""
        return configs.fix_config_text(self._db, text, path)

    # -- editor analysis (positions: 0-based lines, code-point columns) ---------------------------

    def name_at(
        self, path: str, text: str, line: int, character: int, lines: Sequence[str] | None = None
    ) -> NameAt | None:
        """The step, node or class name under a position of a document (unsaved text)."""
        return names.name_at(self._db, path, text, line, character, lines)

    def resolve_name(self, name: str, context: str | None) -> StepInfo | None:
        """A step or node name in a workspace's context, falling back to the whole catalog."""
        return navigation.resolve(self._db, name, context)

    def definition_targets(self, ref: NameAt, context: str | None) -> list[Target]:
        """Where a name leads: the node's spec, then script, contract, builder, config."""
        return navigation.definition_targets(self._db, ref, context)

    def step_targets(self, info: StepInfo) -> list[Target]:
        return navigation.step_targets(self._db, info)

    def step_card(self, name: str, context: str | None) -> StepCard | None:
        """What a hover shows for a step or node name."""
        return navigation.step_card(self._db, name, context)

    def class_card(self, ref: NameAt) -> ClassCard | None:
        """What a hover shows for a config or builder class name."""
        return navigation.class_card(self._db, ref)

    def interface_key_help(self, dotted: str) -> str | None:
        """What a key of a ``*.step.yaml`` means (hover), by its dotted schema path."""
        return interface_help.key_doc(dotted)

    def references(self, step: str) -> list[Reference]:
        """Every place a step's name is written (registries, DAGs, specs, config files)."""
        return navigation.references(self._db, step)

    # -- rename, DAG graphs, the step tree ----------------------------------------------------------

    def plan_rename(self, old: str, new: str, *, rename_files: bool = True) -> RenamePlan:
        """Every change that renames step ``old`` to ``new`` (``plan.error``: why not)."""
        return rename.plan_rename(self._db, old, new, rename_files=rename_files)

    def check_new_step_name(self, old: str, new: str) -> str | None:
        """Why ``new`` cannot be the new name of step ``old``; None when it can."""
        return rename.check_new_name(self._db, old, new)

    def dag_graph(self, path: PathLike, line: int | None = None) -> DagGraph | None:
        """The DAG a file writes (Python module, notebook, ``*.dag.json``) as a graph; with
        ``line``, in a module building one DAG per function, that function's DAG."""
        return dag_view.dag_graph(self._db, _real(path), line)

    def dag_node_at(self, path: PathLike, line: int, character: int) -> str | None:
        """The DAG node name written at a position of a DAG file."""
        return dag_view.node_at(self._db, _real(path), line, character)

    def step_tree(self) -> list[TreeWorkspace]:
        """Workspaces, their steps and the steps' components, with problem counts."""
        return step_tree.step_tree(self._db)

    def shape_changed(self, paths: Iterable[PathLike] | None) -> bool:
        """After a change of ``paths`` (those whose problems may differ; None: any), whether what
        the Steps and DAG views show changed since the last call (steps, their components and
        variants, problem counts per step); True on the first call."""
        changed = None if paths is None else {_real(p) for p in paths}
        return self._shape.changed(self._db, changed)

    def tree_workspaces(self) -> list[TreeWorkspace]:
        """The Steps tree's first level: workspaces with their step counts (no steps)."""
        return step_tree.tree_workspaces(self._db)

    def tree_steps(self, workspace_id: str) -> list[TreeStep] | None:
        """A workspace's steps in the Steps tree, without components; None: no such workspace."""
        return step_tree.tree_steps(self._db, workspace_id)

    def tree_components(self, workspace_id: str, step: str) -> list[TreeComponent] | None:
        """One step's components in the Steps tree; None: no such step node."""
        return step_tree.tree_components(self._db, workspace_id, step)

    def tree_owners(self, path: PathLike) -> list[tuple[str, str]]:
        """(workspace, step) of the Steps tree's step nodes a component file belongs to."""
        return step_tree.tree_owners(self._db, os.fspath(path))

    def complete(
        self, path: str, text: str, line: int, character: int, context: str | None
    ) -> CompletionResult | None:
        """Completion of step, node and config class names at a position."""
        return completion.complete(self._db, path, text, line, character, context)

    def field_key_at(self, path: str, text: str, line: int, character: int) -> FieldKeyAt | None:
        """The config field under a position: a config JSON's field key, an interface's
        ``compute.*_field`` / ``job_arguments[].source`` value."""
        return config_fields.field_key_at(self._db, path, text, line, character)

    def field_card(
        self, path: str, text: str, at: FieldKeyAt, context: str | None
    ) -> FieldCard | None:
        """What a hover on a config field shows (type, default, description, declaration)."""
        return config_fields.field_card(self._db, path, text, at, context)

    def complete_fields(
        self, path: str, text: str, line: int, character: int, context: str | None
    ) -> FieldCompletion | None:
        """Field names for a key being typed in ``configuration.shared`` / ``specific.<node>``,
        or config attribute names for a ``*.step.yaml`` value that names one."""
        return interface_attributes.complete_field_names(
            self._db, path, text, line, character, context
        )

    def workspace_symbols(self, query: str) -> list[Symbol]:
        return symbols.workspace_symbols(self._db, query)

    def new_component(self, step: str, kind: ComponentType) -> NewFile | None:
        """The file a "create the missing contract/spec" fix writes, from the step's siblings."""
        return templates.new_component(self._db, step, kind)

    def migrate(
        self,
        steps: Sequence[str] | None = None,
        *,
        keep_legacy: bool = False,
        dag_flavour: str = "plain",
    ) -> MigrationPlan:
        """1.x steps -> interfaces and Python DAGs -> DAG JSON, as a plan (nothing written)."""
        return migration.migrate(self._db, steps, keep_legacy=keep_legacy, dag_flavour=dag_flavour)


def _real(path: PathLike) -> str:
    return os.path.realpath(os.fspath(path))


def _paths(changed: set[str] | None) -> set[Path] | None:
    return None if changed is None else {Path(p) for p in changed}
