import { join } from 'node:path';
import type { APIAttachment } from 'discord-api-types/v10';
import { REJECTED_HEADER } from '../discord/replies.ts';
import { ConfigError } from '../errors.ts';
import type { ManualRunResult } from '../execution/describe-outcome.ts';
import { importSigningKeys, type SigningKeys, signedRequest } from './discord-signer.ts';
import { isProcessAlive } from './process-alive.ts';
import type { RuntimeFile } from './runtime-file.ts';
import type { AdvanceProgress } from './sandbox/clock-advance.ts';
import type { SampleServerInfo } from './sandbox/sample-server.ts';
import { CONTROL_TOKEN_HEADER } from './server.ts';
import { readStateFile } from './state-files.ts';

/**
 * How the CLI talks to a running `npm start`: `<DATA_DIR>/runtime.json` says where it listens and holds
 * the control token; in the sandbox, `<DATA_DIR>/sandbox.json` holds the key Discord would sign with.
 */
export interface RunningBot {
  runtime: RuntimeFile;
  dataDir: string;
}

/** What `GET /_local/info` answers. */
export interface BotInfo {
  sandbox: boolean;
  applicationId: string;
  now: string;
  server?: SampleServerInfo;
  scheduler: { armed: number; fired: number; inFlight: number };
}

/** The running bot of `dataDir`; a ConfigError that says how to start one when none runs. */
export async function findRunningBot(dataDir: string): Promise<RunningBot> {
  const path = join(dataDir, 'runtime.json');
  const notRunning = new ConfigError(
    `no bot is running with its data in ${dataDir}: start it with \`npm start\` (in another terminal) first`,
  );
  // Loaded here, not at the top: `summary-bot clock --help` must not load the whole runtime to print usage.
  const { RuntimeFile } = await import('./runtime-file.ts');
  const runtime = await readStateFile(
    path,
    RuntimeFile,
    'restart the bot (a bot of another version may have written it), or delete it if none runs',
  );
  if (!runtime || !isProcessAlive(runtime.pid)) throw notRunning;
  return { runtime, dataDir };
}

/** Calls a control route; throws with the route's error message on a non-2xx answer. */
export async function callControl<T>(
  bot: RunningBot,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
  timeoutMs = 30_000,
): Promise<T> {
  const response = await fetch(`${bot.runtime.url}/_local/${path}`, {
    method,
    headers: {
      [CONTROL_TOKEN_HEADER]: bot.runtime.controlToken,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = { error: text.trim() };
  }
  if (!response.ok) {
    const message = (json as { error?: string }).error ?? `HTTP ${response.status}`;
    throw new ControlError(response.status, message);
  }
  return json as T;
}

/**
 * Moves the running sandbox's clock by `by` (`1d`, `2w`) and resolves when every run due on the way is
 * done. The advance runs as a job in the bot; this polls it (each poll a short request, so a long advance
 * is never cut off by a timeout) and hands each poll to `onProgress`. A poll the bot is too busy to answer
 * within `pollTimeoutMs` is asked again while the bot's process lives. Throws when the advance failed or
 * the bot stopped meanwhile.
 */
export async function advanceClock(
  bot: RunningBot,
  by: string,
  onProgress: (progress: AdvanceProgress) => void = () => undefined,
  pollMs = 200,
  pollTimeoutMs = 10_000,
): Promise<AdvanceProgress> {
  const started = await callControl<AdvanceProgress>(bot, 'POST', 'clock/advance', { by });
  let last = started;
  for (;;) {
    let progress: AdvanceProgress;
    try {
      progress = await callControl<AdvanceProgress>(
        bot,
        'GET',
        `clock/advance/${started.id}`,
        undefined,
        pollTimeoutMs,
      );
    } catch (error) {
      if (error instanceof ControlError) throw error;
      if (!isProcessAlive(bot.runtime.pid)) {
        throw new ControlError(
          503,
          `the bot (pid ${bot.runtime.pid}) stopped while its clock was advancing; it had reached ${last.now}`,
          { cause: error },
        );
      }
      // Alive but slow to answer (a run holding its event loop, a loaded machine): the advance goes on.
      if (isTimeout(error)) continue;
      throw error;
    }
    last = progress;
    if (progress.error)
      throw new ControlError(500, `the clock stopped at ${progress.now}: ${progress.error}`);
    if (progress.done) return progress;
    onProgress(progress);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/** A control route answered with an error status. */
export class ControlError extends Error {
  override name = 'ControlError';
  constructor(
    readonly status: number,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** One edit of an interaction's original reply, as the sandbox's Discord stand-in received it. */
export interface ReplyEdit {
  body: unknown;
  messageId: string;
  /** Set on the edit waitForReplyEdit returns when the bot refused the command after deferring it. */
  rejected?: true;
}

/** The edits an interaction's reply got by the deadline, when fewer than the awaited one. */
export class ReplyEditTimeoutError extends ControlError {
  override name = 'ReplyEditTimeoutError';
  constructor(
    readonly token: string,
    readonly nth: number,
    readonly seen: ReplyEdit[],
    readonly deadlineMs: number,
  ) {
    super(
      504,
      `interaction ${token}: ${seen.length} edit${seen.length === 1 ? '' : 's'} of its reply within ${deadlineMs} ms, expected ${nth}`,
    );
  }
}

/**
 * Waits for the `nth` edit (1-based) of the reply to interaction `token` and returns it. A deferred reply's
 * first edit is the command's answer; a `/schedule run` is edited once more with the run's result, so a
 * deferred one has two edits (its "Started a run" answer, then the result) and a caller that wants the
 * result asks for the second. The deadline bounds a wait for an edit that never comes (a bot stuck or
 * stopped); it says nothing about how fast an edit should be. Throws ReplyEditTimeoutError, holding the
 * edits that did come, when the `nth` is not there by `deadlineMs`. `rejected` says the bot refused the
 * command after deferring it (the deferral's HTTP answer could not say so): no run result will follow.
 */
export async function waitForReplyEdit(
  bot: RunningBot,
  token: string,
  { nth = 1, deadlineMs = 60_000, pollMs = 100 }: { nth?: number; deadlineMs?: number; pollMs?: number } = {},
): Promise<ReplyEdit> {
  if (!Number.isInteger(nth) || nth < 1)
    throw new RangeError(`nth: expected a whole number >= 1, got ${nth}`);
  const { found, last } = await pollInteraction(bot, token, { deadlineMs, pollMs }, (known) => {
    const edit = originalEdits(known)[nth - 1];
    // The bot records a late refusal before it edits the reply, so the edit that shows it comes with it.
    if (!edit) return undefined;
    return known.rejected === true ? { ...edit, rejected: true as const } : edit;
  });
  if (found) return found;
  throw new ReplyEditTimeoutError(token, nth, originalEdits(last), deadlineMs);
}

/**
 * Waits for the sandbox to know how the run interaction `token` started came out, and returns that with the
 * reply's `nth` edit, the run's result in words (absent when the attempt failed before it could edit the
 * reply). The sandbox records the result after that edit, so a result seen without it means none comes.
 * Undefined when the result is not known by `deadlineMs`: a bound on a bot stuck or stopped, not a speed
 * expected of it.
 */
export async function waitForRunResult(
  bot: RunningBot,
  token: string,
  { nth = 1, deadlineMs = 60_000, pollMs = 100 }: { nth?: number; deadlineMs?: number; pollMs?: number } = {},
): Promise<{ run: ManualRunResult; edit?: ReplyEdit } | undefined> {
  const { found } = await pollInteraction(bot, token, { deadlineMs, pollMs }, (known) => {
    if (!known.run) return undefined;
    const edit = originalEdits(known)[nth - 1];
    return { run: known.run, ...(edit ? { edit } : {}) };
  });
  return found;
}

/**
 * The edits of the original reply. Follow-ups are other messages, except the one sent right after the
 * original was deleted: a public "thinking…" whose answer was private (a late refusal of a public
 * /summarize) is deleted and the answer sent as a private follow-up, which is then the reply.
 */
function originalEdits(known: KnownInteraction): ReplyEdit[] {
  return known.edits
    .filter(
      (e, i) =>
        e.kind === 'edit_original' ||
        (e.kind === 'follow_up' && known.edits[i - 1]?.kind === 'delete_original'),
    )
    .map(({ body, messageId }) => ({ body, messageId }));
}

/** What `GET /_local/interactions/<token>` answers, as far as the waits read it. */
interface KnownInteraction {
  rejected?: boolean;
  run?: ManualRunResult;
  edits: ({ kind: string } & ReplyEdit)[];
}

/**
 * Asks the sandbox about interaction `token` every `pollMs` until `find` finds what is awaited in its answer,
 * or `deadlineMs` passed; returns that (undefined by the deadline) and the last answer.
 */
async function pollInteraction<T>(
  bot: RunningBot,
  token: string,
  { deadlineMs, pollMs }: { deadlineMs: number; pollMs: number },
  find: (known: KnownInteraction) => T | undefined,
): Promise<{ found: T | undefined; last: KnownInteraction }> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const known = await callControl<KnownInteraction>(bot, 'GET', `interactions/${token}`);
    const found = find(known);
    if (found !== undefined || Date.now() >= deadline) return { found, last: known };
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/** fetch's answer to `AbortSignal.timeout`: a DOMException named TimeoutError. */
function isTimeout(error: unknown): boolean {
  return error instanceof Error && error.name === 'TimeoutError';
}

/** The sandbox's signing keys: the CLI signs interactions exactly as Discord would. */
export async function sandboxKeys(bot: RunningBot): Promise<SigningKeys> {
  const { readSandboxFile } = await import('./sandbox/sandbox-identity.ts');
  const saved = await readSandboxFile(bot.dataDir);
  if (!saved) throw new ConfigError(`${join(bot.dataDir, 'sandbox.json')} is missing; restart the sandbox`);
  return importSigningKeys(saved.privateKey);
}

/** The bot's answer to one interaction, as Discord would receive it. */
export interface InteractionAnswer {
  status: number;
  contentType: string;
  body: string;
  /** The bot refused the command (its reply says why); see REJECTED_HEADER. */
  rejected: boolean;
  /** Files attached to the reply (multipart), as Discord would show them under the message. */
  files: { name: string; content: Uint8Array }[];
  // biome-ignore lint/suspicious/noExplicitAny: interaction responses are read field by field
  json: any;
}

/** Hands a file to the sandbox's Discord stand-in, as a member's client uploads one with a command. */
export async function uploadAttachment(
  bot: RunningBot,
  file: { filename: string; content: Uint8Array; contentType?: string },
): Promise<APIAttachment> {
  return callControl<APIAttachment>(bot, 'POST', 'attachments', {
    filename: file.filename,
    contentBase64: Buffer.from(file.content).toString('base64'),
    ...(file.contentType ? { contentType: file.contentType } : {}),
  });
}

/** Signs `payload` with the sandbox's key and POSTs it to the running bot's interactions endpoint. */
export async function sendInteraction(
  bot: RunningBot,
  keys: SigningKeys,
  payload: unknown,
): Promise<InteractionAnswer> {
  const request = signedRequest(payload, keys);
  const response = await fetch(`${bot.runtime.url}/interactions`, {
    method: 'POST',
    headers: request.headers,
    body: new Uint8Array(request.rawBody),
    signal: AbortSignal.timeout(30_000),
  });
  const body = await response.text();
  const contentType = response.headers.get('content-type') ?? '';
  let json: unknown;
  const files: InteractionAnswer['files'] = [];
  if (contentType.startsWith('application/json')) json = JSON.parse(body);
  else if (contentType.startsWith('multipart/form-data')) {
    const form = await new Response(body, { headers: { 'content-type': contentType } }).formData();
    const payloadJson = form.get('payload_json');
    json = typeof payloadJson === 'string' ? JSON.parse(payloadJson) : undefined;
    const attached: File[] = [];
    form.forEach((value, field) => {
      if (field.startsWith('files[') && typeof value !== 'string') attached.push(value);
    });
    for (const file of attached) {
      files.push({ name: file.name, content: new Uint8Array(await file.arrayBuffer()) });
    }
  }
  const rejected = response.headers.get(REJECTED_HEADER) === 'true';
  return { status: response.status, contentType, body, json, rejected, files };
}
