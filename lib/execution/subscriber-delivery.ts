import { RESTJSONErrorCodes } from 'discord-api-types/v10';
import { type Deliverers, deliverTo } from '../delivery/deliverer.ts';
import type { DiscordPoster } from '../delivery/discord-poster.ts';
import { DeliveryError, RunTakenOverError, safeMessage } from '../errors.ts';
import type { TaskStore } from '../scheduling/ports.ts';
import { dropSubscribers } from '../scheduling/subscriptions.ts';
import { plural } from '../shared/words.ts';
import type { NormalizedMessage, Summary } from '../summarization/summarizer.ts';
import type { RunUsage } from '../tasks/run-record.ts';
import type { SubscriberOutcome } from '../tasks/subscribers.ts';
import type { SummaryTask } from '../tasks/task.ts';
import { withChannelSections } from './channel-sections.ts';
import type { RunSources, SubscriberAccess } from './ports.ts';
import { withRetry } from './retry.ts';
import type { TaskRun } from './task-run.ts';

/** What the subscribers' DMs need besides the run. */
export interface SubscriberDeps {
  poster: Pick<DiscordPoster, 'openDirectMessage'>;
  deliverers: Deliverers;
  sources: RunSources;
  store: TaskStore;
  maxRetryTimeMs: number;
}

/** What the run read and summarized, for cutting each subscriber's digest to what they can read. */
export interface SubscriberDigestInput {
  /** The channels the run read, in the task's order. */
  readChannelIds: string[];
  messages: NormalizedMessage[];
  /** Each message's source channel (a thread's messages come under the channel the task reads). */
  sourceOf: Map<string, string> | undefined;
  /** The digest of every channel read, before the notes meant for the task's own channels. */
  digest: Summary;
  /** Summarizes a subset of the messages as the task does. */
  summarize: (messages: NormalizedMessage[]) => Promise<Summary>;
  /** A category or whole-server task's sections (channel id → name): each DM gets those of its channels. */
  sections?: Record<string, string> | undefined;
}

/** Discord's "Cannot send messages to this user" (the member's DMs are closed) and its no-mutual-server twin. */
const DMS_CLOSED: ReadonlySet<number> = new Set([
  RESTJSONErrorCodes.CannotSendMessagesToThisUser,
  RESTJSONErrorCodes.CannotSendMessagesToThisUserDueToHavingNoMutualGuilds,
]);

/** DMs sent side by side: each is a Create DM and the digest's parts, in per-channel rate-limit buckets. */
const DMS_AT_ONCE = 5;

/**
 * Sends each subscriber the run's digest by DM (Create DM, `POST /users/@me/channels`, then the digest as
 * to a Discord channel), with only the channels that member can read now (the audience rule per member, from
 * fresh reads of their roles and the channels' overwrites): the whole digest when they can read every channel
 * read, else a digest of just their channels' messages, or none. Never the run's failure: each outcome is
 * recorded on the run (`subscribers`); closed DMs (50007) are counted, not retried; members who left the
 * server are dropped from the task. Subscribers an earlier attempt of the run reached are not sent again.
 */
export async function deliverToSubscribers(
  run: TaskRun,
  task: SummaryTask,
  input: SubscriberDigestInput,
  deps: SubscriberDeps,
): Promise<void> {
  const subscribers = task.subscribers ?? [];
  if (subscribers.length === 0) return;
  const outcomes = new Map<string, SubscriberOutcome>(
    (run.record.subscribers ?? []).filter((o) => o.status === 'delivered').map((o) => [o.userId, o]),
  );
  const pending = subscribers.map((s) => s.userId).filter((id) => !outcomes.has(id));
  const record = () =>
    run.note({
      subscribers: subscribers.flatMap((s) => {
        const outcome = outcomes.get(s.userId);
        return outcome ? [outcome] : [];
      }),
    });
  let access: Map<string, SubscriberAccess>;
  try {
    access = await withRetry(() => deps.sources.forSubscribers(task.guildId, input.readChannelIds, pending), {
      maxRetryTimeMs: deps.maxRetryTimeMs,
    });
  } catch (error) {
    run.logger.warn('could not check what the subscribers can read; no DMs this run', { error });
    const reason = `could not check which channels the member can read: ${safeMessage(error)}`.slice(0, 300);
    for (const userId of pending) outcomes.set(userId, { userId, status: 'failed', error: reason });
    record();
    return;
  }
  const left: string[] = [];
  const groups = new Map<string, { channelIds: string[]; hidden: string[]; userIds: string[] }>();
  for (const userId of pending) {
    const member = access.get(userId);
    if (!member?.member) {
      left.push(userId);
      outcomes.set(userId, { userId, status: 'left_server' });
      continue;
    }
    const hidden = member.hidden.slice(0, 10);
    if (member.readable.length === 0) {
      outcomes.set(userId, {
        userId,
        status: 'no_access',
        ...(hidden.length > 0 ? { leftOut: hidden } : {}),
      });
      continue;
    }
    const key = member.readable.join(',');
    const group = groups.get(key) ?? { channelIds: member.readable, hidden, userIds: [] };
    group.userIds.push(userId);
    groups.set(key, group);
  }
  for (const group of groups.values()) {
    const leftOut = group.hidden.length > 0 ? { leftOut: group.hidden } : {};
    const digest = await digestFor(group.channelIds, task, input).catch((error: unknown) => {
      run.logger.warn("could not summarize a subscriber's channels", { error });
      return error instanceof Error ? error : new Error(String(error));
    });
    // A digest made for this group spent tokens too: the run's usage counts them with the task's own.
    if (digest && !(digest instanceof Error) && digest !== input.digest && digest.usage)
      run.note({ usage: addUsage(run.record.usage, digest.usage) });
    if (digest === undefined || digest instanceof Error) {
      for (const userId of group.userIds)
        outcomes.set(
          userId,
          digest === undefined
            ? { userId, status: 'quiet', ...leftOut }
            : { userId, status: 'failed', error: safeMessage(digest).slice(0, 300), ...leftOut },
        );
      continue;
    }
    const summary = withSubscriberFooter(
      withSections(digest, group.channelIds, input),
      task,
      group.hidden.length,
    );
    for (let i = 0; i < group.userIds.length; i += DMS_AT_ONCE) {
      await Promise.all(
        group.userIds.slice(i, i + DMS_AT_ONCE).map(async (userId) => {
          const outcome = await sendDm(run, task, userId, { summary, channelIds: group.channelIds }, deps);
          outcomes.set(userId, { ...outcome, ...leftOut });
        }),
      );
    }
  }
  record();
  const counted = [...outcomes.values()];
  const closed = counted.filter((o) => o.status === 'dm_closed').length;
  if (closed > 0) run.logger.info('subscribers with closed DMs', { count: closed });
  if (left.length > 0) {
    try {
      await dropSubscribers(deps.store, task.guildId, task.id, left);
    } catch (error) {
      // Kept for now: the next run finds them gone again and tries once more.
      run.logger.warn('could not drop subscribers who left the server', { error });
    }
  }
}

/** A category or whole-server digest's sections, for just the channels this DM carries. */
function withSections(digest: Summary, channelIds: readonly string[], input: SubscriberDigestInput): Summary {
  if (!input.sections) return digest;
  const wanted = new Set(channelIds);
  const names = Object.fromEntries(Object.entries(input.sections).filter(([id]) => wanted.has(id)));
  const messages = input.messages.filter((m) => wanted.has(input.sourceOf?.get(m.id) ?? m.channelId));
  return withChannelSections(digest, messages, names);
}

/** The digest of the channels one group of subscribers can read; undefined when too little is new there. */
async function digestFor(
  channelIds: string[],
  task: SummaryTask,
  input: SubscriberDigestInput,
): Promise<Summary | undefined> {
  if (channelIds.length === input.readChannelIds.length) return input.digest;
  const wanted = new Set(channelIds);
  const theirs = input.messages.filter((m) => wanted.has(input.sourceOf?.get(m.id) ?? m.channelId));
  if (theirs.length === 0 || theirs.length < task.options.minMessages) return undefined;
  return input.summarize(theirs);
}

/** The footer of a DM: why it came, how to stop it, and how much was left out (no names: they are hidden). */
function withSubscriberFooter(summary: Summary, task: SummaryTask, hidden: number): Summary {
  const why = `You get this by DM because you subscribed to ${task.name}; /unsubscribe stops it.`;
  const cut =
    hidden > 0
      ? ` ${plural(hidden, 'channel')} of this digest ${hidden === 1 ? 'is' : 'are'} left out: you cannot read ${hidden === 1 ? 'it' : 'them'}.`
      : '';
  const note = `${why}${cut}`;
  const before = summary.footer ? `${summary.footer}${/[.!?]$/.test(summary.footer) ? '' : '.'} ` : '';
  return { ...summary, footer: `${before}${note}` };
}

/** Opens the member's DM channel and posts the digest there as to a Discord channel; the outcome, never thrown. */
async function sendDm(
  run: TaskRun,
  task: SummaryTask,
  userId: string,
  digest: { summary: Summary; channelIds: string[] },
  deps: SubscriberDeps,
): Promise<SubscriberOutcome> {
  const record = run.record;
  try {
    const receipt = await withRetry(
      async () => {
        await run.confirm();
        const { channelId } = await deps.poster.openDirectMessage(userId);
        return deliverTo(
          deps.deliverers,
          { type: 'discord_channel', channelId, format: 'embed' },
          {
            taskId: task.id,
            taskName: task.name,
            guildId: task.guildId,
            channelIds: digest.channelIds,
            scheduledTime: record.scheduledTime,
            window: record.window ?? { from: record.scheduledTime, to: record.scheduledTime },
            timeZone: task.timeZone,
            summary: digest.summary,
          },
        );
      },
      { maxRetryTimeMs: deps.maxRetryTimeMs },
    );
    // A DM's messages live under @me, not under the server.
    const location = receipt.location?.replace(`/channels/${task.guildId}/`, '/channels/@me/');
    return { userId, status: 'delivered', ...(location ? { location: location.slice(0, 300) } : {}) };
  } catch (error) {
    if (error instanceof RunTakenOverError) throw error;
    if (
      error instanceof DeliveryError &&
      error.discordCode !== undefined &&
      DMS_CLOSED.has(error.discordCode)
    )
      return { userId, status: 'dm_closed' };
    run.logger.warn('DM to a subscriber failed', { error });
    return { userId, status: 'failed', error: safeMessage(error).slice(0, 300) };
  }
}

/** Two LLM usages as one: tokens and cost summed, models named once each. */
function addUsage(a: RunUsage | undefined, b: RunUsage): RunUsage {
  if (!a) return b;
  const models = [...new Set([...a.model.split(','), ...b.model.split(',')].map((m) => m.trim()))];
  const cost =
    a.estimatedCostUsd !== undefined && b.estimatedCostUsd !== undefined
      ? { estimatedCostUsd: a.estimatedCostUsd + b.estimatedCostUsd }
      : {};
  return {
    model: models.join(', ').slice(0, 500),
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    ...cost,
  };
}
