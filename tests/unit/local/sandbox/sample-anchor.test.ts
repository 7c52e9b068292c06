import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../lib/local/clock.ts';
import { startDiscordStandIn } from '../../../../lib/local/sandbox/discord-stand-in.ts';
import { sampleAnchor } from '../../../../lib/local/sandbox/sample-conversation.ts';
import {
  addSampleServer,
  SAMPLE_CHANNELS,
  sampleConversationOnce,
  seedSampleServer,
} from '../../../../lib/local/sandbox/sample-server.ts';

const HOUR_MS = 3_600_000;

/**
 * What #general holds in the 24 hours the quick start's first digest reads (daily 09:00 Europe/Berlin:
 * `runUtcHour` UTC on that date) for a sandbox first started at `start`.
 */
async function firstDigestWindow(start: Date, runUtcHour: number): Promise<string[]> {
  const clock = new ManualClock(start);
  const standIn = await startDiscordStandIn({ now: () => clock.now() });
  try {
    const seeded = seedSampleServer(standIn, clock);
    const run = new Date(start);
    run.setUTCHours(runUtcHour, 0, 0, 0);
    if (run <= start) run.setUTCDate(run.getUTCDate() + 1);
    await clock.advanceTo(run);
    seeded.cancel();
    const from = run.getTime() - 24 * HOUR_MS;
    return standIn
      .messages(SAMPLE_CHANNELS.general)
      .filter((m) => Date.parse(m.timestamp) > from && Date.parse(m.timestamp) <= run.getTime())
      .map((m) => m.content);
  } finally {
    await standIn.close();
  }
}

// Every half hour of a winter day (09:00 Berlin is 08:00 UTC) and of a summer day (07:00 UTC).
describe.each([
  { season: 'winter', day: '2027-01-14', runUtcHour: 8 },
  { season: 'summer', day: '2027-07-14', runUtcHour: 7 },
])('the sample day, for a sandbox first started on a $season day', ({ day, runUtcHour }) => {
  it('lies in the first 09:00 Europe/Berlin digest, whatever the hour of the start', async () => {
    const missing: string[] = [];
    for (let halfHours = 0; halfHours < 48; halfHours++) {
      const start = new Date(Date.parse(`${day}T00:00:00Z`) + halfHours * 30 * 60_000 + 17_000);
      const window = (await firstDigestWindow(start, runUtcHour)).join('\n');
      const reported =
        /keep it in 2\.4 and remove it in 2\.5/.test(window) &&
        /Thursday next week, 17:00 UTC\. Eli, can you send the invite\?/.test(window) &&
        /On it, I will post the invite/.test(window);
      if (!reported) missing.push(start.toISOString());
    }
    expect(missing).toEqual([]);
  });

  it('has already happened at a start away from the run (the sandbox opens on a day that has talked)', async () => {
    // Noon UTC is hours after the run: the sample day ended minutes before the start.
    const start = new Date(`${day}T12:00:00Z`);
    const clock = new ManualClock(start);
    const standIn = await startDiscordStandIn({ now: () => clock.now() });
    try {
      const seeded = seedSampleServer(standIn, clock);
      seeded.cancel();
      const general = standIn.messages(SAMPLE_CHANNELS.general).map((m) => m.content);
      expect(general.join('\n')).toMatch(/keep it in 2\.4 and remove it in 2\.5/);
      expect(seeded.anchor).toEqual(start);
    } finally {
      await standIn.close();
    }
  });
});

describe('the sample conversation of a running sandbox', () => {
  it('is placed on first use, around that moment, once', async () => {
    const start = new Date('2027-01-14T07:55:00Z'); // 08:55 in Berlin
    const clock = new ManualClock(start);
    const standIn = await startDiscordStandIn({ now: () => clock.now() });
    try {
      addSampleServer(standIn);
      const sample = sampleConversationOnce(standIn, clock);
      expect(standIn.messages(SAMPLE_CHANNELS.general)).toEqual([]);
      expect(sample.anchor).toBeUndefined();

      // Ten minutes later (past 09:00 in Berlin) the newcomer's first command uses the sandbox.
      await clock.advanceTo(new Date('2027-01-14T08:05:00Z'));
      sample.place();
      const count = standIn.messages(SAMPLE_CHANNELS.general).length;
      sample.place();
      sample.cancel();
      expect(standIn.messages(SAMPLE_CHANNELS.general)).toHaveLength(count);
      expect(sample.anchor).toEqual(sampleAnchor(new Date('2027-01-14T08:05:00Z')));
      // The first digest after that is the next day's 09:00: its window opens at 09:00 today.
      expect(sample.anchor!.getTime()).toBeGreaterThan(Date.parse('2027-01-14T08:00:00Z'));
    } finally {
      await standIn.close();
    }
  });

  it('is placed at the saved anchor on a restart, wherever the clock is', async () => {
    const clock = new ManualClock(new Date('2027-01-16T12:00:00Z'));
    const standIn = await startDiscordStandIn({ now: () => clock.now() });
    try {
      addSampleServer(standIn);
      const saved = new Date('2027-01-14T08:05:00Z');
      const sample = sampleConversationOnce(standIn, clock, saved);
      sample.place();
      sample.cancel();
      expect(sample.anchor).toEqual(saved);
      // The sample day's decision is where that first use put it, not around the restart's clock.
      const decision = standIn
        .messages(SAMPLE_CHANNELS.general)
        .find((m) => /keep it in 2\.4 and remove it in 2\.5/.test(m.content));
      const at = Date.parse(decision?.timestamp ?? '');
      expect(at).toBeLessThan(saved.getTime());
      expect(at).toBeGreaterThan(saved.getTime() - 4 * HOUR_MS);
    } finally {
      await standIn.close();
    }
  });
});
