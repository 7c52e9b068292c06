import type { Summary } from '../summarization/summarizer.ts';
import { RUN_DIGEST_LIMITS, type RunDigest, type RunRecord } from '../tasks/run-record.ts';

/** `text` cut to `max` characters at a word where it can be, with an ellipsis when cut. */
export function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/**
 * The headline of a summary as a run record keeps it for digests of digests: title, overview and the first
 * key points, decisions, action items and open questions, each bounded (RUN_DIGEST_LIMITS), so a record
 * stays a few kilobytes whatever the summarizer wrote.
 */
export function toRunDigest(summary: Summary): RunDigest {
  const lines: RunDigest['lines'] = [];
  const take = (kind: RunDigest['lines'][number]['kind'], points: Summary['keyPoints'], count: number) => {
    for (const point of points.slice(0, count)) {
      if (lines.length >= RUN_DIGEST_LIMITS.lines) return;
      const owner = 'owner' in point && typeof point.owner === 'string' ? clip(point.owner, 100) : undefined;
      lines.push({ kind, text: clip(point.text, RUN_DIGEST_LIMITS.line), ...(owner ? { owner } : {}) });
    }
  };
  take('decision', summary.decisions, 2);
  take('action', summary.actionItems, 2);
  take('point', summary.keyPoints, 3);
  take('question', summary.openQuestions, 1);
  return {
    title: clip(summary.title, RUN_DIGEST_LIMITS.title),
    overview: clip(summary.overview, RUN_DIGEST_LIMITS.overview),
    lines,
  };
}

/** Where a run's digest was posted in Discord: the first delivered Discord destination's link, if any. */
export function postedLink(run: Pick<RunRecord, 'destinations'>): string | undefined {
  return run.destinations?.find((d) => d.type === 'discord_channel' && d.status === 'delivered' && d.location)
    ?.location;
}
