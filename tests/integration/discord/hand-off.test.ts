import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { InteractionResponseType, MessageFlags } from 'discord-api-types/v10';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { handleInteractionWorkerEvent } from '../../../functions/interaction-worker.ts';
import { LambdaInteractionDispatcher } from '../../../lib/aws/lambda-interaction-dispatcher.ts';
import { limitedLambdaExecutor } from '../../../lib/aws/limited-executor.ts';
import { RestGuildReads } from '../../../lib/discord/guild-reads.ts';
import { AWS_HAND_OFF_POLICY } from '../../../lib/discord/hand-off-policy.ts';
import { createHandOffWorker } from '../../../lib/discord/hand-off-worker.ts';
import { createInteractionHandler } from '../../../lib/discord/interaction-handler.ts';
import { MemoryInteractionLedger } from '../../../lib/discord/interaction-once.ts';
import { createDiscordRest, DiscordRestClient } from '../../../lib/discord/rest.ts';
import { DynamoUseWindowStore } from '../../../lib/dynamo/dynamo-use-window-store.ts';
import type { ExecutorInput, ExecutorInvoker } from '../../../lib/execution/executor-input.ts';
import { ManualClock } from '../../../lib/local/clock.ts';
import { EmbeddedScheduleGateway } from '../../../lib/local/embedded-scheduler.ts';
import { type DiscordStandIn, startDiscordStandIn } from '../../../lib/local/sandbox/discord-stand-in.ts';
import { type LocalServer, startLocalServer } from '../../../lib/local/server.ts';
import { MemoryLogger } from '../../../lib/observability/logger.ts';
import { InMemoryScheduleRepository } from '../../../lib/scheduling/schedule-repository.ts';
import { TaskScheduler } from '../../../lib/scheduling/task-scheduler.ts';
import { snowflakeFromTime } from '../../../lib/shared/snowflake.ts';
import { useEmbeddedStore } from '../../support/embedded-dynamo.ts';
import {
  ADMIN,
  APP,
  bool,
  button,
  CHANNEL,
  chan,
  command,
  file,
  GUILD,
  type Opt,
  READER,
  resolvedChannels,
  str,
  USER,
} from '../../support/interaction-payloads.ts';
import { hiddenFromEveryone, shownTo, shownToBot } from '../../support/overwrites.ts';
import { generateSigningKeys, signedRequest } from '../../support/signing.ts';

const WORKER_ARN = 'arn:aws:lambda:eu-west-1:123456789012:function:summary-bot-prod-interaction-worker';
const EXECUTOR_ARN = 'arn:aws:lambda:eu-west-1:123456789012:function:summary-bot-prod-executor';
const URL = 'https://cdn.discordapp.com/attachments/1/2/tasks.json';
const ATTACHMENT = { id: '111111111111111111', filename: 'tasks.json', size: 10, url: URL };

const lambda = mockClient(LambdaClient);
const db = useEmbeddedStore();
const keys = generateSigningKeys();
let standIn: DiscordStandIn;
let clock: ManualClock;
let scheduler: TaskScheduler;
let attachments: Map<string, string>;
let invoked: { input: ExecutorInput; editsBefore: number }[];
let logs: string[];

let server: LocalServer;

beforeAll(async () => {
  standIn = await startDiscordStandIn({ applicationId: APP });
  // The worker checks an import's channels with Discord: the task's channel is in GUILD.
  standIn.addChannel({ id: CHANNEL, guildId: GUILD, name: 'general' });
  // The endpoint over loopback HTTP, as Discord reaches the Function URL: raw signed bytes in, JSON out.
  server = await startLocalServer({
    port: 0,
    host: '127.0.0.1',
    handleInteraction: (request) => endpoint().handle(request),
    controlToken: 'unused-control-token',
    logger: new MemoryLogger(),
  });
});
afterAll(async () => {
  await server.close();
  await standIn.close();
});

beforeEach(() => {
  clock = new ManualClock(new Date('2026-03-02T08:00:00Z'));
  const gateway = new EmbeddedScheduleGateway({
    repository: new InMemoryScheduleRepository(),
    clock,
    onFire: async () => {},
  });
  scheduler = new TaskScheduler({ store: db.store, schedules: gateway, clock });
  attachments = new Map();
  invoked = [];
  logs = [];
  lambda.on(InvokeCommand).resolves({ StatusCode: 202 });
});
afterEach(() => lambda.reset());

const logger = { error: (message: string) => logs.push(message) };

/** Records each run handed to the executor with how many edits its reply had by then. */
const recordingExecutor = (finishAt?: string): ExecutorInvoker => ({
  invoke: async (input) => {
    const token = input.type === 'scheduled' || input.type === 'after' ? '' : (input.reply?.token ?? '');
    invoked.push({ input, editsBefore: standIn.interactionResponses(token).length });
    if (finishAt && input.type === 'manual' && input.reply)
      await poster().editOriginalResponse(input.reply.applicationId, input.reply.token, {
        content: finishAt,
      });
  },
});

/**
 * The endpoint as functions/interactions.ts builds it: hand-off through a Lambda Event invoke, Discord reads
 * (the inline commands' channel checks) on the stand-in. `inline` leaves the hand-off out: what the same
 * command answers when it runs in the endpoint.
 */
function endpoint({ inline = false }: { inline?: boolean } = {}) {
  return createInteractionHandler({
    scheduler,
    executor: recordingExecutor(),
    publicKey: keys.publicKeyHex,
    clock,
    interactions: new MemoryInteractionLedger(),
    logger,
    guildReads: () => new RestGuildReads({ token: 'bot-token', api: standIn.apiUrl }),
    ...(inline
      ? {}
      : {
          handOff: {
            policy: AWS_HAND_OFF_POLICY,
            dispatcher: new LambdaInteractionDispatcher({
              client: new LambdaClient({}),
              functionName: WORKER_ARN,
            }),
          },
        }),
  });
}

/** Edits interaction replies on the Discord stand-in, as the worker and the executor do. */
const poster = () =>
  new DiscordRestClient({ rest: createDiscordRest({ token: 'bot-token', api: standIn.apiUrl }) });

/**
 * The worker as functions/interaction-worker.ts builds it, over the same store and the Discord stand-in.
 * Its executor records how many reply edits had been made when each run was handed on; `finishAt` once
 * makes a run over as soon as it is handed on, editing the reply with `finishAt` as its result.
 */
function worker({ finishAt, executor }: { finishAt?: string; executor?: ExecutorInvoker } = {}) {
  return createHandOffWorker({
    scheduler,
    executor: executor ?? recordingExecutor(finishAt),
    poster: poster(),
    guildReads: () => new RestGuildReads({ token: 'bot-token', api: standIn.apiUrl }),
    clock,
    logger,
    fetchAttachment: async (url) => {
      const text = attachments.get(url);
      if (text === undefined) throw new Error(`no attachment at ${url}`);
      return text;
    },
  });
}

/** Sends a signed interaction to the endpoint; returns its answer and the event the worker would get. */
async function send(payload: unknown) {
  const response = await endpoint().handle(signedRequest(payload, keys));
  const calls = lambda.commandCalls(InvokeCommand);
  const event = calls.length
    ? JSON.parse(new TextDecoder().decode(calls.at(-1)?.args[0].input.Payload as Uint8Array))
    : undefined;
  return { response, json: JSON.parse(response.body), event };
}

/** Posts a signed interaction to the endpoint over loopback HTTP; its answer and the worker's event. */
async function post(payload: unknown) {
  const { rawBody, headers } = signedRequest(payload, keys);
  const response = await fetch(`${server.url}/interactions`, {
    method: 'POST',
    headers,
    body: new Uint8Array(rawBody),
  });
  const invoked = lambda.commandCalls(InvokeCommand).at(-1)?.args[0].input.Payload;
  const event = invoked ? JSON.parse(new TextDecoder().decode(invoked as Uint8Array)) : undefined;
  return { status: response.status, json: await response.json(), event };
}

/** The GETs of `path` the stand-in answered since request number `from`. */
const requestsTo = (from: number, path: string) =>
  standIn.requests.slice(from).filter((r) => r.method === 'GET' && r.path === path);

/** The content of the reply edits received for an interaction token, in order. */
function edits(token: string): string[] {
  return standIn
    .interactionResponses(token)
    .filter((r) => r.kind === 'edit_original')
    .map((r) => String((r.body as { content?: unknown }).content ?? ''));
}

/** Creates a daily task through the endpoint (create answers inline). */
async function createDaily(name = 'Standup digest') {
  const { json } = await send(command('schedule create daily', [str('time', '09:30'), str('name', name)]));
  const [task] = (await scheduler.listTasks(GUILD)).filter((t) => t.name === name);
  if (!task) throw new Error(`not created: ${json.data.content}`);
  return task;
}

describe('slow commands on AWS: answered "thinking…", finished by the worker', () => {
  it('hands /schedule import to the worker as an Event invoke, which imports and edits the reply', async () => {
    const source = await createDaily();
    // Another time of day: an import skips a task that exists already.
    const exported = await scheduler.exportTasks(GUILD);
    const other = exported.tasks.map((t) => ({ ...t, schedule: { type: 'daily', time: '18:00' } }));
    attachments.set(URL, JSON.stringify({ ...exported, tasks: other }));
    const payload = command('schedule import', [file('file', ATTACHMENT.id)], {
      resolved: { attachments: { [ATTACHMENT.id]: ATTACHMENT } },
    });
    const { json, event } = await send(payload);
    expect(json).toEqual({
      type: InteractionResponseType.DeferredChannelMessageWithSource,
      data: { flags: MessageFlags.Ephemeral },
    });
    expect(lambda).toHaveReceivedCommandWith(InvokeCommand, {
      FunctionName: WORKER_ARN,
      InvocationType: 'Event',
    });
    expect(event).toMatchObject({ type: 'interaction', receivedAt: '2026-03-02T08:00:00.000Z' });
    expect(JSON.parse(event.body).id).toBe(payload.id);
    // Nothing happened inline: the endpoint only verified and handed off.
    expect(await scheduler.listTasks(GUILD)).toHaveLength(1);

    await clock.advance(5_000);
    await handleInteractionWorkerEvent(event, worker());
    const imported = await scheduler.listTasks(GUILD);
    expect(imported.map((t) => t.name)).toEqual([source.name, source.name]);
    expect(edits(payload.token)).toEqual([expect.stringContaining('Imported 1 task')]);
  });

  it('shows what is wrong with an import in the reply, and imports nothing', async () => {
    await createDaily();
    const broken = JSON.parse(JSON.stringify(await scheduler.exportTasks(GUILD)));
    broken.tasks.push({ ...broken.tasks[0], name: 'second', schedule: { type: 'daily', time: '99:00' } });
    attachments.set(URL, JSON.stringify(broken));
    const payload = command('schedule import', [file('file', ATTACHMENT.id)], {
      resolved: { attachments: { [ATTACHMENT.id]: ATTACHMENT } },
    });
    const { event } = await send(payload);
    await handleInteractionWorkerEvent(event, worker());
    expect(edits(payload.token)).toEqual([expect.stringMatching(/^\*\*file: tasks\[1\]/)]);
    expect(await scheduler.listTasks(GUILD)).toHaveLength(1);
  });

  it('starts a /schedule run only after its reply is edited, so the run result is the last edit', async () => {
    const task = await createDaily();
    const payload = command('schedule run', [str('task', task.id)]);
    const { json, event } = await send(payload);
    expect(json.type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    await handleInteractionWorkerEvent(event, worker());
    expect(invoked).toHaveLength(1);
    expect(invoked[0]?.input).toMatchObject({
      type: 'manual',
      taskId: task.id,
      requestedAt: '2026-03-02T08:00:00.000Z',
      reply: { applicationId: APP, token: payload.token },
    });
    expect(invoked[0]?.editsBefore).toBe(1);
    expect(edits(payload.token)).toEqual([expect.stringContaining('Started a run')]);
  });

  it('leaves a run that is over at once the last word on the reply, after "Started a run"', async () => {
    const task = await createDaily();
    const payload = command('schedule run', [str('task', task.id)]);
    const { event } = await send(payload);
    await handleInteractionWorkerEvent(event, worker({ finishAt: '✅ Standup digest ran.' }));
    expect(edits(payload.token)).toEqual([
      expect.stringContaining('Started a run'),
      '✅ Standup digest ran.',
    ]);
  });

  it('hands off the run button too', async () => {
    const task = await createDaily();
    const { json, event } = await send(button(`task:run:${task.id}`));
    expect(json.type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    expect(event.type).toBe('interaction');
  });

  it('hands off a large edit (schedule or destinations) and answers a rename inline', async () => {
    const task = await createDaily();
    const rename = await send(command('schedule edit', [str('task', task.id), str('name', 'Morning')]));
    expect(rename.json.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(rename.json.data.content).toContain('Updated');
    expect(lambda.commandCalls(InvokeCommand)).toHaveLength(0);

    const payload = command('schedule edit', [str('task', task.id), str('time', '10:30')]);
    const moved = await send(payload);
    expect(moved.json.type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    await handleInteractionWorkerEvent(moved.event, worker());
    expect((await scheduler.getTask(GUILD, task.id)).schedule).toMatchObject({ time: '10:30' });
    expect(edits(payload.token)).toEqual([expect.stringContaining('Updated')]);
  });

  it('answers fast commands inline, never through the worker', async () => {
    const task = await createDaily();
    for (const payload of [
      command('schedule list'),
      command('schedule pause', [str('task', task.id)]),
      command('schedule status', [str('task', task.id)]),
    ]) {
      const { json } = await send(payload);
      expect(json.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    }
    expect(lambda.commandCalls(InvokeCommand)).toHaveLength(0);
  });

  it('says so at once, with a reference, when the worker cannot be started', async () => {
    lambda.on(InvokeCommand).rejects(new Error('Rate Exceeded.'));
    const task = await createDaily();
    const { json } = await send(command('schedule run', [str('task', task.id)]));
    expect(json.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(json.data.flags).toBe(MessageFlags.Ephemeral);
    expect(json.data.content).toMatch(/reference/i);
    expect(json.data.content).not.toContain('Rate Exceeded');
    expect(logs).toContain('interaction failed');
  });

  it('still starts the run when the reply can no longer be edited, and logs it', async () => {
    const task = await createDaily();
    const payload = command('schedule run', [str('task', task.id)]);
    const { event } = await send(payload);
    standIn.expireInteraction(payload.token);
    await handleInteractionWorkerEvent(event, worker());
    expect(invoked).toHaveLength(1);
    expect(logs).toContain('could not edit a handed-off reply');
  });

  it('refuses a malformed hand-off, naming the field', async () => {
    await expect(
      handleInteractionWorkerEvent({ type: 'interaction', body: '{}', receivedAt: 'yesterday' }, worker()),
    ).rejects.toThrow(/receivedAt/);
  });
});

describe('/subscribe on AWS: its Discord reads never stand between Discord and its answer', () => {
  const STAFF = '845027906669510777';
  beforeAll(() => {
    standIn.addChannel({
      id: STAFF,
      guildId: GUILD,
      name: 'staff',
      permissionOverwrites: [hiddenFromEveryone(GUILD), shownToBot(standIn)],
    });
  });

  const digest = (channelIds: string[]) =>
    scheduler.createTask({
      guildId: GUILD,
      kind: 'summary',
      name: 'Daily digest',
      channelIds,
      schedule: { type: 'daily', time: '09:00' },
      timeZone: 'UTC',
      destinations: [{ type: 'discord_channel', channelId: CHANNEL, format: 'embed' }],
      createdBy: '53908232506183699',
    });

  /** Who gets the task's digest by DM, as stored. */
  const subscribersOf = async (taskId: string) => {
    const stored = await scheduler.getTask(GUILD, taskId);
    return stored.kind === 'summary' ? (stored.subscribers ?? []) : [];
  };

  it('answers "thinking…" before any Discord read, and the worker edits in the subscription after rate-limited reads', async () => {
    const task = await digest([CHANNEL]);
    // Discord asks for a wait on both reads /subscribe makes one after the other (roles, then the channel).
    standIn.failNext(`GET /guilds/${GUILD}`, [{ status: 429, retryAfter: 0.9 }]);
    standIn.failNext(`GET /channels/${CHANNEL}`, [{ status: 429, retryAfter: 0.9 }]);
    const mark = standIn.requests.length;
    const payload = command('subscribe', [str('task', task.id)], { permissions: READER });

    const { status, json, event } = await post(payload);
    expect(status).toBe(200);
    expect(json).toEqual({
      type: InteractionResponseType.DeferredChannelMessageWithSource,
      data: { flags: MessageFlags.Ephemeral },
    });
    expect(standIn.requests.slice(mark)).toEqual([]);
    expect(await subscribersOf(task.id)).toEqual([]);

    await handleInteractionWorkerEvent(event, worker());
    expect(requestsTo(mark, `/guilds/${GUILD}`).map((r) => r.status)).toEqual([429, 200]);
    expect(requestsTo(mark, `/channels/${CHANNEL}`).map((r) => r.status)).toEqual([429, 200]);
    expect(edits(payload.token)).toEqual([
      expect.stringMatching(
        /^Subscribed to \*\*Daily digest\*\*: each run's digest also comes to you by direct message/,
      ),
    ]);
    expect(await subscribersOf(task.id)).toEqual([{ userId: USER, since: '2026-03-02T08:00:00.000Z' }]);
  });

  it('keeps its refusal: a member who can read none of the channels is told so in the edit', async () => {
    const task = await digest([STAFF]);
    const payload = command('subscribe', [str('task', task.id)], { permissions: READER });
    const { json, event } = await post(payload);
    expect(json.type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    await handleInteractionWorkerEvent(event, worker());
    expect(edits(payload.token)).toEqual([
      `You cannot read <#${STAFF}>, the channel **Daily digest** summarizes, so it has nothing to send you.`,
    ]);
    expect(await subscribersOf(task.id)).toEqual([]);
  });

  it('answers /unsubscribe inline: it reads nothing from Discord', async () => {
    const task = await digest([CHANNEL]);
    const { json } = await post(command('unsubscribe', [str('task', task.id)], { permissions: READER }));
    expect(json.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(json.data.content).toContain('You are not subscribed to **Daily digest**');
    expect(lambda.commandCalls(InvokeCommand)).toHaveLength(0);
  });
});

describe('/schedule create, /catchup and /summarize on AWS: Discord reads come after "thinking…", not before', () => {
  const ANNOUNCEMENTS = '745027906669510790';
  const MODS_CHANNEL = '845027906669510791';
  const MODS = '539082325061836191';
  beforeAll(() => {
    standIn.setRole(GUILD, { id: MODS, name: 'Moderators', permissions: 0n });
    standIn.addChannel({ id: ANNOUNCEMENTS, guildId: GUILD, name: 'announcements' });
    standIn.addChannel({
      id: MODS_CHANNEL,
      guildId: GUILD,
      name: 'mods',
      permissionOverwrites: [hiddenFromEveryone(GUILD), shownTo(MODS), shownToBot(standIn)],
    });
  });

  const thinking = {
    type: InteractionResponseType.DeferredChannelMessageWithSource,
    data: { flags: MessageFlags.Ephemeral },
  };
  const everywhere = resolvedChannels({ [CHANNEL]: ADMIN, [ANNOUNCEMENTS]: ADMIN, [MODS_CHANNEL]: ADMIN });
  const createDigest = (options: Opt[]) =>
    command('schedule create daily', [str('time', '09:00'), str('name', 'Digest'), ...options], {
      resolved: everywhere,
    });
  /** A message sent an hour before the clock, in `channelId`. */
  const linkTo = (channelId: string) =>
    `https://discord.com/channels/${GUILD}/${channelId}/${snowflakeFromTime(new Date('2026-03-02T07:00:00Z'))}`;
  /** Discord asks for a wait of 0.9 s on the first GET of each route. */
  const rateLimit = (...routes: string[]) => {
    for (const route of routes) standIn.failNext(`GET ${route}`, [{ status: 429, retryAfter: 0.9 }]);
  };
  /** The statuses of each route's GETs since request number `mark`, per route. */
  const statusesOf = (mark: number, routes: string[]) =>
    routes.map((route) => requestsTo(mark, route).map((r) => r.status));
  /** What a run handed to the executor asks, without the reply it edits (another interaction's token). */
  const askedFor = (input: ExecutorInput | undefined) => {
    if (input?.type !== 'adhoc') return input;
    const { reply: _reply, ...rest } = input;
    return rest;
  };

  it('/schedule create naming where to post: "thinking…" before any read, then the task and its reply edited in', async () => {
    const payload = createDigest([chan('post_to', ANNOUNCEMENTS)]);
    // The inline reply of the same command, for comparison; removed again so the hand-off makes no twin.
    const inline = JSON.parse((await endpoint({ inline: true }).handle(signedRequest(payload, keys))).body);
    const [first] = await scheduler.listTasks(GUILD);
    if (!first) throw new Error(`not created inline: ${inline.data.content}`);
    await scheduler.cancelTask(GUILD, first.id);

    const routes = [`/guilds/${GUILD}`, `/channels/${ANNOUNCEMENTS}`];
    rateLimit(...routes);
    const mark = standIn.requests.length;
    const handed = { ...payload, id: `${payload.id}1`, token: `${payload.token}-handed` };
    const { status, json, event } = await post(handed);
    expect(status).toBe(200);
    expect(json).toEqual(thinking);
    expect(standIn.requests.slice(mark)).toEqual([]);
    expect(await scheduler.listTasks(GUILD)).toEqual([]);

    await handleInteractionWorkerEvent(event, worker());
    expect(statusesOf(mark, routes)).toEqual([
      [429, 200],
      [429, 200],
    ]);
    const [task] = await scheduler.listTasks(GUILD);
    expect(task?.destinations).toEqual([
      { type: 'discord_channel', channelId: ANNOUNCEMENTS, format: 'embed' },
    ]);
    expect(inline.data.content).toMatch(/^Created ✅/);
    expect(edits(handed.token)).toEqual([inline.data.content.replaceAll(first.id, task?.id)]);
  });

  it('/schedule create keeps its audience refusal, word for word, in the edit, and creates nothing', async () => {
    const options = [chan('channel', MODS_CHANNEL), chan('post_to', ANNOUNCEMENTS)];
    const inline = JSON.parse(
      (await endpoint({ inline: true }).handle(signedRequest(createDigest(options), keys))).body,
    );
    expect(inline.data.content).toContain(`<#${MODS_CHANNEL}> is private to <@&${MODS}>`);

    const payload = createDigest(options);
    const { json, event } = await post(payload);
    expect(json).toEqual(thinking);
    await handleInteractionWorkerEvent(event, worker());
    expect(edits(payload.token)).toEqual([inline.data.content]);
    expect(await scheduler.listTasks(GUILD)).toEqual([]);
  });

  it('/schedule create naming where to post refuses a bad time or an unknown time zone at once, in the inline words', async () => {
    const badInput = [[str('time', '25:00')], [str('time', '09:00'), str('timezone', 'Mars/Olympus_Mons')]];
    for (const [i, schedule] of badInput.entries()) {
      const options = [...schedule, str('name', 'Digest'), chan('post_to', ANNOUNCEMENTS)];
      const payload = () => command('schedule create daily', options, { resolved: everywhere });
      const inline = JSON.parse(
        (await endpoint({ inline: true }).handle(signedRequest(payload(), keys))).body,
      );
      expect(inline.data.content).toMatch(i === 0 ? /^\*\*time\*\*: / : /^\*\*timezone\*\*: /);

      const mark = standIn.requests.length;
      const { status, json } = await post(payload());
      expect(status).toBe(200);
      // The refusal itself, not "thinking…": nothing handed to the worker, nothing read from Discord.
      expect(json).toEqual(inline);
      expect(standIn.requests.slice(mark)).toEqual([]);
    }
    expect(lambda.commandCalls(InvokeCommand)).toHaveLength(0);
    expect(await scheduler.listTasks(GUILD)).toEqual([]);

    // Without Manage Server the manager check reads the settings first, and a member who may not manage
    // schedules is told that, not what is wrong with the time: such a command is still handed off.
    const notManager = command(
      'schedule create daily',
      [str('time', '25:00'), chan('post_to', ANNOUNCEMENTS)],
      { resolved: everywhere, permissions: READER },
    );
    const { json, event } = await post(notManager);
    expect(json).toEqual(thinking);
    await handleInteractionWorkerEvent(event, worker());
    expect(edits(notManager.token)).toEqual([
      expect.stringMatching(/^You need the Manage Server permission/),
    ]);
  });

  it('/catchup scope:server: "thinking…" before the channel list is read, then the same catch-up as inline', async () => {
    const catchup = () => command('catchup', [str('scope', 'server')], { permissions: READER });
    await endpoint({ inline: true }).handle(signedRequest(catchup(), keys));
    const asInline = askedFor(invoked[0]?.input);
    expect(asInline).toMatchObject({ type: 'adhoc', channelIds: expect.arrayContaining([CHANNEL]) });

    const routes = [`/guilds/${GUILD}`, `/guilds/${GUILD}/channels`];
    rateLimit(...routes);
    const mark = standIn.requests.length;
    const payload = catchup();
    const { json, event } = await post(payload);
    expect(json).toEqual(thinking);
    expect(standIn.requests.slice(mark)).toEqual([]);
    expect(invoked).toHaveLength(1);

    await handleInteractionWorkerEvent(event, worker());
    expect(statusesOf(mark, routes)).toEqual([
      [429, 200],
      [429, 200],
    ]);
    // The executor edits "thinking…" with the catch-up: the worker has nothing to edit before it.
    expect(askedFor(invoked[1]?.input)).toEqual(asInline);
    expect(invoked[1]?.input).toMatchObject({ reply: { applicationId: APP, token: payload.token } });
    expect(edits(payload.token)).toEqual([]);
  });

  it('/summarize from: a link to another channel: "thinking…" before the channel is checked, then the same run as inline', async () => {
    const summarize = () =>
      command('summarize', [str('from', linkTo(ANNOUNCEMENTS))], {
        permissions: READER,
        channelPermissions: READER,
      });
    await endpoint({ inline: true }).handle(signedRequest(summarize(), keys));
    const asInline = askedFor(invoked[0]?.input);
    expect(asInline).toMatchObject({ type: 'adhoc', channelIds: [ANNOUNCEMENTS] });

    const routes = [`/channels/${ANNOUNCEMENTS}`, `/guilds/${GUILD}`];
    rateLimit(...routes);
    const mark = standIn.requests.length;
    const payload = summarize();
    const { json, event } = await post(payload);
    expect(json).toEqual(thinking);
    expect(standIn.requests.slice(mark)).toEqual([]);

    await handleInteractionWorkerEvent(event, worker());
    expect(statusesOf(mark, routes)).toEqual([
      [429, 200],
      [429, 200],
    ]);
    expect(askedFor(invoked[1]?.input)).toEqual(asInline);
    expect(edits(payload.token)).toEqual([]);
  });

  it('/summarize from: a channel the member cannot read is refused in the edit as inline, and nothing runs', async () => {
    const summarize = () =>
      command('summarize', [str('from', linkTo(MODS_CHANNEL))], {
        permissions: READER,
        channelPermissions: READER,
      });
    const inline = JSON.parse(
      (await endpoint({ inline: true }).handle(signedRequest(summarize(), keys))).body,
    );
    expect(inline.data.content).toContain(`you cannot read <#${MODS_CHANNEL}>`);

    const payload = summarize();
    const { json, event } = await post(payload);
    expect(json).toEqual(thinking);
    await handleInteractionWorkerEvent(event, worker());
    expect(edits(payload.token)).toEqual([inline.data.content]);
    expect(invoked).toEqual([]);
  });

  it("refuses a handed-off /catchup over the member's /summarize limit in the edit, as the endpoint would", async () => {
    // The worker's executor as functions/interaction-worker.ts builds it: the limit, then a Lambda Invoke.
    const executor = limitedLambdaExecutor({
      config: {
        EXECUTOR_FUNCTION_ARN: EXECUTOR_ARN,
        SUMMARIZE_PER_MEMBER_PER_MINUTE: 1,
        SUMMARIZE_PER_SERVER_PER_MINUTE: 20,
      },
      lambda: new LambdaClient({}),
      useWindows: new DynamoUseWindowStore({ client: db.documentClient, tableName: db.tableName }),
    });
    const tokens = [];
    for (let i = 0; i < 2; i++) {
      const payload = command('catchup', [str('scope', 'server')], { permissions: READER });
      const { event } = await post(payload);
      await handleInteractionWorkerEvent(event, worker({ executor }));
      tokens.push(payload.token);
    }
    const runs = lambda
      .commandCalls(InvokeCommand)
      .filter((c) => c.args[0].input.FunctionName === EXECUTOR_ARN);
    expect(runs).toHaveLength(1);
    expect(edits(tokens[0] as string)).toEqual([]);
    expect(edits(tokens[1] as string)).toEqual([
      expect.stringMatching(/^You can ask for 1 summary a minute; try again in \d+ seconds?\./),
    ]);
  });

  it('a public /summarize from: another channel is answered with a public "thinking…", then the same run as inline', async () => {
    const summarize = () =>
      command('summarize', [str('from', linkTo(ANNOUNCEMENTS)), bool('public', true)], {
        permissions: READER,
        channelPermissions: READER,
      });
    await endpoint({ inline: true }).handle(signedRequest(summarize(), keys));
    const asInline = askedFor(invoked[0]?.input);
    expect(asInline).toMatchObject({ channelIds: [ANNOUNCEMENTS], ephemeral: false });

    const mark = standIn.requests.length;
    const payload = summarize();
    const { json, event } = await post(payload);
    expect(json).toEqual({ type: InteractionResponseType.DeferredChannelMessageWithSource, data: {} });
    expect(standIn.requests.slice(mark)).toEqual([]);
    await handleInteractionWorkerEvent(event, worker());
    expect(askedFor(invoked[1]?.input)).toEqual(asInline);
    expect(standIn.interactionResponses(payload.token)).toEqual([]);
  });

  it('a public /summarize from: a channel the member cannot read: the public "thinking…" is deleted and the refusal sent to the member alone, as inline', async () => {
    const summarize = () =>
      command('summarize', [str('from', linkTo(MODS_CHANNEL)), bool('public', true)], {
        permissions: READER,
        channelPermissions: READER,
      });
    const inline = JSON.parse(
      (await endpoint({ inline: true }).handle(signedRequest(summarize(), keys))).body,
    );
    expect(inline.data).toMatchObject({ flags: MessageFlags.Ephemeral });

    const payload = summarize();
    const { json, event } = await post(payload);
    expect(json).toEqual({ type: InteractionResponseType.DeferredChannelMessageWithSource, data: {} });
    // Discord shows the public "thinking…" in the channel at once.
    standIn.registerInteraction({ token: payload.token, channelId: CHANNEL, original: {} });
    const before = standIn.messages(CHANNEL).length;
    await handleInteractionWorkerEvent(event, worker());
    expect(standIn.interactionResponses(payload.token).map((r) => [r.kind, r.body])).toEqual([
      ['delete_original', undefined],
      ['follow_up', expect.objectContaining({ content: inline.data.content, flags: MessageFlags.Ephemeral })],
    ]);
    expect(standIn.messages(CHANNEL)).toHaveLength(before - 1);
    expect(invoked).toEqual([]);
  });

  it('answers inline what reads nothing from Discord first, refusals included', async () => {
    const asReader = { permissions: READER, channelPermissions: READER };
    const answers = [];
    for (const payload of [
      // Read here, posted here: the member's permissions in the payload cover it.
      command('schedule create daily', [str('time', '09:00')]),
      command('catchup', [], asReader),
      command('catchup', [chan('channel', ANNOUNCEMENTS), str('scope', 'server')], asReader),
      command('summarize', [str('from', linkTo(CHANNEL))], asReader),
      command('summarize', [str('from', 'the message about the release')], asReader),
      command('config notify-channel', [chan('channel', ANNOUNCEMENTS)]),
    ]) {
      answers.push((await post(payload)).json);
    }
    expect(lambda.commandCalls(InvokeCommand)).toHaveLength(0);
    expect(answers.map((a) => a.type)).toEqual([4, 5, 4, 5, 4, 4]);
    expect(answers[2].data.content).toContain('give either a channel or scope:server, not both');
    expect(answers[4].data.content).toMatch(/^\*\*from\*\*: expected a message link/);
  });
});
