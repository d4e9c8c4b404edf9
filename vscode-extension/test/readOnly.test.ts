// Which files open read-only: those inside the read-only roots `stepcat.status` reports (the
// installed framework), each locked once per session.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { ReadOnlyFiles, isReadOnlyPath, readOnlyRoots } from '../src/readOnly';

const answers = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'status-answers.json'), 'utf8')) as Record<string, unknown>;

const file = (fsPath: string, scheme = 'file') => ({ scheme, fsPath, key: `${scheme}://${fsPath}` });

describe('the read-only roots', () => {
  it('are the installed package when one is in use, none otherwise', () => {
    expect(readOnlyRoots(answers.package)).toEqual(['/site/cursus']);
    expect(readOnlyRoots(answers.workspace)).toEqual([]); // the opened checkout is editable
    expect(readOnlyRoots(answers.none)).toEqual([]);
  });

  it('are none in an answer without a framework report, or a malformed one', () => {
    expect(readOnlyRoots({ state: 'indexing' })).toEqual([]);
    expect(readOnlyRoots({ state: 'ready', framework: { read_only_roots: '/site' } })).toEqual([]);
    expect(readOnlyRoots({ state: 'ready', framework: { read_only_roots: ['/a', 3, ''] } })).toEqual(['/a']);
    expect(readOnlyRoots(null)).toEqual([]);
  });
});

describe('a path', () => {
  const roots = ['/env/lib/python3.11/site-packages/cursus', '/opt/other/'];
  const cases: [string, boolean][] = [
    ['/env/lib/python3.11/site-packages/cursus', true],
    ['/env/lib/python3.11/site-packages/cursus/steps/specs/tabular_spec.py', true],
    ['/opt/other/x.py', true],
    ['/env/lib/python3.11/site-packages/cursus_extra/x.py', false], // a sibling with the same prefix
    ['/env/lib/python3.11/site-packages/numpy/__init__.py', false], // the environment, not the framework
    ['/project/pipelines/dag.py', false],
  ];
  for (const [path, want] of cases) {
    it(`${path} is ${want ? '' : 'not '}read-only`, () => expect(isReadOnlyPath(path, roots)).toBe(want));
  }

  it('is compared without case and with either separator on Windows', () => {
    const windows = ['C:\\Users\\ada\\.venv\\Lib\\site-packages\\cursus'];
    expect(isReadOnlyPath('c:\\users\\ada\\.venv\\lib\\site-packages\\cursus\\steps\\a.py', windows, true)).toBe(true);
    expect(isReadOnlyPath('c:/Users/ada/.venv/Lib/site-packages/cursus2/a.py', windows, true)).toBe(false);
    expect(isReadOnlyPath('/site/CURSUS/a.py', ['/site/cursus'])).toBe(false); // POSIX: case matters
  });
});

describe('an editor', () => {
  it('of a framework file locks once; other files and schemes never', () => {
    const files = new ReadOnlyFiles();
    files.setRoots(readOnlyRoots(answers.package));
    expect(files.shouldLock(file('/project/pipelines/dag.py'))).toBe(false);
    expect(files.shouldLock(file('/site/cursus/steps/specs/spec.py'))).toBe(true);
    // shown again (another tab, after the user made it writeable): left as it is
    expect(files.shouldLock(file('/site/cursus/steps/specs/spec.py'))).toBe(false);
    expect(files.shouldLock(file('/site/cursus/steps/specs/spec.py', 'git'))).toBe(false);
    expect(files.shouldLock(file('/site/cursus/steps/contracts/c.py'))).toBe(true);
  });

  it('locks nothing before the server reports roots, or when the framework is the workspace', () => {
    const files = new ReadOnlyFiles();
    expect(files.shouldLock(file('/site/cursus/a.py'))).toBe(false);
    files.setRoots(readOnlyRoots(answers.workspace));
    expect(files.shouldLock(file('/checkout/src/cursus/steps/a.py'))).toBe(false);
    files.setRoots(readOnlyRoots(answers.package)); // another environment selected: new roots
    expect(files.shouldLock(file('/site/cursus/a.py'))).toBe(true);
  });
});
