import type { KeyPoint, Summary } from './summarizer.ts';

function sourceLinks(point: KeyPoint): string {
  if (point.sources.length === 0) return '';
  if (point.sources.length === 1) return ` ([source](<${point.sources[0]}>))`;
  return ` (${point.sources.map((url, i) => `[${i + 1}](<${url}>)`).join(', ')})`;
}

function section(heading: string, lines: string[]): string[] {
  return lines.length === 0 ? [] : ['', `## ${heading}`, ...lines];
}

function bullets(points: (KeyPoint & { owner?: string })[]): string[] {
  return points.map((p) => `- ${p.text}${p.owner ? ` (owner: **${p.owner}**)` : ''}${sourceLinks(p)}`);
}

/**
 * Renders a summary as Markdown: a title, the overview, then one section per non-empty list. Links are
 * wrapped in `<...>` so Discord does not unfurl a preview for each source.
 */
export function summaryToMarkdown(summary: Summary): string {
  const { stats } = summary;
  const window =
    stats.messages === 0
      ? 'no messages'
      : `${stats.messages} messages from ${stats.participants} participants, ${stats.from} to ${stats.to}`;
  const lines = [
    `# ${summary.title}`,
    '',
    summary.overview,
    ...section('Key points', bullets(summary.keyPoints)),
    ...section('Decisions', bullets(summary.decisions)),
    ...section('Action items', bullets(summary.actionItems)),
    ...section('Open questions', bullets(summary.openQuestions)),
    ...section(
      'Participants',
      summary.participants.map((p) => `- ${p.name} (${p.messages})`),
    ),
    ...section(
      'Links',
      summary.links.map((l) => `- <${l.url}> (shared by ${l.sharedBy})`),
    ),
    '',
    `_${window}_`,
  ];
  if (summary.footer) lines.push('', `_${summary.footer}_`);
  return `${lines.join('\n')}\n`;
}
