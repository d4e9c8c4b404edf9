/**
 * VS Code's `stepcat.*` settings mapped to the server's settings model (`severity`,
 * `disabledRules`, `codeLens`, `jobTypes`, `checkSyntax`). Pure: settings are read through a
 * getter. Invalid entries are dropped with a problem naming them, so the server always gets a
 * valid object and the user learns what was ignored.
 */

export const LEVELS = ['error', 'warning', 'information', 'hint', 'off'] as const;
export type Level = (typeof LEVELS)[number];

export interface ServerSettings {
  severity: Record<string, Level>;
  disabledRules: string[];
  codeLens: boolean;
  jobTypes: string[];
  checkSyntax: boolean;
}

export interface MappedSettings {
  settings: ServerSettings;
  /** One sentence per ignored entry, e.g. "stepcat.severity: 'loud' for 'missing-spec' is not a level". */
  problems: string[];
}

/** Reads one key under `stepcat.` (e.g. `severity`); undefined when unset. */
export type Read = (key: string) => unknown;

const ALIASES: Record<string, Level> = { info: 'information', warn: 'warning', none: 'off' };

function toLevel(value: unknown): Level | undefined {
  if (typeof value !== 'string') {
    return undefined;
  }
  const lower = value.trim().toLowerCase();
  if ((LEVELS as readonly string[]).includes(lower)) {
    return lower as Level;
  }
  return ALIASES[lower];
}

function severity(value: unknown, problems: string[]): Record<string, Level> {
  if (value === undefined || value === null) {
    return {};
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    problems.push('stepcat.severity must be an object of rule id -> level; ignored');
    return {};
  }
  const out: Record<string, Level> = {};
  for (const [rule, raw] of Object.entries(value as Record<string, unknown>)) {
    const level = toLevel(raw);
    if (level === undefined) {
      problems.push(
        `stepcat.severity: ${JSON.stringify(raw)} for '${rule}' is not one of ${LEVELS.join(', ')}; ignored`,
      );
    } else {
      out[rule.trim()] = level;
    }
  }
  return out;
}

function names(key: string, value: unknown, problems: string[]): string[] {
  if (value === undefined || value === null) {
    return [];
  }
  if (!Array.isArray(value)) {
    problems.push(`stepcat.${key} must be a list of strings; ignored`);
    return [];
  }
  const out: string[] = [];
  for (const item of value) {
    if (typeof item !== 'string' || item.trim() === '') {
      problems.push(`stepcat.${key}: ${JSON.stringify(item)} is not a name; ignored`);
    } else if (!out.includes(item.trim())) {
      out.push(item.trim());
    }
  }
  return out;
}

function flag(key: string, value: unknown, fallback: boolean, problems: string[]): boolean {
  if (value === undefined || value === null) {
    return fallback;
  }
  if (typeof value !== 'boolean') {
    problems.push(`stepcat.${key} must be true or false; ${fallback} used`);
    return fallback;
  }
  return value;
}

export function toServerSettings(read: Read): MappedSettings {
  const problems: string[] = [];
  const settings: ServerSettings = {
    severity: severity(read('severity'), problems),
    disabledRules: names('disabledRules', read('disabledRules'), problems),
    codeLens: flag('codeLens', read('codeLens'), true, problems),
    jobTypes: [...new Set(names('jobTypes', read('jobTypes'), problems).map((j) => j.toLowerCase()))],
    checkSyntax: flag('checkSyntax', read('checkSyntax'), true, problems),
  };
  return { settings, problems };
}

/** `stepcat.server.args` as a list of strings (anything else is dropped). */
export function serverArgs(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((a): a is string => typeof a === 'string') : [];
}
