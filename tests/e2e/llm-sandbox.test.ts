import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCliContext } from '../../lib/local/cli-context.ts';
import { advanceClock } from '../../lib/local/control-client.ts';
import { SAMPLE_MEMBERS, sampleServerInfo } from '../../lib/local/sandbox/sample-server.ts';
import { documentOf, type LlmStandIn, startLlmStandIn } from '../support/llm-stand-in.ts';
import { useSandboxRuntime } from '../support/sandbox-runtime.ts';

/**
 * The sandbox with `SUMMARIZER=openai-compatible` pointed at a loopback server speaking OpenAI's chat
 * completions protocol: a scheduled run sends the channel's messages as data with the answer's schema, and
 * posts the model's digest with jump links the bot built from the cited ids.
 */
describe('npm start (sandbox) with an OpenAI-compatible summarizer', () => {
  let llm: LlmStandIn;
  beforeAll(async () => {
    llm = await startLlmStandIn();
  });
  afterAll(async () => {
    await llm?.close();
  });
  const sandbox = useSandboxRuntime('summary-bot-llm-', {
    env: () => ({
      SUMMARIZER: 'openai-compatible',
      SUMMARIZER_MODEL: 'llama3.1',
      SUMMARIZER_BASE_URL: `${llm.origin}/v1`,
    }),
  });

  it('posts a cited digest written by the model and records the tokens on the run', async () => {
    const info = sampleServerInfo();
    const [general, , , digest] = info.channels;
    const bot = sandbox.bot;
    const answer = await sandbox.settled(
      '/schedule create every value:1 unit:hours channel:#general post_to:#digest',
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
    const posted = JSON.stringify(sandbox.discord.postedMessages(digest?.id as string));
    expect(posted).toContain('Roll back the migration.');
    expect(posted).toContain('Summarized by the OpenAI-compatible server (llama3.1)');
    const links = [...posted.matchAll(/https:\/\/discord\.com\/channels\/(\d+)\/(\d+)\/(\d+)/g)];
    expect(links.length).toBeGreaterThan(0);
    const history = new Set(sandbox.discord.messages(general?.id as string).map((m) => m.id));
    for (const [, guild, channel, message] of links) {
      expect(guild).toBe(info.guild.id);
      expect(channel).toBe(general?.id);
      expect(history.has(message as string)).toBe(true);
    }

    const ctx = await openCliContext({ DATA_DIR: bot.dataDir });
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
    const bot = sandbox.bot;
    const note = 'Short bullet points, a friendly tone, and say who decided what.';
    const set = await sandbox.settled(`/config summary-style text:${note}`);
    expect(set.json.data.content).toContain(
      `AI summaries in this server now take this style as a preference: “${note}”`,
    );

    sandbox.discord.addMessage({
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
