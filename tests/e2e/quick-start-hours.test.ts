import type { APIEmbed } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { advanceClock } from '../../lib/local/control-client.ts';
import { QUICK_START_DIGEST } from '../../lib/local/sandbox/sample-conversation.ts';
import { SAMPLE_CHANNELS } from '../../lib/local/sandbox/sample-server.ts';
import { nextRuns } from '../../lib/tasks/next-runs.ts';
import { expressionOf } from '../../lib/tasks/schedule-spec.ts';
import { quickStartCommands } from '../support/quick-start.ts';
import { type SandboxRuntime, useSandboxRuntime } from '../support/sandbox-runtime.ts';

/**
 * How far ahead of the wall clock the sandbox must start so that its clock reads `hhmm` UTC: the next such
 * time at least a minute away (the sandbox clock only starts ahead, never behind).
 */
function aheadTo(hhmm: string): string {
  const [hours, minutes] = hhmm.split(':').map(Number) as [number, number];
  const now = Date.now();
  const target = new Date(now + 60_000);
  target.setUTCHours(hours, minutes, 0, 0);
  if (target.getTime() < now + 60_000) target.setUTCDate(target.getUTCDate() + 1);
  return `${target.getTime() - now}ms`;
}

/**
 * How far ahead of the wall clock the sandbox must start so that its clock reads `minutes` before the
 * quick start task's next run (09:00 Europe/Berlin, whatever the season): the next such time at least a
 * minute away.
 */
function aheadToMinutesBeforeRun(minutes: number): string {
  const now = Date.now();
  const [run] = nextRuns(
    expressionOf({ type: 'daily', time: QUICK_START_DIGEST.time }),
    QUICK_START_DIGEST.timeZone,
    new Date(now + 60_000 + minutes * 60_000),
    1,
  );
  if (!run) throw new Error('the quick start schedule has no next run');
  return `${run.getTime() - minutes * 60_000 - now}ms`;
}

/** Everything a member reads in a channel's messages: content, embed titles, fields and footers. */
function readable(messages: { content: string; embeds?: APIEmbed[] }[]): string {
  return messages
    .flatMap((m) => [
      m.content,
      ...(m.embeds ?? []).flatMap((e) => [
        e.title ?? '',
        e.description ?? '',
        ...(e.fields ?? []).flatMap((f) => [f.name, f.value]),
        e.footer?.text ?? '',
      ]),
    ])
    .join('\n');
}

// The README's quick start run on a sandbox started at different hours: whatever the hour, the first digest
// (the daily 09:00 Europe/Berlin run that `clock advance 1d` fires) reports the sample day.
/** The quick start's three commands on `sandbox`, checking the digest its first run posts. */
async function quickStart(sandbox: SandboxRuntime): Promise<void> {
  const [create] = await quickStartCommands();
  expect(create?.[0]).toBe('discord');
  expect(await sandbox.reply(create?.[1] ?? '')).toMatch(/^Created/);

  const advanced = await advanceClock(sandbox.bot, '1d');
  expect(advanced.fired).toBe(1);

  const digest = readable(sandbox.discord.messages(SAMPLE_CHANNELS.digest));
  expect(digest).toMatch(/keep it in 2\.4 and remove it in 2\.5/i);
  expect(digest).toMatch(/Thursday/);
  expect(digest).toMatch(/Eli\b[^\n]*invite|invite[^\n]*\bEli\b/i);
}

describe.each(['00:30', '08:00', '09:30', '23:50'])('the quick start begun at %s UTC', (hour) => {
  const sandbox = useSandboxRuntime('summary-bot-quick-start-hour-', { advanceOnStart: () => aheadTo(hour) });

  it("posts a first digest that reports the sample day's decisions and Eli's invite", async () => {
    expect(sandbox.runtime.clock.now().toISOString().slice(11, 16)).toBe(hour);
    await quickStart(sandbox);
  });
});

// The edge: `npm start` minutes before 09:00 Berlin, the task created either side of 09:00 (the first
// digest is that 09:00's, or the next day's). Time passes on the sandbox's clock alone, as while a
// newcomer reads the README: nothing is asked of the bot before the create.
describe.each([
  { wait: 0, when: 'before 09:00' },
  { wait: 10, when: 'after 09:00' },
])('the quick start begun 5 minutes before 09:00 Berlin, the task created $when', ({ wait }) => {
  const sandbox = useSandboxRuntime('summary-bot-quick-start-edge-', {
    advanceOnStart: () => aheadToMinutesBeforeRun(5),
  });

  it("posts a first digest that reports the sample day's decisions and Eli's invite", async () => {
    if (wait > 0) await sandbox.runtime.sandboxClock?.advance(`${wait}m`);
    await quickStart(sandbox);
  });
});
