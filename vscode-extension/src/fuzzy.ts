/**
 * Fuzzy matching for the Show Step... quick pick: every query word must match a target as a
 * subsequence (`xgbtrn` finds `XGBoostTraining`); matches at word starts (capitals after lower
 * case, after `_`, `-`, `.` or a space) and runs of consecutive letters score higher. Pure.
 */

function isWordStart(target: string, i: number): boolean {
  if (i === 0) {
    return true;
  }
  const prev = target[i - 1];
  const here = target[i];
  if ('_-. /'.includes(prev)) {
    return true;
  }
  const upper = here !== here.toLowerCase();
  const prevLower = prev !== prev.toUpperCase();
  return upper && prevLower;
}

/** Positions of `w` in `t` (both lower case), or undefined; `preferStarts` jumps to word starts. */
function positions(w: string, t: string, target: string, preferStarts: boolean): number[] | undefined {
  const found: number[] = [];
  let from = 0;
  for (const ch of w) {
    const last = found.length > 0 ? found[found.length - 1] : -2;
    let at = -1;
    if (t[last + 1] === ch) {
      at = last + 1; // keep a run going
    } else if (preferStarts) {
      for (let j = from; j < t.length && at === -1; j++) {
        if (t[j] === ch && isWordStart(target, j)) {
          at = j;
        }
      }
    }
    if (at === -1) {
      at = t.indexOf(ch, from);
    }
    if (at === -1) {
      return undefined;
    }
    found.push(at);
    from = at + 1;
  }
  return found;
}

function scorePositions(found: number[], target: string): number {
  let score = 0;
  found.forEach((at, i) => {
    score += isWordStart(target, at) ? 10 : 1;
    if (i > 0 && at === found[i - 1] + 1) {
      score += 5;
    }
  });
  return score - (found[found.length - 1] - found[0] + 1 - found.length) * 0.1;
}

/**
 * Score of `word` as a subsequence of `target` (higher is better), or undefined when it is not
 * one. Exact, prefix and substring matches come first; then word starts and runs count.
 */
export function scoreWord(word: string, target: string): number | undefined {
  if (word.length === 0) {
    return 0;
  }
  const w = word.toLowerCase();
  const t = target.toLowerCase();
  if (t === w) {
    return 1000;
  }
  const bonus = t.startsWith(w) ? 200 : t.includes(w) ? 100 : 0;
  const plain = positions(w, t, target, false);
  if (plain === undefined) {
    return undefined;
  }
  const starts = positions(w, t, target, true) ?? plain;
  return bonus + Math.max(scorePositions(plain, target), scorePositions(starts, target));
}

/**
 * Score of a query (words separated by spaces) against an item's fields: each word is scored
 * against the best field (the first field, the name, counts double); undefined when some word
 * matches no field.
 */
export function scoreQuery(query: string, fields: string[]): number | undefined {
  const words = query.trim().split(/\s+/).filter((w) => w.length > 0);
  let total = 0;
  for (const word of words) {
    let best: number | undefined;
    fields.forEach((field, i) => {
      const s = scoreWord(word, field);
      if (s !== undefined) {
        const weighted = i === 0 ? s * 2 : s;
        best = best === undefined ? weighted : Math.max(best, weighted);
      }
    });
    if (best === undefined) {
      return undefined;
    }
    total += best;
  }
  return total;
}

/** Items matching `query`, best first (stable for equal scores); all of them for an empty query. */
export function rank<T>(items: T[], query: string, fields: (item: T) => string[]): T[] {
  if (query.trim() === '') {
    return [...items];
  }
  return items
    .map((item, index) => ({ item, index, score: scoreQuery(query, fields(item)) }))
    .filter((r): r is { item: T; index: number; score: number } => r.score !== undefined)
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .map((r) => r.item);
}
