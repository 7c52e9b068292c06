import { randomUUID } from 'node:crypto';
import { InteractionResponseType, InteractionType } from 'discord-api-types/v10';
import type { ExecutorInvoker } from '../execution/executor-input.ts';
import type { Clock } from '../shared/clock.ts';
import { fetchDiscordAttachment } from './attachments.ts';
import type { CommandContext, FetchAttachment, SchedulerPort } from './context.ts';
import type { GuildReads } from './guild-reads.ts';
import { type HandOffPolicy, type InteractionDispatcher, InvokeAfterReply } from './hand-off.ts';
import { CommandData, ComponentData, Interaction } from './interaction.ts';
import { type InteractionLedger, interactionExpiry } from './interaction-once.ts';
import { defersPublicly, type LateReplyPoster, showLateReply } from './late-reply.ts';
import { MAX_INTERACTION_BYTES, MAX_INTERACTION_DEPTH, nestsDeeperThan } from './payload-bounds.ts';
import {
  choices,
  deferred,
  type ErrorLogger,
  ephemeral,
  errorReply,
  REJECTED_HEADER,
  type Reply,
} from './replies.ts';
import { refusalBeforeRun, routeAutocomplete, routeCommand, routeComponent } from './router.ts';
import { verifyDiscordRequest } from './verify.ts';

export interface InteractionHandlerDeps {
  scheduler: SchedulerPort;
  executor: ExecutorInvoker;
  /** The application's Ed25519 public key, hex. */
  publicKey: string;
  clock: Clock;
  /** Applied interaction ids: a command or click is applied at most once however often it is sent. */
  interactions: InteractionLedger;
  /**
   * What signature timestamps are checked against (at most 5 minutes old, 1 minute ahead): the real time,
   * which is also what the sandbox's CLI signs with while the sandbox's `clock` may have been moved.
   * Default: the system clock; tests inject one to be exact.
   */
  signatureClock?: Clock;
  logger?: ErrorLogger;
  newReferenceId?: () => string;
  /** Used when a payload lacks `application_id` (Discord's printed samples do). */
  applicationId?: string;
  fetchAttachment?: FetchAttachment;
  /**
   * Discord reads with the bot token, a new (empty-cache) object per call: `/schedule import` checks every
   * channel of the file with them. Without it, imports that name channels are refused.
   */
  guildReads?: () => GuildReads;
  /** Local runtime and tests only: accept loopback webhook URLs (the deliverer re-checks). */
  allowLoopbackWebhooks?: boolean;
  /** The deployment's failure limit (MAX_CONSECUTIVE_FAILURES), shown where a task has none of its own. */
  failureLimit?: number;
  /** Whether an LLM writes summaries (SUMMARIZER is not `extractive`): what `/config summary-style` tells. */
  llmSummaries?: boolean;
  /**
   * Local runtime only: a command or click still working after `ms` is answered "thinking…" at once
   * (public for a public /summarize, whose digest will be public; private otherwise) and its reply shown
   * when the work finishes (lib/discord/late-reply.ts), so Discord's 3-second deadline holds however busy
   * the one machine is. Not for Lambda: a Function URL invocation ends with its response and work left
   * running would be frozen; there, `handOff` sends the slow commands to a worker instead.
   */
  deferAfter?: {
    ms: number;
    poster: LateReplyPoster;
    /**
     * Told of each reply that finished after its deferral, before it is edited in: the deferral's HTTP
     * answer went out without REJECTED_HEADER, so the sandbox records a late refusal here for the CLI.
     * The edit itself carries only what Discord knows.
     */
    onLateReply?: (token: string, late: { rejected: boolean }) => void;
  };
  /**
   * AWS: what the policy names as possibly slow is answered "thinking…" at once and handed, as verified,
   * to an asynchronous worker (lib/discord/hand-off-worker.ts) that runs it and edits the reply.
   */
  handOff?: { policy: HandOffPolicy; dispatcher: InteractionDispatcher };
}

export interface InteractionRequest {
  rawBody: Uint8Array;
  headers: Record<string, string | undefined>;
}

export interface InteractionResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /**
   * Local runtime (deferAfter) only: what this answer started and held back, a run that edits this very
   * reply. The host calls it once the answer is sent, so the run's first effect comes after the answer;
   * it never rejects (a run that cannot be started is shown by editing the reply).
   */
  afterSent?: () => Promise<void>;
}

/** The failure limit a handler built without one shows (lib/config.ts's MAX_CONSECUTIVE_FAILURES default). */
const DEFAULT_FAILURE_LIMIT = 5;

const jsonLogger: ErrorLogger = {
  error: (message, attributes) => console.error(JSON.stringify({ level: 'ERROR', message, ...attributes })),
};

/** Lower-cases header names: Function URLs, Node and test code disagree on case. */
function lowerCaseHeaders(headers: Record<string, string | undefined>): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}

function text(status: number, body: string): InteractionResponse {
  return { status, headers: { 'content-type': 'text/plain; charset=utf-8' }, body };
}

async function toHttp(reply: Reply): Promise<InteractionResponse> {
  const rejected: Record<string, string> = reply.rejected ? { [REJECTED_HEADER]: 'true' } : {};
  if (reply.kind === 'json') {
    return {
      status: 200,
      headers: { 'content-type': 'application/json', ...rejected },
      body: JSON.stringify(reply.body),
    };
  }
  const form = new FormData();
  form.append('payload_json', JSON.stringify(reply.body));
  reply.files.forEach((file, i) => {
    form.append(`files[${i}]`, new Blob([file.content], { type: file.contentType }), file.name);
  });
  // Response serializes FormData with a fresh boundary, and reports it in its content-type.
  const encoded = new Response(form);
  return {
    status: 200,
    headers: { 'content-type': encoded.headers.get('content-type') ?? 'multipart/form-data', ...rejected },
    body: await encoded.text(),
  };
}

/**
 * The Discord interactions endpoint, independent of how HTTP arrives (Function URL, local server).
 * Verifies the signature over the raw bytes before anything parses the body.
 */
export function createInteractionHandler(deps: InteractionHandlerDeps): {
  handle(request: InteractionRequest): Promise<InteractionResponse>;
} {
  const logger = deps.logger ?? jsonLogger;
  const newReferenceId = deps.newReferenceId ?? (() => randomUUID().slice(0, 8));
  const fetchAttachment = deps.fetchAttachment ?? fetchDiscordAttachment;
  const signatureClock = deps.signatureClock ?? { now: () => new Date() };

  /**
   * Answers with the reply if it is ready in time; otherwise defers and edits the reply in later. A run the
   * route asks for that reports to this reply starts only after the reply is sent (the host calls the
   * response's `afterSent`) or edited in, so the run's result edit always comes after "Started a run",
   * however fast the run is. `publicDeferral`: the deferral is public (defersPublicly), as the route's own
   * would be, since Discord keeps a reply's visibility from its deferral on.
   */
  async function withinDeadline(
    route: (ctx: CommandContext) => Promise<Reply>,
    ctx: CommandContext,
    publicDeferral = false,
  ): Promise<InteractionResponse> {
    const guard = deps.deferAfter;
    const { applicationId } = ctx;
    const token = ctx.interaction.token;
    if (!guard || !applicationId || !token) return toHttp(await route(ctx));
    const held = new InvokeAfterReply({ target: ctx.executor, token });
    const work = route({ ...ctx, executor: held });
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), guard.ms);
    });
    const first = await Promise.race([work, late]);
    clearTimeout(timer);
    const logEditFailure = (error: unknown) =>
      logger.error('could not edit a deferred reply', {
        error: error instanceof Error ? error.message : error,
      });
    /** Shows a reply the HTTP answer did not carry (and tells the runtime first). */
    const show = async (reply: Reply): Promise<void> => {
      guard.onLateReply?.(token, { rejected: reply.rejected === true });
      // The work is done whether or not the reply can be shown: the run still starts after a failed edit.
      await showLateReply(guard.poster, applicationId, token, reply, publicDeferral).catch(logEditFailure);
    };
    if (first !== 'late') {
      const response = await toHttp(first);
      if (!held.holding) return response;
      // Answered in time: the run starts once the host has sent this answer, so nothing it does (a quick
      // failure's result edit of this very reply) can reach Discord before the reply exists.
      const afterSent = async (): Promise<void> => {
        try {
          await held.release(ctx.executor);
        } catch (error) {
          await show(errorReply(error, newReferenceId, logger));
        }
      };
      return { ...response, afterSent };
    }
    void work
      .then((reply) =>
        held.releaseAfter(reply, show, ctx.executor, (error) => errorReply(error, newReferenceId, logger)),
      )
      .catch(logEditFailure);
    return toHttp(deferred(!publicDeferral));
  }

  return {
    async handle(request) {
      const headers = lowerCaseHeaders(request.headers);
      const verified = await verifyDiscordRequest(
        request.rawBody,
        headers['x-signature-ed25519'],
        headers['x-signature-timestamp'],
        deps.publicKey,
        signatureClock.now(),
      );
      if (!verified) return text(401, 'invalid request signature');
      try {
        return await answer(request);
      } catch (error) {
        // A signed request never gets a 5xx: whatever slipped past the routes' own error mapping is logged
        // with a reference and answered with the generic ephemeral error.
        return toHttp(errorReply(error, newReferenceId, logger));
      }
    },
  };

  /** Everything after the signature check: bounds, parsing, routing. */
  async function answer(request: InteractionRequest): Promise<InteractionResponse> {
    if (request.rawBody.byteLength > MAX_INTERACTION_BYTES) {
      return text(413, `interaction body too large: at most ${MAX_INTERACTION_BYTES} bytes`);
    }
    let bodyText: string;
    try {
      bodyText = new TextDecoder('utf-8', { fatal: true }).decode(request.rawBody);
    } catch {
      return text(400, 'malformed interaction: expected a UTF-8 JSON body');
    }
    if (nestsDeeperThan(bodyText, MAX_INTERACTION_DEPTH)) {
      return text(400, `malformed interaction: nested deeper than ${MAX_INTERACTION_DEPTH} levels`);
    }
    let json: unknown;
    try {
      json = JSON.parse(bodyText);
    } catch {
      return text(400, 'malformed interaction: expected a JSON body');
    }
    const parsed = Interaction.safeParse(json);
    if (!parsed.success) return text(400, `malformed interaction: ${describeIssue(parsed.error.issues[0])}`);
    const interaction = parsed.data;

    if (interaction.type === InteractionType.Ping) {
      return {
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ type: InteractionResponseType.Pong }),
      };
    }

    const ctx = commandContextFor(interaction, { ...deps, logger, fetchAttachment }, deps.clock.now());
    if (!ctx) return text(400, 'malformed interaction: expected member or user, and token');

    /**
     * Answers "thinking…" (public only when the command's own deferral would be) and lets the worker run
     * the interaction, as received, and edit the reply.
     */
    const handOff = async (
      dispatcher: InteractionDispatcher,
      publicReply = false,
    ): Promise<InteractionResponse> => {
      try {
        await dispatcher.dispatch({
          type: 'interaction',
          body: new TextDecoder().decode(request.rawBody),
          receivedAt: ctx.now.toISOString(),
          ...(publicReply ? { publicReply } : {}),
        });
      } catch (error) {
        return toHttp(errorReply(error, newReferenceId, logger));
      }
      return toHttp(deferred(!publicReply));
    };

    /**
     * Records the interaction's id before anything is applied; a repeated id (the same signed bytes sent
     * again within the 5 minutes their timestamp is accepted) gets a short private answer and nothing else.
     */
    const refuseReplay = async (): Promise<InteractionResponse | undefined> => {
      if (!interaction.id) return text(400, 'malformed interaction: id: expected a Discord id');
      const first = await deps.interactions.recordInteraction(
        interaction.id,
        interactionExpiry(signatureClock.now()),
      );
      if (first) return undefined;
      return toHttp(ephemeral('This request was already received and done; nothing was done again.'));
    };

    switch (interaction.type) {
      case InteractionType.ApplicationCommand: {
        const data = CommandData.safeParse(interaction.data);
        if (!data.success)
          return text(400, `malformed interaction: data.${describeIssue(data.error.issues[0])}`);
        const replay = await refuseReplay();
        if (replay) return replay;
        // Deferred or handed off, "thinking…" has the visibility the command's own answer would have.
        const publicReply = defersPublicly(data.data);
        if (deps.handOff?.policy.command(data.data, { channelId: ctx.channelId })) {
          // What the options alone refuse is said at once, as inline, not as an edit of "thinking…".
          const refusal = refusalBeforeRun(ctx, data.data, newReferenceId);
          if (refusal) return toHttp(refusal);
          return handOff(deps.handOff.dispatcher, publicReply);
        }
        return withinDeadline((routed) => routeCommand(routed, data.data, newReferenceId), ctx, publicReply);
      }
      case InteractionType.ApplicationCommandAutocomplete: {
        const data = CommandData.safeParse(interaction.data);
        if (!data.success)
          return text(400, `malformed interaction: data.${describeIssue(data.error.issues[0])}`);
        try {
          return toHttp(await routeAutocomplete(ctx, data.data));
        } catch (error) {
          // Autocomplete cannot show a message: log it with a reference and offer nothing.
          errorReply(error, newReferenceId, logger);
          return toHttp(choices([]));
        }
      }
      case InteractionType.MessageComponent: {
        const data = ComponentData.safeParse(interaction.data);
        if (!data.success)
          return text(400, `malformed interaction: data.${describeIssue(data.error.issues[0])}`);
        const replay = await refuseReplay();
        if (replay) return replay;
        if (deps.handOff?.policy.component(data.data)) return handOff(deps.handOff.dispatcher);
        return withinDeadline((routed) => routeComponent(routed, data.data, newReferenceId), ctx);
      }
      default:
        return text(400, 'unsupported interaction type');
    }
  }
}

/**
 * The context every route receives, built the same way by the endpoint and the hand-off worker;
 * undefined when the interaction names no user or carries no token.
 */
export function commandContextFor(
  interaction: Interaction,
  deps: Pick<
    InteractionHandlerDeps,
    | 'scheduler'
    | 'executor'
    | 'clock'
    | 'applicationId'
    | 'allowLoopbackWebhooks'
    | 'guildReads'
    | 'failureLimit'
    | 'llmSummaries'
  > & { logger: ErrorLogger; fetchAttachment: FetchAttachment },
  now: Date,
): CommandContext | undefined {
  const userId = interaction.member?.user.id ?? interaction.user?.id;
  if (!userId || !interaction.token) return undefined;
  return {
    interaction,
    guildId: interaction.guild_id,
    userId,
    channelId: interaction.channel_id ?? interaction.channel?.id,
    now,
    scheduler: deps.scheduler,
    executor: deps.executor,
    clock: deps.clock,
    logger: deps.logger,
    fetchAttachment: deps.fetchAttachment,
    guildReads: deps.guildReads,
    applicationId: interaction.application_id ?? deps.applicationId,
    allowLoopbackWebhooks: deps.allowLoopbackWebhooks ?? false,
    failureLimit: deps.failureLimit ?? DEFAULT_FAILURE_LIMIT,
    llmSummaries: deps.llmSummaries ?? false,
  };
}

function describeIssue(issue: { path: PropertyKey[]; message: string } | undefined): string {
  if (!issue) return 'invalid';
  return `${issue.path.map(String).join('.') || '(body)'}: ${issue.message}`;
}
