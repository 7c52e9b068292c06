import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONVERSATION } from '../../support/conversation.ts';

function cli(args: string[], input = '') {
  const result = spawnSync(process.execPath, ['bin/summary-bot.mjs', 'summarize', ...args], {
    input,
    encoding: 'utf8',
    env: { ...process.env, SUMMARIZER: 'extractive' },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('summary-bot summarize', () => {
  it('prints a transcript read from stdin as a Markdown post to a Discord channel shows it', () => {
    const { code, stdout } = cli(['-'], CONVERSATION);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^## /);
    expect(stdout).toMatch(/^\*\*Summary\*\* · <t:\d+:f> to <t:\d+:f> · 9 messages/m);
    expect(stdout).toContain('### Decisions');
    expect(stdout).toContain('([1](https://discord.com/channels/0/0/3))');
    expect(stdout).not.toMatch(/\d{2}:\d{2}:\d{2}\.\d{3}Z/);
  });

  it('prints the structured summary with --json and honours --length', () => {
    const dir = mkdtempSync(join(tmpdir(), 'summarize-'));
    const file = join(dir, 'chat.txt');
    writeFileSync(file, CONVERSATION);
    const { code, stdout } = cli([file, '--json', '--length', 'brief', '--focus', 'developer']);
    expect(code).toBe(0);
    const summary = JSON.parse(stdout);
    expect(summary.stats.messages).toBe(9);
    expect(summary.keyPoints.length).toBeLessThanOrEqual(3);
  });

  it('writes one plain-text summary per line with --jsonl', () => {
    const input = [
      JSON.stringify({ id: 'a', transcript: 'alice: the build is red\nbob: I will fix it today' }),
      JSON.stringify({ id: 7, dialogue: '#Person1#: Where is the station?\n#Person2#: Two blocks north.' }),
    ].join('\n');
    const { code, stdout } = cli(['-', '--jsonl'], input);
    expect(code).toBe(0);
    const lines = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.id)).toEqual(['a', 7]);
    expect(lines[1].summary).toContain('Two blocks north');
  });

  it('exits 2 naming the line and field of bad input', () => {
    const bad = cli(['-', '--jsonl'], '{"id": 1, "transcript": "a: b"}\n{"id": 2}\n');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('line 2: transcript');

    const noSpeaker = cli(['-'], 'just some text\n');
    expect(noSpeaker.code).toBe(2);
    expect(noSpeaker.stderr).toContain('line 1');

    const badLength = cli(['-', '--length', 'huge'], CONVERSATION);
    expect(badLength.code).toBe(2);
    expect(badLength.stderr).toContain('--length');
  });
});
