/**
 * Which files open read-only: those inside a read-only source of the catalog (the framework
 * installed in the project's environment, `stepcat.status`'s `framework.read_only_roots`). Pure:
 * `readOnlyEditors.ts` applies the decision with VS Code's
 * `workbench.action.files.setActiveEditorReadonlyInSession`.
 */

import { isObject, strings } from './shapes';

/** The read-only roots of a `stepcat.status` answer (none when it has no framework report). */
export function readOnlyRoots(status: unknown): string[] {
  if (!isObject(status) || !isObject(status.framework)) {
    return [];
  }
  return strings(status.framework.read_only_roots).filter((root) => root.length > 0);
}

function normalise(path: string, windows: boolean): string {
  const slashed = windows ? path.replace(/\\/g, '/').toLowerCase() : path;
  return slashed.length > 1 ? slashed.replace(/\/+$/, '') : slashed;
}

/** Whether `path` is a root or below it, by whole path components (`/a/cursus` does not hold
 * `/a/cursus_extra`); case and separators ignored on Windows. */
export function isReadOnlyPath(path: string, roots: readonly string[], windows = false): boolean {
  const file = normalise(path, windows);
  return roots.some((root) => {
    const folder = normalise(root, windows);
    return file === folder || file.startsWith(folder.endsWith('/') ? folder : `${folder}/`);
  });
}

/**
 * Locks each read-only file once per session: the first time it becomes the active editor. A
 * file the user made writeable again is left alone; files of other schemes (untitled, git
 * diffs) never lock.
 */
export class ReadOnlyFiles {
  private roots: string[] = [];
  private readonly locked = new Set<string>();

  constructor(private readonly windows = false) {}

  setRoots(roots: string[]): void {
    this.roots = [...roots];
  }

  /** True when the editor showing this document should be made read-only now. */
  shouldLock(document: { scheme: string; fsPath: string; key: string }): boolean {
    if (document.scheme !== 'file' || this.locked.has(document.key)) {
      return false;
    }
    if (!isReadOnlyPath(document.fsPath, this.roots, this.windows)) {
      return false;
    }
    this.locked.add(document.key);
    return true;
  }
}
