/** The real machine behind `serverCommand.Machine`: file checks, PATH and a Python import probe. */

import { execFile } from 'node:child_process';
import { constants, promises as fs } from 'node:fs';
import * as path from 'node:path';

import { PROBE, parseProbe } from './probe';
import { Bundle, Machine, Probe, bundledPythonPath, searchPath } from './serverCommand';

const PROBE_TIMEOUT_MS = 20_000;

async function isExecutableFile(file: string): Promise<boolean> {
  try {
    const stat = await fs.stat(file);
    if (!stat.isFile()) {
      return false;
    }
    if (process.platform !== 'win32') {
      await fs.access(file, constants.X_OK);
    }
    return true;
  } catch {
    return false;
  }
}

function probe(python: string, libs: string | undefined): Promise<Probe> {
  const env = { ...process.env };
  if (libs !== undefined) {
    env.PYTHONPATH = bundledPythonPath(libs, process.env.PYTHONPATH, path.delimiter);
  }
  return new Promise((resolve) => {
    execFile(
      python,
      ['-c', PROBE],
      { timeout: PROBE_TIMEOUT_MS, windowsHide: true, env },
      (error, stdout, stderr) => resolve(parseProbe(stdout, stderr, error?.message)),
    );
  });
}

export const nodeMachine: Machine = {
  isExecutableFile,
  probe,
  findOnPath: (name) => searchPath(name, process.env, process.platform, isExecutableFile),
};

/** The extension's bundled server (`bundled/libs/BUNDLE.json`), or undefined in a build without one. */
export async function readBundle(extensionPath: string): Promise<Bundle | undefined> {
  const libs = path.join(extensionPath, 'bundled', 'libs');
  try {
    const manifest = JSON.parse(await fs.readFile(path.join(libs, 'BUNDLE.json'), 'utf8')) as {
      target?: string;
      needsFromEnvironment?: string[];
    };
    return {
      libs,
      target: manifest.target ?? 'unknown',
      needsFromEnvironment: manifest.needsFromEnvironment ?? [],
    };
  } catch {
    return undefined;
  }
}
