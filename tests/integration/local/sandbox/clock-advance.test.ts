import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { progressPrinter } from '../../../../bin/commands/clock.ts';
import { advanceClock, ControlError } from '../../../../lib/local/control-client.ts';
import type { AdvanceProgress } from '../../../../lib/local/sandbox/clock-advance.ts';
import {
  type ControlAnswer,
  type ControlStandIn,
  startControlStandIn,
} from '../../../support/control-stand-in.ts';

const FROM = '2026-12-02T10:00:00.000Z';
const TO = '2026-12-30T10:00:00.000Z';

/**
 * The bot's clock-advance routes, scripted: each GET of the job answers with the next step of `polls`
 * ('hang' holds the request without an answer, as a bot whose event loop a long run holds).
 */
async function fakeBot(polls: ('hang' | Partial<AdvanceProgress>)[]): Promise<{
  server: ControlStandIn;
  gets: () => number;
}> {
  let gets = 0;
  const job: AdvanceProgress = { id: 'job1', from: FROM, to: TO, now: FROM, fired: 0, done: false };
  const server = await startControlStandIn((method, route): ControlAnswer => {
    if (method === 'POST' && route === 'clock/advance') return { status: 200, body: job };
    if (method === 'GET' && route === 'clock/advance/job1') {
      const step = polls[gets] ?? { done: true, now: TO };
      gets += 1;
      return step === 'hang' ? 'hang' : { status: 200, body: { ...job, ...step } };
    }
    return { status: 404, body: { error: 'unknown route' } };
  });
  return { server, gets: () => gets };
}

/** The id of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
  return Number(child.stdout.trim());
}

describe('clock advance, as the CLI polls it', () => {
  let server: ControlStandIn | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('keeps polling through a poll the busy bot did not answer in time, and reports progress', async () => {
    const bot = await fakeBot([
      { now: '2026-12-09T10:00:00.000Z', fired: 40 },
      'hang',
      { now: '2026-12-23T10:00:00.000Z', fired: 120 },
    ]);
    server = bot.server;
    const seen: AdvanceProgress[] = [];
    const result = await advanceClock(bot.server.bot(), '4w', (p) => seen.push(p), 10, 200);
    expect(result).toMatchObject({ done: true, now: TO });
    expect(bot.gets()).toBe(4);
    expect(seen.map((p) => p.fired)).toEqual([40, 120]);
  });

  it('says the bot stopped, and how far the clock got, when the bot is gone', async () => {
    const bot = await fakeBot([{ now: '2026-12-09T10:00:00.000Z', fired: 40 }, 'hang']);
    server = bot.server;
    const advance = advanceClock(bot.server.bot(deadPid()), '4w', () => undefined, 10, 200);
    await expect(advance).rejects.toBeInstanceOf(ControlError);
    await expect(advance).rejects.toThrow(
      /stopped while its clock was advancing; it had reached 2026-12-09T10/,
    );
  });

  it('prints the sandbox time reached once a second, not for a short advance', () => {
    const lines: string[] = [];
    let now = 0;
    const print = progressPrinter(
      (line) => lines.push(line),
      () => now,
    );
    const at = (iso: string, fired: number): AdvanceProgress => ({
      id: 'job1',
      from: FROM,
      to: TO,
      now: iso,
      fired,
      done: false,
    });
    now = 400;
    print(at('2026-12-03T10:00:00.000Z', 3));
    expect(lines).toEqual([]);
    now = 1_200;
    print(at('2026-12-16T10:00:00.000Z', 52));
    now = 1_900;
    print(at('2026-12-17T10:00:00.000Z', 56));
    expect(lines).toEqual(['  … sandbox time 2026-12-16 10:00 UTC (50 %), 52 runs fired so far\n']);
  });
});
