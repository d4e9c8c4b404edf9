"""What validating a config file needs to know about the catalog, as a small protocol, so the
rules can be tested against any registry and the catalog supplies the real one."""

from __future__ import annotations

from typing import Protocol


class ConfigContext(Protocol):
    def split_key(self, key: str) -> tuple[str, str | None] | None:
        """(registered step, suffix after it) of a config_types key, or None when no registered
        step starts it. Registry names decide (``XGBoostTraining`` is a step, not a suffix)."""

    def config_class_of(self, step: str) -> str | None:
        """The config class the registry declares for a step."""

    def step_of_config_class(self, config_class: str) -> str | None:
        """``CONFIG_STEP_REGISTRY[config_class]``."""

    def is_config_class(self, name: str) -> bool:
        """A class the registry names as a config class or a config file defines."""

    def is_step(self, name: str) -> bool:
        """A registered step name (never mistaken for a class name)."""

    def known_job_types(self) -> set[str]:
        """Job types known from variant specs, DAGs, settings and other config files."""

    def suggest_steps(self, name: str) -> list[str]:
        """Registered steps close to ``name``, best first."""
