import { InteractionResponseType, MessageFlags } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { SAMPLE_CHANNELS, SAMPLE_GUILD, SAMPLE_MEMBERS } from '../../lib/local/sandbox/sample-server.ts';
import { useSandboxRuntime } from '../support/sandbox-runtime.ts';

/**
 * `/summarize`'s window and filter options in the sandbox, end to end: a signed interaction to the running
 * local runtime, the executor reading the stand-in's sample server, and the deferred reply it edits.
 */
const sandbox = useSandboxRuntime('summary-bot-summarize-', {
  env: () => ({ SUMMARIZE_PER_MEMBER_PER_MINUTE: '100' }),
});

async function send(line: string) {
  const { payload, answer } = await sandbox.command(line, 'member');
  return { answer, token: payload.token };
}

interface Embed {
  description: string;
  fields: { name: string; value: string }[];
}

/** Sends the command, expects the deferred private answer, and returns the summary the executor edited in. */
async function summary(line: string): Promise<Embed> {
  const { answer, token } = await send(line);
  expect(answer.json.type, JSON.stringify(answer.json)).toBe(
    InteractionResponseType.DeferredChannelMessageWithSource,
  );
  expect(answer.json.data.flags & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
  const body = (await sandbox.edited(token)) as { content?: string | null; embeds?: Embed[] };
  const [embed] = body.embeds ?? [];
  if (!embed) throw new Error(`no summary in the reply: ${JSON.stringify(body)}`);
  return embed;
}

/** The refusal a command gets at once (nothing handed to the executor). */
async function refusal(line: string): Promise<string> {
  const { answer } = await send(line);
  expect(answer.json.type).toBe(InteractionResponseType.ChannelMessageWithSource);
  expect(answer.json.data.flags & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
  return answer.json.data.content as string;
}

const countIn = (embed: Embed) => Number(/· (\d+) messages? ·/.exec(embed.description)?.[1]);
const stamp = (iso: string) => `<t:${Math.floor(Date.parse(iso) / 1000)}:f>`;
const people = (channelId: string) => sandbox.discord.messages(channelId).filter((m) => !m.author.bot);
const link = (channelId: string, messageId: string) =>
  `https://discord.com/channels/${SAMPLE_GUILD.id}/${channelId}/${messageId}`;

describe('/summarize window options in the sandbox', () => {
  it('messages:N summarizes the last N messages, and the window shown is theirs', async () => {
    const embed = await summary('/summarize channel:#general messages:3');
    expect(countIn(embed)).toBe(3);
    const third = people(SAMPLE_CHANNELS.general).at(-3);
    expect(embed.description.startsWith(`${stamp(third?.timestamp as string)} to `)).toBe(true);
  });

  it('minutes:N summarizes the messages of the last N minutes', async () => {
    const now = sandbox.runtime.clock.now().getTime();
    const times = people(SAMPLE_CHANNELS.general).map((m) => Date.parse(m.timestamp));
    // A boundary with at least two minutes before it free of messages, so the reply's clock cannot move it.
    const k = times.findLastIndex((t, i) => i > 0 && t - (times[i - 1] as number) >= 3 * 60_000);
    const minutes = Math.ceil((now - (times[k] as number)) / 60_000) + 1;
    const embed = await summary(`/summarize channel:#general minutes:${minutes}`);
    expect(countIn(embed)).toBe(times.length - k);
  });

  it('from:<message link> summarizes that message and everything after it, threads included', async () => {
    const dev = people(SAMPLE_CHANNELS.dev);
    const start = dev.at(-4);
    if (!start) throw new Error('the sample #dev has too few messages');
    const fromStart = (id: string) => BigInt(id) >= BigInt(start.id);
    const expected =
      dev.filter((m) => fromStart(m.id)).length +
      people(SAMPLE_CHANNELS.releaseThread).filter((m) => fromStart(m.id)).length;
    // Typed in #general: the link names the channel summarized.
    const embed = await summary(`/summarize from:${link(SAMPLE_CHANNELS.dev, start.id)}`);
    expect(countIn(embed)).toBe(expected);
    expect(embed.description.startsWith(`${stamp(start.timestamp)} to `)).toBe(true);
  });

  it('since: a duration or a day is restated as the window it was read as', async () => {
    // The reply's first line opens with the start understood, as a Discord timestamp (`<t:…:f>`).
    const opening = (text: string) =>
      Number(/^(?:No messages[^<]*<#\d+> since )?<t:(\d+):f>/.exec(text)?.[1]);
    const replyText = async (line: string) => {
      const { answer, token } = await send(line);
      expect(answer.json.type, JSON.stringify(answer.json)).toBe(
        InteractionResponseType.DeferredChannelMessageWithSource,
      );
      const body = (await sandbox.edited(token)) as { content?: string; embeds?: Embed[] };
      return body.embeds?.[0]?.description ?? body.content ?? '';
    };

    const before = Math.floor(sandbox.runtime.clock.now().getTime() / 1000);
    const ninety = opening(await replyText('/summarize channel:#general since:90m'));
    const after = Math.ceil(sandbox.runtime.clock.now().getTime() / 1000);
    expect(ninety).toBeGreaterThanOrEqual(before - 90 * 60);
    expect(ninety).toBeLessThanOrEqual(after - 90 * 60);

    // A day is read in the server's zone: yesterday starts at midnight in Berlin.
    await sandbox.runtime.scheduler.updateGuildConfig(SAMPLE_GUILD.id, { timeZone: 'Europe/Berlin' });
    try {
      const berlinDay = (instant: Date) =>
        new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(instant);
      const yesterday = opening(await replyText('/summarize channel:#general since:yesterday'));
      const startOfYesterday = new Date(yesterday * 1000);
      const today = berlinDay(sandbox.runtime.clock.now());
      expect(berlinDay(startOfYesterday)).not.toBe(today);
      expect(berlinDay(new Date(startOfYesterday.getTime() + 86_400_000 + 3_600_000))).toBe(today);
      expect(
        new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', timeStyle: 'short' }).format(
          startOfYesterday,
        ),
      ).toBe('00:00');
    } finally {
      await sandbox.runtime.scheduler.updateGuildConfig(SAMPLE_GUILD.id, { timeZone: 'UTC' });
    }
  });

  it('refuses a from: link of another server, a DM or another channel, and two windows at once', async () => {
    const [message] = people(SAMPLE_CHANNELS.general);
    const id = message?.id as string;
    expect(
      await refusal(
        `/summarize from:https://discord.com/channels/1290000000000000009/${SAMPLE_CHANNELS.general}/${id}`,
      ),
    ).toMatch(/\*\*from\*\*.*another server/);
    expect(
      await refusal(`/summarize from:https://discord.com/channels/@me/${SAMPLE_CHANNELS.general}/${id}`),
    ).toMatch(/\*\*from\*\*.*direct message/);
    expect(await refusal('/summarize from:yesterday')).toMatch(/\*\*from\*\*.*Copy Message Link/);
    expect(await refusal(`/summarize channel:#dev from:${link(SAMPLE_CHANNELS.general, id)}`)).toMatch(
      /\*\*from\*\*.*is in <#1190000000000000101>/,
    );
    expect(await refusal('/summarize hours:2 minutes:30')).toMatch(
      /\*\*minutes\*\*.*not both hours and minutes/,
    );
  });
});

describe('/summarize exclude: in the sandbox', () => {
  it('leaves out the members and threads named', async () => {
    const everything = await summary('/summarize channel:#dev hours:720');
    expect(everything.fields.find((f) => f.name === 'Participants')?.value).toMatch(/Ana/);

    const embed = await summary('/summarize channel:#dev hours:720 exclude:#release-checklist @ana');
    const expected = people(SAMPLE_CHANNELS.dev).filter((m) => m.author.id !== SAMPLE_MEMBERS.ana.id).length;
    expect(countIn(embed)).toBe(expected);
    expect(embed.fields.find((f) => f.name === 'Participants')?.value).not.toMatch(/Ana/);
    expect(countIn(everything)).toBe(
      people(SAMPLE_CHANNELS.dev).length + people(SAMPLE_CHANNELS.releaseThread).length,
    );
  });

  it('refuses excluding the channel summarized, roles and words that are neither', async () => {
    expect(await refusal('/summarize channel:#dev exclude:#dev')).toMatch(
      /\*\*exclude\*\*.*being summarized/,
    );
    expect(await refusal('/summarize exclude:<@&1190000000000000301>')).toMatch(/roles cannot be excluded/);
    expect(await refusal('/summarize exclude:@nobody')).toMatch(/\*\*exclude\*\*.*`@nobody` is neither/);
  });
});

describe('/summarize focus: in the sandbox', () => {
  it('focus:support heads the digest for helpers, through the signed command and the executor', async () => {
    // The longest digest: at a shorter length the helpers' own sections (what was solved, who still waits)
    // may fill the budget before any follow-up fits, and this test is about their headings, not the budget.
    const general = await summary('/summarize channel:#general hours:720 length:comprehensive');
    const support = await summary('/summarize channel:#general hours:720 focus:support length:comprehensive');
    const names = (embed: Embed) => embed.fields.map((f) => f.name.replace(/ \(continued\)$/, ''));
    expect(names(general)).toContain('Action items');
    expect(names(support), JSON.stringify(support.fields)).toEqual(
      expect.arrayContaining(['Follow-ups', 'Still waiting for help']),
    );
    for (const heading of ['Key points', 'Action items', 'Open questions']) {
      expect(names(support)).not.toContain(heading);
    }
    // The same window, read for another reader: the counts are the same, the sections are not.
    expect(countIn(support)).toBe(countIn(general));
  });
});
