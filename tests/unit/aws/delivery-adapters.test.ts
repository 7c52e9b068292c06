import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { S3FileStore } from '../../../lib/aws/s3-file-store.ts';
import { SesEmailSender } from '../../../lib/aws/ses-email-sender.ts';
import { EmailDeliverer } from '../../../lib/delivery/email.ts';
import { FileDeliverer } from '../../../lib/delivery/file.ts';
import { DeliveryError } from '../../../lib/errors.ts';
import { CHANNEL, GUILD, makeContext } from '../../support/delivery-fixtures.ts';

const ses = mockClient(SESv2Client);
const s3 = mockClient(S3Client);
afterEach(() => {
  ses.reset();
  s3.reset();
});
// Unit test files share a worker (isolate: false): leave the SDK clients as the next file expects them.
afterAll(() => {
  ses.restore();
  s3.restore();
});

function awsError(name: string, status: number): Error {
  return Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });
}

describe('SesEmailSender', () => {
  it('sends SendEmail with simple content, text and HTML, UTF-8', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'msg-1' });
    const deliverer = new EmailDeliverer({
      sender: new SesEmailSender({
        client: new SESv2Client({ region: 'eu-west-1' }),
        from: 'bot@example.com',
      }),
    });
    const receipt = await deliverer.deliver(
      { type: 'email', addresses: ['a@example.com', 'b@example.com'] },
      makeContext(),
    );
    expect(receipt.location).toBe('email:msg-1');
    expect(ses).toHaveReceivedCommandExactlyOnceWith(SendEmailCommand, {
      FromEmailAddress: 'bot@example.com',
      Destination: { ToAddresses: ['a@example.com', 'b@example.com'] },
      Content: {
        Simple: {
          Subject: { Data: 'Weekly #general digest (Weekly digest)', Charset: 'UTF-8' },
          Body: {
            Text: { Data: expect.stringContaining('Key points\n----------'), Charset: 'UTF-8' },
            Html: { Data: expect.stringContaining('<h2>Key points</h2>'), Charset: 'UTF-8' },
          },
        },
      },
    });
  });

  it('maps throttling to a transient error and a rejected message to a permanent one', async () => {
    const sender = new SesEmailSender({
      client: new SESv2Client({ region: 'eu-west-1' }),
      from: 'bot@example.com',
    });
    const message = { to: ['a@example.com'], subject: 's', text: 't', html: 'h' };
    ses.on(SendEmailCommand).rejects(awsError('TooManyRequestsException', 429));
    await expect(sender.send(message)).rejects.toMatchObject({ name: 'DeliveryError', transient: true });
    ses.reset();
    ses.on(SendEmailCommand).rejects(awsError('MessageRejected', 400));
    await expect(sender.send(message)).rejects.toMatchObject({ name: 'DeliveryError', transient: false });
  });
});

describe('S3FileStore', () => {
  it('puts the Markdown and JSON objects under prefix/guild/channel/time', async () => {
    s3.on(PutObjectCommand).resolves({});
    const deliverer = new FileDeliverer({
      store: new S3FileStore({ client: new S3Client({ region: 'eu-west-1' }), bucket: 'summaries-bucket' }),
    });
    const receipt = await deliverer.deliver({ type: 'file', prefix: 'weekly/general' }, makeContext());
    const key = `weekly/general/${GUILD}/${CHANNEL}/2024-05-08T09-00-00.000Z`;
    expect(receipt.location).toBe(`s3://summaries-bucket/${key}.md`);
    expect(s3).toHaveReceivedCommandTimes(PutObjectCommand, 2);
    expect(s3).toHaveReceivedNthCommandWith(PutObjectCommand, 1, {
      Bucket: 'summaries-bucket',
      Key: `${key}.md`,
      Body: expect.stringContaining('## Weekly #general digest'),
      ContentType: 'text/markdown; charset=utf-8',
    });
    expect(s3).toHaveReceivedNthCommandWith(PutObjectCommand, 2, {
      Bucket: 'summaries-bucket',
      Key: `${key}.json`,
      Body: expect.stringContaining('"version": 1'),
      ContentType: 'application/json; charset=utf-8',
    });
  });

  it('refuses keys that are not plain relative keys', async () => {
    const store = new S3FileStore({ client: new S3Client({ region: 'eu-west-1' }), bucket: 'b' });
    for (const key of ['../x', '/abs', 'a/../b', 'a//b']) {
      await expect(store.write(key, 'x', 'text/plain')).rejects.toBeInstanceOf(DeliveryError);
    }
    expect(s3).not.toHaveReceivedCommand(PutObjectCommand);
  });

  it('maps 5xx to a transient error', async () => {
    s3.on(PutObjectCommand).rejects(awsError('InternalError', 500));
    const store = new S3FileStore({ client: new S3Client({ region: 'eu-west-1' }), bucket: 'b' });
    await expect(store.write('a/b.md', 'x', 'text/plain')).rejects.toMatchObject({ transient: true });
  });
});
