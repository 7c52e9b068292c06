import { describe, expect, it } from 'vitest';
import { formatInZone, relativeTime } from '../../../../lib/local/status/shown-time.ts';

describe('time formatting', () => {
  it('formats an instant in the given zone, 24-hour, with the zone’s abbreviation', () => {
    const at = new Date('2026-07-01T16:30:00Z');
    expect(formatInZone(at, 'Europe/Berlin')).toBe('Wed 1 Jul 2026, 18:30 CEST');
    expect(formatInZone(at, 'Asia/Tokyo')).toBe('Thu 2 Jul 2026, 01:30 GMT+9');
  });

  it('says how far an instant is in coarse units', () => {
    const now = new Date('2026-03-02T10:00:00Z');
    const at = (ms: number) => relativeTime(new Date(now.getTime() + ms), now);
    expect(at(10_000)).toBe('now');
    expect(at(25 * 60_000)).toBe('in 25 min');
    expect(at(3 * 3_600_000)).toBe('in 3 h');
    expect(at(-2 * 86_400_000)).toBe('2 d ago');
    expect(at(120 * 86_400_000)).toBe('in 4 mo');
  });
});
