/** The real machine behind `serverCommand.Machine`: file checks, PATH and a Python import probe. */

import { execFile } from 'node:child_process';
import { constants, promises as fs } from 'node:fs';

import { Machine, SERVER_MODULE, searchPath } from './serverCommand';

const PROBE_TIMEOUT_MS = 15_000;

async function isExecutableFile(path: string): Promise<boolean> {
  try {
    const stat = await fs.stat(path);
    if (!stat.isFile()) {
      return false;
    }
    if (process.platform !== 'win32') {
      await fs.access(path, constants.X_OK);
    }
    return true;
  } catch {
    return false;
  }
}

function pythonHasServer(python: string): Promise<boolean> {
  return new Promise((resolve) => {
    execFile(
      python,
      ['-c', `import ${SERVER_MODULE}`],
      { timeout: PROBE_TIMEOUT_MS, windowsHide: true },
      (error) => resolve(error === null),
    );
  });
}

export const nodeMachine: Machine = {
  isExecutableFile,
  pythonHasServer,
  findOnPath: (name) => searchPath(name, process.env, process.platform, isExecutableFile),
};
