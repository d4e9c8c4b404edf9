// Builds the .vsix: bundles the server and its Python libraries (scripts/bundle.py), the
// extension code (esbuild), then `vsce package`.
//
//   npm run package                         this machine's platform -> stepcat.vsix
//   npm run package -- --target linux-arm64 that platform          -> stepcat-linux-arm64.vsix
//   npm run package -- --target universal   no compiled libraries  -> stepcat-universal.vsix
//   npm run package:all                     every target            -> vsix/stepcat-TARGET.vsix
//                                           (then bundled/ is this machine's again)
//
// The Python that runs bundle.py is $STEPCAT_BUNDLE_PYTHON, else python3, else python; it only
// needs pip (wheels for other platforms are downloaded, not built).
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { target: { type: 'string' }, out: { type: 'string' } } });

function run(command, args) {
  const result = spawnSync(command, args, { stdio: 'inherit', shell: process.platform === 'win32' });
  if (result.status !== 0) {
    process.exit(result.status ?? 1);
  }
}

function python() {
  const candidates = [process.env.STEPCAT_BUNDLE_PYTHON, 'python3', 'python'].filter(Boolean);
  for (const candidate of candidates) {
    const probe = spawnSync(candidate, ['-c', 'import pip'], { stdio: 'ignore' });
    if (probe.status === 0) {
      return candidate;
    }
  }
  console.error('scripts/package.mjs: no Python with pip found (set STEPCAT_BUNDLE_PYTHON)');
  process.exit(1);
}

const py = python();
const host = spawnSync(py, ['scripts/bundle.py', '--print-host-target'], { encoding: 'utf8' }).stdout.trim();

function build(target, out) {
  mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
  run(py, ['scripts/bundle.py', '--target', target]);
  run('node', ['esbuild.mjs', '--production']);
  const vsce = ['vsce', 'package', '--no-dependencies', '--out', out];
  run('npx', target === 'universal' ? vsce : [...vsce, '--target', target]);
}

if (values.target === 'all') {
  const targets = spawnSync(py, ['scripts/bundle.py', '--list-targets'], { encoding: 'utf8' }).stdout.trim().split(/\s+/);
  for (const target of targets) {
    build(target, path.join(values.out ?? 'vsix', `stepcat-${target}.vsix`));
  }
  run(py, ['scripts/bundle.py', '--target', host]);
} else {
  const target = values.target ?? host;
  build(target, values.out ?? (values.target ? `stepcat-${target}.vsix` : 'stepcat.vsix'));
}
