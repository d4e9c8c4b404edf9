// package.json's contributions checked against the code and the CLI they describe.
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

import { CATALOG_PATTERNS, catalogGlob } from '../src/catalog';

const root = path.resolve(__dirname, '..');
const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const contributes = manifest.contributes;
const properties: Record<string, { scope?: string }> = contributes.configuration.properties;

describe('activation', () => {
  it('is the catalog patterns, nothing broader', () => {
    expect(manifest.activationEvents).toEqual(CATALOG_PATTERNS.map((p) => `workspaceContains:${p}`));
    expect(manifest.activationEvents.join(' ')).not.toMatch(/config_\*|registry\/\*/);
    expect(catalogGlob()).toBe(`{${CATALOG_PATTERNS.join(',')}}`);
  });
});

describe('settings', () => {
  const programs = ['stepcat.server.path', 'stepcat.server.args', 'stepcat.interpreter', 'stepcat.importStrategy', 'stepcat.python'];

  it('that choose a program are machine-overridable and restricted in untrusted workspaces', () => {
    for (const key of programs) {
      expect(properties[key]?.scope, key).toBe('machine-overridable');
    }
    expect(manifest.capabilities.untrustedWorkspaces.supported).toBe('limited');
    expect(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations).toEqual(programs);
    expect(manifest.capabilities.virtualWorkspaces.supported).toBe(false);
  });

  it('that shape the catalog are per folder', () => {
    for (const key of ['stepcat.severity', 'stepcat.disabledRules', 'stepcat.codeLens', 'stepcat.jobTypes']) {
      expect(properties[key]?.scope, key).toBe('resource');
    }
  });
});

describe('commands', () => {
  it('each have a palette `when` clause', () => {
    const when = new Map<string, string>(contributes.menus.commandPalette.map((m: { command: string; when: string }) => [m.command, m.when]));
    for (const { command } of contributes.commands) {
      // `false`: commands of a Steps-view item, which the palette cannot supply
      expect(when.get(command), command).toMatch(/^(stepcat\.(active|serverRunning)|false)$/);
    }
    expect(when.get('stepcat.showOutput')).toBe('stepcat.active');
    expect(when.get('stepcat.showStep')).toBe('stepcat.serverRunning');
  });
});

describe('$stepcat problem matcher', () => {
  const matcher = contributes.problemMatchers.find((m: { name: string }) => m.name === 'stepcat');
  const regexp = new RegExp(matcher.pattern.regexp);

  it('reads `stepcat check` text lines', () => {
    const line =
      "src/pipelines/registry/step_names.py:96:26: error [missing-class] config_class 'RegistrationConfig' is not defined by any config file";
    const m = regexp.exec(line);
    expect(m).not.toBeNull();
    const { file, line: l, column, severity, code, message } = matcher.pattern;
    expect([m![file], m![l], m![column], m![severity], m![code]]).toEqual([
      'src/pipelines/registry/step_names.py', '96', '26', 'error', 'missing-class',
    ]);
    expect(m![message]).toBe("config_class 'RegistrationConfig' is not defined by any config file");
  });

  it('maps information and hint (which VS Code does not parse) to info, not to error', () => {
    // VS Code reads `error` and `warning`; a severity it cannot read falls back to this default
    expect(matcher.severity).toBe('info');
  });

  it('keeps colons in Windows paths and messages, and ignores the summary line', () => {
    const m = regexp.exec('C:\\ws\\a.py:3:1: warning [dag-unknown-step] x: y [z]');
    expect(m?.[1]).toBe('C:\\ws\\a.py');
    expect(m?.[6]).toBe('x: y [z]');
    expect(regexp.exec('5 problems (1 error, 4 warnings)')).toBeNull();
  });
});

describe('packaged files', () => {
  const ignore = readFileSync(path.join(root, '.vscodeignore'), 'utf8');
  const referenced = [
    manifest.icon,
    ...contributes.jsonValidation.map((j: { url: string }) => j.url),
    ...contributes.tomlValidation.map((j: { url: string }) => j.url),
    ...contributes.walkthroughs.flatMap((w: { steps: { media: { markdown: string } }[] }) => w.steps.map((s) => s.media.markdown)),
    'CHANGELOG.md',
  ].map((p: string) => p.replace(/^\.\//, ''));

  it('exist and are not excluded from the .vsix', () => {
    for (const file of referenced) {
      expect(existsSync(path.join(root, file)), file).toBe(true);
      const dir = path.dirname(file);
      const kept = ignore.includes(`!${file}`) || ignore.includes(`!${dir}/*${path.extname(file)}`);
      expect(kept, file).toBe(true);
    }
  });

  it('has the marketplace metadata', () => {
    expect(manifest.preview).toBe(true);
    expect(manifest.repository.url).toMatch(/^https:\/\/github\.com\//);
    expect(manifest.icon).toBe('images/icon.png');
  });
});
