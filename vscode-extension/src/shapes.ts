/**
 * Lenient readers of server answers: a field of the wrong type becomes its default (null, 0, []),
 * so a server a version ahead or behind the extension degrades a view instead of breaking it.
 * Pure; used by the DAG view and the step tree.
 */

import type { Location, Position, ProblemCounts } from './protocol';

export type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

export function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}

export function problemCounts(value: unknown): ProblemCounts {
  const v = isObject(value) ? value : {};
  return { error: count(v.error), warning: count(v.warning), information: count(v.information), hint: count(v.hint) };
}

function position(value: unknown): Position | undefined {
  if (!isObject(value)) {
    return undefined;
  }
  const { line, character } = value;
  return typeof line === 'number' && typeof character === 'number' && line >= 0 && character >= 0
    ? { line, character }
    : undefined;
}

/** Rewrites a URI into the editor's spelling (percent-encoding, drive letters) to compare it. */
export type NormaliseUri = (uri: string) => string;

/** A `Location` ({uri, range}) or null when the value is not one. */
export function location(value: unknown, normalise: NormaliseUri = (uri) => uri): Location | null {
  if (!isObject(value) || typeof value.uri !== 'string' || !isObject(value.range)) {
    return null;
  }
  const start = position(value.range.start);
  const end = position(value.range.end);
  return start && end ? { uri: normalise(value.uri), range: { start, end } } : null;
}

/** One of `allowed`, else `fallback`. */
export function oneOf<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}
