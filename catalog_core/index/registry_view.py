"""The step registry as seen from a workspace: core ``STEP_NAMES`` layered with that workspace's
``LOCAL_STEPS`` and ``STEP_OVERRIDES`` (seeds/000). Also the reverse maps used for linking."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, Literal

from catalog_core.base.files import file_problem
from catalog_core.base.guard import Faults
from catalog_core.base.text import squash
from catalog_core.facts.registry_reader import RegistryEntry, RegistryFacts
from catalog_core.facts.registry_scan import EXTRAS_SECTION
from catalog_core.models import SHARED, Layout, Problem, Severity, Span

Source = Literal["core", "local", "override"]
INTERFACES = "INTERFACES"  # the section of rows derived from ``*.step.yaml`` (index.interfaces)


@dataclass(slots=True, frozen=True)
class Registered:
    """A registry entry together with the file that declares it and how it layers."""

    entry: RegistryEntry
    path: str
    source: Source

    @property
    def name(self) -> str:
        return self.entry.name

    @property
    def from_interface(self) -> bool:
        """Declared by a ``*.step.yaml`` (the interface-first layout), not by a registry module."""
        return self.entry.section == INTERFACES

    @property
    def layout(self) -> Layout:
        """How the step is defined (``models.Layout``)."""
        section = self.entry.section
        return (
            "interface"
            if section == INTERFACES
            else "extra"
            if section == EXTRAS_SECTION
            else "1.x"
        )

    def field(self, key: str) -> str:
        value = self.entry.fields.get(key)
        return value if isinstance(value, str) else ""


@dataclass(slots=True)
class _Layer:
    steps: dict[str, Registered] = field(default_factory=dict)
    by_config: dict[str, list[str]] = field(default_factory=dict)
    by_builder: dict[str, list[str]] = field(default_factory=dict)
    by_squash: dict[str, list[str]] = field(default_factory=dict)

    def add(self, reg: Registered) -> None:
        name = reg.name
        self.steps[name] = reg
        fields = reg.entry.fields
        squashed = squash(name)
        spec_type = fields.get("spec_type")
        for mapping, key in (
            (self.by_config, fields.get("config_class")),
            (self.by_builder, fields.get("builder_step_name")),
            (self.by_squash, squashed),
            (self.by_squash, squash(spec_type) if isinstance(spec_type, str) else ""),
        ):
            if not key or not isinstance(key, str):
                continue
            names = mapping.get(key)
            if names is None:
                mapping[key] = [name]  # the usual case: one step per key
            elif name not in names:
                names.append(name)
                names.sort(key=lambda n: (squash(n) != key, n))


@dataclass(slots=True)
class RegistryView:
    """All registry files of the catalog, layered per workspace."""

    core: _Layer = field(default_factory=_Layer)
    layers: dict[str, _Layer] = field(default_factory=dict)  # developer workspace -> local layer
    metadata: dict[str, dict[str, Any]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    # Steps defined both by an interface and by a 1.x row: the 1.x row the interface displaced.
    migrated: dict[str, Registered] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        files: dict[str, tuple[str, RegistryFacts]],
        faults: Faults | None = None,
        installed: Callable[[str], bool] = lambda path: False,
    ) -> RegistryView:
        """``files``: path -> (workspace id, facts). Deterministic in path order; the core's
        files in the workspaces before those of the ``installed`` framework (which lose)."""
        view = cls()
        faults = faults or Faults()
        order = sorted(files, key=lambda p: (files[p][0] != SHARED, installed(p), p))
        for path in order:  # core first
            workspace, facts = files[path]
            faults.run(
                path, "layering the registry", partial(view._add_file, workspace, path, facts), None
            )
        return view

    def _add_file(self, workspace: str, path: str, facts: RegistryFacts) -> None:
        if facts.metadata:
            self.metadata.setdefault(workspace, facts.metadata)
        for section, entries in facts.sections.items():
            for entry in entries:
                self._add(workspace, path, section, entry)

    def _add(self, workspace: str, path: str, section: str, entry: RegistryEntry) -> None:
        if not entry.name.strip():
            self.problems.append(
                file_problem(
                    path,
                    "invalid-registry-entry",
                    f"an empty step name in {section} names no step: give the entry a name",
                    Severity.ERROR,
                    Span.of(entry.key_span),
                )
            )
            return
        if workspace == SHARED:
            existing = self.core.steps.get(entry.name)
            if existing is not None and existing.path != path:
                new = Registered(entry, path, "core")
                if existing.from_interface != new.from_interface:  # mid-migration: both layouts
                    interface, old = (new, existing) if new.from_interface else (existing, new)
                    self.problems.append(_both_layouts(interface, old))
                    self.migrated[entry.name] = old
                    if new.from_interface:
                        self.core.add(new)  # the interface is what the framework loads
                    return
                self.problems.append(_twice(path, entry, existing))
                return
            self.core.add(Registered(entry, path, "core"))
            return
        layer = self.layers.setdefault(workspace, _Layer())
        in_core = entry.name in self.core.steps
        source: Source = (
            "override"
            if section == "STEP_OVERRIDES" or (section in ("STEP_NAMES", INTERFACES) and in_core)
            else "local"
        )
        if section == "STEP_OVERRIDES" and not in_core:
            self.problems.append(
                file_problem(
                    path,
                    "override-unknown-step",
                    f"STEP_OVERRIDES names '{entry.name}', which the core registry does not "
                    "define; move it to LOCAL_STEPS",
                    Severity.WARNING,
                    Span.of(entry.key_span),
                )
            )
            source = "local"
        elif section == "LOCAL_STEPS" and in_core:
            self.problems.append(
                file_problem(
                    path,
                    "local-shadows-core",
                    f"LOCAL_STEPS redefines core step '{entry.name}'; declare it in "
                    "STEP_OVERRIDES to make the override explicit",
                    Severity.INFORMATION,
                    Span.of(entry.key_span),
                )
            )
            source = "override"
        elif section == INTERFACES and in_core:
            self.problems.append(_pack_shadows(path, entry, self.core.steps[entry.name]))
        existing = layer.steps.get(entry.name)
        if existing is not None and existing.path != path:
            self.problems.append(_twice(path, entry, existing))
            return
        layer.add(Registered(entry, path, source))

    # -- lookups ---------------------------------------------------------------------------

    def lookup(self, workspace: str | None, name: str) -> Registered | None:
        if workspace and workspace != SHARED:
            layer = self.layers.get(workspace)
            if layer is not None and name in layer.steps:
                return layer.steps[name]
        return self.core.steps.get(name)

    def is_registered(self, name: str, workspace: str | None = None) -> bool:
        """Registered in the core or, for workspace None, in any workspace; else in that
        workspace's context."""
        if name in self.core.steps:
            return True
        if workspace is None:
            return any(name in layer.steps for layer in self.layers.values())
        layer = self.layers.get(workspace)
        return layer is not None and name in layer.steps

    def _layers(self, workspace: str | None) -> list[_Layer]:
        if workspace and workspace != SHARED and workspace in self.layers:
            return [self.layers[workspace], self.core]
        return [self.core]

    def steps_by_config_class(self, workspace: str | None, cls: str) -> list[str]:
        return [n for ly in self._layers(workspace) for n in ly.by_config.get(cls, ())]

    def steps_by_builder(self, workspace: str | None, cls: str) -> list[str]:
        return [n for ly in self._layers(workspace) for n in ly.by_builder.get(cls, ())]

    def steps_by_squash(self, workspace: str | None, key: str) -> list[str]:
        return [n for ly in self._layers(workspace) for n in ly.by_squash.get(key, ())]

    def step_by_squash(self, workspace: str | None, key: str) -> str | None:
        """The step a normalised name means: an exact name match first, then a spec_type."""
        for layer in self._layers(workspace):
            names = layer.by_squash.get(key)
            if names:
                return names[0]
        return None

    def names(self, workspace: str | None) -> set[str]:
        """Step names visible in a workspace's context (None or 'shared': the core)."""
        names = set(self.core.steps)
        if workspace and workspace != SHARED and workspace in self.layers:
            names |= set(self.layers[workspace].steps)
        return names

    def workspace_names(self, workspace: str) -> set[str]:
        """Step names the workspace itself registers (local steps and overrides)."""
        layer = self.layers.get(workspace)
        return set(layer.steps) if layer else set()

    def registered_in(self, workspace: str | None) -> dict[str, Registered]:
        """The entries one layer declares, in file order: the core's for None or 'shared', else
        the workspace's own local steps and overrides (empty for a workspace without any)."""
        if not workspace or workspace == SHARED:
            return dict(self.core.steps)
        layer = self.layers.get(workspace)
        return dict(layer.steps) if layer else {}

    def all_names(self) -> set[str]:
        names = set(self.core.steps)
        for layer in self.layers.values():
            names |= set(layer.steps)
        return names


def _twice(path: str, entry: RegistryEntry, existing: Registered) -> Problem:
    return file_problem(
        path,
        "duplicate-step",
        f"step '{entry.name}' is already registered in {Path(existing.path).name}; "
        "keep one definition per workspace",
        Severity.ERROR,
        Span.of(entry.key_span),
    )


def _both_layouts(interface: Registered, old: Registered) -> Problem:
    return file_problem(
        interface.path,
        "step-in-both-layouts",
        f"step '{interface.name}' is defined both by this interface and by the 1.x registry "
        f"entry ({_short(old.path)}) and files: the interface is used; remove the 1.x "
        "definition once migrated",
        Severity.WARNING,
        Span.of(interface.entry.key_span),
    )


def _pack_shadows(path: str, entry: RegistryEntry, core: Registered) -> Problem:
    return file_problem(
        path,
        "pack-shadows-package",
        f"step pack step '{entry.name}' shadows the framework's step '{core.name}' "
        f"({_short(core.path)}): the pack's interface is used here",
        Severity.WARNING,
        Span.of(entry.key_span),
    )


def _short(path: str) -> str:
    """The last folders of a path: enough to recognise a file in a message."""
    return "/".join(Path(path).parts[-2:])
