"""Scored step search: exact, node-name, normalised, abbreviation-aware, substring and fuzzy
(trigram) matches, one result per step, best first.

Substring matching scans one newline-joined text of all names with ``str.find`` (C speed) and
maps hits back to names by offset, instead of looping over thousands of names in Python.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial

from catalog_core.base.text import squash
from catalog_core.index.catalog_index import CatalogIndex
from catalog_core.models import COMPONENT_ORDER, StepSearchResult

#: Abbreviations users type for the words step names spell out (seeds/001 NameNormalizer).
COMMON_VARIATIONS = {
    "preprocess": "preprocessing",
    "prep": "preprocessing",
    "eval": "evaluation",
    "xgb": "xgboost",
    "lgb": "lightgbm",
    "lgbm": "lightgbm",
    "rf": "randomforest",
    "reg": "registration",
    "calib": "calibration",
}
_WORDS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")
FUZZY_BELOW = 10  # run the trigram pass only when direct matches are this few
FUZZY_MIN_DICE = 0.45


def expand(query: str) -> str:
    """The squashed query with abbreviations spelled out."""
    words = [w.lower() for w in _WORDS.findall(query.replace("_", " ").replace("-", " "))]
    return "".join(COMMON_VARIATIONS.get(w, w) for w in words) or squash(query)


def _trigrams(text: str) -> set[str]:
    padded = f"  {text} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


class _Blob:
    """Many strings joined by newlines, searchable for substrings in one pass."""

    __slots__ = ("owners", "starts", "text")

    def __init__(self, items: list[tuple[str, str]]) -> None:  # (owner, text)
        self.owners = [owner for owner, _ in items]
        self.starts: list[int] = []
        pos = 0
        for _, text in items:
            self.starts.append(pos)
            pos += len(text) + 1
        self.text = "\n".join(text for _, text in items)

    def hits(self, needle: str, limit: int = 1_000_000) -> dict[str, int]:
        """Owner -> offset of the first hit inside that owner's text (at most ``limit``)."""
        found: dict[str, int] = {}
        if not needle or "\n" in needle:
            return found
        find, text, starts = self.text.find, self.text, self.starts
        pos = find(needle)
        while pos != -1 and len(found) < limit:
            i = bisect_right(starts, pos) - 1
            owner = self.owners[i]
            found.setdefault(owner, pos - starts[i])
            nxt = starts[i + 1] if i + 1 < len(starts) else len(text)
            pos = find(needle, nxt)  # one hit per owner is enough
        return found


@dataclass(slots=True)
class SearchIndex:
    names: list[str]
    keys: list[str]  # squashed names, parallel to ``names``
    squashed: dict[str, list[str]]
    descriptions: _Blob
    grams: dict[str, list[int]]  # trigram -> indexes of the names containing it
    gram_sets: dict[int, frozenset[str]]  # name index -> its trigrams
    posting_sets: dict[str, frozenset[int]]  # trigram -> name indexes

    def containing(self, needle: str) -> dict[int, int]:
        """Name index -> position of ``needle`` in that (squashed) name. Candidates come from
        intersecting the needle's trigram postings, so common words cost set operations, not
        a scan of every name."""
        if len(needle) < 3:
            return {i: k.find(needle) for i, k in enumerate(self.keys) if needle in k}
        grams = {needle[i : i + 3] for i in range(len(needle) - 2)}
        sets = []
        empty: frozenset[int] = frozenset()
        for gram in grams:
            postings = self.posting_sets.get(gram, empty)
            if not postings:
                return {}
            sets.append(postings)
        sets.sort(key=len)
        candidates = set(sets[0]).intersection(*sets[1:])
        keys = self.keys
        return {i: at for i in candidates if (at := keys[i].find(needle)) != -1}

    @classmethod
    def build(cls, names: Iterable[str], description: Callable[[str], str]) -> SearchIndex:
        ordered = sorted(set(names))
        squashed: dict[str, list[str]] = {}
        grams: dict[str, list[int]] = {}
        for i, name in enumerate(ordered):
            key = squash(name)
            squashed.setdefault(key, []).append(name)
            for gram in _trigrams(key):
                grams.setdefault(gram, []).append(i)
        texts = _Blob([(n, d.lower()) for n in ordered if (d := description(n))])
        keys = [squash(n) for n in ordered]
        gram_sets = {i: frozenset(_trigrams(k)) for i, k in enumerate(keys)}
        postings = {g: frozenset(ix) for g, ix in grams.items()}
        return cls(ordered, keys, squashed, texts, grams, gram_sets, postings)

    def search(self, query: str, limit: int = 50) -> list[tuple[str, float, str]]:
        """(name, score, reason) triples, best first, one per name."""
        query = query.strip()
        if not query:
            return []
        best: dict[str, tuple[float, str]] = {}

        def offer(name: str, score: float, reason: str) -> None:
            if name not in best or best[name][0] < score:
                best[name] = (score, reason)

        key = squash(query)
        expanded = expand(query)
        for name in self.squashed.get(key, ()):
            exact = name == query
            offer(name, 1.0 if exact else 0.95, "exact_match" if exact else "normalized_match")
        for name in self.squashed.get(expanded, ()):
            offer(name, 0.9, "normalized_match")
        if len(key) >= 2:
            for needle in {key, expanded}:
                for i, at in self.containing(needle).items():
                    offer(
                        self.names[i],
                        0.8 if at == 0 else 0.7,
                        "prefix_match" if at == 0 else "name_contains",
                    )
        self._all_words(query, offer)
        self._describe(query, offer)
        if len(best) < FUZZY_BELOW:
            self._fuzzy(expanded, offer)
        ranked = sorted(best.items(), key=lambda item: (-item[1][0], item[0]))
        return [(name, round(score, 3), reason) for name, (score, reason) in ranked[:limit]]

    def _all_words(self, query: str, offer: Callable[[str, float, str], None]) -> None:
        """Every word of a multi-word query inside the name (``pytorch eval``)."""
        words = [w for w in re.split(r"[\s_\-]+", query) if w]
        if len(words) < 2:
            return
        owners: set[int] | None = None
        for word in sorted(words, key=len, reverse=True):
            found = set(self.containing(squash(word))) | set(self.containing(expand(word)))
            owners = found if owners is None else owners & found
            if not owners:
                return
        for i in owners or ():
            offer(self.names[i], 0.75, "words_match")

    def _describe(self, query: str, offer: Callable[[str, float, str], None]) -> None:
        words = sorted({w for w in query.lower().split() if len(w) > 2}, key=len, reverse=True)
        if not words:
            return
        owners = set(self.descriptions.hits(words[0], limit=200))
        for word in words[1:]:
            owners &= set(self.descriptions.hits(word))
            if not owners:
                return
        for name in owners:
            offer(name, 0.5, "description_match")

    def _fuzzy(self, key: str, offer: Callable[[str, float, str], None]) -> None:
        """Trigram (Dice) similarity. Candidates come from the query's rarest trigrams (a name
        similar enough must share some of them); similarity is then exact per candidate."""
        query_grams = _trigrams(key)
        common = max(50, len(self.names) // 20)
        candidates: set[int] = set()
        for gram in sorted(query_grams, key=lambda g: len(self.grams.get(g, ()))):
            postings = self.grams.get(gram)
            if not postings:
                continue
            if len(postings) > common and candidates:
                break
            candidates.update(postings)
        size = len(query_grams)
        prefix_len = len(key) + 2
        for i in candidates:
            grams = self.gram_sets[i]
            dice = 2.0 * len(query_grams & grams) / (size + len(grams))
            short = prefix_len <= 14  # a single mistyped word, not a phrase
            head = _trigrams(self.keys[i][:prefix_len]) if short and dice < FUZZY_MIN_DICE else None
            if head is not None:  # a typo in the first word of a long name ("cradel")
                dice = 0.9 * 2.0 * len(query_grams & head) / (size + len(head))
            if dice >= FUZZY_MIN_DICE:
                offer(self.names[i], round(0.65 * dice, 3), "fuzzy_match")


def search_steps(
    db: CatalogIndex, query: str, job_type: str | None = None
) -> list[StepSearchResult]:
    """Exact, normalised and fuzzy matches, scored 0..1, one per step, best first."""
    from catalog_core.features.steps import split_node_name, step_view

    index = db.view_memo.get(  # names and descriptions come from the registries only
        ("search-index",), lambda: SearchIndex.build(db.view.all_names(), partial(_description, db))
    )
    split = split_node_name(db, query.strip()) if "_" in query else None
    results: list[StepSearchResult] = []
    matches = index.search(query)
    if split is not None and split[1] and not any(n == split[0] for n, _, _ in matches[:1]):
        matches.insert(0, (split[0], 1.0, "node_name_match"))
    seen: set[str] = set()
    for name, score, reason in matches:
        if name in seen:
            continue
        seen.add(name)
        sv = step_view(db, name, None)
        if sv is None or (job_type is not None and job_type.lower() not in sv.variants):
            continue
        results.append(
            StepSearchResult.model_construct(
                step_name=name,
                workspace_id=sv.workspace,
                match_score=score,
                match_reason=reason,
                components_available=[c for c in COMPONENT_ORDER if sv.has(c)],
            )
        )
    return results


def _description(db: CatalogIndex, name: str) -> str:
    reg = db.view.lookup(None, name)
    if reg is None:
        for ws in db.wmap.developer_ids():
            reg = db.view.lookup(ws, name)
            if reg is not None:
                break
    return reg.field("description") if reg is not None else ""
