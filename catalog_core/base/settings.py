"""Per-root settings: one typed, fully defaulted model read from ``[tool.stepcat]``.

Read from ``stepcat.toml`` (top level) or ``pyproject.toml`` (``[tool.stepcat]``) in a root. Bad
settings never stop indexing: they become a positioned problem on the settings file and the
defaults are used for the fields that were wrong.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from catalog_core.base.files import MAX_SIZE, read_bytes
from catalog_core.base.globs import glob_match, pattern_error
from catalog_core.models import FILE_START, ComponentType, Problem, Severity, Span

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

DEFAULT_JOB_TYPES: tuple[str, ...] = ("training", "calibration", "validation", "testing")
DEFAULT_EXCLUDES: tuple[str, ...] = (
    ".git",
    ".hg",
    ".svn",
    "node_modules",
    "__pycache__",
    ".venv",
    "venv",
    ".tox",
    ".nox",
    ".mypy_cache",
    ".ruff_cache",
    ".pytest_cache",
    ".stepcat",
    "site-packages",
    "build",
    "dist",
)
MAX_FILE_SIZE = MAX_SIZE

RuleLevel = Literal["error", "warning", "information", "hint", "off"]


def _default_component_dirs() -> dict[ComponentType, list[str]]:
    return {
        ComponentType.SCRIPT: ["scripts"],
        ComponentType.CONTRACT: ["contracts"],
        ComponentType.SPEC: ["specs"],
        ComponentType.BUILDER: ["builders"],
        ComponentType.CONFIG: ["configs"],
    }


class CatalogSettings(BaseModel):
    """How a root is laid out. Every field has a default that fits the framework's layout."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    component_dirs: dict[ComponentType, list[str]] = Field(
        default_factory=_default_component_dirs,
        description="Subfolder names of a component tree, per component type",
    )
    tree_names: list[str] = Field(
        default_factory=lambda: ["steps"], description="Names of component-tree folders"
    )
    workspace_globs: list[str] = Field(
        default_factory=lambda: ["development/projects/*"],
        description="Path patterns of developer workspaces; '*' is the workspace id",
    )
    registry_files: list[str] = Field(
        default_factory=list, description="Extra registry modules (globs, relative to the root)"
    )
    workspace_id: str | None = Field(
        None, description="Declare the whole root a developer workspace with this id"
    )
    job_types: list[str] = Field(default_factory=list, description="Job types beyond the defaults")
    exclude: list[str] = Field(default_factory=list, description="Folder names or globs to skip")
    config_files: list[str] = Field(
        default_factory=lambda: ["**/*.json"],
        description="Pipeline config JSON candidates (those with metadata.config_types count)",
    )
    max_file_size: int = Field(MAX_FILE_SIZE, gt=0, description="Larger files are not read")
    cache: bool = Field(
        True, description="Keep the index in the user cache folder for the next start"
    )
    severity: dict[str, RuleLevel] = Field(
        default_factory=dict, description="Rule id -> severity or 'off'"
    )
    per_file_ignores: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Path glob (relative to the root) -> rule ids not reported there ('*': all)",
    )

    @field_validator("registry_files", "exclude", "config_files")
    @classmethod
    def _patterns(cls, patterns: list[str]) -> list[str]:
        for pattern in patterns:
            error = pattern_error(pattern)
            if error:
                raise ValueError(f"{pattern!r}: {error}")
        return patterns

    @field_validator("per_file_ignores")
    @classmethod
    def _ignore_patterns(cls, ignores: dict[str, list[str]]) -> dict[str, list[str]]:
        cls._patterns(list(ignores))
        return ignores

    @field_validator("tree_names", "workspace_globs")
    @classmethod
    def _names(cls, names: list[str]) -> list[str]:
        for name in names:
            error = pattern_error(name)
            if error:
                raise ValueError(f"{name!r}: {error}")
        return names

    def ignored(self, rel: str, rule: str) -> bool:
        """Whether ``per_file_ignores`` silences ``rule`` for a root-relative posix path."""
        for pattern, rules in self.per_file_ignores.items():
            if (rule in rules or "*" in rules) and glob_match(rel, pattern):
                return True
        return False

    def component_dir_names(self) -> dict[str, ComponentType]:
        """Folder name -> component type (first declaration wins)."""
        names: dict[str, ComponentType] = {}
        for component, folders in self.component_dirs.items():
            for folder in folders:
                names.setdefault(folder, component)
        return names

    def level_for(self, rule: str, default: Severity) -> Severity | None:
        level = self.severity.get(rule)
        if level is None:
            return default
        return None if level == "off" else Severity(level)


_SETTINGS_MAX_SIZE = 1024 * 1024


def _toml_section(path: Path) -> tuple[dict[str, Any] | None, Problem | None]:
    raw, problem = read_bytes(str(path), _SETTINGS_MAX_SIZE)
    if raw is None:
        reason = problem.message if problem is not None else "unreadable"
        return None, _settings_problem(path, f"cannot read settings file ({reason}); defaults used")
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        return None, _settings_problem(
            path, f"settings file is not UTF-8 ({exc.reason}); defaults used"
        )
    except tomllib.TOMLDecodeError as exc:
        return None, _settings_problem(path, f"invalid TOML, defaults used: {exc}")
    except RecursionError:
        return None, _settings_problem(path, "invalid TOML (nested too deeply); defaults used")
    except ValueError as exc:  # e.g. an integer too long for int()
        return None, _settings_problem(path, f"invalid TOML ({exc}); defaults used")
    if path.name == "pyproject.toml":
        tool = data.get("tool")
        section = tool.get("stepcat") if isinstance(tool, dict) else None
        if section is not None and not isinstance(section, dict):
            return None, _settings_problem(path, "[tool.stepcat] must be a table; defaults used")
        return section, None
    return data, None


def _settings_problem(path: Path, message: str, key: str | None = None) -> Problem:
    return Problem(
        rule="invalid-settings",
        severity=Severity.WARNING,
        message=message,
        path=path,
        span=_key_span(path, key) if key else FILE_START,
    )


def _key_span(path: Path, key: str) -> Span:
    """Where ``key = ...`` is written in a settings file (its first assignment), else the start."""
    raw, _ = read_bytes(str(path), _SETTINGS_MAX_SIZE)
    if raw is None:
        return FILE_START
    pattern = re.compile(rf"^[ \t]*[\"']?{re.escape(key)}[\"']?[ \t]*=", re.M)
    m = pattern.search(raw.decode("utf-8", "replace"))
    if m is None:
        return FILE_START
    text = m.string
    line = text.count("\n", 0, m.start())
    col = m.group().index(key[0]) if key else 0
    return Span(start_line=line, start_character=col, end_line=line, end_character=col + len(key))


def load_settings(root: Path) -> tuple[CatalogSettings, list[Problem]]:
    """Settings of ``root`` (stepcat.toml wins over pyproject.toml) and problems found in them."""
    for name in ("stepcat.toml", "pyproject.toml"):
        path = root / name
        if not path.is_file():
            continue
        section, problem = _toml_section(path)
        if problem is not None:
            return CatalogSettings(), [problem]
        if section is None:
            continue
        return validate_settings(section, path)
    return CatalogSettings(), []


def validate_settings(
    raw: dict[str, Any], source: Path | None = None
) -> tuple[CatalogSettings, list[Problem]]:
    """Validate a settings mapping; invalid fields fall back to their defaults, each reported."""
    try:
        return CatalogSettings.model_validate(raw), []
    except RecursionError:
        return CatalogSettings(), [
            _settings_problem(
                source or Path("stepcat.toml"), "settings nested too deeply; defaults used"
            )
        ]
    except ValidationError as exc:
        bad = {str(err["loc"][0]) for err in exc.errors() if err["loc"]}
        kept = {k: v for k, v in raw.items() if k not in bad and k in CatalogSettings.model_fields}
        problems = [
            _settings_problem(
                source or Path("stepcat.toml"),
                f"setting '{'.'.join(str(p) for p in err['loc'])}': {err['msg']}; default used",
                str(err["loc"][0]) if err["loc"] else None,
            )
            for err in exc.errors()
        ]
        try:
            return CatalogSettings.model_validate(kept), problems
        except ValidationError:  # pragma: no cover - kept fields were individually valid
            return CatalogSettings(), problems
