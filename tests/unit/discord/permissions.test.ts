import { OverwriteType, PermissionFlagsBits } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import {
  ALL_PERMISSIONS,
  canPost,
  canView,
  computeChannelPermissions,
  type GuildLike,
} from '../../../lib/discord/permissions.ts';

const P = PermissionFlagsBits;
const GUILD = '100000000000000001';
const A = '200000000000000001';
const B = '200000000000000002';
const USER = '300000000000000001';
const now = new Date('2026-03-02T08:00:00Z');
const bits = (...flags: bigint[]) => String(flags.reduce((all, f) => all | f, 0n));

const guild: GuildLike = {
  id: GUILD,
  ownerId: '300000000000000999',
  roles: [
    { id: GUILD, permissions: bits(P.ViewChannel, P.ReadMessageHistory, P.SendMessages) },
    { id: A, permissions: '0' },
    { id: B, permissions: bits(P.ManageMessages) },
  ],
};
const role = (id: string, allow: bigint, deny: bigint) => ({
  id,
  type: OverwriteType.Role,
  allow: String(allow),
  deny: String(deny),
});
const compute = (roles: string[], overwrites: ReturnType<typeof role>[], extra = {}) =>
  computeChannelPermissions({ guild, member: { userId: USER, roles, ...extra }, overwrites, now });

describe('computeChannelPermissions (Discord permissions.mdx, "Permission Overwrites")', () => {
  it('starts from @everyone OR the member roles', () => {
    expect(compute([B], [])).toBe(
      BigInt(bits(P.ViewChannel, P.ReadMessageHistory, P.SendMessages, P.ManageMessages)),
    );
  });

  it("ignores role positions: role A denies View Channel, role B allows it, the member sees the channel (the doc's example)", () => {
    const result = compute(
      [A, B],
      [role(GUILD, 0n, P.ViewChannel), role(A, 0n, P.ViewChannel), role(B, P.ViewChannel, 0n)],
    );
    expect(canView(result)).toBe(true);
  });

  it('applies @everyone, then the roles together, then the member, each deny before its allow', () => {
    const memberDeny = { id: USER, type: OverwriteType.Member, allow: '0', deny: String(P.SendMessages) };
    expect(canPost(compute([A], [role(GUILD, 0n, P.SendMessages), role(A, P.SendMessages, 0n)]))).toBe(true);
    expect(
      canPost(compute([A], [role(GUILD, 0n, P.SendMessages), role(A, P.SendMessages, 0n), memberDeny])),
    ).toBe(false);
  });

  it('gives the owner and Administrator everything, whatever the overwrites', () => {
    const hidden = [role(GUILD, 0n, P.ViewChannel)];
    expect(
      computeChannelPermissions({
        guild: { ...guild, ownerId: USER },
        member: { userId: USER, roles: [] },
        overwrites: hidden,
        now,
      }),
    ).toBe(ALL_PERMISSIONS);
    const admin: GuildLike = {
      ...guild,
      roles: [...guild.roles, { id: '200000000000000009', permissions: bits(P.Administrator) }],
    };
    expect(
      computeChannelPermissions({
        guild: admin,
        member: { userId: USER, roles: ['200000000000000009'] },
        overwrites: hidden,
        now,
      }),
    ).toBe(ALL_PERMISSIONS);
  });

  it('leaves a timed-out member only View Channel and Read Message History until the time-out ends', () => {
    const timedOut = compute([], [], { communicationDisabledUntil: '2026-03-02T09:00:00Z' });
    expect(timedOut).toBe(P.ViewChannel | P.ReadMessageHistory);
    expect(canPost(compute([], [], { communicationDisabledUntil: '2026-03-02T07:00:00Z' }))).toBe(true);
  });
});
