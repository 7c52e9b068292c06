import { ValidationError } from '../errors.ts';
import { escapeMarkdown } from '../shared/markdown.ts';
import type { Destination } from '../tasks/destination.ts';
import { destinationWords } from '../tasks/destination-words.ts';
import type { Task } from '../tasks/task.ts';
import { applyAudienceRule, type LeftOut } from './audience-check.ts';
import type { GuildReads } from './guild-reads.ts';

/** How a refusal names what to change: the options of create and edit, or the fields of an import file. */
export interface AudienceFields {
  /** The field of the source channels (no source left). */
  channels: string;
  /** The field of the off-Discord destination a private source may not reach. */
  offDiscord: (destination: Destination | undefined, index: number) => string;
  /** How the member gives the consent that lets private channels leave Discord. */
  consent: string;
}

/**
 * How channels and roles are named: as Discord mentions (`<#X>`, `<@&A>`), which a reply shows as names, or
 * as plain `#name` words for a terminal (`summary-bot tasks import`), which shows no mentions.
 */
export type AudienceWords = 'mentions' | 'plain';

/** What the audience rule kept, and what to tell: each source left out, each private one leaving Discord. */
export interface AudienceChecked {
  channelIds: string[];
  /** The reply's lines ("left out: …", the include_private warning). */
  notes: string[];
  /** Why each source was left out ("<#X> is private to <@&A>"). */
  leftOut: string[];
  /** Kept sources that are not public and go off Discord because of include_private, with why. */
  exposed: string[];
}

/**
 * The audience rule at create, edit and import: sources a destination channel's viewers cannot all read are
 * left out and named ("left out: <#X> is private to <@&A>"); if none is left, or a private source would go
 * to a webhook, e-mail or file (whose readers Discord does not know) without the creator's explicit
 * `include_private`, ValidationError naming `fields` refuses it and nothing changes.
 */
export async function checkAudience(input: {
  guildId: string;
  channelIds: readonly string[];
  destinations: readonly Destination[];
  includePrivate: boolean;
  fields: AudienceFields;
  reads: GuildReads;
  words?: AudienceWords;
}): Promise<AudienceChecked> {
  const { destinations, fields } = input;
  const outcome = await applyAudienceRule({
    guildId: input.guildId,
    sources: input.channelIds,
    destinations,
    reads: input.reads,
    includePrivate: input.includePrivate,
  });
  const plain = input.words === 'plain';
  const why = (l: LeftOut) => (plain ? l.plain : l.reason);
  const offDiscord = outcome.leftOut.find((l) => l.offDiscord);
  if (offDiscord) {
    const index = destinations.findIndex((d) => d.type !== 'discord_channel');
    throw new ValidationError(
      fields.offDiscord(destinations[index], index),
      `expected channels everyone in the server can read for webhook, e-mail and file delivery; ${why(offDiscord)}, so its messages are not sent outside Discord. Post its digest to a channel with the same audience instead, or ${fields.consent} if its messages may leave Discord`,
    );
  }
  const leftOut = [
    ...outcome.leftOut.map(why),
    // The access check refuses these first; a channel deleted in between is still named, never read.
    ...outcome.unseen.map(
      (u) =>
        `${plain ? `channel ${u.channelId}` : `<#${u.channelId}>`} is not a channel the bot can see in this server`,
    ),
  ];
  if (outcome.kept.length === 0) {
    throw new ValidationError(
      fields.channels,
      `expected a channel everyone who sees the destination can read; ${leftOut.join('; ')} (post to a channel with the same audience, or pick another channel)`,
    );
  }
  const notes = leftOut.map((reason) => `left out: ${reason}`);
  const exposed = outcome.privateOffDiscord.map(why);
  if (exposed.length > 0) {
    notes.push(
      `⚠️ include_private: ${exposed.join('; ')}, and its messages go to the webhook, e-mail and file destinations too, where Discord does not check who reads them`,
    );
  }
  return { channelIds: outcome.kept, notes, leftOut, exposed };
}

/** A refusal of the audience rule names the entry's fields, and the file's own way to consent. */
function importFields(entry: string): AudienceFields {
  return {
    channels: `${entry}.channelIds`,
    offDiscord: (_destination, index) => `${entry}.destinations[${Math.max(index, 0)}]`,
    consent: 'set "includePrivate": true in its options',
  };
}

/**
 * The audience rule for an imported task (/schedule import and `summary-bot tasks import`), as at create:
 * sources its Discord destinations' viewers cannot all read are left out (and named in `notes`), a private
 * source may go to a webhook, e-mail or file only with the file's `includePrivate: true`, which is taken
 * with a warning, never silently. Throws ValidationError naming `entry` (`tasks[i]`) to refuse the import.
 */
export async function reviewImportedAudience(input: {
  guildId: string;
  task: Task;
  entry: string;
  reads: GuildReads;
  /** Where the lines for the reply (or the terminal) are added. */
  notes: string[];
  words?: AudienceWords;
}): Promise<Task> {
  const { task } = input;
  if (task.kind !== 'summary') return task;
  const includePrivate = task.options.includePrivate;
  const plain = input.words === 'plain';
  const audience = await checkAudience({
    guildId: input.guildId,
    channelIds: task.channelIds,
    destinations: task.destinations,
    includePrivate,
    fields: importFields(input.entry),
    reads: input.reads,
    ...(input.words ? { words: input.words } : {}),
  });
  const name = plain ? task.name : `**${escapeMarkdown(task.name)}**`;
  for (const reason of audience.leftOut) input.notes.push(`${name}: left out: ${reason}`);
  const offDiscord = task.destinations.filter((d) => d.type !== 'discord_channel');
  if (includePrivate && offDiscord.length > 0) {
    const where = offDiscord.map((d) => destinationWords(d, d.type)).join(', ');
    const what =
      audience.exposed.length > 0
        ? `${audience.exposed.join('; ')}, and its messages go to ${where} too`
        : `channels not everyone in the server can read would go to ${where} too`;
    input.notes.push(
      `⚠️ ${name} takes include_private:true from the file: ${what}, where Discord does not check who reads them. \`/schedule edit task:${task.id} include_private:false\` stops that.`,
    );
  }
  return audience.channelIds.length === task.channelIds.length
    ? task
    : { ...task, channelIds: audience.channelIds };
}
