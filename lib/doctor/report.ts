import { plural } from '../shared/words.ts';
import type { CheckLine, CheckStatus } from './checks.ts';

const MARKS: Record<CheckStatus, string> = { pass: '✓', fail: '✗', warn: '!', skip: '–' };

/** The report as printed: a heading, then one line per check, a failure's fix after a dash. */
export function formatReport(where: string, lines: readonly CheckLine[]): string {
  const body = lines.map((line) => `${MARKS[line.status]} ${line.text}${line.fix ? ` — ${line.fix}` : ''}`);
  const failed = lines.filter((line) => line.status === 'fail').length;
  const verdict =
    failed === 0
      ? 'All checks passed.'
      : `${plural(failed, 'check')} failed: fix ${failed === 1 ? 'it' : 'them'} and run doctor again.`;
  return `Checking ${where}\n${body.join('\n')}\n${verdict}\n`;
}
