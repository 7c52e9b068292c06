import { describe, expect, it } from 'vitest';
import { snowflakeFromTime } from '../../../../lib/shared/snowflake.ts';
import { FOREIGN_CHANNEL, useInteractionHarness } from '../../../support/interaction-harness.ts';
import {
  CHANNEL,
  command,
  GUILD,
  OTHER_CHANNEL,
  READER,
  SECRET_CHANNEL,
  str,
  USER,
} from '../../../support/interaction-payloads.ts';
import { hiddenFromEveryone, shownTo, shownToBot } from '../../../support/overwrites.ts';

const { state, send, discord } = useInteractionHarness();

/** A message sent an hour before the harness's clock, in `channelId`. */
const linkTo = (channelId: string, guildId = GUILD) =>
  `https://discord.com/channels/${guildId}/${channelId}/${snowflakeFromTime(new Date('2026-03-02T07:00:00Z'))}`;

const member = { permissions: READER, channelPermissions: READER };

describe('/summarize from:<message link>', () => {
  it('summarizes the channel of the link from that message on, for a member who can read it', async () => {
    const reply = await send(command('summarize', [str('from', linkTo(OTHER_CHANNEL))], member));
    expect(reply.json.type).toBe(5);
    expect(state.executor.inputs).toHaveLength(1);
    expect(state.executor.inputs[0]).toMatchObject({
      type: 'adhoc',
      channelIds: [OTHER_CHANNEL],
      window: { fromMessageId: snowflakeFromTime(new Date('2026-03-02T07:00:00Z')) },
    });
  });

  it('refuses a link into a channel the member cannot read, as Discord computes it', async () => {
    const reply = await send(command('summarize', [str('from', linkTo(SECRET_CHANNEL))], member));
    expect(reply.json.data.content).toMatch(
      new RegExp(`\\*\\*from\\*\\*: expected a channel you can read; you cannot read <#${SECRET_CHANNEL}>`),
    );
    expect(state.executor.inputs).toHaveLength(0);
  });

  it('lets a member with a role the private channel allows summarize it', async () => {
    const role = '945027906669510999';
    discord().setRole(GUILD, { id: role, permissions: 0n });
    discord().setPermissionOverwrites(SECRET_CHANNEL, [
      hiddenFromEveryone(GUILD),
      shownTo(role),
      shownToBot(discord()),
    ]);
    const reply = await send(
      command('summarize', [str('from', linkTo(SECRET_CHANNEL))], { ...member, roles: [role] }),
    );
    expect(reply.json.type).toBe(5);
    expect(state.executor.inputs[0]).toMatchObject({ channelIds: [SECRET_CHANNEL], requestedBy: USER });
  });

  it('tells a member who may read a channel the bot was not let into that the bot cannot see it', async () => {
    const role = '945027906669510998';
    const lounge = '945027906669510997';
    discord().setRole(GUILD, { id: role, permissions: 0n });
    discord().addChannel({
      id: lounge,
      guildId: GUILD,
      name: 'lounge',
      permissionOverwrites: [hiddenFromEveryone(GUILD), shownTo(role)],
    });
    const reply = await send(
      command('summarize', [str('from', linkTo(lounge))], { ...member, roles: [role] }),
    );
    expect(reply.json.data.content).toBe(
      `**from**: expected a channel the bot can see; give it View Channel in <#${lounge}>, then try again`,
    );
    expect(state.executor.inputs).toHaveLength(0);
  });

  it('refuses a link whose channel is in another server even when the link names this one', async () => {
    const reply = await send(command('summarize', [str('from', linkTo(FOREIGN_CHANNEL))], member));
    expect(reply.json.data.content).toMatch(/\*\*from\*\*: expected a channel of this server/);
    const elsewhere = await send(
      command('summarize', [str('from', linkTo(CHANNEL, '390926798626357111'))], member),
    );
    expect(elsewhere.json.data.content).toMatch(/\*\*from\*\*: .*another server/);
    expect(state.executor.inputs).toHaveLength(0);
  });
});
