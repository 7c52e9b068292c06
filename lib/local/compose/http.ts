import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { LocalConfig } from '../../config.ts';
import { fetchAttachmentFrom } from '../../discord/attachments.ts';
import { RestGuildReads } from '../../discord/guild-reads.ts';
import { createInteractionHandler } from '../../discord/interaction-handler.ts';
import { DynamoUseWindowStore } from '../../dynamo/dynamo-use-window-store.ts';
import { limitSummarize, summarizeLimitsOf } from '../../execution/summarize-limit.ts';
import type { Logger } from '../../observability/logger.ts';
import { controlRoutes } from '../control-routes.ts';
import type { DiscordSide } from '../discord-side.ts';
import { ClockAdvancer } from '../sandbox/clock-advance.ts';
import type { InteractionReplies } from '../sandbox/interaction-replies.ts';
import { postPublicReply } from '../sandbox/public-replies.ts';
import { saveSandboxClockOffset } from '../sandbox/sandbox-identity.ts';
import { type LocalServer, startLocalServer } from '../server.ts';
import type { ShutdownSteps } from '../shutdown-steps.ts';
import { DiscordNames } from '../status/discord-names.ts';
import { createStatusRoutes } from '../status/status-routes.ts';
import type { LocalRuns } from './runs.ts';
import type { LocalStore } from './store.ts';

/** A command still working after this is answered "thinking…" and finished by editing the reply. */
const DEFER_AFTER_MS = 1_500;
/** Bounded shutdown: requests and runs in flight get this long to finish. */
export const STOP_TIMEOUT_MS = 10_000;

/** What the HTTP side is built on. */
export interface HttpDeps {
  config: LocalConfig;
  dataDir: string;
  discord: DiscordSide;
  local: LocalStore;
  runs: LocalRuns;
  /** What the sandbox keeps of interaction replies (unused with the real Discord). */
  replies: InteractionReplies;
  logger: Logger;
}

/** The server and the token the CLI must present to reach its control routes. */
export interface LocalHttp {
  server: LocalServer;
  controlToken: string;
}

/**
 * The one HTTP server: Discord's interactions through the interaction handler, the status page, and the
 * CLI's control routes (in the sandbox also its clock, channels and the replies it recorded).
 */
export async function startHttp(deps: HttpDeps, steps: ShutdownSteps): Promise<LocalHttp> {
  const { config, dataDir, discord, logger, runs, replies } = deps;
  const { store, documentClient, tableName } = deps.local;
  const { clock, applicationId, sandbox } = discord;
  const attachmentsOrigin = sandbox?.standIn.attachmentsOrigin;
  const handler = createInteractionHandler({
    scheduler: runs.scheduler,
    executor: limitSummarize(runs.invoker, {
      store: new DynamoUseWindowStore({ client: documentClient, tableName }),
      limits: summarizeLimitsOf(config),
      clock,
    }),
    publicKey: discord.publicKey,
    clock,
    interactions: store,
    applicationId,
    allowLoopbackWebhooks: runs.allowLoopback,
    failureLimit: config.MAX_CONSECUTIVE_FAILURES,
    llmSummaries: config.SUMMARIZER !== 'extractive',
    // The sandbox's attachments live on its stand-in, as a member's files live on Discord's CDN.
    ...(sandbox
      ? {
          fetchAttachment: (url: string, maxBytes: number) =>
            fetchAttachmentFrom(url, maxBytes, (parsed) => parsed.origin === attachmentsOrigin),
        }
      : {}),
    guildReads: () => new RestGuildReads({ token: discord.botToken, api: discord.apiUrl }),
    logger: { error: (message, attributes) => logger.error(message, attributes) },
    // One busy machine must still answer inside Discord's 3 s; the margin covers a tunnel's round trip.
    deferAfter: {
      ms: DEFER_AFTER_MS,
      poster: runs.discordClient,
      ...(sandbox ? { onLateReply: (token, late) => replies.recordLate(token, late) } : {}),
    },
  });
  const controlToken = randomBytes(24).toString('base64url');
  const statusRoutes = createStatusRoutes({
    store,
    scheduler: runs.scheduler,
    clock,
    schedulerStats: () => runs.gateway.stats(),
    metrics: runs.metrics,
    ...(config.STATUS_TOKEN ? { statusToken: config.STATUS_TOKEN } : {}),
    filesRoot: join(dataDir, 'files'),
    outboxRoot: join(dataDir, 'outbox'),
    sandbox: sandbox !== undefined,
    names: new DiscordNames({ rest: runs.rest }),
    logger,
  });
  const control = controlRoutes({
    applicationId,
    clock,
    gateway: runs.gateway,
    ...(sandbox
      ? {
          sandbox: {
            standIn: sandbox.standIn,
            replies,
            advancer: new ClockAdvancer({
              clock: sandbox.clock,
              firedSoFar: () => runs.gateway.stats().fired,
              persistOffset: (offsetMs) => saveSandboxClockOffset(sandbox.identity, offsetMs),
              // Runs started by the jump finished inside it; /summarize work started meanwhile may still run. A
              // retry waiting for a later sandbox time is left waiting (it would hold the advance 30 s).
              drain: () => runs.invoker.drain(30_000, { leaveWaiting: true }),
            }),
          },
        }
      : {}),
  });
  const server = await startLocalServer({
    port: config.PORT,
    // The sandbox is for this machine only; the real bot must be reachable by Discord (through a proxy),
    // unless HOST says the proxy or tunnel runs on this machine too.
    host: config.HOST ?? (sandbox ? '127.0.0.1' : '0.0.0.0'),
    handleInteraction: (request) => handler.handle(request),
    ...(sandbox
      ? {
          onInteraction: (request, response) => {
            replies.record(request, response);
            postPublicReply(sandbox.standIn, request, response);
          },
        }
      : {}),
    status: statusRoutes,
    // A CLI call is a use of the sandbox too: `discord messages` first shows the sample conversation.
    control: sandbox
      ? (request) => {
          sandbox.placeSample();
          return control(request);
        }
      : control,
    controlToken,
    logger,
  });
  // The sandbox's portal points at this process, as a real one points at the bot's public URL.
  sandbox?.standIn.setInteractionsEndpointUrl(`${server.url}/interactions`);
  steps.push(async () => {
    // Stop taking requests first; then runs in flight finish (gateway, invoker) before the store closes.
    const closing = server.close();
    server.server.closeIdleConnections();
    await Promise.race([closing, new Promise((r) => setTimeout(r, 2_000).unref())]);
    await server.drain(STOP_TIMEOUT_MS);
    server.server.closeAllConnections();
    // Steps run last-in first-out, so the gateway stopped before this; a request handled meanwhile
    // (run now, /summarize) may have started work after the invoker drained: wait for it too.
    await runs.invoker.drain(STOP_TIMEOUT_MS, { leaveWaiting: true });
  });
  return { server, controlToken };
}
