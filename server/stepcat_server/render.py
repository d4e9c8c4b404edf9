"""Markdown for hovers and completion documentation: the step, class and field cards."""

from __future__ import annotations

from catalog_core.api import ClassCard, FieldCard, StepCard
from catalog_core.models import COMPONENT_ORDER

from .convert import to_uri


def step_markdown(card: StepCard) -> str:
    info = card.info
    kind = info.sagemaker_step_type or "no SageMaker type"
    lines = [f"**{card.node_name}** · {kind} · workspace `{info.workspace_id}`"]
    if info.description:
        lines += ["", info.description]
    lines.append("")
    for component in COMPONENT_ORDER:
        meta = info.file_components.get(component.value)
        if meta is None:
            missing = "missing (required)" if component in card.required else "none"
            if component.value == "spec" and info.variants:
                missing = "variants only"
            lines.append(f"- {component.value}: _{missing}_")
            continue
        where = f" · from `{meta.workspace_id}`" if meta.workspace_id != info.workspace_id else ""
        variant = f" ({meta.job_type})" if meta.job_type else ""
        target = f"{to_uri(meta.path)}#L{meta.span.start_line + 1}"
        lines.append(f"- {component.value}{variant}: [{meta.path.name}]({target}){where}")
    if info.variants:
        lines += ["", "variants: " + ", ".join(f"`{job}`" for job in sorted(info.variants))]
    if card.problems:
        lines += ["", f"problems ({len(card.problems)}):"]
        lines += [f"- {p.severity.value}: {p.message}" for p in card.problems[:5]]
    return "\n".join(lines)


def class_markdown(card: ClassCard) -> str:
    where = f" in `{card.defined_in.name}`" if card.defined_in else " (defined nowhere)"
    return f"**{card.name}** · {card.kind.value} class of **{card.step}**{where}"


def field_markdown(card: FieldCard) -> str:
    """A config field: its type, default and description, and the class that declares it."""
    src = card.source
    kind = "" if src.kind == "field" else f" · {src.kind}"
    lines = [f"**{card.key}**: `{src.annotation or 'Any'}`{kind}"]
    if src.default is not None:
        lines.append(f"default: `{src.default.text}`")
    elif src.default_factory:
        lines.append(f"default: `{src.default_factory}()`")
    elif src.required:
        lines.append("required")
    if src.description:
        lines += ["", src.description]
    owners = ", ".join(f"`{o}`" for o in card.owners)
    where = (
        f" · [{src.module_path.rsplit('/', 1)[-1]}]({to_uri(src.module_path)}#L{src.position[0] + 1})"
        if src.module_path and src.position
        else ""
    )
    lines += ["", f"declared in {owners}{where}"]
    return "\n".join(lines)
