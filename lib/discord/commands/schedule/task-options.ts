import type { ApplicationCommandOptionType } from 'discord-api-types/v10';
import { PermissionError } from '../../../errors.ts';
import type { SummaryOptions } from '../../../tasks/summary-options.ts';
import type { KeysOf, OptionReader } from '../../options.ts';
import { canPost, canView, isThread } from '../../permissions.ts';
import { defineOptions, focusChoices, lengthChoices, S } from '../define.ts';

/** Options shared by several `/schedule` subcommands, and the readers of them. */

/** The task a subcommand acts on: autocomplete offers the server's tasks by name. */
export const taskOption = {
  type: S.String,
  name: 'task',
  description: 'The task (name or id)',
  required: true,
  autocomplete: true,
  max_length: 100,
} as const;

/** The task named by the `task` option. */
export function readTaskRef(opts: OptionReader<KeysOf<typeof taskOption>>): string {
  return opts.requiredString('task', 'expected a task');
}

/** Length and focus: the summary options of create and edit. */
export const summaryStyle = defineOptions([
  { type: S.String, name: 'length', description: 'Summary length', choices: lengthChoices },
  { type: S.String, name: 'focus', description: 'Summary focus', choices: focusChoices },
]);

/**
 * `include_private`: the creator's explicit consent that channels not everyone in the server can read may go
 * to the task's webhook, e-mail and file destinations (create and edit). Discord channels keep the rule.
 */
export const includePrivateOption = {
  type: S.Boolean,
  name: 'include_private',
  description: 'Let private channels go to webhook, e-mail, file',
} as const;

/** The `include_private` given (undefined when not given: edit keeps the task's). */
export function readIncludePrivate(
  opts: OptionReader<KeysOf<typeof includePrivateOption>>,
): boolean | undefined {
  return opts.boolean('include_private');
}

/** The summary options given (create and edit): length and focus. */
export function readSummaryOptions(
  opts: OptionReader<KeysOf<(typeof summaryStyle)[number]>>,
): Partial<SummaryOptions> {
  const options: Partial<SummaryOptions> = {};
  const length = opts.string('length');
  if (length) options.length = length as SummaryOptions['length'];
  const focus = opts.string('focus');
  if (focus) options.focus = focus as SummaryOptions['focus'];
  return options;
}

type SourceChannelsReader = OptionReader<{
  type: ApplicationCommandOptionType.Channel;
  name: 'channel' | 'channel2' | 'channel3';
}>;

/**
 * The channels given in `channel`, `channel2` and `channel3` (create and edit), each one the member can read.
 * Discord resolves channel options with the member's permissions there; a channel the member cannot read is
 * refused, so the bot never reads it for them.
 */
export function readableSourceChannels(opts: SourceChannelsReader): string[] {
  const ids: string[] = [];
  for (const name of ['channel', 'channel2', 'channel3'] as const) {
    const chosen = opts.channel(name);
    if (!chosen) continue;
    if (!canView(chosen.permissions)) {
      throw new PermissionError(`You cannot read <#${chosen.id}>, so it cannot be summarized for you.`);
    }
    ids.push(chosen.id);
  }
  return [...new Set(ids)];
}

/** A channel option the member can post in: summaries are never posted where their author could not post. */
export function postableChannel<
  C extends { id: string; permissions?: string | undefined; type?: number | undefined },
>(chosen: C | undefined): C | undefined {
  if (chosen && !canPost(chosen.permissions, isThread(chosen.type))) {
    throw new PermissionError(
      `You cannot post in <#${chosen.id}>, so summaries cannot be posted there for you.`,
    );
  }
  return chosen;
}
