import { describe, expect, it } from 'vitest';
import { digestThreadName, THREAD_NAME_MAX, windowInWords } from '../../../lib/delivery/thread-name.ts';

describe('digestThreadName', () => {
  const day = { from: '2026-12-01T08:00:00.000Z', to: '2026-12-02T08:00:00.000Z' };

  it("names the window in the task's zone, to the minute", () => {
    expect(digestThreadName('Digest', day, 'Europe/Berlin')).toBe('Digest · Tue 1 Dec 09:00–Wed 2 Dec 09:00');
    expect(digestThreadName('Digest', day, 'America/New_York')).toBe(
      'Digest · Tue 1 Dec 03:00–Wed 2 Dec 03:00',
    );
  });

  it('writes a window within one day once', () => {
    expect(windowInWords({ from: '2026-12-01T08:00:00Z', to: '2026-12-01T16:30:00Z' }, 'UTC')).toBe(
      'Tue 1 Dec 08:00–16:30',
    );
  });

  it('cuts a long name, never the window, within 100 UTF-16 units (emoji not split)', () => {
    const name = digestThreadName('🙂'.repeat(60), day, 'UTC');
    expect(name.length).toBeLessThanOrEqual(THREAD_NAME_MAX);
    expect(name.endsWith('… · Tue 1 Dec 08:00–Wed 2 Dec 08:00')).toBe(true);
    expect(name).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });

  it('folds whitespace and names an empty task name Digest', () => {
    expect(digestThreadName('  a   b ', day, 'UTC').startsWith('a b · ')).toBe(true);
    expect(digestThreadName('   ', day, 'UTC').startsWith('Digest · ')).toBe(true);
  });
});
