import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCliContext } from '../../lib/local/cli-context.ts';
import { advanceClock, findRunningBot } from '../../lib/local/control-client.ts';
import { type LocalRuntime, startLocalRuntime } from '../../lib/local/runtime.ts';
import { SAMPLE_MEMBERS, sampleServerInfo } from '../../lib/local/sandbox/sample-server.ts';
import { commandInteraction } from '../../lib/local/slash-command-line.ts';
import { documentOf, type LlmStandIn, startLlmStandIn } from '../support/llm-stand-in.ts';
import { sendSettled } from '../support/settled-reply.ts';

/**
 * The sandbox with `SUMMARIZER=openai-compatible` pointed at a loopback server speaking OpenAI's chat
 * completions protocol: a scheduled run sends the channel's messages as data with the answer's schema, and
 * posts the model's digest with jump links the bot built from the cited ids.
 */
describe('npm start (sandbox) with an OpenAI-compatible summarizer', () => {
  let dataDir: string;
  let llm: LlmStandIn;
  let runtime: LocalRuntime;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'summary-bot-llm-'));
    llm = await startLlmStandIn();
    runtime = await startLocalRuntime({
      env: {
        DATA_DIR: dataDir,
        PORT: '0',
        SUMMARIZER: 'openai-compatible',
        SUMMARIZER_MODEL: 'llama3.1',
        SUMMARIZER_BASE_URL: `${llm.origin}/v1`,
      },
      report: () => undefined,
    });
  });

  afterAll(async () => {
    await runtime?.stop();
    await llm?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('posts a cited digest written by the model and records the tokens on the run', async () => {
    const info = sampleServerInfo();
    const [general, , , digest] = info.channels;
    const bot = await findRunningBot(dataDir);
    const answer = await sendSettled(
      bot,
      runtime.keys as NonNullable<LocalRuntime['keys']>,
      commandInteraction('/schedule create every value:1 unit:hours channel:#general post_to:#digest', {
        applicationId: runtime.applicationId,
        guildId: info.guild.id,
        channels: info.channels,
        user: info.user,
        role: 'admin',
        channelId: general?.id as string,
      }),
    );
    expect(answer.json.data.content).toMatch(/^Created/);

    expect((await advanceClock(bot, '1h')).fired).toBe(1);

    // What the server received: the schema as response_format, the conversation as a JSON document.
    expect(llm.requests).toHaveLength(1);
    const request = llm.requests[0]!;
    expect(request.path).toBe('/v1/chat/completions');
    expect(request.body.model).toBe('llama3.1');
    expect(request.body.response_format.type).toBe('json_schema');
    const sent: { id: string; text: string }[] = documentOf(request).messages;
    expect(sent.length).toBeGreaterThan(0);
    expect(request.system).not.toContain(sent[0]!.text);

    // What members see: the model's items, each linked to a message of #general by the bot.
    const posted = JSON.stringify(runtime.standIn?.postedMessages(digest?.id as string));
    expect(posted).toContain('Roll back the migration.');
    expect(posted).toContain('Summarized by the OpenAI-compatible server (llama3.1)');
    const links = [...posted.matchAll(/https:\/\/discord\.com\/channels\/(\d+)\/(\d+)\/(\d+)/g)];
    expect(links.length).toBeGreaterThan(0);
    const history = new Set(runtime.standIn?.messages(general?.id as string).map((m) => m.id));
    for (const [, guild, channel, message] of links) {
      expect(guild).toBe(info.guild.id);
      expect(channel).toBe(general?.id);
      expect(history.has(message as string)).toBe(true);
    }

    const ctx = await openCliContext({ DATA_DIR: dataDir });
    try {
      const [task] = await ctx.store.listTasks(info.guild.id);
      const [run] = await ctx.store.listRuns(task!.id, { limit: 1 });
      expect(run?.usage).toMatchObject({
        model: 'openai-compatible/llama3.1',
        inputTokens: 120,
        outputTokens: 40,
      });
    } finally {
      await ctx.close();
    }
  });

  it("hands the server's /config summary-style to the model as a quoted preference on the next run", async () => {
    const info = sampleServerInfo();
    const [general] = info.channels;
    const bot = await findRunningBot(dataDir);
    const note = 'Short bullet points, a friendly tone, and say who decided what.';
    const set = await sendSettled(
      bot,
      runtime.keys as NonNullable<LocalRuntime['keys']>,
      commandInteraction(`/config summary-style text:${note}`, {
        applicationId: runtime.applicationId,
        guildId: info.guild.id,
        channels: info.channels,
        user: info.user,
        role: 'admin',
        channelId: general?.id as string,
      }),
    );
    expect(set.json.data.content).toContain(
      `AI summaries in this server now take this style as a preference: “${note}”`,
    );

    runtime.standIn?.addMessage({
      channelId: general?.id as string,
      author: SAMPLE_MEMBERS.dmitri,
      content: 'Then we ship the 2.4 release candidate on Friday.',
    });
    const before = llm.requests.length;
    expect((await advanceClock(bot, '1h')).fired).toBe(1);
    expect(llm.requests.length).toBe(before + 1);
    expect(llm.requests.at(-1)?.system).toContain(`<style_preference>"${note}"</style_preference>`);
  });
});
