import type { NewTaskInput } from '../../../lib/scheduling/new-task.ts';

export const GUILD = '100000000000000001';
export const ADMIN = '200000000000000001';
export const CHANNEL = '300000000000000001';

/** A new task; `overrides` may be wrong on purpose: the scheduler still checks what it is given. */
export function summaryInput(overrides: Record<string, unknown> = {}): NewTaskInput {
  return {
    kind: 'summary',
    guildId: GUILD,
    name: 'Daily digest',
    channelIds: [CHANNEL],
    schedule: { type: 'daily', time: '09:00' },
    timeZone: 'Europe/Berlin',
    destinations: [{ type: 'discord_channel', channelId: CHANNEL, format: 'embed' }],
    createdBy: ADMIN,
    ...overrides,
  } as NewTaskInput;
}
