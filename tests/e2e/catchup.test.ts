import { InteractionResponseType, MessageFlags } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import {
  SAMPLE_CHANNELS,
  SAMPLE_GUILD,
  SAMPLE_MEMBERS,
  SANDBOX_USER,
} from '../../lib/local/sandbox/sample-server.ts';
import { useSandboxRuntime } from '../support/sandbox-runtime.ts';

/**
 * `/catchup` in the sandbox, end to end: a signed interaction to the running local runtime, the executor
 * reading the stand-in's sample server since the member's own last message, and the private reply it edits.
 */
const sandbox = useSandboxRuntime('summary-bot-catchup-', {
  env: () => ({ SUMMARIZE_PER_MEMBER_PER_MINUTE: '100' }),
});

interface Embed {
  description: string;
  fields: { name: string; value: string }[];
  footer?: { text: string };
}

/** Sends the command, expects the deferred private answer, and returns what the executor edited in. */
async function catchup(line: string): Promise<{ embed?: Embed; content?: string | null }> {
  const { payload, answer } = await sandbox.command(line, 'member');
  expect(answer.json.type, JSON.stringify(answer.json)).toBe(
    InteractionResponseType.DeferredChannelMessageWithSource,
  );
  expect(answer.json.data.flags & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
  const body = (await sandbox.edited(payload.token)) as {
    content?: string | null;
    embeds?: Embed[];
  };
  return { content: body.content ?? null, ...(body.embeds?.[0] ? { embed: body.embeds[0] } : {}) };
}

const countIn = (embed: Embed) => Number(/· (\d+) messages? ·/.exec(embed.description)?.[1]);
const minutesAgo = (n: number) => new Date(sandbox.runtime.clock.now().getTime() - n * 60_000);

describe('/catchup in the sandbox', () => {
  it('covers what came after your own last message, with mentions of you and answers to you first', async () => {
    const mine = sandbox.discord.addMessage({
      channelId: SAMPLE_CHANNELS.general,
      author: SANDBOX_USER,
      content: 'Does anyone know when the backup job runs?',
      timestamp: minutesAgo(4),
    });
    sandbox.discord.addMessage({
      channelId: SAMPLE_CHANNELS.general,
      author: SAMPLE_MEMBERS.ben,
      content: 'It runs nightly at 02:00 UTC.',
      replyTo: mine.id,
      timestamp: minutesAgo(3),
    });
    sandbox.discord.addMessage({
      channelId: SAMPLE_CHANNELS.general,
      author: SAMPLE_MEMBERS.ana,
      content: `<@${SANDBOX_USER.id}> can you review the backup PR today?`,
      mentions: [SANDBOX_USER],
      timestamp: minutesAgo(2),
    });
    const { embed } = await catchup('/catchup');
    if (!embed) throw new Error('no catch-up embed');
    expect(countIn(embed)).toBe(2);
    const [first] = embed.fields;
    expect(first?.name).toBe('For you');
    expect(first?.value).toContain('Ben answered you: “It runs nightly at 02:00 UTC.”');
    expect(first?.value).toContain('Ana asked you: “@You can you review the backup PR today?”');
    expect(embed.description.startsWith(`<t:${Math.floor(Date.parse(mine.timestamp) / 1000)}:f> to `)).toBe(
      true,
    );
  });

  it('scope:server leaves out channels you cannot view (#mods is private to Moderators)', async () => {
    sandbox.discord.addMessage({
      channelId: SAMPLE_CHANNELS.mods,
      author: SAMPLE_MEMBERS.dmitri,
      content: `<@${SANDBOX_USER.id}> the ban appeal of user 4242 is still open?`,
      mentions: [SANDBOX_USER],
      timestamp: minutesAgo(1),
    });
    const { embed, content } = await catchup('/catchup scope:server');
    const text = JSON.stringify({ embed, content });
    expect(text).not.toContain('ban appeal');
    expect(embed?.fields[0]?.value).toContain('Ana asked you');
  });

  it('says so when nothing came after your last message', async () => {
    sandbox.discord.addMessage({
      channelId: SAMPLE_CHANNELS.random,
      author: SANDBOX_USER,
      content: 'Back from holiday!',
      timestamp: minutesAgo(0.5),
    });
    const { content } = await catchup('/catchup channel:#random');
    expect(content).toMatch(/^Nothing new in <#\d+> since <t:\d+:f>\.$/);
  });

  it('scope:server reads the 10 most recently active channels and names those the cap left out', async () => {
    // 4 sample channels the member can read, plus 8: two over the cap.
    for (let i = 0; i < 8; i += 1) {
      const channel = sandbox.discord.addChannel({ guildId: SAMPLE_GUILD.id, name: `extra-${i}` });
      sandbox.discord.addMessage({
        channelId: channel.id,
        author: SAMPLE_MEMBERS.eli,
        content: `Update ${i} on the migration plan.`,
        timestamp: minutesAgo(i < 2 ? 60 - i : 0.4 - i / 100),
      });
    }
    const { embed } = await catchup('/catchup scope:server');
    const footer = embed?.footer?.text ?? '';
    expect(footer).toMatch(
      /Left out, over the limit of 10 channels per catch-up \(the least recently active\): #[\w-]+, #[\w-]+\. Name a channel/,
    );
    // The newest channels are read, not named as left out.
    expect(footer).not.toContain('#extra-7');
    expect(embed?.description).toBeDefined();
  });

  it('refuses scope:server together with a channel, naming both', async () => {
    const { answer } = await sandbox.command('/catchup channel:#dev scope:server', 'member');
    expect(answer.json.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(answer.json.data.content).toMatch(/scope/);
    expect(answer.json.data.content).toMatch(/channel/);
  });
});
