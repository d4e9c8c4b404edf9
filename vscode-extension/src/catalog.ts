/**
 * Where the extension has work: files only a step catalog has. Pure. package.json's
 * `activationEvents` are `workspaceContains:` these patterns (a unit test keeps them equal), and
 * a window activated otherwise (a command, a setting) starts the server only when one matches, so
 * the extension stays silent in unrelated repositories.
 */

export const CATALOG_PATTERNS = [
  '**/steps/interfaces/*.step.yaml',
  '**/*.dag.json',
  '**/steps/specs/*.py',
  '**/steps/contracts/*.py',
  '**/steps/builders/*.py',
  '**/stepcat.toml',
  '**/step_names.py',
] as const;

/** One glob for `workspace.findFiles`. */
export function catalogGlob(): string {
  return `{${CATALOG_PATTERNS.join(',')}}`;
}

/** Folders never searched for catalog files. */
export const CATALOG_EXCLUDE = '{**/node_modules/**,**/.venv/**,**/venv/**,**/site-packages/**,**/.git/**}';
