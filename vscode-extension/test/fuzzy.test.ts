import { describe, expect, it } from 'vitest';

import { rank, scoreQuery, scoreWord } from '../src/fuzzy';

const STEPS = [
  'CradleDataLoading',
  'TabularPreprocessing',
  'XGBoostTraining',
  'XGBoostModel',
  'PyTorchModelEval',
  'LightGBMMTTraining',
  'Package',
  'Registration',
];

const names = (query: string) => rank(STEPS, query, (s) => [s]);

describe('scoreWord', () => {
  it('is undefined when the word is not a subsequence', () => {
    expect(scoreWord('xgbz', 'XGBoostTraining')).toBeUndefined();
    expect(scoreWord('gx', 'XGBoostTraining')).toBeUndefined();
  });

  it('ranks exact > prefix > substring > scattered', () => {
    const exact = scoreWord('package', 'Package')!;
    const prefix = scoreWord('pack', 'Package')!;
    const substring = scoreWord('ckag', 'Package')!;
    const scattered = scoreWord('pcg', 'Package')!;
    expect(exact).toBeGreaterThan(prefix);
    expect(prefix).toBeGreaterThan(substring);
    expect(substring).toBeGreaterThan(scattered);
  });

  it('prefers word starts (camel case and separators)', () => {
    expect(scoreWord('tp', 'TabularPreprocessing')!).toBeGreaterThan(scoreWord('tp', 'Setup')!);
    expect(scoreWord('dl', 'data_loading')!).toBeGreaterThan(scoreWord('dl', 'model')!);
  });
});

describe('rank', () => {
  it('finds abbreviations of camel-case names', () => {
    expect(names('xgbtrain')[0]).toBe('XGBoostTraining');
    expect(names('tabprep')).toEqual(['TabularPreprocessing']);
    expect(names('cdl')[0]).toBe('CradleDataLoading');
  });

  it('puts the exact name first', () => {
    expect(names('package')[0]).toBe('Package');
  });

  it('requires every word of a multi-word query', () => {
    expect(names('xgb model')).toEqual(['XGBoostModel']);
    expect(names('torch eval')).toEqual(['PyTorchModelEval']);
  });

  it('keeps the input order for an empty query and drops non-matches otherwise', () => {
    expect(names('  ')).toEqual(STEPS);
    expect(names('zzz')).toEqual([]);
  });

  it('matches other fields, weighting the first (the name) double', () => {
    const rows = [
      { name: 'Alpha', description: 'training data' },
      { name: 'TrainingStep', description: 'other' },
    ];
    const ranked = rank(rows, 'training', (r) => [r.name, r.description]).map((r) => r.name);
    expect(ranked).toEqual(['TrainingStep', 'Alpha']);
    expect(scoreQuery('data', ['Alpha', 'training data'])).toBeGreaterThan(0);
  });
});
