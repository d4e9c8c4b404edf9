import { describe, expect, it } from 'vitest';

import { serverArgs, toServerSettings } from '../src/settings';

const read = (values: Record<string, unknown>) => (key: string) => values[key];

describe('toServerSettings', () => {
  it('gives the server defaults when nothing is set', () => {
    expect(toServerSettings(read({}))).toEqual({
      settings: { severity: {}, disabledRules: [], codeLens: true, jobTypes: [], checkSyntax: true },
      problems: [],
    });
  });

  it('passes valid settings through, normalising levels and job types', () => {
    const { settings, problems } = toServerSettings(
      read({
        severity: { 'unlinked-component': 'off', 'missing-contract': 'Error', 'missing-spec': 'info' },
        disabledRules: ['syntax-error', ' syntax-error ', 'missing-script'],
        codeLens: false,
        jobTypes: ['Evaluation', 'inference', 'evaluation'],
        checkSyntax: false,
      }),
    );
    expect(problems).toEqual([]);
    expect(settings).toEqual({
      severity: {
        'unlinked-component': 'off',
        'missing-contract': 'error',
        'missing-spec': 'information',
      },
      disabledRules: ['syntax-error', 'missing-script'],
      codeLens: false,
      jobTypes: ['evaluation', 'inference'],
      checkSyntax: false,
    });
  });

  it('drops invalid entries, keeps the valid ones and says what was ignored', () => {
    const { settings, problems } = toServerSettings(
      read({
        severity: { 'missing-spec': 'loud', 'missing-builder': 'hint' },
        disabledRules: ['ok-rule', 3, ''],
        codeLens: 'yes',
        jobTypes: 'training',
      }),
    );
    expect(settings.severity).toEqual({ 'missing-builder': 'hint' });
    expect(settings.disabledRules).toEqual(['ok-rule']);
    expect(settings.codeLens).toBe(true);
    expect(settings.jobTypes).toEqual([]);
    expect(problems).toEqual([
      "stepcat.severity: \"loud\" for 'missing-spec' is not one of error, warning, information, hint, off; ignored",
      'stepcat.disabledRules: 3 is not a name; ignored',
      'stepcat.disabledRules: "" is not a name; ignored',
      'stepcat.codeLens must be true or false; true used',
      'stepcat.jobTypes must be a list of strings; ignored',
    ]);
  });

  it('rejects a severity that is not an object', () => {
    const { settings, problems } = toServerSettings(read({ severity: ['error'] }));
    expect(settings.severity).toEqual({});
    expect(problems).toEqual(['stepcat.severity must be an object of rule id -> level; ignored']);
  });
});

describe('serverArgs', () => {
  it('keeps strings only', () => {
    expect(serverArgs(['--log-file', 7, '/tmp/x'])).toEqual(['--log-file', '/tmp/x']);
    expect(serverArgs('--log-file')).toEqual([]);
    expect(serverArgs(undefined)).toEqual([]);
  });
});
