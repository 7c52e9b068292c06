import { describe, expect, it } from 'vitest';
import { SAMPLE_CHANNELS, SAMPLE_GUILD } from '../../lib/local/sandbox/sample-server.ts';
import { useSandboxRuntime } from '../support/sandbox-runtime.ts';

/**
 * #18 in the sandbox, end to end through signed interactions: a digest delivered into a new thread of
 * #digest (`/schedule settings thread:true`) and as a post in the #digests forum (post_to a forum), and
 * `/config summary-style`, which the sandbox's extractive summarizer says it does not use.
 */
const sandbox = useSandboxRuntime('summary-bot-threads-');
const send = (line: string) => sandbox.reply(line);

async function created(line: string): Promise<string> {
  const reply = await send(line);
  const id = /`([A-Za-z0-9_-]{12})`/.exec(reply)?.[1];
  if (!id) throw new Error(`not created: ${reply}`);
  return id;
}

const botThreads = (parentId: string) =>
  sandbox.discord.threadsOf(parentId).filter((t) => t.ownerId === sandbox.discord.botUser.id);

describe('delivery into a thread in the sandbox', () => {
  it('posts a run as a new thread of #digest once thread:true is set', async () => {
    const id = await created(
      '/schedule create daily name:dev-threads time:09:00 channel:#dev post_to:#digest',
    );
    const set = await send(`/schedule settings task:${id} thread:true`);
    expect(set).toContain(`• Each run starts a new thread in <#${SAMPLE_CHANNELS.digest}>`);
    const before = sandbox.discord.postedMessages(SAMPLE_CHANNELS.digest).length;
    await send(`/schedule run task:${id}`);
    await expect.poll(() => botThreads(SAMPLE_CHANNELS.digest).length, { timeout: 60_000 }).toBe(1);
    const [thread] = botThreads(SAMPLE_CHANNELS.digest);
    expect(thread?.name).toMatch(/^dev-threads · /);
    await expect
      .poll(() => sandbox.discord.postedMessages(thread!.id).length, { timeout: 60_000 })
      .toBeGreaterThan(0);
    expect(sandbox.discord.postedMessages(SAMPLE_CHANNELS.digest).length).toBe(before);
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
    expect(sandbox.discord.messages(post!.id).length).toBeGreaterThan(0);
    const task = await sandbox.runtime.scheduler.getTask(SAMPLE_GUILD.id, id as string);
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
