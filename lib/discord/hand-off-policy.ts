import { linkedChannelId } from './commands/summarize-options.ts';
import { parseCustomId } from './custom-ids.ts';
import type { HandOffPolicy } from './hand-off.ts';
import type { CommandOption } from './interaction.ts';
import { commandPathOf, leafValue } from './options.ts';

/**
 * Which commands the AWS endpoint hands to the worker (lib/discord/hand-off.ts). The measure is what a
 * command does before it can answer: a Discord REST read is allowed 2 s and one rate-limit wait of up to
 * 1 s (RestGuildReads), and an AWS call 2 attempts of 1 s (sdk-config.ts), on top of a cold start's secret
 * read. Two Discord reads one after another, or one read beside a schedule call, can pass Discord's 3 s;
 * a command whose options make it read nothing from Discord stays inline, so its refusals stay instant.
 */

/**
 * `/schedule edit` options that change the EventBridge schedule (UpdateSchedule) or the destinations
 * (checked against Discord): an edit with any of them is a large edit. Renames and summary-style changes
 * are one conditional write and stay inline.
 */
const SLOW_EDIT_OPTIONS = new Set([
  'time',
  'date',
  'days',
  'day',
  'expression',
  'every',
  'unit',
  'timezone',
  'post_to',
  'webhook',
  'email',
]);

/**
 * `/schedule create` options that make the audience rule (or the thread and category checks) read Discord:
 * without any of them the task reads the channel it is created in and posts back into it, which its
 * member's own permissions in the payload cover, with no Discord read.
 */
const CREATE_TARGET_OPTIONS = new Set([
  'channel',
  'channel2',
  'channel3',
  'post_to',
  'webhook',
  'email',
  'file',
]);

const given = (leaf: readonly CommandOption[], name: string) => leafValue(leaf, name) !== undefined;

/**
 * `/summarize from:<link>` without `channel:` reads the linked channel, a thread's parent and the server's
 * roles from Discord one after another to check the member can read it, unless the link is to the channel
 * the command was typed in (the payload's permissions answer). A value that is no link is refused inline.
 */
function summarizeReadsDiscord(leaf: readonly CommandOption[], channelId: string | undefined): boolean {
  const from = leafValue(leaf, 'from');
  if (typeof from !== 'string' || given(leaf, 'channel')) return false;
  const linked = linkedChannelId(from);
  return linked !== undefined && linked !== channelId;
}

/**
 * The AWS policy. Handed off: `/schedule import` (an attachment download and up to 25 CreateSchedule
 * calls), `/schedule run` and its button (a Lambda Invoke after the task checks), large edits,
 * `/subscribe` (the server's roles, then each channel and a thread's parent, one after another),
 * `/schedule create` naming channels or destinations (the audience rule: the server's roles, then each
 * destination and source channel and their parents, up to 9 reads one after another for 3 sources, then
 * CreateSchedule), `/catchup scope:server` (the server's roles and channel list side by side, then the
 * /summarize limit's two writes and the executor Invoke) and `/summarize from:` a link to another channel
 * (see summarizeReadsDiscord; a public one is answered with a public "thinking…", see defersPublicly). `/config notify-channel`
 * reads nothing from Discord (the settings' read and conditional write) and stays inline, as does
 * autocomplete, which Discord does not let an app defer.
 */
export const AWS_HAND_OFF_POLICY: HandOffPolicy = {
  command(data, where) {
    const { path, leaf } = commandPathOf(data);
    if (path === 'schedule import' || path === 'schedule run' || path === 'subscribe') return true;
    if (path === 'schedule edit') return leaf.some((option) => SLOW_EDIT_OPTIONS.has(option.name));
    if (path.startsWith('schedule create ') && path !== 'schedule create cleanup')
      return leaf.some((option) => CREATE_TARGET_OPTIONS.has(option.name));
    // With a channel as well, /catchup refuses at once ("either a channel or scope:server").
    if (path === 'catchup') return leafValue(leaf, 'scope') === 'server' && !given(leaf, 'channel');
    if (path === 'summarize') return summarizeReadsDiscord(leaf, where.channelId);
    return false;
  },
  component(data) {
    const action = parseCustomId(data.custom_id);
    return action?.kind === 'task' && action.action === 'run';
  },
};
