"""The config_types rules: each a stable id, a position and a message that says what the key
(or value) should be. A valid file gets no problem at all."""

from __future__ import annotations

from pathlib import Path

from catalog_core.base.files import file_problem
from catalog_core.base.text import likely_typo
from catalog_core.facts.config_document import ConfigDocument
from catalog_core.facts.jsonpos import Member
from catalog_core.models import Problem, Severity, Span
from catalog_core.problems.config_context import ConfigContext
from catalog_core.problems.config_fixer import plan_fixes


def _problem(
    doc: ConfigDocument,
    path: Path,
    rule: str,
    severity: Severity,
    span: tuple[int, int, int, int],
    message: str,
    **data: str,
) -> Problem:
    return Problem.at(path, rule, severity, message, Span.of(span), data=data)


def validate(doc: ConfigDocument, path: Path, ctx: ConfigContext) -> list[Problem]:
    problems: list[Problem] = []
    if doc.error is not None:
        offset, message = doc.error
        line, col = doc.lines.position(min(offset, len(doc.text)))
        problems.append(
            file_problem(
                path,
                "json-syntax-error",
                f"invalid JSON: {message}; keys read before this point are still checked",
                Severity.ERROR,
                Span.of((line, col, line, col + 1)),
            )
        )
    member = doc.config_types_member
    if member is None:
        return problems
    if doc.config_types is None:
        if member.value_end >= 0:
            problems.append(
                _problem(
                    doc,
                    path,
                    "config-types-not-object",
                    Severity.ERROR,
                    doc.value_span(member),
                    "metadata.config_types must be an object mapping step names to config class names",
                )
            )
        return problems
    plan = plan_fixes(doc, ctx)
    fixes = {edit.old_key: edit.new_key for edit in plan.edits}
    keys = [m.key for m in doc.config_types.members]
    specific_keys = {m.key for m in doc.specific.members} if doc.specific else set()
    problems.extend(_duplicates(doc, path, doc.config_types.members, "metadata.config_types"))
    if doc.specific is not None:
        problems.extend(_duplicates(doc, path, doc.specific.members, "configuration.specific"))
    for entry in doc.config_types.members:
        problems.extend(_check_entry(doc, path, ctx, entry, fixes, specific_keys))
    covered = set(keys) | plan.claimed
    for entry in doc.specific.members if doc.specific else ():
        if entry.key not in covered:
            problems.append(
                _problem(
                    doc,
                    path,
                    "config-orphan-specific",
                    Severity.WARNING,
                    doc.key_span(entry),
                    f"configuration.specific has '{entry.key}' but metadata.config_types does not map it "
                    "to a config class, so it is never loaded: add it to config_types or remove it",
                )
            )
    return problems


def _duplicates(
    doc: ConfigDocument, path: Path, members: list[Member], where: str
) -> list[Problem]:
    seen: set[str] = set()
    found = []
    for member in members:
        if member.key in seen:
            found.append(
                _problem(
                    doc,
                    path,
                    "config-duplicate-key",
                    Severity.ERROR,
                    doc.key_span(member),
                    f"'{member.key}' appears twice in {where}; JSON keeps only the last one: "
                    "remove or rename one",
                )
            )
        seen.add(member.key)
    return found


def _check_entry(
    doc: ConfigDocument,
    path: Path,
    ctx: ConfigContext,
    entry: Member,
    fixes: dict[str, str],
    specific_keys: set[str],
) -> list[Problem]:
    key, value = entry.key, entry.value
    span = doc.key_span(entry)
    if entry.value_end < 0:
        return []  # the value is not written yet (the syntax-error problem says where it stops)
    if not isinstance(value, str):
        return [
            _problem(
                doc,
                path,
                "config-value-not-class",
                Severity.ERROR,
                doc.value_span(entry),
                f"config_types['{key}'] must be a config class name (a string)",
            )
        ]
    if not ctx.is_step(key) and (key.endswith("Config") or ctx.is_config_class(key)):
        fix = fixes.get(key)
        hint = (
            f"use the step name '{fix}'"
            if fix
            else "use the step name it is saved under (see configuration.specific); "
            "it cannot be derived unambiguously here"
        )
        data = {"fix": fix} if fix else {}
        return [
            _problem(
                doc,
                path,
                "config-key-is-class-name",
                Severity.ERROR,
                span,
                f"config_types key '{key}' is a class name, not a step name: {hint}",
                **data,
            )
        ]
    found: list[Problem] = []
    split = ctx.split_key(key)
    if split is None:
        close = ctx.suggest_steps(key)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        found.append(
            _problem(
                doc,
                path,
                "config-unknown-step",
                Severity.ERROR,
                span,
                f"'{key}' does not start with a registered step name{hint}",
            )
        )
    else:
        step, suffix = split
        found.extend(_check_suffix(doc, path, ctx, entry, step, suffix))
        expected = ctx.config_class_of(step)
        if expected and value != expected:
            found.append(
                _problem(
                    doc,
                    path,
                    "config-class-mismatch",
                    Severity.ERROR,
                    doc.value_span(entry),
                    f"step '{step}' is configured by '{expected}' in the registry, not '{value}'",
                    fix=expected,
                )
            )
    if doc.specific is not None and key not in specific_keys:
        found.append(
            _problem(
                doc,
                path,
                "config-missing-specific",
                Severity.WARNING,
                span,
                f"no configuration.specific entry for '{key}': load_configs will build it "
                "from the shared values alone; add its specific settings",
            )
        )
    return found


def _check_suffix(
    doc: ConfigDocument,
    path: Path,
    ctx: ConfigContext,
    entry: Member,
    step: str,
    suffix: str | None,
) -> list[Problem]:
    if not suffix:
        return []
    job = suffix.split("_")[0]
    fields = doc.specific_fields(entry.key)
    declared = {str(fields.get(k)) for k in ("job_type", "data_type", "mode") if fields.get(k)}
    known = ctx.known_job_types()
    if job.lower() in known or job in declared:
        return []
    typo = likely_typo(job, known)
    if typo is None:  # an unusual job type, not a misspelt one: the base config applies
        return []
    hint = f"; did you mean '{step}_{typo}'?"
    return [
        _problem(
            doc,
            path,
            "config-unknown-job-type",
            Severity.WARNING,
            doc.key_span(entry),
            f"job type '{job}' in '{entry.key}' is not used by any variant spec, DAG, setting or "
            f"other config (known: {', '.join(sorted(known))}){hint}",
        )
    ]
