import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InteractionResponseType } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findRunningBot, type RunningBot, sendInteraction } from '../../lib/local/control-client.ts';
import { type LocalRuntime, startLocalRuntime } from '../../lib/local/runtime.ts';
import { SAMPLE_CHANNELS, SAMPLE_GUILD, sampleServerInfo } from '../../lib/local/sandbox/sample-server.ts';
import { commandInteraction } from '../../lib/local/slash-command-line.ts';

/**
 * #18 in the sandbox, end to end through signed interactions: a digest delivered into a new thread of
 * #digest (`/schedule settings thread:true`) and as a post in the #digests forum (post_to a forum), and
 * `/config summary-style`, which the sandbox's extractive summarizer says it does not use.
 */
let dataDir: string;
let runtime: LocalRuntime;
let bot: RunningBot;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'summary-bot-threads-'));
  runtime = await startLocalRuntime({ env: { DATA_DIR: dataDir, PORT: '0' }, report: () => undefined });
  bot = await findRunningBot(dataDir);
});

afterAll(async () => {
  await runtime?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

async function send(line: string): Promise<string> {
  const info = sampleServerInfo();
  const payload = commandInteraction(line, {
    applicationId: runtime.applicationId,
    guildId: info.guild.id,
    channels: info.channels,
    user: info.user,
    role: 'admin',
    channelId: SAMPLE_CHANNELS.general,
    now: runtime.clock.now(),
  });
  const answer = await sendInteraction(bot, runtime.keys as NonNullable<LocalRuntime['keys']>, payload);
  if (answer.json.type !== InteractionResponseType.DeferredChannelMessageWithSource)
    return answer.json.data.content as string;
  // A loaded machine: the local runtime deferred the command after 1.5 s and edits the reply when done.
  const responses = () => runtime.standIn?.interactionResponses(payload.token) ?? [];
  await expect.poll(() => responses().length, { timeout: 30_000 }).toBeGreaterThan(0);
  return String((responses()[0]?.body as { content?: string } | undefined)?.content);
}

async function created(line: string): Promise<string> {
  const reply = await send(line);
  const id = /`([A-Za-z0-9_-]{12})`/.exec(reply)?.[1];
  if (!id) throw new Error(`not created: ${reply}`);
  return id;
}

const botThreads = (parentId: string) =>
  (runtime.standIn?.threadsOf(parentId) ?? []).filter((t) => t.ownerId === runtime.standIn?.botUser.id);

describe('delivery into a thread in the sandbox', () => {
  it('posts a run as a new thread of #digest once thread:true is set', async () => {
    const id = await created(
      '/schedule create daily name:dev-threads time:09:00 channel:#dev post_to:#digest',
    );
    const set = await send(`/schedule settings task:${id} thread:true`);
    expect(set).toContain(`• Each run starts a new thread in <#${SAMPLE_CHANNELS.digest}>`);
    const before = runtime.standIn?.postedMessages(SAMPLE_CHANNELS.digest).length ?? 0;
    await send(`/schedule run task:${id}`);
    await expect.poll(() => botThreads(SAMPLE_CHANNELS.digest).length, { timeout: 60_000 }).toBe(1);
    const [thread] = botThreads(SAMPLE_CHANNELS.digest);
    expect(thread?.name).toMatch(/^dev-threads · /);
    await expect
      .poll(() => runtime.standIn?.postedMessages(thread!.id).length ?? 0, { timeout: 60_000 })
      .toBeGreaterThan(0);
    expect(runtime.standIn?.postedMessages(SAMPLE_CHANNELS.digest).length ?? 0).toBe(before);
  });

  it('makes each run a post of the #digests forum when that is where it posts', async () => {
    const reply = await send(
      '/schedule create daily name:forum time:09:00 channel:#general post_to:#digests',
    );
    expect(reply).toContain(`Each run starts a new thread in <#${SAMPLE_CHANNELS.digests}>`);
    const id = /`([A-Za-z0-9_-]{12})`/.exec(reply)?.[1];
    await send(`/schedule run task:${id}`);
    await expect.poll(() => botThreads(SAMPLE_CHANNELS.digests).length, { timeout: 60_000 }).toBe(1);
    const [post] = botThreads(SAMPLE_CHANNELS.digests);
    expect(runtime.standIn?.messages(post!.id).length).toBeGreaterThan(0);
    const task = await runtime.scheduler.getTask(SAMPLE_GUILD.id, id as string);
    expect(task.destinations).toEqual([
      { type: 'discord_channel', channelId: SAMPLE_CHANNELS.digests, format: 'embed', thread: true },
    ]);
  });
});

describe('/config summary-style in the sandbox', () => {
  it('is stored and shown, and the reply says the built-in summarizer does not use it', async () => {
    const reply = await send('/config summary-style text:Short bullet points and a friendly tone');
    expect(reply).toContain('“Short bullet points and a friendly tone”');
    expect(reply).toContain('no AI summarizer configured');
    expect(await send('/config show')).toContain(
      '• Summary style: “Short bullet points and a friendly tone”',
    );
  });
});
