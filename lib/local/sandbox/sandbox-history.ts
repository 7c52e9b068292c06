import type { APIMessage } from 'discord-api-types/v10';
import * as z from 'zod';
import { readStateFile, writeStateFile } from '../state-files.ts';
import type { DiscordStandIn, StandInChannel, StandInDmChannel } from './discord-stand-in.ts';

/** How often a changed history is written; on stop it is written once more. */
const SAVE_EVERY_MS = 2_000;

/** The fields every stored message has; the rest is kept as Discord's client would receive it. */
const SavedMessage = z.looseObject({
  id: z.string().regex(/^\d{1,20}$/),
  channel_id: z.string().regex(/^\d{1,20}$/),
  timestamp: z.string(),
  content: z.string(),
  author: z.looseObject({ id: z.string() }),
});

/** A thread the bot started (a digest delivered with thread:true): put back before its messages. */
const SavedThread = z.object({
  id: z.string().regex(/^\d{1,20}$/),
  guildId: z.string().regex(/^\d{1,20}$/),
  parentId: z.string().regex(/^\d{1,20}$/),
  name: z.string().min(1).max(100),
  type: z.number().int(),
  ownerId: z
    .string()
    .regex(/^\d{1,20}$/)
    .optional(),
  threadMetadata: z.looseObject({}).optional(),
});

/** A DM channel the bot opened with a member (a subscriber's digests): put back before its messages. */
const SavedDmChannel = z.object({
  id: z.string().regex(/^\d{1,20}$/),
  recipientId: z.string().regex(/^\d{1,20}$/),
});

/**
 * `<DATA_DIR>/sandbox-discord.json`: the sandbox server's channels as they were, and `seededAt`, the anchor the
 * first use placed the sample conversation around (that moment, or a little later: `sampleAnchor`).
 */
const HistoryFile = z.object({
  version: z.literal(1),
  seededAt: z.iso.datetime(),
  channels: z.record(z.string(), z.array(SavedMessage)),
  /** Absent in files written before the bot could start threads. */
  threads: z.array(SavedThread).default([]),
  /** Absent in files written before DMs were kept. */
  dms: z.array(SavedDmChannel).default([]),
});

/** What a previous run of the sandbox left: its channels' messages (DMs included) and the sample's anchor. */
export interface SavedHistory {
  seededAt: Date;
  channels: Record<string, APIMessage[]>;
  /** The threads the bot started, which the sample server does not define. */
  threads: StandInChannel[];
  /** The DM channels the bot opened, whose messages are among `channels`. */
  dms: StandInDmChannel[];
}

/** The saved history, or undefined on a first start. A damaged file is a ConfigError saying what to do. */
export async function loadHistory(path: string): Promise<SavedHistory | undefined> {
  const saved = await readStateFile(path, HistoryFile, "delete it to start the sandbox's channels afresh");
  if (!saved) return undefined;
  return {
    seededAt: new Date(saved.seededAt),
    channels: saved.channels as unknown as Record<string, APIMessage[]>,
    threads: saved.threads.map((t) => ({ ...t, permissionOverwrites: [] }) as StandInChannel),
    dms: saved.dms,
  };
}

/**
 * Keeps `<DATA_DIR>/sandbox-discord.json` in step with the stand-in: written a moment after a message is
 * stored or edited, and on stop, so a restart brings back every channel as it was.
 */
export function startHistorySaver(options: {
  path: string;
  standIn: Pick<
    DiscordStandIn,
    'revision' | 'snapshotMessages' | 'snapshotThreads' | 'snapshotDirectMessageChannels'
  >;
  /** The sample conversation's anchor; nothing is saved before it is placed (a restart places it then). */
  seededAt: () => Date | undefined;
  onError: (error: unknown) => void;
}): { stop(): Promise<void> } {
  let saved = -1;
  let saving: Promise<void> = Promise.resolve();
  const save = () => {
    const revision = options.standIn.revision;
    const seededAt = options.seededAt();
    if (revision === saved || !seededAt) return saving;
    saving = saving
      .then(async () => {
        await writeStateFile(
          options.path,
          {
            version: 1,
            seededAt: seededAt.toISOString(),
            channels: options.standIn.snapshotMessages(),
            threads: options.standIn.snapshotThreads(),
            dms: options.standIn.snapshotDirectMessageChannels(),
          },
          { compact: true },
        );
        saved = revision;
      })
      .catch(options.onError);
    return saving;
  };
  const timer = setInterval(save, SAVE_EVERY_MS);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await save();
    },
  };
}
