"""Writes the JSON schemas the extension ships (schemas/*.json), from catalog_core:

- ``stepcat.schema.json``: ``stepcat.toml`` (and ``[tool.stepcat]``), generated from the
  ``CatalogSettings`` model, with the rule ids of ``catalog_core.problems.rules`` as the keys of
  ``severity``; for Even Better TOML (``evenBetterToml.schema.associations``), or any editor
  that validates TOML with a JSON schema;
- ``pipeline-config.schema.json``: pipeline config JSON files (README, "Pipeline config files"),
  contributed through ``jsonValidation``. Lenient: it only constrains files that have
  ``metadata.config_types``, so unrelated ``config_*.json`` files are left alone.

    PYTHONPATH=.. python scripts/schemas.py [--check]

``--check`` exits 1 when a committed schema differs from what would be written
(tests/test_vscode_extension.py runs it).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

SCHEMAS = Path(__file__).resolve().parent.parent / "schemas"
sys.path.insert(0, str(SCHEMAS.parent.parent))

from catalog_core.base.settings import CatalogSettings  # noqa: E402
from catalog_core.problems.rules import RULES, RULES_PAGE_URL  # noqa: E402

DRAFT = "http://json-schema.org/draft-07/schema#"


def stepcat_toml() -> dict[str, Any]:
    schema = CatalogSettings.model_json_schema()
    rule_ids = sorted(rule.id for rule in RULES)
    severity = schema["properties"]["severity"]
    severity["propertyNames"] = {"enum": rule_ids}
    severity["markdownDescription"] = f"Rule id -> severity or `off` ([rules]({RULES_PAGE_URL}))"
    ignores = schema["properties"]["per_file_ignores"]
    ignores["additionalProperties"]["items"] = {"enum": ["*", *rule_ids]}
    # draft-07 spelling (`definitions`), which Taplo (Even Better TOML) and VS Code both read
    schema = json.loads(json.dumps(schema).replace('"#/$defs/', '"#/definitions/'))
    schema["definitions"] = schema.pop("$defs", {})
    return {
        "$schema": DRAFT,
        "$id": "https://github.com/stepcat/stepcat/vscode-extension/schemas/stepcat.schema.json",
        "title": "stepcat.toml",
        "description": "stepcat settings of a root: stepcat.toml (top level) or [tool.stepcat] in pyproject.toml.",
        **{k: v for k, v in schema.items() if k not in ("title", "description")},
    }


def pipeline_config() -> dict[str, Any]:
    step_name = {
        "type": "string",
        "pattern": "^[A-Za-z][A-Za-z0-9]*(_[A-Za-z0-9]+)*$",
        "description": "A step name: the registry's step, then _<job_type>, _<data_type>, _<mode> when set.",
    }
    checked = {
        "properties": {
            "metadata": {
                "type": "object",
                "properties": {
                    "config_types": {
                        "type": "object",
                        "description": "Step name -> config class. Keys are step names (CradleDataLoading_training), never class names.",
                        "propertyNames": step_name,
                        "additionalProperties": {
                            "type": "string",
                            "description": "The config class",
                        },
                    }
                },
            },
            "configuration": {
                "type": "object",
                "properties": {
                    "shared": {
                        "type": "object",
                        "description": "Fields every step's config shares",
                    },
                    "specific": {
                        "type": "object",
                        "description": "One entry per step name of metadata.config_types",
                        "propertyNames": step_name,
                        "additionalProperties": {
                            "type": "object",
                            "properties": {
                                "__model_type__": {
                                    "type": "string",
                                    "description": "The config class",
                                },
                                "__model_module__": {"type": "string", "description": "Its module"},
                                "job_type": {"type": "string"},
                                "step_name_override": {"type": "string"},
                            },
                        },
                    },
                },
            },
        },
    }
    return {
        "$schema": DRAFT,
        "$id": "https://github.com/stepcat/stepcat/vscode-extension/schemas/pipeline-config.schema.json",
        "title": "Pipeline config",
        "description": "A pipeline config JSON file: metadata.config_types maps step names to config classes; configuration.specific holds one entry per step.",
        "type": "object",
        "if": {
            "required": ["metadata"],
            "properties": {"metadata": {"required": ["config_types"]}},
        },
        "then": checked,
    }


def render() -> dict[str, str]:
    schemas = {
        "stepcat.schema.json": stepcat_toml(),
        "pipeline-config.schema.json": pipeline_config(),
    }
    return {
        name: json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
        for name, schema in schemas.items()
    }


def main() -> int:
    check = "--check" in sys.argv
    stale = []
    for name, text in render().items():
        path = SCHEMAS / name
        if check:
            if not path.exists() or path.read_text() != text:
                stale.append(name)
        else:
            SCHEMAS.mkdir(exist_ok=True)
            path.write_text(text)
    if stale:
        print(f"stale: {', '.join(stale)} (run python vscode-extension/scripts/schemas.py)")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
