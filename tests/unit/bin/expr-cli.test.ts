import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));

/** Runs the real CLI entry point; the tests run concurrently because each start costs about a second. */
function cli(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/summary-bot.mjs', 'expr', ...args], {
      cwd: root,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe.concurrent('summary-bot expr', () => {
  it('validate prints the expression in words and exits 0', async () => {
    const result = await cli('validate', 'cron(30 9 ? * MON-FRI *)');
    expect(result).toMatchObject({ code: 0, stdout: 'at 09:30 on Monday to Friday\n' });
  });

  it('validate exits 2 and names the field and rule of an invalid expression', async () => {
    const result = await cli('validate', 'cron(0 10 ? * 3#1,6#3 *)');
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/day-of-week: .*only one expression/);
  });

  it('next prints instants strictly after --from, in UTC without milliseconds', async () => {
    const result = await cli(
      'next',
      'cron(30 2 * * ? *)',
      '--tz',
      'America/Los_Angeles',
      '--from',
      '2026-03-07T10:30:00Z',
      '--count',
      '2',
    );
    expect(result).toMatchObject({ code: 0, stdout: '2026-03-09T09:30:00Z\n2026-03-10T09:30:00Z\n' });
  });

  it('next prints a future at() once and nothing for a past one', async () => {
    expect(await cli('next', 'at(2099-01-01T00:00:00)', '--tz', 'Etc/UTC')).toMatchObject({
      code: 0,
      stdout: '2099-01-01T00:00:00Z\n',
    });
    expect(await cli('next', 'at(2020-01-01T00:00:00)', '--tz', 'Etc/UTC')).toMatchObject({
      code: 0,
      stdout: '',
    });
  });

  it.each([
    [['next', 'rate(1 hour)', '--tz', 'Mars/Olympus'], /--tz/],
    [['next', 'rate(1 hour)'], /--tz/],
    [['next', 'rate(1 hour)', '--tz', 'Etc/UTC', '--from', 'yesterday'], /--from/],
    [['next', 'rate(1 hour)', '--tz', 'Etc/UTC', '--count', '0'], /--count/],
    [['next', 'rate(1 hour)', '--tz', 'Etc/UTC', '--count', 'many'], /--count/],
    [['next', 'rate(1 fortnight)', '--tz', 'Etc/UTC'], /rate unit/],
    [['frobnicate', 'rate(1 hour)'], /unknown command/],
    [['validate'], /missing the expression/],
  ])('exits 2 for bad input %j', async (args, message) => {
    const result = await cli(...args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });
});
