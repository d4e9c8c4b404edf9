"""``stepcat rule ID | --all | --markdown``: the documentation of the rules problems carry."""

from __future__ import annotations

import argparse
import difflib

from catalog_core.api import rules
from catalog_core.cli.common import CliError


def register(sub: argparse._SubParsersAction) -> None:
    rule = sub.add_parser(
        "rule",
        help="explain a rule (stepcat rule missing-spec), list them all, or print the rules page",
    )
    rule.add_argument("rule_id", nargs="?", metavar="RULE", help="a rule id, e.g. dag-unknown-step")
    what = rule.add_mutually_exclusive_group()
    what.add_argument("--all", action="store_true", help="list every rule (the default)")
    what.add_argument(
        "--markdown", action="store_true", help="print docs/rules.md (every rule in full)"
    )
    rule.set_defaults(handler=run_rule)


def run_rule(args: argparse.Namespace) -> int:
    if args.markdown:
        print(rules.markdown(), end="")
        return 0
    if args.rule_id and not args.all:
        found = rules.rule(args.rule_id)
        if found is None:
            close = difflib.get_close_matches(args.rule_id, list(rules.BY_ID), n=3)
            prefixed = [r for r in rules.BY_ID if r.startswith(args.rule_id)]
            hints = prefixed or close
            hint = f"; did you mean {', '.join(hints)}?" if hints else ""
            raise CliError(f"unknown rule '{args.rule_id}'{hint}")
        print(rules.text(found))
        return 0
    width = max(len(r.id) for r in rules.RULES)
    for r in rules.RULES:
        print(f"{r.id:{width}}  {r.severity.value:11}  {r.summary}")
    return 0
