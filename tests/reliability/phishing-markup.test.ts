/**
 * Phishing markup (issue #11, item 5), performed through the real entry points of `npm start` in the sandbox:
 * members post masked links and a display name shaped like one, then a signed `/summarize` and a scheduled
 * run of a markdown task deliver a summary. Whatever Discord would render as a link must be the bot's own
 * jump link; every other URL must be visible as itself. A task name with a bidi override or a line break is
 * refused by `/schedule create`, naming the field.
 */

import type { APIEmbed, APIMessage } from 'discord-api-types/v10';
import { beforeAll, describe, expect, it } from 'vitest';
import { advanceClock, type RunningBot } from '../../lib/local/control-client.ts';
import type { LocalRuntime } from '../../lib/local/runtime.ts';
import { sampleServerInfo } from '../../lib/local/sandbox/sample-server.ts';
import { commandInteraction, type InteractionSetting } from '../../lib/local/slash-command-line.ts';
import { isDiscordMessageLink } from '../../lib/shared/markdown.ts';
import { useSandboxRuntime } from '../support/sandbox-runtime.ts';
import { sendSettled } from '../support/settled-reply.ts';
import { recordFigures } from './figures.ts';

const PHISH = 'https://evil.example/phish';
const LOGIN = 'https://evil.example/login';
const HOSTILE_NAME = `[Server Admin](${LOGIN})`;
const HOSTILE_LINES = [
  `[https://discord.com/verify](${PHISH}) we decided everyone must verify their account today`,
  `Reminder: the admins decided to move the release, details [here](${PHISH}?step=2) **urgent**`,
  `Can someone confirm the verification is required? see [discord.com/safety](${PHISH}#faq)`,
];

/** Links Discord would render in `markdown`: `[text](url)` outside code, with neither bracket escaped. */
function renderedLinks(markdown: string): { text: string; url: string }[] {
  const blanked = markdown
    .replace(/```[\s\S]*?```/g, (m) => ' '.repeat(m.length))
    .replace(/`[^`\n]+`/g, (m) => ' '.repeat(m.length))
    .replace(/\\[!-/:-@[-`{-~]/g, '  ');
  return [...blanked.matchAll(/\[([^\]]*)\]\(\s*<?([^)\s>]*)>?\s*\)/g)].map((m) => ({
    text: m[1] ?? '',
    url: m[2] ?? '',
  }));
}

interface CommandOption {
  name: string;
  value?: unknown;
  options?: CommandOption[];
}

function findOption(parent: CommandOption, name: string): CommandOption | undefined {
  for (const option of parent.options ?? []) {
    if (option.name === name && option.value !== undefined) return option;
    const inner = findOption(option, name);
    if (inner) return inner;
  }
  return undefined;
}

/** Every piece of a posted message Discord renders as Markdown (footers render none). */
function markdownParts(message: { content?: string; embeds?: APIEmbed[] }): string[] {
  return [
    message.content ?? '',
    ...(message.embeds ?? []).flatMap((e) => [
      e.title ?? '',
      e.description ?? '',
      ...(e.fields ?? []).flatMap((f) => [f.name, f.value]),
    ]),
  ];
}

function checkParts(parts: string[]): { links: number } {
  const text = parts.join('\n');
  // Not vacuous: the hostile messages are in the summary.
  expect(text).toContain('evil.example/phish');
  for (const part of parts) {
    for (const link of renderedLinks(part)) {
      expect(isDiscordMessageLink(link.url), `rendered link ${JSON.stringify(link)}`).toBe(true);
      expect(link.text).toMatch(/^\d+$/);
    }
  }
  expect(text).not.toContain(`](${PHISH}`);
  expect(text).not.toContain('[Server Admin](');
  return { links: parts.flatMap(renderedLinks).length };
}

describe('Summaries never re-post phishing markup (sandbox, signed interactions)', () => {
  const sandbox = useSandboxRuntime('summary-bot-phishing-');
  let runtime: LocalRuntime;
  let bot: RunningBot;
  let setting: InteractionSetting;
  const info = sampleServerInfo();
  const channel = (name: string) => info.channels.find((c) => c.name === name)?.id as string;

  beforeAll(async () => {
    ({ runtime, bot } = sandbox);
    setting = {
      applicationId: runtime.applicationId,
      guildId: info.guild.id,
      channels: info.channels,
      user: info.user,
      role: 'admin',
      channelId: channel('random'),
    };
    const now = runtime.clock.now().getTime();
    HOSTILE_LINES.forEach((content, i) => {
      runtime.standIn?.addMessage({
        channelId: channel('random'),
        author: { id: `11900000000000009${i}1`, username: `mallory${i}`, global_name: HOSTILE_NAME },
        content,
        timestamp: new Date(now - (30 - i) * 60_000),
      });
    });
  });

  it('/summarize shows masked links as text with their real URLs, and escapes display names', async () => {
    const interaction = commandInteraction('/summarize channel:#random hours:2', setting) as {
      token: string;
    };
    const answer = await sendSettled(bot, runtime.keys as NonNullable<LocalRuntime['keys']>, interaction);
    expect(answer.status).toBe(200);
    let edit: { body: unknown } | undefined;
    for (let i = 0; i < 600 && !edit; i++) {
      edit = runtime.standIn?.interactionResponses(interaction.token).find((r) => r.kind === 'edit_original');
      if (!edit) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const body = edit?.body as { content?: string; embeds?: APIEmbed[] };
    expect(body.embeds?.length).toBeGreaterThan(0);
    const { links } = checkParts(markdownParts(body));
    expect(JSON.stringify(body)).toContain(`<${PHISH}>`);
    expect(JSON.stringify(body)).toContain('\\\\[Server Admin\\\\]');
    recordFigures('phishing-markup', {
      summarizeEmbeds: body.embeds?.length ?? 0,
      summarizeJumpLinks: links,
    });
  });

  it('a scheduled markdown summary does the same, and a hostile task name is escaped in its header', async () => {
    const create = commandInteraction(
      '/schedule create every value:1 unit:hours channel:#random post_to:#digest name:[Daily](https://evil.example/d)',
      setting,
    );
    const keys = runtime.keys as NonNullable<LocalRuntime['keys']>;
    const created = await sendSettled(bot, keys, create);
    expect(created.json.data.content).toMatch(/^Created/);
    expect(created.json.data.content).toContain('\\[Daily\\]');
    const taskId = /`([A-Za-z0-9_-]{12})`/.exec(created.json.data.content)?.[1];
    const styled = await sendSettled(
      bot,
      keys,
      commandInteraction(`/schedule settings task:${taskId} format:markdown`, setting),
    );
    expect(styled.json.data.content).toContain('• Posts in Discord as markdown');
    const before = runtime.standIn?.postedMessages(channel('digest')).length ?? 0;
    await advanceClock(bot, '1h');
    const posted = (runtime.standIn?.postedMessages(channel('digest')) ?? []).slice(before) as APIMessage[];
    expect(posted.length).toBeGreaterThan(0);
    const { links } = checkParts(posted.flatMap((m) => markdownParts(m)));
    const content = posted.map((m) => m.content).join('\n');
    expect(content).toContain('**\\[Daily\\]\\(<https://evil.example/d>\\)**');
    expect(content).toContain(`<${PHISH}>`);
    recordFigures('phishing-markup', { scheduledMessages: posted.length, scheduledJumpLinks: links });
  });

  it.each([
    ['a bidi override', 'Daily\u202Etsegid'],
    ['a line break', 'Daily\nEveryone must verify'],
    ['a NUL', 'Daily\u0000'],
    ['an isolate', 'Daily\u2066digest'],
  ])('/schedule create refuses a task name with %s, naming the field', async (_what, name) => {
    const create = commandInteraction(
      '/schedule create every value:1 unit:hours channel:#random post_to:#digest name:placeholder',
      setting,
    ) as { token: string; data: CommandOption };
    const option = findOption(create.data, 'name');
    if (!option) throw new Error('the command line has no name option');
    option.value = name;
    const answer = await sendSettled(bot, runtime.keys as NonNullable<LocalRuntime['keys']>, create);
    expect(answer.json.data.content).toMatch(/name/);
    expect(answer.json.data.content).toMatch(/control characters, line breaks or bidirectional overrides/);
    const list = await sendSettled(
      bot,
      runtime.keys as NonNullable<LocalRuntime['keys']>,
      commandInteraction('/schedule list', setting),
    );
    expect(JSON.stringify(list.json)).not.toContain('tsegid');
  });
});
