/**
 * Figure 6, summary quality: the discord-digests score (bench/digests.ts), ROUGE-1/2/L F1 of the embedded
 * (extractive) summarizer on the DialogSum test split beside Lead-3 and Longest-3 (without and with speaker
 * labels), and the summarizer's speed in messages per second.
 * Run standalone: `node --import tsx bench/quality.ts` (or bench/dialogsum.ts for both splits).
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { evaluateDialogSum, measureSpeed } from './dialogsum.ts';
import { benchDigests } from './digests.ts';
import type { Figure } from './lib/report.ts';

const METRICS = [
  ['rouge1', 'ROUGE-1'],
  ['rouge2', 'ROUGE-2'],
  ['rougeL', 'ROUGE-L'],
] as const;

/** Figure 6: one row per metric and baseline (the summarizer must beat both), and the speed. */
export function benchQuality(options: { speedMessages?: number } = {}): {
  figures: Figure[];
  notes: string[];
} {
  const rows = evaluateDialogSum('test');
  const find = (system: string) => {
    const row = rows.find((r) => r.system === system);
    if (!row) throw new Error(`DialogSum evaluation has no ${system} row`);
    return row;
  };
  const figures: Figure[] = [];
  // Without speaker labels against baselines without them (the budget), then the same with labels (shown).
  for (const labels of ['', '+labels'] as const) {
    const ours = find(`extractive${labels}`);
    for (const [key, name] of METRICS) {
      for (const [system, label] of [
        ['lead-3', 'Lead-3'],
        ['longest-3', 'Longest-3'],
      ] as const) {
        const baseline = find(`${system}${labels}`)[key];
        figures.push({
          id: `6.${key}.vs-${system}${labels ? '.labels' : ''}`,
          group: 6,
          label: `${name} F1, DialogSum test (${ours.dialogues}), extractive vs ${label}${labels ? ', both with speaker labels' : ', no speaker labels'}`,
          value: ours[key],
          unit: '%',
          baseline: { value: baseline, label },
          ...(labels ? {} : { budget: { limit: baseline, direction: 'min' as const } }),
        });
      }
    }
  }
  const digests = benchDigests();
  figures.push(...digests.figures);
  const speed = measureSpeed(options.speedMessages ?? 10_000);
  // The issue's measure (#13: ≥ 50,000 msg/s) is wall time: one warm-up summary, then the median of five.
  figures.push({
    id: '6.speed',
    group: 6,
    label: `extractive speed, ${speed.messages.toLocaleString('en-US')} messages (wall, median of 5; #13)`,
    value: speed.perSecond,
    unit: 'msg/s',
    budget: { limit: 50_000, direction: 'min' },
  });
  // Shown, not budgeted: the process's CPU time counts V8's background compiler and GC threads beside the
  // summarizer's own, so it says how busy the machine was made rather than how long a summary took.
  figures.push({
    id: '6.speed.cpu',
    group: 6,
    label: `extractive speed by the process's CPU time (all threads), ${speed.messages.toLocaleString('en-US')} messages (median of 5)`,
    value: speed.cpuPerSecond,
    unit: 'msg/s',
  });
  // Beside the issue's measure: its synthetic channel repeats about a thousand texts, a real one rarely does.
  const distinct = measureSpeed(options.speedMessages ?? 10_000, 5, 'distinct');
  figures.push({
    id: '6.speed.distinct',
    group: 6,
    label: `extractive speed, ${distinct.messages.toLocaleString('en-US')} DialogSum turns as one channel, nearly all distinct (median of 5; shown, not budgeted)`,
    value: distinct.perSecond,
    unit: 'msg/s',
  });
  return {
    figures,
    notes: [
      ...digests.notes,
      'quality: ROUGE F1 without stemming, each dialogue averaged over its three references, the default (detailed) length; budget = beat the baseline without speaker labels (with labels shown for comparison)',
    ],
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  for (const f of benchQuality().figures) {
    console.log(
      `${f.label.padEnd(64)} ${f.value} ${f.unit}${f.baseline ? ` (${f.baseline.label} ${f.baseline.value})` : ''}`,
    );
  }
}
