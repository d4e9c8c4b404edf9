/**
 * When the DAG view asks the server again. Pure: documents are identified by key (a notebook's
 * cells share the notebook's key), events are plain values.
 *
 * - an edit of the DAG's document (or of any cell of its notebook): re-query;
 * - a save of any file (the catalog may have changed): re-query;
 * - another editor becomes active: if it could hold a DAG (Python, JSON), ask for the DAG at its
 *   cursor and show it when there is one ("probe"); otherwise keep the graph.
 */

/** Language ids of the documents a DAG can be written in (Python modules and cells, JSON). */
export const DAG_LANGUAGES: readonly string[] = ['python', 'json'];

export const NOTEBOOK_CELL_SCHEME = 'vscode-notebook-cell';
export const REQUERY_DELAY_MS = 300;

export interface UriParts {
  scheme: string;
  authority?: string;
  path: string;
}

/**
 * One key per document; a notebook cell's key is its notebook file's (a cell URI carries the
 * notebook's path, and in a remote window the remote's authority, which the file URI has not).
 */
export function documentKey(uri: UriParts): string {
  if (uri.scheme === NOTEBOOK_CELL_SCHEME) {
    return `file://${uri.path}`;
  }
  return `${uri.scheme}://${uri.authority ?? ''}${uri.path}`;
}

export type FollowEvent =
  | { kind: 'edit'; key: string }
  | { kind: 'save' }
  | { kind: 'catalogChanged' }
  | { kind: 'activeEditor'; key: string; languageId: string };

export type FollowAction = 'requery' | 'probe' | 'ignore';

/** `shown`: the keys of the document the graph came from and of the graph's own uri. */
export function followAction(event: FollowEvent, shown: ReadonlySet<string>): FollowAction {
  switch (event.kind) {
    case 'edit':
      return shown.has(event.key) ? 'requery' : 'ignore';
    case 'save':
    case 'catalogChanged':
      return 'requery';
    case 'activeEditor':
      if (shown.has(event.key)) {
        return 'ignore';
      }
      return DAG_LANGUAGES.includes(event.languageId) ? 'probe' : 'ignore';
  }
}

/**
 * Answers can arrive out of order: each query takes a ticket, and only the answer of the latest
 * ticket is shown.
 */
export class Tickets {
  private last = 0;

  take(): number {
    this.last += 1;
    return this.last;
  }

  isLatest(ticket: number): boolean {
    return ticket === this.last;
  }
}
