import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { type LocalConfig, LocalEnv, parseEnv } from '../config.ts';
import type { DynamoTaskStore } from '../dynamo/dynamo-task-store.ts';
import { ConfigError } from '../errors.ts';
import { createLogger, type Logger } from '../observability/logger.ts';
import type { CountingRunMetrics } from '../observability/metrics.ts';
import type { TaskScheduler } from '../scheduling/task-scheduler.ts';
import { resolveSummarizerSettings } from '../summarization/llm/index.ts';
import type { TimerClock } from './clock.ts';
import { startBackground } from './compose/background.ts';
import { startHttp } from './compose/http.ts';
import { composeRuns } from './compose/runs.ts';
import { openLocalStore } from './compose/store.ts';
import { credentialsOf, realDiscord } from './discord-side.ts';
import type { SigningKeys } from './discord-signer.ts';
import type { EmbeddedScheduleGateway } from './embedded-scheduler.ts';
import type { LocalInvoker } from './local-invoker.ts';
import { preparePrivateDir } from './private-data.ts';
import type { RuntimeFile } from './runtime-file.ts';
import { InteractionReplies } from './sandbox/interaction-replies.ts';

/** Where the CLI reads how to reach this process; kept here too for callers that import it from the runtime. */
export { RuntimeFile } from './runtime-file.ts';

import type { DiscordStandIn } from './sandbox/discord-stand-in.ts';
import type { SandboxClock } from './sandbox/sandbox-clock.ts';
import { startSandboxDiscord } from './sandbox/sandbox-discord.ts';
import { SANDBOX_BOT_TOKEN } from './sandbox/sandbox-identity.ts';
import { ShutdownSteps } from './shutdown-steps.ts';
import { writeStateFile } from './state-files.ts';

export interface LocalRuntimeOptions {
  /** The environment (`.env` already merged); parsed with LocalEnv. Default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Sandbox only: start this far ahead (`2d`), as if the machine had been off; runs due meanwhile catch up. */
  advanceOnStart?: string;
  /** Sandbox only: how often real time reaches the timers (ms). */
  tickMs?: number;
  /**
   * Sandbox only: called with the Discord stand-in before anything reaches it, so a fault a test sets (a
   * failing channel) is met by the runs this start resumes too, not only by those after start returns.
   */
  prepareStandIn?: (standIn: DiscordStandIn) => void;
  /** One human-readable line per notable event (a run finished, a run missed); main prints them. */
  report?: (line: string) => void;
  logger?: Logger;
}

/** The `npm start` process, composed: usable in-process by tests and benchmarks. */
export interface LocalRuntime {
  sandbox: boolean;
  /** `http://127.0.0.1:<port>`: Discord's interactions go to `${url}/interactions`. */
  url: string;
  port: number;
  dataDir: string;
  config: LocalConfig;
  clock: TimerClock;
  store: DynamoTaskStore;
  scheduler: TaskScheduler;
  gateway: EmbeddedScheduleGateway;
  invoker: LocalInvoker;
  metrics: CountingRunMetrics;
  applicationId: string;
  publicKey: string;
  /** Sandbox only: the Discord stand-in, the keys Discord would sign with, the movable clock. */
  standIn?: DiscordStandIn;
  keys?: SigningKeys;
  sandboxClock?: SandboxClock;
  /** What the gateway's start caught up on: runs fired late and runs recorded as missed. */
  catchUp: { fired: number; missed: number };
  /** What this start found from before: tasks in the store, and (sandbox) messages of channel history. */
  restored: { tasks: number; active: number; messages: number };
  /** What the operator must hear at start (a store that opened with fewer tasks than it held). */
  warnings: string[];
  /** Stops taking requests, lets runs in flight finish (bounded), closes the store. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Starts the local runtime: the embedded store under `<DATA_DIR>/db`, the embedded scheduler (catching up
 * on runs due while it was down), the executor behind the in-process invoker, and the HTTP server. With
 * Discord credentials it talks to Discord; without them it is the sandbox (stand-in, sample server,
 * movable clock). Each part registers how it stops; `stop()` undoes them in reverse.
 */
export async function startLocalRuntime(options: LocalRuntimeOptions = {}): Promise<LocalRuntime> {
  const env = options.env ?? process.env;
  const config = parseEnv(LocalEnv, env);
  // Checked before anything starts: a missing key or base URL is named now, not on the first run.
  const summarizerSettings = resolveSummarizerSettings(config);
  const credentials = credentialsOf(config);
  const sandbox = credentials === undefined;
  if (!sandbox && options.advanceOnStart)
    throw new ConfigError('--advance: the clock moves only in the sandbox');
  const dataDir = resolve(config.DATA_DIR);
  await preparePrivateDir(dataDir);
  const report = options.report ?? (() => undefined);
  const logger =
    options.logger ??
    createLogger('summary-bot-local', env.LOG_LEVEL ? config.LOG_LEVEL : sandbox ? 'WARN' : 'INFO');
  const steps = new ShutdownSteps(logger);

  try {
    const discord = credentials
      ? realDiscord(credentials, config, logger)
      : await startSandboxDiscord(
          {
            dataDir,
            logger,
            ...(options.advanceOnStart ? { advanceOnStart: options.advanceOnStart } : {}),
            ...(options.tickMs ? { tickMs: options.tickMs } : {}),
          },
          steps,
        );
    if (discord.sandbox) options.prepareStandIn?.(discord.sandbox.standIn);
    const local = await openLocalStore(dataDir, logger, report, steps);
    // What the sandbox's Discord keeps of interactions, and how their runs came out, for the CLI.
    const replies = new InteractionReplies(discord.clock);
    const runs = await composeRuns({
      config,
      dataDir,
      summarizerSettings,
      discord,
      local,
      logger,
      report,
      ...(discord.sandbox ? { onManualRun: (token, result) => replies.recordRun(token, result) } : {}),
    });
    const { server, controlToken } = await startHttp(
      { config, dataDir, discord, local, runs, replies, logger },
      steps,
    );
    const catchUp = await startBackground({ discord, local, runs, logger, report }, steps);

    const standIn = discord.sandbox?.standIn;
    const runtimePath = join(dataDir, 'runtime.json');
    const runtimeFile: RuntimeFile = {
      dynamoEndpoint: local.dynamo.endpoint,
      dynamoAccessKeyId: local.dynamo.accessKeyId,
      pid: process.pid,
      port: server.port,
      url: server.url,
      sandbox,
      controlToken,
      startedAt: new Date().toISOString(),
      ...(standIn ? { discord: { api: standIn.apiUrl, token: SANDBOX_BOT_TOKEN } } : {}),
    };
    await writeStateFile(runtimePath, runtimeFile);
    steps.push(() => rm(runtimePath, { force: true }));

    let stopped: Promise<void> | undefined;
    return {
      sandbox,
      url: server.url,
      port: server.port,
      dataDir,
      config,
      clock: discord.clock,
      store: local.store,
      scheduler: runs.scheduler,
      gateway: runs.gateway,
      invoker: runs.invoker,
      metrics: runs.metrics,
      applicationId: discord.applicationId,
      publicKey: discord.publicKey,
      ...(discord.sandbox
        ? {
            standIn: discord.sandbox.standIn,
            keys: discord.sandbox.keys,
            sandboxClock: discord.sandbox.clock,
          }
        : {}),
      catchUp,
      restored: { ...local.found, messages: discord.sandbox?.restoredMessages ?? 0 },
      warnings: local.warnings,
      stop() {
        stopped ??= steps.run();
        return stopped;
      },
    };
  } catch (error) {
    await steps.run();
    throw error;
  }
}
