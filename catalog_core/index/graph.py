"""Links between steps and files, kept current with dependency keys.

Every link records the keys it looked up (``Link.deps``); ``deps`` maps each key back to the
links that read it. When files change, the keys they provided before and after name exactly the
links to recompute. A file's users need no map of their own: a link that uses a file found it
through a key the file provides. Spec claims (which step a spec belongs to) are kept by path.
"""

from __future__ import annotations

from collections.abc import Iterable

from catalog_core.base.guard import Faults, internal_error, log
from catalog_core.index.linker import Claim, Claimed, Link, Linker, claim_of
from catalog_core.index.records import ComponentRecord, FactTable, Key, add_to, drop_from
from catalog_core.index.registry_view import RegistryView
from catalog_core.models import SHARED, ComponentType, Problem, Span

StepKey = tuple[str, str]  # (workspace, step)
SMALL_CLAIMS = 8  # claims of a step kept in a tuple (see ``Claimed``)


def _claim(claimed: Claimed | None, item: tuple[str, str | None]) -> Claimed:
    if claimed is None:
        return (item,)
    if isinstance(claimed, set):
        claimed.add(item)
        return claimed
    if item in claimed:
        return claimed
    return (*claimed, item) if len(claimed) < SMALL_CLAIMS else {*claimed, item}


def _unclaim(claimed: Claimed, item: tuple[str, str | None]) -> Claimed:
    if isinstance(claimed, set):
        claimed.discard(item)
        return claimed
    return tuple(c for c in claimed if c != item)


class LinkGraph:
    def __init__(
        self,
        table: FactTable,
        view: RegistryView,
        developer_ids: list[str],
        faults: Faults | None = None,
    ) -> None:
        self.table = table
        self.faults = faults or Faults()
        # Links whose computation failed (a bug): their internal-error problem, on the entry.
        self.failed: dict[StepKey, Problem] = {}
        self.view = view
        self.developer_ids = developer_ids
        self.claims: dict[StepKey, Claimed] = {}
        self.claim_by_path: dict[str, Claim | None] = {}
        self.links: dict[StepKey, Link] = {}
        self.claims_version = 0  # bumped on every claim change (caches key on it)
        # Tuples (a list past a few): nearly every key has one reader (see records.Paths).
        # None after a restore: derived from the links when an update first asks.
        self._deps: dict[Key, tuple[StepKey, ...] | list[StepKey]] | None = {}
        self.linker = Linker(table, view, self.claims)

    @property
    def deps(self) -> dict[Key, tuple[StepKey, ...] | list[StepKey]]:
        """Which links read each key: kept by ``relink``; after a restore (``defer_deps``) made
        from the links' own ``deps`` on first use (a warm start that is not edited never does)."""
        if self._deps is None:
            deps: dict[Key, tuple[StepKey, ...] | list[StepKey]] = {}
            for step_key, link in self.links.items():
                for key in link.deps:
                    if key not in deps:  # the usual case: one reader
                        deps[key] = (step_key,)
                    else:
                        add_to(deps, key, step_key, check=False)
            self._deps = deps
        return self._deps

    def defer_deps(self) -> None:
        """The links were set directly (a restore): ``deps`` is made from them when needed."""
        self._deps = None

    # -- claims --------------------------------------------------------------------------------

    def set_claim(self, record: ComponentRecord) -> Claim | None:
        self.claims_version += 1
        claim = self.faults.run(
            record.path,
            "deciding which step the spec belongs to",
            claim_of,
            None,
            record,
            self.view,
        )
        self.claim_by_path[record.path] = claim
        if claim is not None:
            key = (record.workspace, claim[0])
            self.claims[key] = _claim(self.claims.get(key), (record.path, claim[1]))
        return claim

    def drop_claim(self, path: str, workspace: str) -> Claim | None:
        self.claims_version += 1
        claim = self.claim_by_path.pop(path, None)
        if claim is not None:
            key = (workspace, claim[0])
            claimed = self.claims.get(key)
            if claimed is not None:
                claimed = self.claims[key] = _unclaim(claimed, (path, claim[1]))
                if not claimed:
                    del self.claims[key]
        return claim

    # -- which links exist ---------------------------------------------------------------------

    def candidates(self, record: ComponentRecord) -> set[StepKey]:
        """Links a developer file may create. Shared files need none: every core step is linked
        in the shared workspace, and a shared file's effect on a link is in that link's deps."""
        ws = record.workspace
        if ws == SHARED:
            return set()
        steps = self.linker.candidates(record, self.claim_by_path.get(record.path))
        return {(ws, s) for s in steps if self.view.lookup(ws, s) is not None}

    def _kept(self, ws: str, step: str, link: Link) -> bool:
        if ws == SHARED:
            return step in self.view.core.steps
        return step in self.view.workspace_names(ws) or link.owns_any(self.table)

    def link_all(self) -> None:
        for record in self.table.records.values():
            if record.kind is ComponentType.SPEC and not record.is_interface:  # rows, not claims
                self.set_claim(record)
        wanted: set[StepKey] = {(SHARED, s) for s in self.view.core.steps}
        for ws in self.developer_ids:
            wanted |= {(ws, s) for s in self.view.workspace_names(ws)}
        for record in self.table.records.values():
            if record.workspace != SHARED:
                wanted |= self.candidates(record)
        self.relink(wanted, report=False)

    # -- recomputing ---------------------------------------------------------------------------

    def dependents(self, keys: Iterable[Key]) -> set[StepKey]:
        found: set[StepKey] = set()
        deps = self.deps
        for key in keys:
            hit = deps.get(key)
            if hit:
                found.update(hit)
        return found

    def users(self, path: str) -> list[StepKey]:
        """Links that use a file (as a component, a variant or a duplicate), in a stable order."""
        record = self.table.records.get(path)
        if record is None:
            return []
        keys = list(record.provided)
        claim = self.claim_by_path.get(path)
        if claim is not None:
            keys.append(("claim", record.workspace, claim[0]))
        found = [k for k in self.dependents(keys) if path in self.links[k].files()]
        return sorted(found)

    def all_users(self) -> dict[str, list[StepKey]]:
        """Every linked file and the links that use it."""
        users: dict[str, list[StepKey]] = {}
        for key in sorted(self.links):
            for path in self.links[key].files():
                users.setdefault(path, []).append(key)
        return users

    def relink(self, wanted: set[StepKey], report: bool = True) -> set[str]:
        """Recompute these links; return every file whose links changed (before or after), or
        nothing when not asked to ``report`` (a full link: every file may have changed)."""
        touched: set[str] = set()
        links, deps, view, linker = self.links, self.deps, self.view, self.linker
        for key in wanted:  # links are independent of each other: any order gives the same
            ws, step = key
            old = links.pop(key, None)
            if old is not None:
                for dep in old.deps:
                    drop_from(deps, dep, key)
                touched.update(old.files())
            self.failed.pop(key, None)
            reg = view.lookup(ws, step)
            if reg is None:
                continue
            try:
                new = linker.link(ws, step)
            except Exception as exc:  # the guard for one step: the others still link
                log.warning("stepcat: internal error while linking %s", step, exc_info=True)
                self.failed[key] = internal_error(
                    reg.path, f"linking step '{step}'", exc, Span.of(reg.entry.key_span)
                )
                continue
            if not self._kept(ws, step, new):
                continue
            links[key] = new
            for dep in new.deps:
                if dep not in deps:  # the usual case, inlined
                    deps[dep] = (key,)
                else:
                    add_to(deps, dep, key, check=False)  # a link is dropped from deps first
            if report and (new.components or new.variants or new.duplicates):
                touched.update(new.files())
        return touched
