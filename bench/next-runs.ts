/**
 * How long `nextRuns(…, 3)` takes over 10,000 assorted expressions and zones (cron with lists, steps, L, W, #,
 * wrapping ranges and years; rate; at), first with cold caches, then warm. Prints the figures; asserts nothing.
 * Run: node --import tsx bench/next-runs.ts
 */
import { nextRuns } from '../lib/tasks/next-runs.ts';

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

function pass(): { ms: number; runs: number } {
  let runs = 0;
  const start = performance.now();
  for (const c of cases) runs += nextRuns(c.expression, c.zone, c.from, 3).length;
  return { ms: performance.now() - start, runs };
}

const cold = pass();
const warm = pass();
console.log(
  `nextRuns(count 3) x ${N} expressions (${new Set(cases.map((c) => c.expression)).size} distinct, ${ZONES.length} zones)`,
);
console.log(
  `  cold: ${cold.ms.toFixed(0)} ms (${((cold.ms * 1000) / N).toFixed(1)} µs/call), ${cold.runs} runs`,
);
console.log(`  warm: ${warm.ms.toFixed(0)} ms (${((warm.ms * 1000) / N).toFixed(1)} µs/call)`);
