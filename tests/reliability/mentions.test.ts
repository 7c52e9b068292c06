/**
 * Mentions: a summary of messages full of @everyone, @here, role and user mentions pings nobody. The oracle is
 * the Discord stand-in, which computes `mention_everyone`, `mentions` and `mention_roles` as Discord does
 * (content only, filtered by `allowed_mentions` or its default); the control tests prove the oracle would
 * see a ping.
 */

import type { APIMessage } from 'discord-api-types/v10';
import { Routes } from 'discord-api-types/v10';
import { beforeEach, describe, expect, it } from 'vitest';
import { useEmbeddedStore } from '../support/embedded-dynamo.ts';
import {
  DIGEST,
  GENERAL,
  scheduledRun,
  seedConversation,
  summaryTask,
  useHarness,
} from '../support/executor-harness.ts';

const SCHEDULED = '2026-11-27T08:00:00.000Z';
const ROLE = '500000000000000001';
const BEN = { id: '400000000000000002', username: 'ben' };
const ANA = { id: '400000000000000001', username: 'ana' };

const LOUD_LINES = [
  '@everyone the deploy is broken, we decided to roll back to 4.2 today',
  '@here please stop merging until <@&500000000000000001> confirms the rollback',
  '<@400000000000000002> <@!400000000000000002> can you own the postmortem? decided: yes, Friday',
  '@everyone @here <@&500000000000000001> <@400000000000000001> final decision: rollback done, release Monday',
  'Ping @everyone again: the root cause was the linker running out of memory @here',
];

function mentionFields(message: APIMessage) {
  return {
    mention_everyone: message.mention_everyone,
    mentions: message.mentions.map((u) => u.id),
    mention_roles: message.mention_roles,
  };
}

describe('Summaries never ping (asserted on what the Discord stand-in received)', () => {
  const db = useEmbeddedStore();
  const h = useHarness(() => db.store, new Date('2026-11-27T08:00:20.000Z'));
  beforeEach(() => {
    LOUD_LINES.forEach((content, i) => {
      h.standIn.addMessage({
        channelId: GENERAL,
        author: i % 2 ? BEN : ANA,
        content,
        timestamp: new Date(Date.parse(SCHEDULED) - (60 - i) * 60_000),
        mentions: [BEN, ANA],
      });
    });
    seedConversation(h.standIn, GENERAL, new Date(SCHEDULED));
  });

  for (const format of ['embed', 'markdown'] as const) {
    it(`posts a ${format} summary of mention-laden messages that pings nobody`, async () => {
      await db.store.createTask(
        summaryTask({ destinations: [{ type: 'discord_channel', channelId: DIGEST, format }] }),
      );
      const outcome = await h.executor.execute(scheduledRun(SCHEDULED));
      expect(outcome.status).toBe('succeeded');
      const posted = h.standIn.postedMessages(DIGEST);
      expect(posted.length).toBeGreaterThan(0);
      // The summary really carries the loud text (so the test is not vacuous).
      expect(JSON.stringify(posted)).toMatch(/rollback|roll back/);
      for (const message of posted) {
        expect(mentionFields(message)).toEqual({ mention_everyone: false, mentions: [], mention_roles: [] });
      }
    });
  }
});

describe('Discord stand-in mention oracle (control)', () => {
  const db = useEmbeddedStore({ tablePerTest: false });
  const h = useHarness(() => db.store, new Date(SCHEDULED));
  beforeEach(() => {
    h.standIn.addMessage({ channelId: GENERAL, author: BEN, content: 'hello' });
  });

  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${h.standIn.apiUrl}/v10${path}`, {
      method: 'POST',
      headers: { Authorization: 'Bot test-bot-token', 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as APIMessage;
  };
  const LOUD = `@everyone <@&${ROLE}> <@${BEN.id}> <@!${ANA.id}>`;

  it('a raw post without allowed_mentions pings everyone, the role and both users', async () => {
    const message = await post(Routes.channelMessages(DIGEST), { content: LOUD });
    expect(mentionFields(message)).toEqual({
      mention_everyone: true,
      mentions: [BEN.id, ANA.id],
      mention_roles: [ROLE],
    });
    expect(message.mentions[0]?.username).toBe('ben');
  });

  it('@here alone pings like @everyone', async () => {
    expect((await post(Routes.channelMessages(DIGEST), { content: 'hi @here' })).mention_everyone).toBe(true);
  });

  it('allowed_mentions { parse: [] } silences the same content', async () => {
    const message = await post(Routes.channelMessages(DIGEST), {
      content: LOUD,
      allowed_mentions: { parse: [] },
    });
    expect(mentionFields(message)).toEqual({ mention_everyone: false, mentions: [], mention_roles: [] });
  });

  it('explicit user and role lists ping only the listed ids present in the content', async () => {
    const message = await post(Routes.channelMessages(DIGEST), {
      content: LOUD,
      allowed_mentions: { users: [BEN.id, '499999999999999999'], roles: [] },
    });
    expect(mentionFields(message)).toEqual({
      mention_everyone: false,
      mentions: [BEN.id],
      mention_roles: [],
    });
  });

  it('mentions inside embeds never ping', async () => {
    const message = await post(Routes.channelMessages(DIGEST), {
      embeds: [{ description: LOUD, fields: [{ name: '@everyone', value: LOUD }] }],
    });
    expect(mentionFields(message)).toEqual({ mention_everyone: false, mentions: [], mention_roles: [] });
  });

  it('webhook and interaction follow-ups default to parsing users only', async () => {
    h.standIn.registerInteraction({ token: 'tok', channelId: DIGEST });
    const message = await post(Routes.webhook(h.standIn.applicationId, 'tok'), { content: LOUD });
    expect(mentionFields(message)).toEqual({
      mention_everyone: false,
      mentions: [BEN.id, ANA.id],
      mention_roles: [],
    });
  });

  it('a zero-width space after @ (how summaries neutralize text) does not ping', async () => {
    const message = await post(Routes.channelMessages(DIGEST), { content: '@\u200beveryone @\u200bhere' });
    expect(message.mention_everyone).toBe(false);
  });
});
