/**
 * How server answers look in the UI: the status bar text, quick pick rows for steps and
 * components. Pure (no `vscode` import): rows are plain objects the commands turn into items.
 */

import { rank } from './fuzzy';
import type { ComponentRow, Location, ProblemCounts, ServerStatus, StepRow } from './protocol';
import { isObject, strings } from './shapes';

/**
 * The language status item (the `{}` next to the language in the status bar): the step count,
 * where they come from, busy while indexing. Problem counts stay in the Problems panel.
 */
export interface StatusView {
  text: string;
  detail: string;
  severity: 'information' | 'warning' | 'error';
  busy: boolean;
  /** Which command the item's link runs: show a step, or the output when stopped. */
  link: 'showStep' | 'showOutput';
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function problemSummary(p: ProblemCounts): string {
  const parts = [
    p.error ? plural(p.error, 'error') : '',
    p.warning ? plural(p.warning, 'warning') : '',
    p.information ? `${p.information} information` : '',
    p.hint ? plural(p.hint, 'hint') : '',
  ].filter((s) => s.length > 0);
  return parts.length > 0 ? parts.join(', ') : 'no problems';
}

/** How the framework in use shows: a short tag for the item's text (the installed package and
 * its version; empty otherwise) and a line for its detail (with the path, or workspace / none). */
export interface FrameworkView {
  tag: string;
  detail: string;
}

/** Reads `stepcat.status`'s `framework` leniently (an older server sends none: nothing shown). */
export function frameworkView(framework: unknown): FrameworkView {
  if (!isObject(framework)) {
    return { tag: '', detail: '' };
  }
  const used = (Array.isArray(framework.packages) ? framework.packages : []).filter(
    (p): p is Record<string, unknown> => isObject(p) && typeof p.location === 'string',
  );
  const named = (p: Record<string, unknown>): string => {
    const name = typeof p.distribution === 'string' ? p.distribution : String(p.name ?? '');
    return typeof p.version === 'string' ? `${name} ${p.version}` : name;
  };
  const summary = typeof framework.summary === 'string' ? `framework: ${framework.summary}` : '';
  if (framework.in_use === 'package') {
    const packages = used.filter((p) => p.used_as === 'package');
    if (packages.length === 0) {
      return { tag: '', detail: summary };
    }
    return {
      tag: packages.map(named).join(', '),
      detail: `framework: ${packages.map((p) => `${named(p)} (${String(p.location)})`).join(', ')}`,
    };
  }
  if (framework.in_use === 'workspace') {
    const packages = used.filter((p) => p.used_as === 'workspace');
    const which = packages.length > 0 ? ` (${packages.map(named).join(', ')})` : '';
    return { tag: '', detail: `framework: workspace${which}` };
  }
  const env = isObject(framework.environment) && typeof framework.environment.prefix === 'string'
    ? ` in ${framework.environment.prefix}`
    : '';
  const notes = strings(framework.notes);
  return { tag: '', detail: `framework: none${env}${env === '' && notes.length > 0 ? ` (${notes[0]})` : ''}` };
}

/** `$(book) 14 steps` with `in 2 workspaces (shared, alice)` when ready, and the framework in
 * use (`· cursus-framework 2.4.0` in the text, its path in the detail); indexing before. */
export function statusView(status: ServerStatus): StatusView {
  if (status.state === 'indexing') {
    return progressView(undefined, undefined);
  }
  const workspaces = status.workspaces.length > 0 ? ` (${status.workspaces.join(', ')})` : '';
  const framework = frameworkView(status.framework);
  return {
    text: `$(book) ${plural(status.steps, 'step')}${framework.tag ? ` · ${framework.tag}` : ''}`,
    detail:
      `stepcat: in ${plural(status.workspaces.length, 'workspace')}${workspaces}` +
      (framework.detail ? ` · ${framework.detail}` : ''),
    severity: status.steps === 0 ? 'warning' : 'information',
    busy: false,
    link: 'showStep',
  };
}

export function progressView(message: string | undefined, percentage: number | undefined): StatusView {
  const pct = percentage === undefined ? '' : ` ${Math.round(percentage)}%`;
  return {
    text: `stepcat: indexing…${pct}`,
    detail: message ?? 'reading the step catalog',
    severity: 'information',
    busy: true,
    link: 'showStep',
  };
}

/** Not started on purpose (e.g. no catalog in the workspace): quiet, not an error. */
export function idleView(reason: string): StatusView {
  return { text: 'stepcat: idle', detail: reason, severity: 'information', busy: false, link: 'showOutput' };
}

export function stoppedView(reason: string): StatusView {
  return { text: 'stepcat: stopped', detail: reason, severity: 'error', busy: false, link: 'showOutput' };
}

/** A file URI as a path relative to the workspace folder that holds it (else the full path). */
export function displayPath(uri: string, folders: string[]): string {
  let path = uri;
  try {
    path = decodeURIComponent(new URL(uri).pathname);
  } catch {
    // not a URL: show it as it is
  }
  for (const folder of [...folders].sort((a, b) => b.length - a.length)) {
    const prefix = folder.endsWith('/') ? folder : `${folder}/`;
    if (path.startsWith(prefix)) {
      return path.slice(prefix.length);
    }
  }
  return path;
}

export interface PickRow {
  label: string;
  description: string;
  detail: string;
  location: Location | null;
}

/** Rows of Show Step...: best fuzzy matches of the name first (then type, workspace, description). */
export function stepPickRows(steps: StepRow[], query: string, folders: string[]): PickRow[] {
  const ranked = rank(steps, query, (s) => [
    s.name,
    s.sagemakerStepType ?? '',
    s.workspace,
    s.description,
    ...s.variants.map((v) => `${s.name}_${v}`),
  ]);
  return ranked.map((s) => ({
    label: s.name,
    description: [s.sagemakerStepType ?? '', s.workspace, s.complete ? '' : 'incomplete']
      .filter((p) => p.length > 0)
      .join(' · '),
    detail: [
      s.description,
      s.variants.length > 0 ? `variants: ${s.variants.join(', ')}` : '',
      s.location ? displayPath(s.location.uri, folders) : 'no registry entry',
    ]
      .filter((p) => p.length > 0)
      .join(' — '),
    location: s.location,
  }));
}

/** Rows of Go to Component...: one per component, in the server's order. */
export function componentPickRows(components: ComponentRow[], folders: string[]): PickRow[] {
  return components.map((c) => ({
    label: c.label,
    description: `${displayPath(c.uri, folders)}:${c.range.start.line + 1}`,
    detail: `${c.step} · ${c.workspace}`,
    location: { uri: c.uri, range: c.range },
  }));
}
