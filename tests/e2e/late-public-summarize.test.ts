import { InteractionResponseType, MessageFlags } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { callControl } from '../../lib/local/control-client.ts';
import { SAMPLE_CHANNELS, SAMPLE_GUILD } from '../../lib/local/sandbox/sample-server.ts';
import { snowflakeFromTime } from '../../lib/shared/snowflake.ts';
import { useSandboxRuntime } from '../support/sandbox-runtime.ts';

/**
 * A public `/summarize` the local runtime answers after its 1.5 s deferral deadline, end to end: a signed
 * interaction to the running sandbox over loopback, with the Discord stand-in asking for a 0.9 s wait on
 * each of the two reads a `from:` link to another channel makes (the channel, then the server's roles), so
 * the answer is never ready in time. Discord fixes a reply's visibility when it is deferred: the
 * "thinking…" must already be public for the digest to be, and a refusal must still reach only the member.
 */
const sandbox = useSandboxRuntime('summary-bot-late-public-', {
  env: () => ({ SUMMARIZE_PER_MEMBER_PER_MINUTE: '100' }),
});

const link = (channelId: string, messageId: string) =>
  `https://discord.com/channels/${SAMPLE_GUILD.id}/${channelId}/${messageId}`;

/**
 * The stand-in asks for a wait of 0.9 s on the next read of the channel and of the server; the returned
 * function tells the first two statuses each got since (the check's read, then its retry), to show the
 * command waited twice. The run reads the channel again afterwards.
 */
function slowReadsOf(channelId: string) {
  // A fault left by an earlier test (one that failed before its reads) would refuse this one's read.
  sandbox.discord.clearFaults();
  const routes = [`/channels/${channelId}`, `/guilds/${SAMPLE_GUILD.id}`];
  for (const route of routes) sandbox.discord.failNext(`GET ${route}`, [{ status: 429, retryAfter: 0.9 }]);
  const mark = sandbox.discord.requests.length;
  return () =>
    routes.map((route) =>
      sandbox.discord.requests
        .slice(mark)
        .filter((r) => r.method === 'GET' && r.path === route)
        .map((r) => r.status)
        .slice(0, 2),
    );
}

/** The bot's messages in #general, where the commands are typed, as every member sees them. */
const generalByBot = () => sandbox.discord.messages(SAMPLE_CHANNELS.general).filter((m) => m.author.bot);

describe('a public /summarize answered after the local deferral deadline', () => {
  it('is deferred publicly, and its digest is a message of the channel', async () => {
    // As `discord messages` does, a first call to the sandbox places its sample conversation.
    await callControl(sandbox.bot, 'GET', 'info');
    const first = sandbox.discord.messages(SAMPLE_CHANNELS.dev).find((m) => !m.author.bot);
    if (!first) throw new Error('the sample server has no conversation in #dev');
    const waited = slowReadsOf(SAMPLE_CHANNELS.dev);

    const { payload, answer } = await sandbox.command(
      `/summarize from:${link(SAMPLE_CHANNELS.dev, first.id)} public:true`,
      'member',
    );
    expect(answer.json).toEqual({ type: InteractionResponseType.DeferredChannelMessageWithSource, data: {} });

    const digest = (await sandbox.edited(payload.token)) as { embeds?: { description?: string }[] };
    expect(digest.embeds?.length).toBeGreaterThan(0);
    // The command waited on both reads, one after the other: its answer was not ready by the deadline.
    expect(waited()).toEqual([
      [429, 200],
      [429, 200],
    ]);
    const [edit] = sandbox.discord.interactionResponses(payload.token);
    // The "thinking…" the channel saw is the message that now holds the digest.
    const shown = generalByBot().find((m) => m.id === edit?.messageId);
    expect(shown?.embeds[0]?.description).toBe(digest.embeds?.[0]?.description);
    expect(sandbox.discord.interactionResponses(payload.token).map((r) => r.kind)).toEqual(['edit_original']);
  });

  it('shows a late refusal to the member alone: the public "thinking…" is deleted, the refusal sent privately', async () => {
    // #mods is visible to the Moderators role only; a plain member links a message there.
    const message = snowflakeFromTime(sandbox.runtime.clock.now().getTime() - 3_600_000);
    const waited = slowReadsOf(SAMPLE_CHANNELS.mods);
    const before = generalByBot().length;

    const { payload, answer } = await sandbox.command(
      `/summarize from:${link(SAMPLE_CHANNELS.mods, message)} public:true`,
      'member',
    );
    expect(answer.json).toEqual({ type: InteractionResponseType.DeferredChannelMessageWithSource, data: {} });

    const reply = (await sandbox.edited(payload.token)) as { content?: string; flags?: number };
    expect(reply.content).toBe(
      '**from**: expected a channel you can read; you cannot read <#1190000000000000107>, so it cannot be summarized for you',
    );
    expect((reply.flags ?? 0) & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
    expect(waited()).toEqual([
      [429, 200],
      [429, 200],
    ]);
    expect(sandbox.discord.interactionResponses(payload.token).map((r) => r.kind)).toEqual([
      'delete_original',
      'follow_up',
    ]);
    // Nothing of it is left in the channel: the "thinking…" is gone and the refusal was never posted there.
    expect(generalByBot().length).toBe(before);
  });
});
