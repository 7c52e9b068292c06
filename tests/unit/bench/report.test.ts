import { describe, expect, it } from 'vitest';
import { parseOnly } from '../../../bench/lib/options.ts';
import {
  cells,
  exitCode,
  type Figure,
  formatNumber,
  formatTable,
  missed,
  ratio,
  verdict,
} from '../../../bench/lib/report.ts';
import { median, percentile } from '../../../bench/lib/stats.ts';

describe('median', () => {
  it('takes the middle value of an odd count, whatever the order', () => {
    expect(median([9, 1, 5])).toBe(5);
  });
  it('averages the middle two of an even count', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
  it('is NaN for no values', () => {
    expect(median([])).toBeNaN();
  });
});

describe('percentile', () => {
  const thousand = Array.from({ length: 1000 }, (_, i) => 1000 - i); // 1..1000, shuffled order irrelevant

  it('p99 of 1,000 samples is the 990th smallest (nearest rank, no interpolation)', () => {
    expect(percentile(thousand, 99)).toBe(990);
  });
  it('p50 by nearest rank is the lower middle value', () => {
    expect(percentile([1, 2, 3, 4], 50)).toBe(2);
  });
  it('p100 is the maximum and a tiny p the minimum', () => {
    expect(percentile(thousand, 100)).toBe(1000);
    expect(percentile(thousand, 0.0001)).toBe(1);
  });
  it('rejects a percentile outside (0, 100]', () => {
    expect(() => percentile([1], 0)).toThrow(RangeError);
    expect(() => percentile([1], 101)).toThrow(RangeError);
  });
});

describe('verdict', () => {
  const atMost = { limit: 100, direction: 'max' as const };
  const atLeast = { limit: 1000, direction: 'min' as const };

  it('is ok inside a maximum, noise up to the margin above it, MISSED beyond', () => {
    expect(verdict(100, atMost, 0.2)).toBe('ok');
    expect(verdict(119, atMost, 0.2)).toBe('noise');
    expect(verdict(121, atMost, 0.2)).toBe('MISSED');
  });
  it('is ok above a minimum, noise down to limit / (1 + margin), MISSED below', () => {
    expect(verdict(1000, atLeast, 0.2)).toBe('ok');
    expect(verdict(840, atLeast, 0.2)).toBe('noise');
    expect(verdict(820, atLeast, 0.2)).toBe('MISSED');
  });
  it('is empty without a budget and MISSED for a value that could not be measured', () => {
    expect(verdict(5, undefined)).toBe('');
    expect(verdict(Number.NaN, atMost)).toBe('MISSED');
  });
});

const figure = (over: Partial<Figure>): Figure => ({
  id: 'x',
  group: 2,
  label: 'create p99',
  value: 40,
  unit: 'ms',
  ...over,
});

describe('ratio', () => {
  it('divides by the baseline when there is one, else by the budget', () => {
    expect(ratio(figure({ baseline: { value: 3000, label: 'deadline' } }))).toBeCloseTo(40 / 3000);
    expect(ratio(figure({ budget: { limit: 50, direction: 'max' } }))).toBe(0.8);
    expect(ratio(figure({}))).toBeUndefined();
  });
});

describe('formatNumber', () => {
  it('groups thousands from 100 up and keeps three significant digits below', () => {
    expect(formatNumber(12_345.6)).toBe('12,346');
    expect(formatNumber(42.345)).toBe('42.3');
    expect(formatNumber(0.012345)).toBe('0.0123');
    expect(formatNumber(0)).toBe('0');
  });
});

describe('formatTable', () => {
  const figures = [
    figure({ budget: { limit: 50, direction: 'max' }, baseline: { value: 3000, label: 'Discord deadline' } }),
    figure({ id: 'y', group: 6, label: 'ROUGE-1', value: 27.5, unit: '%' }),
  ];

  it('prints one header row, a rule and one aligned row per figure', () => {
    const lines = formatTable(figures).split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^\| figure +\| value +\| budget +\| baseline +\| ratio +\| verdict +\|$/);
    expect(new Set(lines.map((l) => l.length)).size).toBe(1);
  });
  it('shows the budget with its direction, the baseline with its label, the ratio and the verdict', () => {
    expect(cells(figures[0] as Figure)).toEqual([
      '2. create p99',
      '40 ms',
      '≤ 50 ms',
      '3,000 ms (Discord deadline)',
      '0.013×',
      'ok',
    ]);
  });
  it('leaves budget, baseline, ratio and verdict empty for a figure that has none', () => {
    expect(cells(figures[1] as Figure).slice(2)).toEqual(['', '', '', '']);
  });
});

describe('exitCode', () => {
  it('is 0 when every budget holds or misses only within the noise margin', () => {
    const within = [figure({ value: 55, budget: { limit: 50, direction: 'max' } })];
    expect(exitCode(within, 0.2)).toBe(0);
  });
  it('is 1 when a budget is missed beyond the margin, and names that figure', () => {
    const beyond = [
      figure({ value: 61, budget: { limit: 50, direction: 'max' } }),
      figure({ id: 'ok', value: 1 }),
    ];
    expect(exitCode(beyond, 0.2)).toBe(1);
    expect(missed(beyond, 0.2).map((f) => f.id)).toEqual(['x']);
  });
});

describe('parseOnly', () => {
  it('runs every figure when --only is absent', () => {
    expect(parseOnly(undefined)).toEqual([1, 2, 3, 4, 5, 6]);
  });
  it('takes a comma-separated list, sorted and without repeats', () => {
    expect(parseOnly('5, 2,5')).toEqual([2, 5]);
  });
  it('rejects a figure that does not exist, naming the option', () => {
    expect(() => parseOnly('7')).toThrow(/--only/);
    expect(() => parseOnly('two')).toThrow(/--only/);
  });
});
