/**
 * Figure 4: how long `nextRuns(…, 3)` takes over 10,000 assorted expressions and zones (cron with lists,
 * steps, L, W, #, wrapping ranges and years; rate; at), first with cold caches, then warm; and beside it
 * croner alone on the same cron expressions (the price of EventBridge's syntax and DST rules on top).
 * Run: node --import tsx bench/next-runs.ts
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Cron } from 'croner';
import { nextRuns } from '../lib/tasks/next-runs.ts';
import type { Figure } from './lib/report.ts';
import { median } from './lib/stats.ts';

const ZONES = [
  'Etc/UTC',
  'America/Los_Angeles',
  'America/New_York',
  'Europe/Berlin',
  'Asia/Kolkata',
  'Asia/Tokyo',
  'Australia/Lord_Howe',
  'Pacific/Chatham',
  'America/Sao_Paulo',
  'Africa/Casablanca',
];
const DAYS = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'];

function expression(i: number): string {
  const m = i % 60;
  const h = i % 24;
  const pad = (n: number) => String(n).padStart(2, '0');
  switch (i % 12) {
    case 0:
      return `cron(${m} ${h} * * ? *)`;
    case 1:
      return `rate(${1 + (i % 90)} minutes)`;
    case 2:
      return `cron(0/${1 + (i % 30)} * ? * MON-FRI *)`;
    case 3:
      return `cron(${m} ${h} L * ? *)`;
    case 4:
      return `cron(${m} ${h} ? * ${1 + (i % 7)}#${1 + (i % 5)} *)`;
    case 5:
      return `at(20${27 + (i % 50)}-${pad(1 + (i % 12))}-${pad(1 + (i % 28))}T${pad(h)}:${pad(m)}:00)`;
    case 6:
      return `cron(${m} ${h} ? * ${1 + (i % 7)}L 2026-2035)`;
    case 7:
      return `cron(${m} 20-2 ? * MON-FRI *)`;
    case 8:
      return `cron(${m} ${h} ${1 + (i % 28)}W * ? *)`;
    case 9:
      return `rate(${1 + (i % 7)} days)`;
    case 10:
      return `cron(${m},${(m + 30) % 60} ${h} ? * ${DAYS[i % 7]},${DAYS[(i + 2) % 7]} *)`;
    default:
      return `cron(${m} ${h} ${1 + (i % 31)} ${1 + (i % 12)} ? *)`;
  }
}

const N = 10_000;
const cases = Array.from({ length: N }, (_, i) => ({
  expression: expression(i),
  zone: ZONES[i % ZONES.length] ?? 'Etc/UTC',
  from: new Date(Date.UTC(2026, i % 12, 1 + (i % 28), i % 24, (i * 7) % 60)),
}));

function pass(subset = cases): { ms: number; runs: number } {
  let runs = 0;
  const start = performance.now();
  for (const c of subset) runs += nextRuns(c.expression, c.zone, c.from, 3).length;
  return { ms: performance.now() - start, runs };
}

/**
 * croner as the project configures it for AWS cron (TOOLCHAIN.md): seconds field prepended, 7-part mode,
 * AWS weekday numbering, numeric-prefix steps allowed; one Cron per distinct expression and zone, as
 * nextRuns caches its compiled expressions.
 */
function cronerOf(c: (typeof cases)[number]): Cron {
  return new Cron(`0 ${c.expression.slice(5, -1)}`, {
    mode: '7-part',
    alternativeWeekdays: true,
    sloppyRanges: true,
    timezone: c.zone,
  });
}

/** Whether croner accepts the expression at all (it rejects AWS's wrapping ranges such as `20-2`). */
function cronerAccepts(c: (typeof cases)[number]): boolean {
  try {
    cronerOf(c);
    return true;
  } catch {
    return false; // such expressions are left out of the comparison, and the note says how many
  }
}

function cronerPass(subset: typeof cases): { ms: number; runs: number } {
  const compiled = new Map<string, Cron>();
  let runs = 0;
  const start = performance.now();
  for (const c of subset) {
    const key = `${c.expression}|${c.zone}`;
    let cron = compiled.get(key);
    if (!cron) {
      cron = cronerOf(c);
      compiled.set(key, cron);
    }
    runs += cron.nextRuns(3, c.from).length;
  }
  return { ms: performance.now() - start, runs };
}

/** Figure 4: nextRuns over every case (cold, warm), and nextRuns against croner on the cron cases. */
export function benchNextRuns(options: { repeats?: number } = {}): { figures: Figure[]; notes: string[] } {
  const repeats = options.repeats ?? 5;
  const cold = pass();
  const warm = median(Array.from({ length: repeats }, () => pass().ms));
  const allCrons = cases.filter((c) => c.expression.startsWith('cron('));
  const crons = allCrons.filter(cronerAccepts);
  cronerPass(crons); // warm-up: JIT and croner's own zone caches
  const ours = median(Array.from({ length: repeats }, () => pass(crons).ms));
  const croner = median(Array.from({ length: repeats }, () => cronerPass(crons).ms));
  const us = (ms: number, n: number) => (ms * 1000) / n;
  return {
    figures: [
      {
        id: '4.nextRuns.cold',
        group: 4,
        label: `nextRuns ×${N.toLocaleString('en-US')} assorted, cold caches (per call)`,
        value: us(cold.ms, N),
        unit: 'µs',
      },
      {
        id: '4.nextRuns.warm',
        group: 4,
        label: `nextRuns ×${N.toLocaleString('en-US')} assorted, warm (median of ${repeats}, per call)`,
        value: us(warm, N),
        unit: 'µs',
      },
      {
        id: '4.nextRuns.cron',
        group: 4,
        label: `nextRuns ×${crons.length.toLocaleString('en-US')} cron expressions (per call)`,
        value: us(ours, crons.length),
        unit: 'µs',
        baseline: { value: us(croner, crons.length), label: 'croner alone' },
      },
    ],
    notes: [
      `next runs: ${new Set(cases.map((c) => c.expression)).size} distinct expressions in ${ZONES.length} zones, 3 runs each; croner compared on the ${crons.length} cron ones it accepts (of ${allCrons.length}; it rejects wrapping ranges)`,
    ],
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const { figures } = benchNextRuns();
  for (const f of figures) {
    console.log(
      `${f.label.padEnd(64)} ${f.value.toFixed(1)} ${f.unit}${f.baseline ? ` (croner ${f.baseline.value.toFixed(1)})` : ''}`,
    );
  }
}
