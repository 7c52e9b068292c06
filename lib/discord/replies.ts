import {
  type APIActionRowComponent,
  type APIApplicationCommandOptionChoice,
  type APIButtonComponentWithCustomId,
  type APIInteractionResponse,
  ButtonStyle,
  ComponentType,
  InteractionResponseType,
  MessageFlags,
} from 'discord-api-types/v10';
import {
  ConflictError,
  LimitError,
  NotFoundError,
  PermissionError,
  ScheduleGatewayError,
  ValidationError,
} from '../errors.ts';
import { escapeMarkdown } from '../shared/markdown.ts';
import { describeSources } from '../tasks/describe.ts';
import type { Destination } from '../tasks/destination.ts';
import { subscriberCountWords } from '../tasks/subscribers.ts';
import type { Task } from '../tasks/task.ts';
import { customIdFor } from './custom-ids.ts';

/** What a route produces: a JSON interaction response, or one with file attachments (multipart). */
export type Reply = (
  | { kind: 'json'; body: APIInteractionResponse }
  | {
      kind: 'files';
      body: APIInteractionResponse;
      files: { name: string; contentType: string; content: string }[];
    }
) & {
  /**
   * The command was refused (bad input, no permission, not found, a failure): Discord shows the message
   * all the same; the HTTP answer says so in a header, so the sandbox's CLI can exit non-zero.
   */
  rejected?: true;
};

/** The response header that marks a refused command (Discord ignores headers it does not know). */
export const REJECTED_HEADER = 'x-summary-bot-rejected';

/** Summaries and replies never ping anyone: no @everyone, no roles, no users. */
export const NO_MENTIONS = { parse: [] as [] };

export type ActionRow = APIActionRowComponent<APIButtonComponentWithCustomId>;

/** An ephemeral message (only the invoking user sees it): every management reply. */
export function ephemeral(content: string, components: ActionRow[] = []): Reply {
  return {
    kind: 'json',
    body: {
      type: InteractionResponseType.ChannelMessageWithSource,
      data: {
        content: truncate(content, 2000),
        flags: MessageFlags.Ephemeral,
        allowed_mentions: NO_MENTIONS,
        components,
      },
    },
  };
}

/** Replaces the message a button was on (paging, confirmations). */
export function updateMessage(content: string, components: ActionRow[] = []): Reply {
  return {
    kind: 'json',
    body: {
      type: InteractionResponseType.UpdateMessage,
      data: { content: truncate(content, 2000), allowed_mentions: NO_MENTIONS, components },
    },
  };
}

/** "Thinking…": the executor edits this reply later through the interaction token. */
export function deferred(isEphemeral: boolean): Reply {
  return {
    kind: 'json',
    body: {
      type: InteractionResponseType.DeferredChannelMessageWithSource,
      data: isEphemeral ? { flags: MessageFlags.Ephemeral } : {},
    },
  };
}

/** Autocomplete choices; Discord takes at most 25, each name and value at most 100 characters. */
export function choices(list: { name: string; value: string }[]): Reply {
  const items: APIApplicationCommandOptionChoice<string>[] = list
    .slice(0, 25)
    .map((c) => ({ name: truncate(c.name, 100), value: c.value.slice(0, 100) }));
  return {
    kind: 'json',
    body: { type: InteractionResponseType.ApplicationCommandAutocompleteResult, data: { choices: items } },
  };
}

/** An ephemeral message with a file attached (sent as multipart/form-data). */
export function ephemeralWithFile(
  content: string,
  file: { name: string; contentType: string; content: string },
): Reply {
  return {
    kind: 'files',
    body: {
      type: InteractionResponseType.ChannelMessageWithSource,
      data: {
        content,
        flags: MessageFlags.Ephemeral,
        allowed_mentions: NO_MENTIONS,
        attachments: [{ id: '0', filename: file.name }],
      },
    },
    files: [file],
  };
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** `<t:…:F> (<t:…:R>)`: Discord renders it in each reader's own zone and language. */
export function discordTime(date: Date): string {
  const unix = Math.floor(date.getTime() / 1000);
  return `<t:${unix}:F> (<t:${unix}:R>)`;
}

/** A destination in words; webhook URLs show only their host because the path is often a secret. */
export function describeDestination(destination: Destination): string {
  switch (destination.type) {
    case 'discord_channel':
      return `<#${destination.channelId}> (${destination.format}${destination.thread ? ', a new thread each run' : ''})`;
    case 'webhook':
      return `webhook on ${safeHost(destination.url)}`;
    case 'email':
      return `e-mail to ${destination.addresses.join(', ')}`;
    case 'file':
      return `file under \`${destination.prefix}/\``;
  }
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'an invalid URL';
  }
}

/** `<#1>, <#2>`: the channels a task reads, so two similar tasks can be told apart. */
export function channelMentions(channelIds: readonly string[]): string {
  return channelIds.map((id) => `<#${id}>`).join(', ');
}

/** Pause/resume, run now, cancel: the buttons under a task. Clicks go through the same checks as commands. */
export function taskButtons(task: Pick<Task, 'id' | 'state'>): ActionRow[] {
  const button = (
    label: string,
    style: APIButtonComponentWithCustomId['style'],
    customId: string,
  ): APIButtonComponentWithCustomId => ({
    type: ComponentType.Button,
    style,
    label,
    custom_id: customId,
  });
  const toggle =
    task.state === 'paused' || task.state === 'disabled'
      ? button(
          'Resume',
          ButtonStyle.Success,
          customIdFor({ kind: 'task', action: 'resume', taskId: task.id }),
        )
      : button(
          'Pause',
          ButtonStyle.Secondary,
          customIdFor({ kind: 'task', action: 'pause', taskId: task.id }),
        );
  return [
    {
      type: ComponentType.ActionRow,
      components: [
        toggle,
        button('Run now', ButtonStyle.Primary, customIdFor({ kind: 'task', action: 'run', taskId: task.id })),
        button(
          'Cancel task',
          ButtonStyle.Danger,
          customIdFor({ kind: 'task', action: 'cancel', taskId: task.id }),
        ),
      ],
    },
  ];
}

/** A state as a reader says it, shown only when a task is not simply running: `active` is the normal case. */
export function stateWords(state: Task['state']): string | undefined {
  return {
    active: undefined,
    pending: 'being created',
    paused: 'paused',
    disabled: 'turned off after failing',
    completed: 'done',
  }[state];
}

/** ` (paused)` after a task's name, nothing for an active task. */
export function stateTag(state: Task['state']): string {
  const words = stateWords(state);
  return words ? ` (${words})` : '';
}

/** Renders a task: name and id, schedule in words, next runs, destinations. */
export function formatTask(task: Task, description: string, nextRuns: Date[]): string {
  const lines = [
    `**${escapeMarkdown(task.name)}** \`${task.id}\`${pausedUntilTag(task) ?? stateTag(task.state)}`,
    `Schedule: ${description}`, // describeSchedule names the zone where it matters
  ];
  if (task.kind === 'summary') lines.push(`Reads: ${describeSources(task)}`);
  else
    lines.push(`Keeps ${task.retentionDays === 1 ? '1 day' : `${task.retentionDays} days`} of run history`);
  if (nextRuns.length > 0) lines.push('Next runs:', ...nextRuns.map((d) => `• ${discordTime(d)}`));
  else lines.push('Next runs: none');
  if (task.destinations.length > 0)
    lines.push(`Delivers to: ${task.destinations.map(describeDestination).join('; ')}`);
  const subscribers = task.kind === 'summary' ? (task.subscribers?.length ?? 0) : 0;
  if (subscribers > 0)
    lines.push(`By DM: ${subscriberCountWords(subscribers)}, each with only the channels they can read`);
  return lines.join('\n');
}

/** The tag of a pause with an end: when it ends. */
function pausedUntilTag(task: Task): string | undefined {
  if (task.state !== 'paused' || task.pausedUntil === undefined) return undefined;
  return ` (paused until <t:${Math.floor(Date.parse(task.pausedUntil) / 1000)}:f>, then resumes by itself)`;
}

/** Logs where internal errors go; Powertools' Logger and `console` both fit. */
export interface ErrorLogger {
  error(message: string, attributes: Record<string, unknown>): void;
}

/**
 * The one mapper from errors to what a user sees. Known errors become an ephemeral message naming the
 * option and what is expected; anything else gets an apology with a reference id that is in the log.
 */
export function errorReply(
  error: unknown,
  referenceId: () => string,
  logger: ErrorLogger,
  renameField: (field: string) => string = (f) => f,
): Reply {
  return { ...errorMessage(error, referenceId, logger, renameField), rejected: true };
}

function errorMessage(
  error: unknown,
  referenceId: () => string,
  logger: ErrorLogger,
  renameField: (field: string) => string,
): Reply {
  if (error instanceof ValidationError)
    return ephemeral(`**${renameField(error.field)}**: ${error.expected}`);
  if (error instanceof NotFoundError) return ephemeral('Task not found in this server.');
  if (error instanceof ConflictError)
    return ephemeral('That task was changed by someone else at the same time; try again.');
  if (error instanceof PermissionError || error instanceof LimitError) return ephemeral(error.message);
  if (error instanceof ScheduleGatewayError) {
    // Nothing was left half-done (the scheduler service undoes its writes); say whether to retry.
    const id = referenceId();
    logger.error('schedule change failed', {
      referenceId: id,
      kind: error.kind,
      error: { message: error.message, cause: error.cause },
    });
    return ephemeral(
      error.retryable
        ? `The scheduler is busy right now and nothing was changed; try again in a minute (reference \`${id}\`).`
        : error.kind === 'quota'
          ? `The schedule limit of this deployment is reached, so nothing was changed (reference \`${id}\`).`
          : `The schedule could not be saved and nothing was changed (reference \`${id}\`).`,
    );
  }
  const id = referenceId();
  logger.error('interaction failed', {
    referenceId: id,
    error:
      error instanceof Error
        ? { name: error.name, message: error.message, stack: error.stack, cause: error.cause }
        : error,
  });
  return ephemeral(`Sorry, something went wrong (reference \`${id}\`).`);
}
