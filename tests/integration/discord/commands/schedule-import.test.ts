import { OverwriteType, PermissionFlagsBits } from 'discord-api-types/v10';
import { beforeEach, describe, expect, it } from 'vitest';
import { FOREIGN_CHANNEL, useInteractionHarness } from '../../../support/interaction-harness.ts';
import {
  ADMIN,
  CHANNEL,
  command,
  file,
  GUILD,
  MANAGER_ROLE,
  OTHER_CHANNEL,
  OTHER_GUILD,
  READER,
  SECRET_CHANNEL,
  USER,
  type Who,
} from '../../../support/interaction-payloads.ts';
import { deniedTo, hiddenFromEveryone, shownTo, shownToBot } from '../../../support/overwrites.ts';

const { state, send, discord } = useInteractionHarness();
const P = PermissionFlagsBits;
const hideFromEveryone = hiddenFromEveryone(GUILD);

/** One portable task, as `/schedule export` writes it; `over` replaces fields. */
function entry(over: Record<string, unknown> = {}) {
  return {
    kind: 'summary',
    name: 'Imported digest',
    channelIds: [CHANNEL],
    schedule: { type: 'daily', time: '09:00' },
    timeZone: 'UTC',
    destinations: [{ type: 'discord_channel', channelId: CHANNEL, format: 'embed' }],
    ...over,
  };
}

/** A digest of the private channel posted back into it (its audience is its own, so the audience rule agrees). */
const intoItself = entry({
  channelIds: [SECRET_CHANNEL],
  destinations: [{ type: 'discord_channel', channelId: SECRET_CHANNEL, format: 'embed' }],
});

let uploads = 0;
/** Sends `/schedule import` with a file holding `tasks`, as the member `who`; returns the reply text. */
async function importTasks(
  tasks: unknown[],
  who: Who = {},
  edit?: (payload: Record<string, unknown>) => void,
) {
  uploads += 1;
  const url = `https://cdn.discordapp.com/attachments/1/${uploads}/tasks.json`;
  const text = JSON.stringify({ format: 'summary-bot-tasks', version: 1, tasks });
  state.attachments.set(url, text);
  const attachment = { id: '111111111111111111', filename: 'tasks.json', size: text.length, url };
  const payload = command('schedule import', [file('file', attachment.id)], {
    ...who,
    resolved: { attachments: { [attachment.id]: attachment } },
  }) as unknown as Record<string, unknown>;
  edit?.(payload);
  const res = await send(payload);
  expect(res.status).toBe(200);
  return String(res.json.data.content);
}

/** A member who manages schedules through the manager role only: no Manage Server, no Administrator. */
const manager: Who = { permissions: READER, channelPermissions: READER, roles: [MANAGER_ROLE] };

describe('/schedule import holds a file to what /schedule create enforces', () => {
  beforeEach(async () => {
    const standIn = discord();
    standIn.addGuild({ id: GUILD, name: 'Home', ownerId: '1100000000000000999' });
    standIn.setRole(GUILD, { id: MANAGER_ROLE, permissions: 0n });
    standIn.setPermissionOverwrites(SECRET_CHANNEL, [hideFromEveryone, shownToBot(standIn)]);
    standIn.setPermissionOverwrites(OTHER_CHANNEL, []);
    await state.scheduler.updateGuildConfig(GUILD, { managerRoleId: MANAGER_ROLE });
  });

  it.each([
    ['a source', { channelIds: [SECRET_CHANNEL] }, 'tasks[1].channelIds[0]', SECRET_CHANNEL],
    [
      'a destination',
      {
        channelIds: [FOREIGN_CHANNEL],
        destinations: [{ type: 'discord_channel', channelId: CHANNEL, format: 'embed' }],
      },
      'tasks[1].destinations[0].channelId',
      CHANNEL,
    ],
    [
      'the notice channel',
      {
        channelIds: [FOREIGN_CHANNEL],
        destinations: [{ type: 'discord_channel', channelId: FOREIGN_CHANNEL, format: 'embed' }],
        notifyChannelId: OTHER_CHANNEL,
      },
      'tasks[1].notifyChannelId',
      OTHER_CHANNEL,
    ],
  ])(
    'refuses %s in another server the bot is in (the hostile import), and writes nothing',
    async (_, over, field, channel) => {
      // An admin of their own server (OTHER_GUILD) points a task at GUILD's channels.
      const reply = await importTasks(
        [
          entry({
            channelIds: [FOREIGN_CHANNEL],
            destinations: [{ type: 'discord_channel', channelId: FOREIGN_CHANNEL, format: 'embed' }],
          }),
          entry(over),
        ],
        { guildId: OTHER_GUILD, permissions: ADMIN },
      );
      expect(reply).toBe(
        `**file: ${field}**: expected a channel of this server; <#${channel}> is not one (deleted, or in another server)`,
      );
      expect(await state.scheduler.listTasks(OTHER_GUILD)).toEqual([]);
      expect(await state.scheduler.reconcile()).toMatchObject({ deletedOrphans: [] });
    },
  );

  it('refuses a source the member cannot read, computed from the roles and overwrites Discord returns', async () => {
    const reply = await importTasks([entry(), entry({ channelIds: [CHANNEL, SECRET_CHANNEL] })], manager);
    expect(reply).toBe(
      `**file: tasks[1].channelIds[1]**: expected a channel you can read; you cannot read <#${SECRET_CHANNEL}>, so it cannot be summarized for you`,
    );
    expect(await state.scheduler.listTasks(GUILD)).toEqual([]);
  });

  it('applies overwrites in Discord’s order: a role allow beats @everyone, a member deny beats the role', async () => {
    const roleAllows = shownTo(MANAGER_ROLE);
    discord().setPermissionOverwrites(SECRET_CHANNEL, [hideFromEveryone, roleAllows, shownToBot(discord())]);
    expect(await importTasks([intoItself], manager)).toContain('Imported 1 task');

    const memberDenies = deniedTo(USER);
    discord().setPermissionOverwrites(SECRET_CHANNEL, [
      hideFromEveryone,
      roleAllows,
      memberDenies,
      shownToBot(discord()),
    ]);
    expect(await importTasks([intoItself], manager)).toContain(`you cannot read <#${SECRET_CHANNEL}>`);
    expect(await state.scheduler.listTasks(GUILD)).toHaveLength(1);
  });

  it('refuses a destination the member cannot post in', async () => {
    discord().setPermissionOverwrites(OTHER_CHANNEL, [
      { id: MANAGER_ROLE, type: OverwriteType.Role, allow: '0', deny: String(P.SendMessages) },
    ]);
    const reply = await importTasks(
      [entry({ destinations: [{ type: 'discord_channel', channelId: OTHER_CHANNEL, format: 'markdown' }] })],
      manager,
    );
    expect(reply).toBe(
      `**file: tasks[0].destinations[0].channelId**: expected a channel you can post in; you cannot post in <#${OTHER_CHANNEL}>, so the bot will not post there for you`,
    );
    expect(await state.scheduler.listTasks(GUILD)).toEqual([]);
  });

  it('lets the owner and administrators through every overwrite, but never out of their server', async () => {
    const secret = intoItself;
    discord().addGuild({ id: GUILD, name: 'Home', ownerId: USER });
    expect(await importTasks([secret], manager)).toContain('Imported 1 task');
    discord().addGuild({ id: GUILD, name: 'Home', ownerId: '1100000000000000999' });
    discord().setRole(GUILD, { id: MANAGER_ROLE, permissions: P.Administrator });
    // Another time of day: the first import's task exists, and an import skips what exists.
    const later = { ...secret, schedule: { type: 'daily', time: '18:00' } };
    expect(await importTasks([later], manager)).toContain('Imported 1 task');
    expect(await importTasks([entry({ channelIds: [FOREIGN_CHANNEL] })], { permissions: ADMIN })).toContain(
      'is not one',
    );
    expect(await state.scheduler.listTasks(GUILD)).toHaveLength(2);
  });

  it('lets a timed-out member read but not post', async () => {
    const timedOut = (payload: Record<string, unknown>) => {
      (payload.member as Record<string, unknown>).communication_disabled_until = '2099-01-01T00:00:00.000Z';
    };
    const reply = await importTasks(
      [entry({ destinations: [{ type: 'discord_channel', channelId: OTHER_CHANNEL, format: 'embed' }] })],
      manager,
      timedOut,
    );
    expect(reply).toContain(`you cannot post in <#${OTHER_CHANNEL}>`);
  });

  it('reads each channel and the server once per import, however often the file names them', async () => {
    const standIn = discord();
    standIn.clearRequests();
    const reply = await importTasks(
      [entry(), entry(), entry({ channelIds: [CHANNEL, OTHER_CHANNEL] })],
      manager,
    );
    expect(reply).toContain('Imported 3 tasks');
    const reads = standIn.requests.map((r) => `${r.method} ${r.path}`).sort();
    // The interaction's own channel comes with the member's permissions, so only OTHER_CHANNEL is computed.
    expect(reads).toEqual([
      `GET /channels/${CHANNEL}`,
      `GET /channels/${OTHER_CHANNEL}`,
      `GET /guilds/${GUILD}`,
    ]);
  });
});
