import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { APIMessage } from 'discord-api-types/v10';
import * as z from 'zod';
import { ConfigError } from '../../errors.ts';
import type { DiscordStandIn } from './discord-stand-in.ts';

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

/** `<DATA_DIR>/sandbox-discord.json`: the sandbox server's channels as they were, and when it was seeded. */
const HistoryFile = z.object({
  version: z.literal(1),
  seededAt: z.iso.datetime(),
  channels: z.record(z.string(), z.array(SavedMessage)),
});

/** What a previous run of the sandbox left: its channels' messages and the time the sample was seeded. */
export interface SavedHistory {
  seededAt: Date;
  channels: Record<string, APIMessage[]>;
}

/** The saved history, or undefined on a first start. A damaged file is a ConfigError saying what to do. */
export async function loadHistory(path: string): Promise<SavedHistory | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ConfigError(`${path} cannot be read; delete it to start the sandbox's channels afresh`, {
      cause: error,
    });
  }
  let parsed: ReturnType<typeof HistoryFile.safeParse>;
  try {
    parsed = HistoryFile.safeParse(JSON.parse(text));
  } catch (error) {
    throw new ConfigError(`${path} is not valid JSON; delete it to start the sandbox's channels afresh`, {
      cause: error,
    });
  }
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(
      `${path}: ${issue?.path.join('.') || 'content'}: ${issue?.message ?? 'unexpected'}; delete it to start the sandbox's channels afresh`,
    );
  }
  return {
    seededAt: new Date(parsed.data.seededAt),
    channels: parsed.data.channels as unknown as Record<string, APIMessage[]>,
  };
}

/**
 * Keeps `<DATA_DIR>/sandbox-discord.json` in step with the stand-in: written a moment after a message is
 * stored or edited, and on stop, so a restart brings back every channel as it was.
 */
export function startHistorySaver(options: {
  path: string;
  standIn: Pick<DiscordStandIn, 'revision' | 'snapshotMessages'>;
  seededAt: Date;
  onError: (error: unknown) => void;
}): { stop(): Promise<void> } {
  let saved = -1;
  let saving: Promise<void> = Promise.resolve();
  const save = () => {
    const revision = options.standIn.revision;
    if (revision === saved) return saving;
    saving = saving
      .then(async () => {
        await writeAtomically(options.path, {
          version: 1,
          seededAt: options.seededAt.toISOString(),
          channels: options.standIn.snapshotMessages(),
        });
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

/** Temporary file beside the target, then a rename: a crash leaves the old history or the new, never half. */
async function writeAtomically(path: string, data: unknown): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(temporary, JSON.stringify(data), { mode: 0o600 });
    await rename(temporary, path);
  } finally {
    await rm(temporary, { force: true });
  }
}
