"""The interface-first layout's facts in the index's terms: a ``*.step.yaml`` gives one registry
row (derived exactly as the framework derives ``STEP_NAMES``) and one component record that
plays the contract and spec roles of the 1.x layout, its ``variants:`` being the job-type
variants. Linking, checks and features then work on rows and records as for the 1.x layout.
"""

from __future__ import annotations

import os

from catalog_core.facts.interface_reader import InterfaceFacts
from catalog_core.facts.registry_reader import RegistryEntry, RegistryFacts
from catalog_core.index.records import ComponentRecord
from catalog_core.index.registry_view import INTERFACES
from catalog_core.models import ComponentType
from catalog_core.sources.discovery import PACK_FOLDER


def interface_row(facts: InterfaceFacts) -> RegistryFacts | None:
    """The registry row an interface declares, or None without a usable ``step_type``.
    ``config_class`` / ``builder_step_name`` default to ``<Step>Config`` /
    ``<Step>StepBuilder``; ``spec_type`` is the step name; ``sagemaker_step_type`` and
    ``description`` come from the ``registry:`` block (absent when the block lacks them)."""
    name = facts.step_type
    span = facts.step_type_span
    if not name or span is None:
        return None
    fields: dict[str, str] = {
        "config_class": facts.config_class or f"{name}Config",
        "builder_step_name": facts.builder_step_name or f"{name}StepBuilder",
        "spec_type": name,
    }
    if facts.sagemaker_step_type:
        fields["sagemaker_step_type"] = facts.sagemaker_step_type
    fields["description"] = facts.description or ""
    values = {"config_class": facts.config_class_span} if facts.config_class_span else {}
    entry = RegistryEntry(name, fields, span, values, INTERFACES)
    return RegistryFacts(sections={INTERFACES: [entry]}, section_spans={INTERFACES: span})


def interface_record(
    path: str, workspace: str, facts: InterfaceFacts | None, mtime_ns: int
) -> ComponentRecord:
    """The component record of an interface file: the spec (and contract) of its step."""
    folder = os.path.dirname(path)
    record = ComponentRecord(
        path, ComponentType.SPEC, workspace, folder, os.path.basename(path), mtime_ns
    )
    record.core = None  # found through its row, never through its file name
    record.interface = facts
    return record


def pack_of(interface_path: str) -> str | None:
    """The step-pack folder of an interface (``<project>/step_pack/interfaces/x.step.yaml``)."""
    pack = os.path.dirname(os.path.dirname(interface_path))
    return pack if os.path.basename(pack) == PACK_FOLDER else None
