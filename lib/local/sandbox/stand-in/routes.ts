import { type APIMessage, ChannelType } from 'discord-api-types/v10';
import { isSnowflake } from '../../../shared/snowflake.ts';
import {
  CANNOT_MESSAGE_USER,
  fieldError,
  invalidForm,
  METHOD_NOT_ALLOWED,
  MISSING_PERMISSIONS,
  NOT_FOUND,
  UNKNOWN_APPLICATION,
  UNKNOWN_GUILD,
  UNKNOWN_MEMBER,
} from './api-errors.ts';
import { type Answer, apiUser, channelJson, guildJson, type StandInState, THREAD_TYPES } from './state.ts';
import { botMayPostInThread, FORUM_MESSAGE, startThread } from './threads.ts';
import { webhookCall } from './webhooks.ts';

const PUBLIC_THREAD_TYPES = new Set<ChannelType>([ChannelType.PublicThread, ChannelType.AnnouncementThread]);

/** One request as a route sees it: the path's captures, the query and the parsed JSON body. */
export interface RouteRequest {
  method: string;
  params: readonly (string | undefined)[];
  query: URLSearchParams;
  body: unknown;
}

type Handler = (state: StandInState, request: RouteRequest) => Answer;

/**
 * One route of Discord's API: a path (decoded, without `/api/v10`), a handler per method, or `any` for a
 * handler that reads the method itself. `otherMethods` is what Discord answers a method the route lacks.
 */
export interface StandInRoute {
  path: RegExp;
  /** Webhook calls carry their token in the path, not a bot token. */
  withoutBotToken?: boolean;
  methods: Partial<Record<'GET' | 'POST' | 'PUT' | 'PATCH', Handler>> | { any: Handler };
  otherMethods?: Answer;
}

const p = (request: RouteRequest, i: number) => request.params[i] as string;

/** The part of Discord's REST API the bot uses, as one table. */
export const ROUTES: readonly StandInRoute[] = [
  {
    path: /^\/webhooks\/(\d+)\/([^/]+)(\/messages\/@original)?$/,
    withoutBotToken: true,
    methods: {
      any: (state, r) => webhookCall(state, p(r, 0), p(r, 1), r.method, r.params[2] ?? '', r.body),
    },
  },
  {
    path: /^\/channels\/(\d+)$/,
    methods: {
      GET: (state, r) => {
        const { error, channel } = state.readableChannel(p(r, 0));
        return error ?? { status: 200, body: channelJson(channel) };
      },
    },
    otherMethods: METHOD_NOT_ALLOWED,
  },
  {
    path: /^\/channels\/(\d+)\/messages$/,
    methods: {
      GET: (state, r) => getMessages(state, p(r, 0), r.query),
      POST: (state, r) => postChannelMessage(state, p(r, 0), r.body),
    },
    otherMethods: METHOD_NOT_ALLOWED,
  },
  {
    path: /^\/channels\/(\d+)\/threads$/,
    methods: { POST: (state, r) => startThread(state, p(r, 0), r.body) },
    otherMethods: METHOD_NOT_ALLOWED,
  },
  {
    path: /^\/channels\/(\d+)\/threads\/archived\/public$/,
    methods: { GET: (state, r) => archivedPublicThreads(state, p(r, 0), r.query) },
    otherMethods: METHOD_NOT_ALLOWED,
  },
  {
    path: /^\/guilds\/(\d+)\/threads\/active$/,
    methods: { GET: (state, r) => activeThreads(state, p(r, 0)) },
    otherMethods: METHOD_NOT_ALLOWED,
  },
  {
    path: /^\/guilds\/(\d+)$/,
    methods: {
      GET: (state, r) => {
        const guild = state.guilds.get(p(r, 0));
        return guild ? { status: 200, body: guildJson(guild) } : UNKNOWN_GUILD;
      },
    },
  },
  {
    path: /^\/guilds\/(\d+)\/roles$/,
    methods: {
      GET: (state, r) => {
        const guild = state.guilds.get(p(r, 0));
        return guild ? { status: 200, body: [...guild.roles.values()] } : UNKNOWN_GUILD;
      },
    },
  },
  {
    path: /^\/guilds\/(\d+)\/channels$/,
    methods: {
      GET: (state, r) => {
        const guildId = p(r, 0);
        if (!state.guilds.has(guildId)) return UNKNOWN_GUILD;
        // Discord leaves out the channels the bot cannot view (the Channel docs, Obfuscated Channels).
        const list = [...state.channels.values()].filter(
          (c) => c.guildId === guildId && !THREAD_TYPES.has(c.type) && state.botCanView(c),
        );
        return { status: 200, body: list.map(channelJson) };
      },
    },
  },
  {
    path: /^\/guilds\/(\d+)\/members\/(\d+)$/,
    methods: {
      GET: (state, r) => {
        const guildId = p(r, 0);
        if (!state.guilds.has(guildId)) return UNKNOWN_GUILD;
        const userId = p(r, 1);
        const roles =
          userId === state.botUser.id
            ? (state.botRoles.get(guildId) ?? [])
            : state.members.get(guildId)?.get(userId);
        if (!roles) return UNKNOWN_MEMBER;
        const user = state.knownUsers.get(userId) ?? { id: userId, username: `user-${userId}` };
        return { status: 200, body: { user: apiUser(user), roles, communication_disabled_until: null } };
      },
    },
  },
  {
    path: /^\/applications\/@me$/,
    methods: { GET: (state) => ({ status: 200, body: state.applicationJson() }) },
  },
  {
    path: /^\/applications\/(\d+)(?:\/guilds\/(\d+))?\/commands$/,
    methods: { any: (state, r) => applicationCommands(state, p(r, 0), r.params[1], r.method, r.body) },
  },
  {
    path: /^\/users\/@me$/,
    methods: { GET: (state) => ({ status: 200, body: apiUser(state.botUser) }) },
  },
  {
    path: /^\/users\/@me\/channels$/,
    methods: { POST: (state, r) => openDirectMessage(state, r.body) },
  },
];

/** The route of `path` and its captures, or undefined when Discord has no such route. */
export function findRoute(path: string): { route: StandInRoute; params: (string | undefined)[] } | undefined {
  for (const route of ROUTES) {
    const match = route.path.exec(path);
    if (match) return { route, params: match.slice(1) };
  }
  return undefined;
}

/** Answers a request on a route found by `findRoute`. */
export function answer(state: StandInState, route: StandInRoute, request: RouteRequest): Answer {
  if ('any' in route.methods) return route.methods.any(state, request);
  const handler = route.methods[request.method as keyof typeof route.methods];
  return handler ? handler(state, request) : (route.otherMethods ?? NOT_FOUND);
}

function getMessages(state: StandInState, channelId: string, query: URLSearchParams): Answer {
  const { error } = state.readableChannel(channelId);
  if (error) return error;
  const limitText = query.get('limit');
  const limit = limitText === null ? 50 : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
    return fieldError('limit', 'NUMBER_TYPE_MAX', 'int value should be between 1 and 100.');
  }
  const cursors = (['before', 'after', 'around'] as const).filter((k) => query.has(k));
  if (cursors.length > 1) {
    return invalidForm({
      _errors: [
        {
          code: 'PARAMS_MUTUALLY_EXCLUSIVE',
          message: 'The before, after and around parameters are mutually exclusive.',
        },
      ],
    });
  }
  const cursor = cursors[0];
  const cursorValue = cursor ? query.get(cursor)! : undefined;
  if (cursor && !isSnowflake(cursorValue!)) {
    return fieldError(cursor, 'NUMBER_TYPE_COERCE', `Value "${cursorValue}" is not snowflake.`);
  }
  const all = state.messagesByChannel.get(channelId) ?? [];
  let page: APIMessage[];
  if (cursor === 'after') {
    // Discord only says results are "newest to oldest" (FACTS B5, open item 9). We return the `limit`
    // messages immediately after the cursor (the oldest ones after it), still ordered newest first, which is
    // what forward paging needs and what Discord is observed to do.
    const pivot = BigInt(cursorValue!);
    page = all.filter((m) => BigInt(m.id) > pivot).slice(0, limit);
  } else if (cursor === 'before') {
    const pivot = BigInt(cursorValue!);
    const older = all.filter((m) => BigInt(m.id) < pivot);
    page = older.slice(Math.max(0, older.length - limit));
  } else if (cursor === 'around') {
    const pivot = BigInt(cursorValue!);
    const index = all.findIndex((m) => BigInt(m.id) >= pivot);
    const centre = index === -1 ? all.length : index;
    const start = Math.max(0, centre - Math.floor(limit / 2));
    page = all.slice(start, start + limit);
  } else {
    page = all.slice(Math.max(0, all.length - limit));
  }
  return { status: 200, body: page.map((m) => state.visible(m)).reverse() };
}

function postChannelMessage(state: StandInState, channelId: string, body: unknown): Answer {
  const { error, channel } = state.readableChannel(channelId);
  if (error) return error;
  if (channel.type === ChannelType.GuildForum || channel.type === ChannelType.GuildMedia)
    return FORUM_MESSAGE;
  if (THREAD_TYPES.has(channel.type) && !botMayPostInThread(state, channel)) return MISSING_PERMISSIONS;
  if (channel.type === ChannelType.DM && channel.recipientId && state.closedDms.has(channel.recipientId))
    return CANNOT_MESSAGE_USER;
  const result = state.createMessage(channel.id, body, state.botUser);
  if (result.message && result.status === 200) state.recordPost(channelId, result.message);
  return result;
}

/** Create DM: one channel per recipient, returned again on later calls, as Discord does. */
function openDirectMessage(state: StandInState, body: unknown): Answer {
  const recipient = (body as { recipient_id?: unknown } | undefined)?.recipient_id;
  if (typeof recipient !== 'string' || !/^\d{17,20}$/.test(recipient)) {
    return fieldError('recipient_id', 'NUMBER_TYPE_COERCE', 'Value is not snowflake.');
  }
  const id = state.openDirectMessage(recipient);
  return { status: 200, body: { id, type: ChannelType.DM, recipients: [{ id: recipient }] } };
}

function activeThreads(state: StandInState, guildId: string): Answer {
  if (!state.guilds.has(guildId)) return UNKNOWN_GUILD;
  const threads = [...state.channels.values()].filter(
    (c) =>
      c.guildId === guildId && THREAD_TYPES.has(c.type) && !c.threadMetadata?.archived && state.botCanView(c),
  );
  return { status: 200, body: { threads: threads.map(channelJson), members: [] } };
}

function archivedPublicThreads(state: StandInState, channelId: string, query: URLSearchParams): Answer {
  const { error } = state.readableChannel(channelId);
  if (error) return error;
  const limitText = query.get('limit');
  const limit = limitText === null ? 50 : Number(limitText);
  if (!Number.isInteger(limit) || limit < 2 || limit > 100) {
    return fieldError('limit', 'NUMBER_TYPE_MAX', 'int value should be between 2 and 100.');
  }
  const beforeText = query.get('before');
  const before = beforeText === null ? Number.POSITIVE_INFINITY : Date.parse(beforeText);
  if (Number.isNaN(before)) {
    return fieldError('before', 'DATE_TYPE_PARSE', `Could not parse ${beforeText}. Should be ISO8601.`);
  }
  const archived = [...state.channels.values()]
    .filter(
      (c) =>
        c.parentId === channelId &&
        PUBLIC_THREAD_TYPES.has(c.type) &&
        c.threadMetadata?.archived === true &&
        Date.parse(c.threadMetadata.archive_timestamp) < before,
    )
    .sort(
      (a, b) =>
        Date.parse(b.threadMetadata!.archive_timestamp) - Date.parse(a.threadMetadata!.archive_timestamp),
    );
  return {
    status: 200,
    body: {
      threads: archived.slice(0, limit).map(channelJson),
      members: [],
      has_more: archived.length > limit,
    },
  };
}

/** Global or guild commands: `GET` lists them, `PUT` replaces them all (Discord's bulk overwrite). */
function applicationCommands(
  state: StandInState,
  appId: string,
  guildId: string | undefined,
  method: string,
  body: unknown,
): Answer {
  if (appId !== state.applicationId) return UNKNOWN_APPLICATION;
  if (guildId && !state.guilds.has(guildId)) return UNKNOWN_GUILD;
  const key = guildId ?? 'global';
  if (method === 'GET') return { status: 200, body: state.commandSets.get(key) ?? [] };
  if (method !== 'PUT') return METHOD_NOT_ALLOWED;
  if (!Array.isArray(body)) return fieldError('_body', 'LIST_TYPE_CONVERT', 'Must be a list.');
  return { status: 200, body: state.storeCommands(body, guildId) };
}
