import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentOf, type LlmStandIn, startLlmStandIn } from '../../support/llm-stand-in.ts';

let standIn: LlmStandIn;
beforeAll(async () => {
  standIn = await startLlmStandIn();
});
afterAll(() => standIn.close());

/** The CLI as a child process: asynchronous, so the stand-in in this process can answer it. */
function cli(args: string[], env: Record<string, string>) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bin/summary-bot.ts', 'summarize', ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('summary-bot summarize with an OpenAI-compatible server', () => {
  it('summarizes every --jsonl entry through the server, in the --language asked for', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'summarize-llm-'));
    const file = join(dir, 'chats.jsonl');
    writeFileSync(
      file,
      [
        JSON.stringify({ id: 'a', transcript: 'alice: the build is red\nbob: I will fix it today' }),
        JSON.stringify({ id: 2, dialogue: '#Person1#: Where is the station?\n#Person2#: Two blocks north.' }),
      ].join('\n'),
    );
    const { code, stdout, stderr } = await cli([file, '--jsonl', '--language', 'de'], {
      SUMMARIZER: 'openai-compatible',
      SUMMARIZER_MODEL: 'llama3.1',
      SUMMARIZER_BASE_URL: `${standIn.origin}/v1`,
    });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const lines = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.id)).toEqual(['a', 2]);
    expect(lines[0].summary).toContain('The team planned the release');
    expect(standIn.requests).toHaveLength(2);
    expect(documentOf(standIn.requests[1]!).messages[0]).toMatchObject({
      author: 'Person1',
      text: 'Where is the station?',
    });
    expect(standIn.requests[0]!.system).toContain('German (de)');
  });

  it('exits 2 naming the variable when the set-up is incomplete', async () => {
    const { code, stderr } = await cli(['-'], {
      SUMMARIZER: 'openai-compatible',
      SUMMARIZER_MODEL: 'llama3.1',
    });
    expect(code).toBe(2);
    expect(stderr).toContain('SUMMARIZER_BASE_URL');
  });
});
