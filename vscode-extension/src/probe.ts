/**
 * The probe an interpreter runs before it runs the server: its version, and whether it imports
 * the server (with everything the server imports). Pure; machine.ts runs it.
 *
 * Written for any Python (2.7 included) so an old interpreter answers with its version instead
 * of a syntax error.
 */

import type { Probe } from './serverCommand';

export const PROBE = [
  'import json, sys',
  'r = {"version": "%d.%d.%d" % tuple(sys.version_info[:3])}',
  'if sys.version_info >= (3, 10):',
  '    try:',
  '        import stepcat_server, stepcat_server.server',
  '        r["server"] = stepcat_server.__version__',
  '    except Exception as e:',
  '        r["error"] = "%s: %s" % (type(e).__name__, e)',
  '        r["missing"] = getattr(e, "name", None)',
  'sys.stdout.write("STEPCAT-PROBE " + json.dumps(r) + "\\n")',
].join('\n');

/** The probe's answer from its output; a crash or no answer becomes an `error`. */
export function parseProbe(stdout: string, stderr: string, failure: string | undefined): Probe {
  const line = stdout.split(/\r?\n/).find((l) => l.startsWith('STEPCAT-PROBE '));
  if (line !== undefined) {
    try {
      const raw = JSON.parse(line.slice('STEPCAT-PROBE '.length)) as Record<string, unknown>;
      const probe: Probe = {};
      for (const key of ['version', 'server', 'error', 'missing'] as const) {
        if (typeof raw[key] === 'string') {
          probe[key] = raw[key] as string;
        }
      }
      return probe;
    } catch {
      // fall through: reported as unreadable
    }
  }
  const last = stderr.trim().split(/\r?\n/).pop();
  return { error: last || failure || 'the probe printed nothing' };
}
