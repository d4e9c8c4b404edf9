"""Editor settings: one typed, fully defaulted model, from ``initializationOptions`` and
``workspace/configuration`` (section ``stepcat``, per folder). Bad settings give a message and
the defaults, never a dead server."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

Level = Literal["error", "warning", "information", "hint", "off"]


class ServerSettings(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    severity: dict[str, Level] = Field(default_factory=dict, description="rule id -> level or off")
    disabled_rules: list[str] = Field(default_factory=list, alias="disabledRules")
    code_lens: bool = Field(True, alias="codeLens")
    job_types: list[str] = Field(default_factory=list, alias="jobTypes")
    check_syntax: bool = Field(True, alias="checkSyntax", description="parse open Python files")
    cache: bool = Field(
        True, description="keep the index in the user cache folder for a faster next start"
    )
    python: str | None = Field(
        None,
        description="the project's interpreter (the editor's selection): its environment's "
        "installed framework is indexed; else .venv/venv, VIRTUAL_ENV, CONDA_PREFIX",
    )

    def level(self, rule: str, default: str) -> str | None:
        """The level to show a rule at, or None when it is switched off."""
        if rule in self.disabled_rules:
            return None
        level = self.severity.get(rule, default)
        return None if level == "off" else level


def parse_settings(raw: Any) -> tuple[ServerSettings, str | None]:
    """Settings from a client's JSON, and an error message when some of it was invalid."""
    if raw is None:
        return ServerSettings(), None
    if isinstance(raw, dict) and isinstance(raw.get("stepcat"), dict):
        raw = raw["stepcat"]
    if not isinstance(raw, dict):
        return (
            ServerSettings(),
            f"stepcat settings must be an object, got {type(raw).__name__}; defaults used",
        )
    try:
        return ServerSettings.model_validate(raw), None
    except ValidationError as exc:
        bad = {str(e["loc"][0]) for e in exc.errors() if e["loc"]}
        kept = {k: v for k, v in raw.items() if k not in bad}
        details = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        try:
            settings = ServerSettings.model_validate(kept)
        except ValidationError:
            settings = ServerSettings()
        return settings, f"invalid stepcat settings ({details}); defaults used for those"
