import { ValidationError } from '../../errors.ts';
import type { AdhocSummaryInput } from '../../execution/executor-input.ts';
import { timeFromSnowflake } from '../../shared/snowflake.ts';
import { echo } from '../input/echo.ts';

/**
 * What `/summarize`'s window and filter options mean, parsed and checked before anything is handed to the
 * executor: `from:` (a message link), `exclude:` (channels and members). Pure: no Discord reads here.
 */

/** `/summarize` reads at most this far back, whichever option sets the start (the same as `hours` and `since`). */
export const MAX_LOOKBACK_DAYS = 30;

/** A message link as Discord's "Copy Message Link" gives it (the web, PTB and Canary hosts, the old domain). */
const MESSAGE_LINK =
  /^<?https:\/\/(?:(?:ptb|canary)\.)?discord(?:app)?\.com\/channels\/(\d{17,20}|@me)\/(\d{17,20})\/(\d{17,20})>?$/i;

/**
 * The channel a `from:` value links to, read as parseMessageLink reads it, or undefined when it is no
 * message link; nothing else is checked (the hand-off policy asks only whether a check reads Discord).
 */
export function linkedChannelId(raw: string): string | undefined {
  return MESSAGE_LINK.exec(raw.trim())?.[2];
}

/** A message of this server, named by its link. */
export interface MessageLink {
  channelId: string;
  messageId: string;
  sentAt: Date;
}

/**
 * A message link of `guildId`'s server (`https://discord.com/channels/<server>/<channel>/<message>`).
 * Refused, naming the option, when it is not a message link, is a link of another server or a DM, or the
 * message is in the future or older than the lookback limit.
 */
export function parseMessageLink(option: string, raw: string, guildId: string, now: Date): MessageLink {
  const match = MESSAGE_LINK.exec(raw.trim());
  if (!match) {
    throw new ValidationError(
      option,
      `expected a message link such as https://discord.com/channels/<server>/<channel>/<message> (right-click a message, Copy Message Link); got ${echo(raw)}`,
    );
  }
  const [, server, channelId, messageId] = match as unknown as [string, string, string, string];
  if (server !== guildId) {
    throw new ValidationError(
      option,
      server === '@me'
        ? 'expected a message of this server; that link is to a direct message'
        : 'expected a message of this server; that link is to a message in another server',
    );
  }
  const sentAt = timeFromSnowflake(messageId);
  if (sentAt.getTime() > now.getTime()) {
    throw new ValidationError(option, 'expected a link to a message already sent; that id is in the future');
  }
  if (now.getTime() - sentAt.getTime() > MAX_LOOKBACK_DAYS * 86_400_000) {
    throw new ValidationError(
      option,
      `expected a message from the last ${MAX_LOOKBACK_DAYS} days; that one was sent ${sentAt.toISOString().slice(0, 10)}`,
    );
  }
  return { channelId, messageId, sentAt };
}

/** Channels and members left out of a summary. */
export interface Exclusions {
  channelIds: string[];
  userIds: string[];
}

/** How many channels and members one `exclude:` may name (it is free text, so it is bounded). */
export const MAX_EXCLUSIONS = 25;

const CHANNEL_MENTION = /^<#(\d{17,20})>$/;
const USER_MENTION = /^<@!?(\d{17,20})>$/;
const ROLE_MENTION = /^<@&\d{17,20}>$/;

/**
 * `exclude:`: channel and member mentions (`#random @dave`, which Discord's message box sends as `<#id>` and
 * `<@id>`), separated by spaces or commas. Anything else is refused naming the word, so a typo never
 * silently excludes nothing.
 */
export function parseExclusions(option: string, raw: string): Exclusions {
  const channelIds = new Set<string>();
  const userIds = new Set<string>();
  const words = raw
    .trim()
    .split(/[\s,;]+/)
    .filter(Boolean);
  for (const word of words) {
    const channel = CHANNEL_MENTION.exec(word);
    const user = USER_MENTION.exec(word);
    if (channel?.[1]) channelIds.add(channel[1]);
    else if (user?.[1]) userIds.add(user[1]);
    else if (ROLE_MENTION.test(word))
      throw new ValidationError(option, 'expected channels and members; roles cannot be excluded');
    else
      throw new ValidationError(
        option,
        `expected #channels and @members separated by spaces, such as #random @dave; ${echo(word)} is neither`,
      );
  }
  if (channelIds.size + userIds.size === 0)
    throw new ValidationError(option, 'expected at least one #channel or @member to leave out');
  if (channelIds.size + userIds.size > MAX_EXCLUSIONS)
    throw new ValidationError(option, `expected at most ${MAX_EXCLUSIONS} channels and members`);
  return { channelIds: [...channelIds], userIds: [...userIds] };
}

/** The window options of `/summarize` as given (at most one of them may be). */
export interface WindowOptions {
  hours?: number | undefined;
  minutes?: number | undefined;
  since?: Date | undefined;
  from?: MessageLink | undefined;
}

/**
 * The executor's window from the one window option given: the last `hours` or `minutes`, since an instant,
 * or from a message on. None: the last 24 hours, or with `messages:` alone the whole lookback limit (the
 * count is what bounds it then). Two at once are refused, naming them.
 */
export function windowFrom(
  options: WindowOptions,
  lastMessages: number | undefined,
): AdhocSummaryInput['window'] {
  const given = (['hours', 'minutes', 'since', 'from'] as const).filter((k) => options[k] !== undefined);
  if (given.length > 1) {
    const [first, second] = given as [string, string];
    throw new ValidationError(
      second,
      `give one of hours, minutes, since or from, not both ${first} and ${second}`,
    );
  }
  if (options.from) return { fromMessageId: options.from.messageId };
  if (options.since) return { since: options.since.toISOString() };
  if (options.minutes !== undefined) return { minutes: options.minutes };
  if (options.hours !== undefined) return { hours: options.hours };
  return { hours: lastMessages !== undefined ? MAX_LOOKBACK_DAYS * 24 : 24 };
}
