/** The benchmark report: figures with budgets and baselines, verdicts with a noise margin, the table. */

/** A limit a figure must respect: at most (`max`) or at least (`min`) `limit`, in the figure's unit. */
export interface Budget {
  limit: number;
  direction: 'max' | 'min';
}

/** What a figure is compared with, measured in the same run (or a fixed reference such as a deadline). */
export interface Baseline {
  value: number;
  label: string;
}

/** One line of the table. */
export interface Figure {
  /** Stable key for results/latest.json, e.g. `2.create.p99`. */
  id: string;
  /** Which of the six benchmark groups it belongs to. */
  group: number;
  label: string;
  value: number;
  unit: string;
  budget?: Budget;
  baseline?: Baseline;
  note?: string;
}

export type Verdict = 'ok' | 'noise' | 'MISSED' | '';

/** Relative amount by which a budget may be missed before the run fails: these machines are noisy. */
export const DEFAULT_NOISE_MARGIN = 0.2;

/**
 * `ok` inside the budget, `noise` outside it by no more than `margin` (relative), `MISSED` beyond that;
 * empty when the figure has no budget.
 */
export function verdict(value: number, budget: Budget | undefined, margin = DEFAULT_NOISE_MARGIN): Verdict {
  if (!budget) return '';
  if (!Number.isFinite(value)) return 'MISSED';
  if (budget.direction === 'max') {
    if (value <= budget.limit) return 'ok';
    return value <= budget.limit * (1 + margin) ? 'noise' : 'MISSED';
  }
  if (value >= budget.limit) return 'ok';
  return value >= budget.limit / (1 + margin) ? 'noise' : 'MISSED';
}

/** value ÷ baseline when there is a baseline, else value ÷ budget limit; undefined when neither. */
export function ratio(figure: Figure): number | undefined {
  const reference = figure.baseline?.value ?? figure.budget?.limit;
  if (reference === undefined || reference === 0) return undefined;
  return figure.value / reference;
}

/** A number for people: thousands separators from 100 up, three significant digits below. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs >= 100) return Math.round(value).toLocaleString('en-US');
  if (abs === 0) return '0';
  return Number(value.toPrecision(3)).toString();
}

function withUnit(value: number, unit: string): string {
  return unit ? `${formatNumber(value)} ${unit}` : formatNumber(value);
}

function formatRatio(r: number | undefined): string {
  if (r === undefined) return '';
  if (r >= 100) return `${formatNumber(r)}×`;
  return `${Number(r.toPrecision(r < 0.01 ? 1 : 2))}×`;
}

/** The table's cells for one figure: figure, value, budget, baseline, ratio, verdict. */
export function cells(figure: Figure, margin = DEFAULT_NOISE_MARGIN): string[] {
  const budget = figure.budget
    ? `${figure.budget.direction === 'max' ? '≤' : '≥'} ${withUnit(figure.budget.limit, figure.unit)}`
    : '';
  const baseline = figure.baseline
    ? `${withUnit(figure.baseline.value, figure.unit)} (${figure.baseline.label})`
    : '';
  return [
    `${figure.group}. ${figure.label}`,
    withUnit(figure.value, figure.unit),
    budget,
    baseline,
    formatRatio(ratio(figure)),
    verdict(figure.value, figure.budget, margin),
  ];
}

export const HEADERS = ['figure', 'value', 'budget', 'baseline', 'ratio', 'verdict'] as const;

/** A Markdown table (aligned, so it also reads well in a terminal) of every figure. */
export function formatTable(figures: readonly Figure[], margin = DEFAULT_NOISE_MARGIN): string {
  const rows = [HEADERS as readonly string[], ...figures.map((f) => cells(f, margin))];
  const widths = HEADERS.map((_, c) => Math.max(...rows.map((r) => [...(r[c] ?? '')].length)));
  const line = (r: readonly string[]) =>
    `| ${r.map((cell, c) => cell + ' '.repeat((widths[c] ?? 0) - [...cell].length)).join(' | ')} |`;
  const rule = `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`;
  return [line(rows[0] as string[]), rule, ...rows.slice(1).map(line)].join('\n');
}

/** The figures whose budget is missed by more than the noise margin. */
export function missed(figures: readonly Figure[], margin = DEFAULT_NOISE_MARGIN): Figure[] {
  return figures.filter((f) => verdict(f.value, f.budget, margin) === 'MISSED');
}

/** The process exit code: 1 only when some budget is missed beyond the noise margin. */
export function exitCode(figures: readonly Figure[], margin = DEFAULT_NOISE_MARGIN): 0 | 1 {
  return missed(figures, margin).length > 0 ? 1 : 0;
}
