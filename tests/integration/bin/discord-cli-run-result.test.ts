/**
 * `summary-bot discord '/schedule run …'` against the running sandbox (the local runtime in-process, the
 * CLI's command group called as bin/summary-bot.ts calls it): its exit status says how the run it started
 * came out, not only that the bot accepted the command. A scripting operator checks `$?`.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { run as runDiscord } from '../../../bin/commands/discord.ts';
import { SAMPLE_CHANNELS } from '../../../lib/local/sandbox/sample-server.ts';
import { captureCliOutput } from '../../support/cli-output.ts';
import { useSandboxRuntime } from '../../support/sandbox-runtime.ts';

const sandbox = useSandboxRuntime('summary-bot-cli-run-result-');

describe('summary-bot discord: the exit status of a /schedule run', () => {
  let output: ReturnType<typeof captureCliOutput>;
  /** What the CLI wrote to stderr; the in-process bot logs there too (JSON lines). */
  const cliErrors = () => output.stderr.filter((line) => line.startsWith('discord:'));
  beforeEach(() => {
    output = captureCliOutput();
    vi.stubEnv('DATA_DIR', sandbox.bot.dataDir);
  });
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
  });

  it('is 0 for a run that delivered, and 1 with the reason on stderr for one that ran and failed', async () => {
    const created = await sandbox.reply(
      '/schedule create daily name:Run result channel:#general time:09:00 post_to:#digest',
    );
    expect(created).toMatch(/Run result/);

    expect(await runDiscord(['/schedule run task:Run result']), cliErrors().join('')).toBe(0);
    expect(output.stdout()).toMatch(
      /\(edited:\)\n✅ Summarized \d+ messages? and delivered to 1 destination/,
    );
    expect(cliErrors()).toEqual([]);

    // The bot loses access to the channel it reads, as when an admin removes it from #general.
    sandbox.discord.forbid(SAMPLE_CHANNELS.general);
    output.clear();
    expect(await runDiscord(['/schedule run task:Run result'])).toBe(1);
    expect(output.stdout()).toMatch(
      /\(edited:\)\n❌ The run failed: the bot cannot read any of the channels/,
    );
    expect(cliErrors()).toEqual([
      `discord: the run failed: the bot cannot read any of the channels (${SAMPLE_CHANNELS.general})\n`,
    ]);
  });
});
