import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compareSnowflakes,
  DISCORD_EPOCH_MS,
  snowflakeFromTime,
  timeFromSnowflake,
} from '../../../lib/shared/snowflake.ts';

describe('snowflakes', () => {
  it('decodes the documented example id to its creation time', () => {
    // developers/reference.mdx: 175928847299117063 was created at 1462015105796.
    expect(timeFromSnowflake('175928847299117063').getTime()).toBe(1_462_015_105_796);
  });

  it('round-trips any millisecond after the epoch', () => {
    fc.assert(
      fc.property(fc.integer({ min: DISCORD_EPOCH_MS, max: DISCORD_EPOCH_MS + 2 ** 41 }), (ms) => {
        expect(timeFromSnowflake(snowflakeFromTime(ms)).getTime()).toBe(ms);
      }),
    );
  });

  it('orders numerically, not as strings', () => {
    expect(compareSnowflakes('9', '10')).toBe(-1);
    expect(compareSnowflakes('175928847299117063', '175928847299117063')).toBe(0);
    expect(
      compareSnowflakes(snowflakeFromTime(new Date('2026-01-02')), snowflakeFromTime(new Date('2026-01-01'))),
    ).toBe(1);
  });

  it('refuses times before the Discord epoch', () => {
    expect(() => snowflakeFromTime(new Date('2014-12-31T23:59:59Z'))).toThrow(RangeError);
  });
});
