"""The API boundary: ``StepCatalog`` and the plain data its editor analysis returns. Code
outside the core's lower layers (the server, the CLI, the importable registry, the integration
manager) imports from here, ``catalog_core`` and ``catalog_core.models`` only."""

from catalog_core.api.catalog import StepCatalog
from catalog_core.features.completion import Candidate, CompletionResult
from catalog_core.features.config_fields import (
    FieldCandidate,
    FieldCard,
    FieldCompletion,
    FieldKeyAt,
)
from catalog_core.features.configs import CatalogConfigContext
from catalog_core.features.dag_view import DagEdge, DagGraph, DagNode
from catalog_core.features.dag_view import to_dot as dag_dot
from catalog_core.features.dag_view import to_json_data as dag_json_data
from catalog_core.features.dag_view import to_mermaid as dag_mermaid
from catalog_core.features.migrate.convert import Note as MigrationNote
from catalog_core.features.migrate.plan import FileChange, MigrationPlan, StepMigration
from catalog_core.features.names import NameAt
from catalog_core.features.navigation import ClassCard, Reference, StepCard, Target
from catalog_core.features.rename import FileRename, RenamePlan, TextChange
from catalog_core.features.step_tree import TreeComponent, TreeStep, TreeWorkspace
from catalog_core.features.symbols import Symbol
from catalog_core.features.templates import NewFile
from catalog_core.fields import FieldSource
from catalog_core.problems.config_fixer import FixPlan, KeyEdit
from catalog_core.sources.environment import Environment, InstalledPackage
from catalog_core.sources.framework import InstalledFramework, describe_package, find_framework
from catalog_core.sources.framework_report import FrameworkReport, PackageReport, framework_report

__all__ = [
    "Candidate",
    "CatalogConfigContext",
    "ClassCard",
    "CompletionResult",
    "DagEdge",
    "DagGraph",
    "DagNode",
    "Environment",
    "FieldCandidate",
    "FieldCard",
    "FieldCompletion",
    "FieldKeyAt",
    "FieldSource",
    "FileChange",
    "FileRename",
    "FixPlan",
    "FrameworkReport",
    "InstalledFramework",
    "InstalledPackage",
    "KeyEdit",
    "MigrationNote",
    "MigrationPlan",
    "NameAt",
    "NewFile",
    "PackageReport",
    "Reference",
    "RenamePlan",
    "StepCard",
    "StepCatalog",
    "StepMigration",
    "Symbol",
    "Target",
    "TextChange",
    "TreeComponent",
    "TreeStep",
    "TreeWorkspace",
    "dag_dot",
    "dag_json_data",
    "dag_mermaid",
    "describe_package",
    "find_framework",
    "framework_report",
]
