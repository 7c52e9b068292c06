import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../lib/errors.ts';
import { parseTranscript } from '../../../lib/summarization/transcript.ts';

describe('parseTranscript', () => {
  it('reads "Name: text" lines, appending continuation lines to the previous message', () => {
    const messages = parseTranscript(
      'alice: hello\nbob: the build: it failed\n  with exit code 2\n\nalice: ok',
    );
    expect(messages.map((m) => [m.authorName, m.content])).toEqual([
      ['alice', 'hello'],
      ['bob', 'the build: it failed\n  with exit code 2'],
      ['alice', 'ok'],
    ]);
    expect(messages.map((m) => m.id)).toEqual(['1', '2', '3']);
    expect(messages[1]?.jumpLink).toBe('https://discord.com/channels/0/0/2');
    expect(messages.map((m) => m.timestamp)).toEqual([
      '2024-01-01T00:00:00.000Z',
      '2024-01-01T00:01:00.000Z',
      '2024-01-01T00:02:00.000Z',
    ]);
  });

  it('reads DialogSum turns, naming speakers Person1, Person2', () => {
    const messages = parseTranscript('#Person1#: Hi, Tom.\n#Person2#: Hello!');
    expect(messages.map((m) => m.authorName)).toEqual(['Person1', 'Person2']);
  });

  it('does not take a URL or a long phrase before a colon for a speaker', () => {
    const messages = parseTranscript(
      'alice: see\nhttps://example.com/x\nthe thing we talked about yesterday: it works',
    );
    expect(messages).toHaveLength(1);
  });

  it('rejects a first line without a speaker, naming the line', () => {
    expect(() => parseTranscript('\nno speaker here')).toThrow(ValidationError);
    expect(() => parseTranscript('\nno speaker here')).toThrow(/line 2/);
  });

  it('reads a JSON array of message-like objects', () => {
    const messages = parseTranscript(
      JSON.stringify([
        { author: 'alice', content: 'hi' },
        {
          id: '99',
          authorName: 'bob',
          content: 'yo',
          timestamp: '2024-05-01T10:00:00+02:00',
          jumpLink: 'https://discord.com/channels/1/2/99',
        },
      ]),
    );
    expect(messages[0]).toMatchObject({ id: '1', authorName: 'alice', content: 'hi' });
    expect(messages[1]).toMatchObject({
      id: '99',
      authorName: 'bob',
      timestamp: '2024-05-01T08:00:00.000Z',
      jumpLink: 'https://discord.com/channels/1/2/99',
    });
  });

  it('takes an author named as a bot for one when the transcript does not say, and a flag it gives as given', () => {
    const authors = ['PantryBot', 'Carl-bot', 'rota_bot', 'Rota Bot', 'Talbot', 'healbot_kev', 'Abbot'];
    const messages = parseTranscript(JSON.stringify(authors.map((author) => ({ author, content: 'hi' }))));
    expect(messages.filter((m) => m.isBot).map((m) => m.authorName)).toEqual([
      'PantryBot',
      'Carl-bot',
      'rota_bot',
      'Rota Bot',
    ]);
    const flagged = parseTranscript(JSON.stringify([{ author: 'PantryBot', content: 'hi', isBot: false }]));
    expect(flagged[0]?.isBot).toBe(false);
  });

  it('keeps reply references and mentions of a JSON transcript', () => {
    const messages = parseTranscript(
      JSON.stringify([
        { id: '10', author: 'ana', content: 'who takes the invite?' },
        { id: '11', author: 'eli', content: '@ana me', replyTo: '10', mentions: ['ana'] },
        { id: 12, author: 'ben', content: 'ok', replyTo: 11, mentions: [{ id: '7', name: 'eli' }] },
      ]),
    );
    expect(messages[0]?.replyTo).toBeUndefined();
    expect(messages[1]).toMatchObject({ replyTo: '10', mentions: [{ id: 'transcript:ana', name: 'ana' }] });
    expect(messages[2]).toMatchObject({ id: '12', replyTo: '11', mentions: [{ id: '7', name: 'eli' }] });
  });

  it('says what a bad reply reference or mention should be', () => {
    expect(() => parseTranscript('[{"author": "a", "content": "x", "replyTo": true}]')).toThrow(
      /transcript\[0\]\.replyTo: expected the id of the message this one replies to/,
    );
    expect(() => parseTranscript('[{"author": "a", "content": "x", "mentions": [3]}]')).toThrow(
      /transcript\[0\]\.mentions\[0\]: expected a mentioned member/,
    );
  });

  it('names the field of a bad JSON entry', () => {
    expect(() => parseTranscript('[{"author": "a", "content": "x"}, {"content": "y"}]')).toThrow(
      /transcript\[1\]\.author/,
    );
    expect(() => parseTranscript('[{"author": "a", "content": 3}]')).toThrow(/transcript\[0\]\.content/);
    expect(() => parseTranscript('[{"author": "a",')).toThrow(/does not parse/);
  });
});
