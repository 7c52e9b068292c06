import {
  type APIMessage,
  type APIOverwrite,
  ChannelType,
  OverwriteType,
  PermissionFlagsBits,
} from 'discord-api-types/v10';
import type { TimerClock } from '../clock.ts';
import type { DiscordStandIn, StandInChannel, StandInUser } from './discord-stand-in.ts';
import { SESSIONS, sampleAnchor, sessionTimes, type Who } from './sample-conversation.ts';

/**
 * The sandbox's sample server: the community around "Lantern", a self-hosted photo library, in the week of
 * its 2.4 release. Ids are fixed, so tasks stored in `.data/` keep pointing at the same channels across
 * restarts; the messages are placed relative to the sandbox's "now" at its first use (see `sampleAnchor` and
 * `sampleConversationOnce`),
 * and the channels' history (what the bot posted included) is kept across restarts by sandbox-history.ts.
 * The conversation also goes on: the next days' messages appear when the sandbox clock reaches them, so a
 * daily summary has something to read whenever it fires.
 */

export const SAMPLE_GUILD = { id: '1190000000000000001', name: 'Lantern Community' } as const;

export const SAMPLE_CHANNELS = {
  general: '1190000000000000101',
  dev: '1190000000000000102',
  random: '1190000000000000103',
  digest: '1190000000000000104',
  releaseThread: '1190000000000000105',
  /**
   * The Staff category and, inside it, #mods and #admins: all visible only to the Moderators role. The bot
   * was let into Staff and #mods (the audience rule keeps #mods out of public digests), not into #admins,
   * which Discord therefore hides from it: never listed, read or named.
   */
  staff: '1190000000000000106',
  mods: '1190000000000000107',
  admins: '1190000000000000109',
  /** A forum channel: a digest posted there (thread:true, or post_to it) is a new post each run. */
  digests: '1190000000000000108',
} as const;

/** The sandbox's roles: Moderators alone sees the Staff category and #mods. */
export const SAMPLE_ROLES = { moderators: '1190000000000000301' } as const;

/** Hidden from @everyone, shown to Moderators: how a private channel looks to the audience rule. */
const MODERATORS_ONLY: APIOverwrite[] = [
  {
    id: SAMPLE_GUILD.id,
    type: OverwriteType.Role,
    allow: '0',
    deny: String(PermissionFlagsBits.ViewChannel),
  },
  {
    id: SAMPLE_ROLES.moderators,
    type: OverwriteType.Role,
    allow: String(PermissionFlagsBits.ViewChannel),
    deny: '0',
  },
];

/** Where the bot was let in beside the Moderators: what a server admin does for a private channel to be digested. */
const BOT_LET_IN = new Set<string>([SAMPLE_CHANNELS.staff, SAMPLE_CHANNELS.mods]);

/** The member overwrite that lets the bot view and read a channel @everyone cannot. */
function botLetIn(botUserId: string): APIOverwrite {
  return {
    id: botUserId,
    type: OverwriteType.Member,
    allow: String(PermissionFlagsBits.ViewChannel | PermissionFlagsBits.ReadMessageHistory),
    deny: '0',
  };
}

/** The member the CLI acts as (`--as admin` gives it Manage Server). */
export const SANDBOX_USER: StandInUser = { id: '1190000000000000201', username: 'you', global_name: 'You' };

export const SAMPLE_MEMBERS = {
  ana: { id: '1190000000000000211', username: 'ana.souza', global_name: 'Ana' },
  ben: { id: '1190000000000000212', username: 'benokafor', global_name: 'Ben' },
  chloe: { id: '1190000000000000213', username: 'chloe_m', global_name: 'Chloé' },
  dmitri: { id: '1190000000000000214', username: 'dvolkov', global_name: 'Dmitri' },
  eli: { id: '1190000000000000215', username: 'eli.c', global_name: 'Eli' },
} as const satisfies Record<Who, StandInUser>;

function members(): StandInUser[] {
  return [SANDBOX_USER, ...Object.values(SAMPLE_MEMBERS)];
}

/** What the CLI needs to act as a member of the sample server. */
export interface SampleServerInfo {
  guild: { id: string; name: string };
  channels: {
    id: string;
    name: string;
    type: ChannelType;
    parentId?: string;
    permissionOverwrites?: APIOverwrite[];
  }[];
  members: StandInUser[];
  user: StandInUser;
}

/** The sample server's guild, channels and members (no messages). */
export function sampleServerInfo(): SampleServerInfo {
  return {
    guild: { ...SAMPLE_GUILD },
    channels: [
      { id: SAMPLE_CHANNELS.general, name: 'general', type: ChannelType.GuildText },
      { id: SAMPLE_CHANNELS.dev, name: 'dev', type: ChannelType.GuildText },
      { id: SAMPLE_CHANNELS.random, name: 'random', type: ChannelType.GuildText },
      { id: SAMPLE_CHANNELS.digest, name: 'digest', type: ChannelType.GuildText },
      { id: SAMPLE_CHANNELS.digests, name: 'digests', type: ChannelType.GuildForum },
      {
        id: SAMPLE_CHANNELS.releaseThread,
        name: 'release-checklist',
        type: ChannelType.PublicThread,
        parentId: SAMPLE_CHANNELS.dev,
      },
      {
        id: SAMPLE_CHANNELS.staff,
        name: 'Staff',
        type: ChannelType.GuildCategory,
        permissionOverwrites: MODERATORS_ONLY,
      },
      {
        id: SAMPLE_CHANNELS.mods,
        name: 'mods',
        type: ChannelType.GuildText,
        parentId: SAMPLE_CHANNELS.staff,
        permissionOverwrites: MODERATORS_ONLY,
      },
      {
        id: SAMPLE_CHANNELS.admins,
        name: 'admins',
        type: ChannelType.GuildText,
        parentId: SAMPLE_CHANNELS.staff,
        permissionOverwrites: MODERATORS_ONLY,
      },
    ],
    members: members(),
    user: SANDBOX_USER,
  };
}

/**
 * Adds the sample server to the stand-in with its conversation at once (the sandbox itself places the
 * conversation on first use: sampleConversationOnce): channels, a thread, the messages of the days before
 * `anchor` (default `sampleAnchor(clock.now())`) that are already past, and timers that post the rest when
 * the clock reaches them. With `history` (the channels as saved) put back first, a message already there is
 * not posted again, one whose time passed while the bot was off is posted now (with its own time, as a
 * message written meanwhile), the rest wait for the clock. Returns how many messages were added now and
 * how many are still to come.
 */
export function seedSampleServer(
  standIn: DiscordStandIn,
  clock: TimerClock,
  options: { anchor?: Date; history?: Record<string, APIMessage[]>; threads?: StandInChannel[] } = {},
): { added: number; restored: number; scheduled: number; anchor: Date; cancel: () => void } {
  const { restored } = addSampleServer(standIn, options);
  const anchor = options.anchor ?? sampleAnchor(clock.now());
  return { restored, anchor, ...placeSampleConversation(standIn, clock, anchor) };
}

/**
 * The sample server without its conversation: guild, roles, members, channels, the threads the bot started
 * (`threads`) and, after a restart, the channels' saved `history`. Returns how many messages that restored.
 */
export function addSampleServer(
  standIn: DiscordStandIn,
  options: { history?: Record<string, APIMessage[]>; threads?: StandInChannel[] } = {},
): { restored: number } {
  const info = sampleServerInfo();
  standIn.addGuild(info.guild);
  standIn.setRole(info.guild.id, { id: SAMPLE_ROLES.moderators, name: 'Moderators', permissions: 0n });
  // Members the bot can look up (a subscriber's roles at each run): none of them is a moderator.
  for (const member of info.members) standIn.setMember(info.guild.id, member);
  for (const channel of info.channels) {
    standIn.addChannel({
      id: channel.id,
      guildId: info.guild.id,
      name: channel.name,
      type: channel.type,
      ...(channel.parentId ? { parentId: channel.parentId } : {}),
      ...(channel.permissionOverwrites
        ? {
            permissionOverwrites: BOT_LET_IN.has(channel.id)
              ? [...channel.permissionOverwrites, botLetIn(standIn.botUser.id)]
              : channel.permissionOverwrites,
          }
        : {}),
    });
  }
  // The digest threads the bot started in an earlier run come back before their messages.
  for (const thread of options.threads ?? []) {
    if (!thread.parentId) continue;
    const { threadMetadata, ...rest } = thread;
    standIn.addChannel({ ...rest, parentId: thread.parentId, ...(threadMetadata ? { threadMetadata } : {}) });
  }
  return { restored: options.history ? standIn.restoreMessages(options.history) : 0 };
}

/**
 * The sample conversation around `anchor`: the messages already past are added, the rest wait on timers of
 * `clock`. A message already there (restored) is not added again. Returns how many were added now and how
 * many are still to come, and how to cancel those.
 */
export function placeSampleConversation(
  standIn: DiscordStandIn,
  clock: TimerClock,
  anchor: Date,
): { added: number; scheduled: number; cancel: () => void } {
  const now = clock.now().getTime();
  let added = 0;
  let scheduled = 0;
  const handles: { cancel(): void }[] = [];
  for (const session of SESSIONS) {
    const times = sessionTimes(session, anchor.getTime());
    session.lines.forEach(([where, who, content], i) => {
      const at = times[i] ?? anchor.getTime();
      const message = {
        channelId: SAMPLE_CHANNELS[where],
        author: SAMPLE_MEMBERS[who],
        content,
        timestamp: new Date(at),
      };
      const iso = message.timestamp.toISOString();
      const present = standIn
        .messages(message.channelId)
        .some((m) => m.timestamp === iso && m.author.id === message.author.id && m.content === content);
      if (present) return;
      if (at <= now) {
        standIn.addMessage(message);
        added++;
      } else {
        handles.push(clock.setTimer(new Date(at), () => standIn.addMessage(message)));
        scheduled++;
      }
    });
  }
  return {
    added,
    scheduled,
    cancel: () => {
      for (const handle of handles) handle.cancel();
    },
  };
}

/**
 * The sample conversation, placed once: at `anchor` (a restart: the saved one), or else on the sandbox's
 * first use around `sampleAnchor` of that moment. First use is the first request the bot makes of the
 * stand-in (a command's checks, a run, the status page's names) or the first CLI call: a newcomer's first
 * command, so the sample day lands in the window of the quick start task's first run however long after
 * `npm start`, and on which side of 09:00, that command comes.
 */
export function sampleConversationOnce(
  standIn: DiscordStandIn,
  clock: TimerClock,
  anchor?: Date,
): { place(): void; readonly anchor: Date | undefined; cancel(): void } {
  let placed: { anchor: Date; cancel: () => void } | undefined;
  return {
    place() {
      if (placed) return;
      const at = anchor ?? sampleAnchor(clock.now());
      placed = { anchor: at, cancel: placeSampleConversation(standIn, clock, at).cancel };
    },
    get anchor() {
      return placed?.anchor;
    },
    cancel: () => placed?.cancel(),
  };
}
