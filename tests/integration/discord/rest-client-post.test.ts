import { DiscordAPIError } from '@discordjs/rest';
import { RESTJSONErrorCodes, Routes } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { createDiscordRest, DiscordRestClient } from '../../../lib/discord/rest.ts';
import { DeliveryError } from '../../../lib/errors.ts';
import { CHANNEL_ID, useRestHarness } from './fixtures.ts';

const INTERACTION_TOKEN = 'aW50ZXJhY3Rpb246c2VjcmV0LXRva2Vu';

async function rejection(promise: Promise<unknown>): Promise<DeliveryError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DeliveryError);
  return error as DeliveryError;
}

describe('DiscordRestClient posting', () => {
  const h = useRestHarness();

  it('posts a message and returns its id', async () => {
    const { id } = await h.client.postMessage(CHANNEL_ID, {
      content: 'Daily summary',
      allowed_mentions: { parse: [] },
    });

    const posted = h.standIn.postedMessages(CHANNEL_ID);
    expect(posted.map((m) => [m.id, m.content, m.author.id])).toEqual([
      [id, 'Daily summary', h.standIn.botUser.id],
    ]);
  });

  it('keeps posted messages in order', async () => {
    for (const content of ['one', 'two', 'three']) await h.client.postMessage(CHANNEL_ID, { content });
    expect(h.standIn.postedMessages(CHANNEL_ID).map((m) => m.content)).toEqual(['one', 'two', 'three']);
  });

  it('rejects an oversize message with 50035 as a permanent DeliveryError', async () => {
    const error = await rejection(h.client.postMessage(CHANNEL_ID, { content: 'x'.repeat(2001) }));

    expect(error.transient).toBe(false);
    expect(error.cause).toBeInstanceOf(DiscordAPIError);
    expect((error.cause as DiscordAPIError).code).toBe(RESTJSONErrorCodes.InvalidFormBodyOrContentType);
    expect(error.message).toMatch(/content\[BASE_TYPE_MAX_LENGTH\]: Must be 2000 or fewer in length/);
    expect(h.standIn.postedMessages(CHANNEL_ID)).toEqual([]);
  });

  it('rejects embeds over the 6000-character total', async () => {
    const embed = { description: 'd'.repeat(4000) };
    const error = await rejection(h.client.postMessage(CHANNEL_ID, { embeds: [embed, embed] }));
    expect((error.cause as DiscordAPIError).code).toBe(RESTJSONErrorCodes.InvalidFormBodyOrContentType);
    expect(error.message).toMatch(/MAX_EMBED_SIZE_EXCEEDED/);
  });

  it('rejects an empty message with 50006', async () => {
    const error = await rejection(h.client.postMessage(CHANNEL_ID, { content: '   ' }));
    expect((error.cause as DiscordAPIError).code).toBe(RESTJSONErrorCodes.CannotSendAnEmptyMessage);
  });

  it('returns the existing message for a repeated enforced nonce instead of posting twice', async () => {
    const body = { content: 'summary for run 42', nonce: 'run-42', enforce_nonce: true };

    const first = await h.client.postMessage(CHANNEL_ID, body);
    const second = await h.client.postMessage(CHANNEL_ID, body);

    expect(second.id).toBe(first.id);
    expect(h.standIn.postedMessages(CHANNEL_ID)).toHaveLength(1);
  });

  it('posts again for a repeated nonce when enforce_nonce is not set', async () => {
    await h.client.postMessage(CHANNEL_ID, { content: 'a', nonce: 'n1' });
    await h.client.postMessage(CHANNEL_ID, { content: 'a', nonce: 'n1' });
    expect(h.standIn.postedMessages(CHANNEL_ID)).toHaveLength(2);
  });

  it('maps a 403 on posting to a permanent DeliveryError', async () => {
    h.standIn.forbid(CHANNEL_ID);
    const error = await rejection(h.client.postMessage(CHANNEL_ID, { content: 'hi' }));
    expect(error.transient).toBe(false);
    expect((error.cause as DiscordAPIError).code).toBe(RESTJSONErrorCodes.MissingAccess);
  });

  it('waits out a 429 on posting and posts once', async () => {
    h.standIn.failNext(`POST ${Routes.channelMessages(CHANNEL_ID)}`, [{ status: 429, retryAfter: 0.05 }]);

    await h.client.postMessage(CHANNEL_ID, { content: 'after the limit' });

    expect(h.standIn.requests.map((r) => r.status)).toEqual([429, 200]);
    expect(h.standIn.postedMessages(CHANNEL_ID)).toHaveLength(1);
  });

  it('waits out a global 429 too', async () => {
    h.standIn.failNext(/^POST /, [{ status: 429, retryAfter: 0.05, global: true }]);
    await h.client.postMessage(CHANNEL_ID, { content: 'x' });
    expect(h.standIn.requests.map((r) => r.status)).toEqual([429, 200]);
  });

  it('retries a 5xx twice, then gives up with a transient DeliveryError', async () => {
    h.standIn.failNext(Routes.channelMessages(CHANNEL_ID), [
      { status: 503 },
      { status: 503 },
      { status: 503 },
      { status: 503 },
    ]);

    const error = await rejection(h.client.postMessage(CHANNEL_ID, { content: 'x' }));

    expect(error.transient).toBe(true);
    expect(h.standIn.requests.map((r) => r.status)).toEqual([503, 503, 503]);
  });

  it('turns a request Discord never answers into a transient DeliveryError after the timeout', async () => {
    // Long enough for each attempt to reach the stand-in on a loaded machine (at 100 ms the first one was
    // sometimes aborted before it arrived, and the test saw one request); the stand-in never answers anyway.
    const rest = createDiscordRest({ token: 't', api: h.standIn.apiUrl, timeoutMs: 2_000, retries: 1 });
    const client = new DiscordRestClient({ rest });
    h.standIn.failNext(Routes.channelMessages(CHANNEL_ID), [
      { status: 'no_response' },
      { status: 'no_response' },
    ]);

    const error = await rejection(client.postMessage(CHANNEL_ID, { content: 'x' }));

    expect(error.transient).toBe(true);
    expect(h.standIn.requests).toHaveLength(2);
    rest.clearHashSweeper();
    rest.clearHandlerSweeper();
  });

  it('posts once more when the connection closes before an answer, and Discord dedupes the enforced nonce', async () => {
    h.standIn.failNext(Routes.channelMessages(CHANNEL_ID), [{ status: 'close_connection' }]);

    await h.client.postMessage(CHANNEL_ID, { content: 'Daily summary', nonce: 'run-1', enforce_nonce: true });

    expect(h.standIn.postedMessages(CHANNEL_ID).map((m) => m.content)).toEqual(['Daily summary']);
    expect(h.standIn.requests.map((r) => r.status)).toEqual([0, 200]);
  });

  it('edits an interaction reply once more when the connection closes before an answer', async () => {
    h.standIn.failNext(/^PATCH \/webhooks\//, [{ status: 'close_connection' }]);
    await h.client.editOriginalResponse(h.standIn.applicationId, INTERACTION_TOKEN, { content: 'Done' });

    expect(h.standIn.interactionResponses(INTERACTION_TOKEN)).toMatchObject([
      { kind: 'edit_original', body: { content: 'Done' } },
    ]);
    expect(h.standIn.requests.map((r) => r.status)).toEqual([0, 200]);
  });

  it('does not repeat a post Discord may have acted on: no enforced nonce, a transient DeliveryError', async () => {
    h.standIn.failNext(Routes.channelMessages(CHANNEL_ID), [{ status: 'close_connection' }]);

    const error = await rejection(h.client.postMessage(CHANNEL_ID, { content: 'x' }));

    expect(error.transient).toBe(true);
    expect(error.message).toBe(`Could not reach Discord while posting to channel ${CHANNEL_ID}`);
    expect(h.standIn.requests.map((r) => r.status)).toEqual([0]);
  });

  it('edits the original interaction response without the bot token', async () => {
    await h.client.editOriginalResponse(h.standIn.applicationId, INTERACTION_TOKEN, { content: 'Done' });

    expect(h.standIn.interactionResponses(INTERACTION_TOKEN)).toMatchObject([
      { kind: 'edit_original', body: { content: 'Done' } },
    ]);
    expect(h.standIn.requests[0]).toMatchObject({
      method: 'PATCH',
      path: Routes.webhookMessage(h.standIn.applicationId, INTERACTION_TOKEN, '@original'),
    });
  });

  it('sends follow-ups with wait=true and returns their ids', async () => {
    const first = await h.client.followUp(h.standIn.applicationId, INTERACTION_TOKEN, { content: 'part 1' });
    const second = await h.client.followUp(h.standIn.applicationId, INTERACTION_TOKEN, { content: 'part 2' });

    expect(h.standIn.interactionResponses(INTERACTION_TOKEN)).toMatchObject([
      { kind: 'follow_up', body: { content: 'part 1' }, messageId: first.id },
      { kind: 'follow_up', body: { content: 'part 2' }, messageId: second.id },
    ]);
    expect(h.standIn.requests.every((r) => r.query['wait'] === 'true')).toBe(true);
  });

  it('shows edits and follow-ups in the channel of a registered interaction', async () => {
    h.standIn.registerInteraction({ token: INTERACTION_TOKEN, channelId: CHANNEL_ID });

    await h.client.editOriginalResponse(h.standIn.applicationId, INTERACTION_TOKEN, { content: 'Working' });
    await h.client.editOriginalResponse(h.standIn.applicationId, INTERACTION_TOKEN, { content: 'Summary' });
    await h.client.followUp(h.standIn.applicationId, INTERACTION_TOKEN, { content: 'more' });

    expect(h.standIn.messages(CHANNEL_ID).map((m) => m.content)).toEqual(['Summary', 'more']);
  });

  it('never puts the interaction token in the error of an expired interaction', async () => {
    h.standIn.expireInteraction(INTERACTION_TOKEN);

    const error = await rejection(
      h.client.editOriginalResponse(h.standIn.applicationId, INTERACTION_TOKEN, { content: 'late' }),
    );

    expect(error.transient).toBe(false);
    expect((error.cause as DiscordAPIError).code).toBe(RESTJSONErrorCodes.UnknownWebhook);
    expect(error.message).not.toContain(INTERACTION_TOKEN);
    expect((error.cause as DiscordAPIError).url).not.toContain(INTERACTION_TOKEN);
    expect(JSON.stringify(error, Object.getOwnPropertyNames(error))).not.toContain(INTERACTION_TOKEN);
  });

  it('rejects an oversize follow-up like a channel message', async () => {
    const error = await rejection(
      h.client.followUp(h.standIn.applicationId, INTERACTION_TOKEN, { embeds: [{ title: 't'.repeat(257) }] }),
    );
    expect(error.message).toMatch(/embeds\[0\]\.title/);
  });
});
