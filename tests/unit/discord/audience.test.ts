import { OverwriteType, PermissionFlagsBits as P } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import {
  type AudienceChannel,
  audienceAllows,
  describePrivate,
  isPublic,
} from '../../../lib/discord/audience.ts';
import type { GuildLike, OverwriteLike } from '../../../lib/discord/permissions.ts';

const GUILD = '100';
const MODS = '201';
const HELPERS = '202';
const A = '203';
const B = '204';
const MEMBER = '301';
const READ = (P.ViewChannel | P.ReadMessageHistory | P.SendMessages).toString();

const guild = (everyone: string, roles: Record<string, string> = {}): GuildLike => ({
  id: GUILD,
  ownerId: '999',
  roles: [
    { id: GUILD, permissions: everyone },
    ...Object.entries(roles).map(([id, permissions]) => ({ id, permissions })),
  ],
});
const role = (id: string, allow: bigint, deny: bigint): OverwriteLike => ({
  id,
  type: OverwriteType.Role,
  allow: allow.toString(),
  deny: deny.toString(),
});
const member = (id: string, allow: bigint, deny: bigint): OverwriteLike => ({
  ...role(id, allow, deny),
  type: OverwriteType.Member,
});
const channel = (id: string, ...overwrites: OverwriteLike[]): AudienceChannel => ({ id, overwrites });
/** Hidden from @everyone, shown to these roles. */
const privateTo = (id: string, ...roles: string[]) =>
  channel(id, role(GUILD, 0n, P.ViewChannel), ...roles.map((r) => role(r, P.ViewChannel, 0n)));

const home = guild(READ, { [MODS]: '0', [HELPERS]: '0', [A]: '0', [B]: '0' });
const general = channel('1');

describe('the audience rule (viewers of the destination must all read the source)', () => {
  it('lets a public channel go anywhere and a channel go to itself', () => {
    expect(audienceAllows(home, general, privateTo('2', MODS))).toEqual({ ok: true });
    expect(audienceAllows(home, privateTo('2', MODS), privateTo('2', MODS))).toEqual({ ok: true });
  });

  it('keeps a private channel out of a public one and names who it is private to', () => {
    const verdict = audienceAllows(home, privateTo('2', MODS), general);
    expect(verdict).toMatchObject({ ok: false, readers: [MODS] });
    if (verdict.ok) throw new Error('expected a refusal');
    expect(describePrivate('2', verdict.readers)).toBe(`<#2> is private to <@&${MODS}>`);
  });

  it('lets a private channel go to a channel private to the same role, not to one a second role also sees', () => {
    expect(audienceAllows(home, privateTo('2', MODS), privateTo('3', MODS))).toEqual({ ok: true });
    const verdict = audienceAllows(home, privateTo('2', MODS), privateTo('3', MODS, HELPERS));
    expect(verdict).toMatchObject({ ok: false, exposedTo: { roles: [HELPERS] } });
    // The other way round is fine: everyone in the Moderators' channel reads the wider one.
    expect(audienceAllows(home, privateTo('3', MODS, HELPERS), privateTo('2', MODS))).toEqual({ ok: true });
  });

  it('catches a member with two roles: one grants the view, the other is denied the source', () => {
    // @everyone sees nothing; A grants View and History server-wide; B alone sees nothing.
    const roles = guild('0', { [A]: (P.ViewChannel | P.ReadMessageHistory).toString(), [B]: '0' });
    const source = channel('2', role(B, 0n, P.ViewChannel));
    const verdict = audienceAllows(roles, source, general);
    expect(verdict).toMatchObject({ ok: false, exposedTo: { roles: [A, B] }, readers: [A] });
  });

  it('counts member overwrites on the destination and on the source', () => {
    const mods = privateTo('2', MODS);
    const modsAndOne = channel('3', ...privateTo('3', MODS).overwrites, member(MEMBER, P.ViewChannel, 0n));
    expect(audienceAllows(home, mods, modsAndOne)).toMatchObject({
      ok: false,
      exposedTo: { userId: MEMBER },
    });
    // Once that member may read the source as well, the digest may go there.
    const modsPlusMember = channel('2', ...mods.overwrites, member(MEMBER, P.ViewChannel, 0n));
    expect(audienceAllows(home, modsPlusMember, modsAndOne)).toEqual({ ok: true });
    // A public channel with one member shut out may not go to a channel that member sees.
    const allButOne = channel('4', member(MEMBER, 0n, P.ViewChannel));
    expect(audienceAllows(home, allButOne, general)).toMatchObject({
      ok: false,
      exposedTo: { userId: MEMBER },
    });
  });

  it('reads history as part of reading: a source without Read Message History for @everyone is private', () => {
    const noHistory = channel(
      '2',
      role(GUILD, 0n, P.ReadMessageHistory),
      role(MODS, P.ReadMessageHistory, 0n),
    );
    expect(audienceAllows(home, noHistory, general)).toMatchObject({ ok: false, readers: [MODS] });
    expect(isPublic(home, noHistory)).toBe(false);
    expect(isPublic(home, general)).toBe(true);
  });

  it('treats administrators as reading everything', () => {
    const admins = guild('0', { [A]: P.Administrator.toString() });
    expect(audienceAllows(admins, privateTo('2', MODS), channel('3', role(A, P.ViewChannel, 0n)))).toEqual({
      ok: true,
    });
  });
});
