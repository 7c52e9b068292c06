import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../lib/local/clock.ts';
import { startDiscordStandIn } from '../../../../lib/local/sandbox/discord-stand-in.ts';
import { SAMPLE_CHANNELS, seedSampleServer } from '../../../../lib/local/sandbox/sample-server.ts';

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
