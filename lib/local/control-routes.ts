import { z } from 'zod';
import { parseDuration, type TimerClock } from './clock.ts';
import type { EmbeddedScheduleGateway } from './embedded-scheduler.ts';
import type { ClockAdvancer } from './sandbox/clock-advance.ts';
import type { DiscordStandIn } from './sandbox/discord-stand-in.ts';
import type { InteractionReplies } from './sandbox/interaction-replies.ts';
import { sampleServerInfo } from './sandbox/sample-server.ts';
import type { ControlRoute } from './server.ts';

type Answer = { status: number; body: unknown };

/**
 * One control route: a method, a path of literal segments and `:name` captures (`clock/advance/:id`), and
 * what answers it. A path matches only with exactly as many segments as its pattern.
 */
interface Route {
  method: 'GET' | 'POST';
  path: string;
  answer: (params: Record<string, string>, body: unknown) => Answer;
}

/** What the control API reads: the runtime's identity, clock and scheduler, and the sandbox's parts. */
export interface ControlDeps {
  applicationId: string;
  clock: TimerClock;
  gateway: EmbeddedScheduleGateway;
  /** Only in the sandbox: the real bot's clock and Discord are not ours to move or read. */
  sandbox?: { standIn: DiscordStandIn; advancer: ClockAdvancer; replies: InteractionReplies };
}

const AdvanceBody = z.object({ by: z.string().min(1).max(20) });
/** A file the CLI attaches to a slash command, as a member attaches one in Discord (at most 1 MB here). */
const AttachmentBody = z.object({
  filename: z
    .string()
    .min(1)
    .max(200)
    .regex(/^[^/\\]+$/, 'expected a file name without folders'),
  contentBase64: z.string().max(1_400_000, 'expected a file of at most 1 MB'),
  contentType: z.string().max(100).optional(),
});

/** The CLI's routes: what runs here, the clock, what the bot posted and answered. */
export function controlRoutes(deps: ControlDeps): ControlRoute {
  const routes: Route[] = [
    {
      method: 'GET',
      path: 'info',
      answer: () => ({
        status: 200,
        body: {
          sandbox: deps.sandbox !== undefined,
          applicationId: deps.applicationId,
          now: deps.clock.now().toISOString(),
          ...(deps.sandbox ? { server: sampleServerInfo() } : {}),
          scheduler: deps.gateway.stats(),
        },
      }),
    },
    ...(deps.sandbox ? sandboxRoutes(deps.sandbox) : []),
  ];
  return async ({ method, path, body }) => {
    for (const route of routes) {
      if (route.method !== method) continue;
      const params = matchPath(route.path, path);
      if (params) return route.answer(params, body);
    }
    return undefined;
  };
}

/** The captures of `pattern` in `segments`, or undefined when the path is another one. */
function matchPath(pattern: string, segments: readonly string[]): Record<string, string> | undefined {
  const parts = pattern.split('/');
  if (parts.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (const [i, part] of parts.entries()) {
    const segment = segments[i] as string;
    if (part.startsWith(':')) params[part.slice(1)] = segment;
    else if (part !== segment) return undefined;
  }
  return params;
}

function sandboxRoutes({ standIn, advancer, replies }: NonNullable<ControlDeps['sandbox']>): Route[] {
  return [
    {
      method: 'POST',
      path: 'clock/advance',
      answer: (_, body) => {
        const parsed = AdvanceBody.safeParse(body);
        if (!parsed.success)
          return { status: 400, body: { error: 'by: expected a duration such as 1d or 2h30m' } };
        let ms: number;
        try {
          ms = parseDuration(parsed.data.by);
        } catch (error) {
          return { status: 400, body: { error: `by: ${(error as Error).message}` } };
        }
        const started = advancer.start(ms);
        if (!started) return { status: 409, body: { error: 'the clock is already advancing; wait for it' } };
        return { status: 202, body: started };
      },
    },
    {
      method: 'GET',
      path: 'clock/advance/:id',
      answer: ({ id }) => {
        const progress = advancer.progress(id as string);
        return progress
          ? { status: 200, body: progress }
          : { status: 404, body: { error: 'no such clock advance' } };
      },
    },
    {
      method: 'GET',
      path: 'channels/:channel/messages',
      answer: ({ channel: given }) => {
        // `@you`: what the bot sent that sample member by DM (a subscriber's digests).
        if ((given as string).startsWith('@')) return directMessagesOf(standIn, (given as string).slice(1));
        const name = (given as string).replace(/^#/, '');
        const channel = standIn.findChannelByName(sampleServerInfo().guild.id, name);
        if (!channel) return { status: 404, body: { error: `no channel #${name} in the sandbox` } };
        // The channel's history as members see it, the bot's posts and public interaction replies alike.
        const history = standIn.messages(channel.id);
        // Digests delivered with thread:true live in threads (forum posts) the bot started under the channel.
        const threads = standIn
          .threadsOf(channel.id)
          .filter((t) => t.ownerId === standIn.botUser.id)
          .map((t) => ({ id: t.id, name: t.name, messages: standIn.messages(t.id) }));
        return {
          status: 200,
          body: {
            channel: { id: channel.id, name: channel.name },
            messages: history.filter((m) => m.author.id === standIn.botUser.id),
            all: history,
            threads,
          },
        };
      },
    },
    {
      method: 'POST',
      path: 'attachments',
      answer: (_, body) => {
        const parsed = AttachmentBody.safeParse(body);
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          return { status: 400, body: { error: `${issue?.path.join('.') || 'body'}: ${issue?.message}` } };
        }
        const { filename, contentBase64, contentType } = parsed.data;
        return {
          status: 200,
          body: standIn.addAttachment({
            filename,
            content: Buffer.from(contentBase64, 'base64'),
            ...(contentType ? { contentType } : {}),
          }),
        };
      },
    },
    {
      method: 'GET',
      path: 'interactions/:token',
      answer: ({ token }) => {
        const known = replies.byToken.get(token as string);
        if (!known) return { status: 404, body: { error: 'no interaction with that token' } };
        const message = known.messageId ? replies.messages.get(known.messageId) : undefined;
        return {
          status: 200,
          body: {
            type: known.type,
            ...(message ? { message } : {}),
            // A refusal that came after the deferral ("thinking…"), which the HTTP answer could not flag.
            ...(replies.refusedLate.has(token as string) ? { rejected: true } : {}),
            // How the run this interaction started came out, once it has (its reply's last edit says it in words).
            ...(replies.runResults.has(token as string)
              ? { run: replies.runResults.get(token as string) }
              : {}),
            edits: standIn.interactionResponses(token as string),
          },
        };
      },
    },
    {
      method: 'GET',
      path: 'messages/:id',
      answer: ({ id }) => findBotMessage(id as string, standIn, replies),
    },
  ];
}

/** A message of the bot's: an interaction reply, a channel post, or an edit of a deferred reply. */
function findBotMessage(id: string, standIn: DiscordStandIn, replies: InteractionReplies): Answer {
  const own = replies.messages.get(id);
  if (own) return { status: 200, body: own };
  for (const channel of sampleServerInfo().channels) {
    const posted = standIn.postedMessages(channel.id).find((m) => m.id === id);
    if (posted) return { status: 200, body: { ...posted, channelId: posted.channel_id } };
  }
  for (const [token, known] of replies.byToken) {
    const edit = standIn.interactionResponses(token).find((r) => r.messageId === id);
    if (edit) {
      const edited = edit.body as { content?: string; embeds?: unknown[]; components?: unknown[] };
      return {
        status: 200,
        body: {
          id,
          channelId: known.channelId,
          token,
          content: edited.content ?? '',
          embeds: edited.embeds ?? [],
          components: edited.components ?? [],
        },
      };
    }
  }
  return { status: 404, body: { error: `no message ${id} from the bot in the sandbox` } };
}

/** The bot's DMs to a member of the sample server (by username, display name or id), as `discord messages @you` shows them. */
function directMessagesOf(standIn: DiscordStandIn, who: string) {
  const wanted = who.toLowerCase();
  const user = sampleServerInfo().members.find(
    (m) => m.id === who || m.username.toLowerCase() === wanted || m.global_name?.toLowerCase() === wanted,
  );
  if (!user) return { status: 404, body: { error: `no member @${who} in the sandbox` } };
  const messages = standIn.directMessages(user.id);
  return {
    status: 200,
    body: {
      channel: { id: '', name: `@${user.username}` },
      label: `the direct messages to @${user.username}`,
      messages,
      all: messages,
      threads: [],
    },
  };
}
