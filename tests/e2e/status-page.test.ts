// biome-ignore-all lint/performance/useDomNodeTextContent: these tests assert the rendered text a person sees, which is what innerText returns
/**
 * The status page as a person sees it: Debian's Chromium (headless, through playwright-core) loads it from a
 * loopback server over seeded data. CI installs Chromium with apt; without it this file fails, loudly.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../lib/local/clock.ts';
import { type LocalRuntime, startLocalRuntime } from '../../lib/local/runtime.ts';
import { SAMPLE_CHANNELS, SAMPLE_GUILD } from '../../lib/local/sandbox/sample-server.ts';
import { createStatusRoutes } from '../../lib/local/status/status-routes.ts';
import { CountingRunMetrics } from '../../lib/observability/metrics.ts';
import { useEmbeddedStore } from '../support/embedded-dynamo.ts';
import { runRecord, type Seeded, START, seed, XSS_NAME } from '../support/status-fixtures.ts';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

describe('status page in Chromium', () => {
  const db = useEmbeddedStore({ tablePerTest: false });
  let browser: Browser;
  let server: Server;
  let base: string;
  let seeded: Seeded;
  let page: Page;
  let problems: string[];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `Chromium is not installed at ${CHROMIUM}: install Debian's package (apt-get install chromium) to run the status page tests`,
      );
    }
    const clock = new ManualClock(START);
    seeded = await seed(db.store, clock);
    const metrics = new CountingRunMetrics();
    metrics.runFinished('partial', 2_300, 42);
    metrics.deadLettered();
    const routes = createStatusRoutes({
      store: db.store,
      scheduler: seeded.scheduler,
      clock,
      metrics,
      schedulerStats: () => seeded.gateway.stats(),
      filesRoot: seeded.filesRoot,
      outboxRoot: seeded.outboxRoot,
      sandbox: true,
    });
    server = createServer((req, res) => {
      routes(req, res).then(
        (handled) => {
          if (!handled) res.writeHead(404).end();
        },
        (error: unknown) => res.writeHead(500).end(String(error)),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
    await seeded?.cleanup();
  });

  beforeEach(async () => {
    problems = [];
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    // A CSP violation or a script error would show up here: the page must run clean under its own policy.
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
  });

  afterEach(async () => {
    await page.close();
  });

  const card = (name: string) => page.locator('[data-testid="task-card"]', { hasText: name }).first();

  it('shows every task with its schedule in words and its next runs in its own zone', async () => {
    await page.goto(base);
    const names = await page.getByTestId('task-name').allInnerTexts();
    expect(names).toEqual(['Daily digest', 'Weekly review', XSS_NAME, 'Night owls']);

    const berlin = card('Daily digest');
    await expect
      .poll(() => berlin.getByTestId('task-schedule').innerText())
      .toBe('every day at 09:00 (Europe/Berlin)');
    expect(await berlin.getByTestId('next-run').allInnerTexts()).toEqual([
      'Tue 3 Mar 2026, 09:00 CET in 22 h',
      'Wed 4 Mar 2026, 09:00 CET in 2 d',
      'Thu 5 Mar 2026, 09:00 CET in 3 d',
    ]);
    const newYork = card('Weekly review');
    expect(await newYork.getByTestId('task-schedule').innerText()).toBe(
      'every Monday and Friday at 17:00 (America/New_York)',
    );
    expect(await newYork.getByTestId('next-run').first().innerText()).toBe(
      'Mon 2 Mar 2026, 17:00 EST in 12 h',
    );
    expect(await card('Night owls').getByTestId('task-state').innerText()).toBe('paused');
    expect(await card('Night owls').getByTestId('no-next-run').innerText()).toBe('none while paused');
    expect(problems).toEqual([]);
  });

  it('shows a hostile task name as text and runs none of it', async () => {
    await page.goto(base);
    expect(await page.getByText(XSS_NAME, { exact: true }).count()).toBe(1);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('main img').count()).toBe(0);
  });

  it('shows each run with its status per destination, links to what was delivered, skips and failures', async () => {
    await page.goto(base);
    const runs = card('Daily digest').getByTestId('run');
    const partial = runs.nth(0);
    expect(await partial.getByTestId('run-status').innerText()).toBe('partial');
    expect(await partial.getByTestId('run-usage').innerText()).toBe(
      '3,780 tokens (3,600 in, 180 out), about $0.0045',
    );
    const outcomes = partial.getByTestId('destination-outcome');
    expect(await outcomes.evaluateAll((els) => els.map((el) => el.getAttribute('data-status')))).toEqual([
      'delivered',
      'delivered',
      'delivered',
      'failed',
    ]);
    expect(await outcomes.nth(3).innerText()).toContain('HTTP 502 from hooks.example.com');
    const links = partial.getByTestId('delivered-link');
    expect(await links.allInnerTexts()).toEqual(['open in Discord', 'view file', 'view e-mail']);
    expect(await links.nth(0).getAttribute('href')).toMatch(/^https:\/\/discord\.com\/channels\//);

    const skipped = runs.nth(1);
    expect(await skipped.getByTestId('run-status').innerText()).toBe('skipped');
    expect(await skipped.getByTestId('skip-reason').innerText()).toBe('Skipped: only 0 messages (minimum 1)');
    const failed = card('Weekly review').getByTestId('run').first();
    expect(await failed.getByTestId('run-error').innerText()).toBe(
      'Missing access to channel 300000000000000002',
    );

    await links.nth(1).click();
    await page.waitForURL(/\/delivered\/files\/summaries\/daily\/2026-03-02\.md$/);
    expect(await page.locator('body').innerText()).toContain('Release 1.4 shipped');
  });

  it('shows dead letters and the scheduler counts', async () => {
    await page.goto(base);
    const letter = page.getByTestId('dead-letter');
    expect(await letter.count()).toBe(1);
    expect(await letter.innerText()).toContain('Weekly review');
    expect(await letter.getByTestId('dead-letter-error').innerText()).toBe(
      'Missing access to channel 300000000000000002 after 3 attempts',
    );
    const stat = async (key: string) =>
      (await page.getByTestId(`stat-${key}`).innerText()).replace(/\s+/g, ' ');
    expect(await stat('tasks-total')).toBe('4 tasks');
    expect(await stat('tasks-active')).toBe('3 active');
    expect(await stat('runs-partial')).toBe('1 partial');
    expect(await stat('timers-armed')).toBe('0 timers armed');
    expect(await stat('metric-DeadLetters')).toBe('1 dead letters');
    expect(await page.getByTestId('sandbox').innerText()).toBe('sandbox');
  });

  it('charts each server’s last 30 days: runs per day by outcome and messages summarized, all inline', async () => {
    const requested: string[] = [];
    page.on('request', (request) => requested.push(request.url()));
    await page.goto(base);
    const server = page.locator(`[data-testid="guild"][data-guild-id="${seeded.berlin.guildId}"]`);
    const chart = server.getByTestId('run-chart');
    expect(await chart.getByTestId('chart-summary').innerText()).toBe(
      'Last 30 days (UTC): 4 runs, 49 messages summarized',
    );
    expect(await chart.locator('svg').count()).toBe(1);
    const days = chart.getByTestId('chart-day');
    expect(await days.count()).toBe(30);
    expect(await days.first().getAttribute('data-date')).toBe('2026-02-01');
    const today = chart.locator('[data-testid="chart-day"][data-date="2026-03-02"]');
    expect(await today.locator('title').textContent()).toBe(
      'Mon 2 Mar: 1 run (1 partial), 42 messages summarized',
    );
    expect(await chart.locator('[data-date="2026-02-27"]').locator('title').textContent()).toBe(
      'Fri 27 Feb: 1 run (1 failed), 0 messages summarized',
    );
    // The bar is drawn (the page's CSS colours it): a partial segment of the full height, one run being the most.
    const bar = await today.locator('rect.c-partial').boundingBox();
    expect(bar?.height).toBeGreaterThan(50);
    expect(await chart.getByTestId('chart-messages').count()).toBe(1);
    // A server without runs in the window says so instead of drawing an empty chart.
    const other = page.locator('[data-testid="guild"]').nth(1).getByTestId('run-chart');
    expect(await other.locator('svg').count()).toBe(0);
    expect(requested.every((url) => url.startsWith(base))).toBe(true);
    expect(problems).toEqual([]);
  });

  it('reads on a 390 px phone without horizontal scrolling', async () => {
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
    try {
      await phone.goto(base);
      const overflow = await phone.evaluate(() => ({
        scroll: document.documentElement.scrollWidth,
        client: document.documentElement.clientWidth,
      }));
      expect(overflow.scroll).toBeLessThanOrEqual(overflow.client);
      // Cards stack: one column, each within the viewport.
      const boxes = await phone.getByTestId('task-card').evaluateAll((els) =>
        els.map((el) => {
          const r = el.getBoundingClientRect();
          return { left: Math.round(r.left), right: Math.round(r.right) };
        }),
      );
      expect(new Set(boxes.map((b) => b.left)).size).toBe(1);
      for (const box of boxes) expect(box.right).toBeLessThanOrEqual(390);
      await phone.screenshot({ path: '/tmp/status.png', fullPage: true });
    } finally {
      await phone.close();
    }
    await page.goto(base);
    await page.screenshot({ path: '/tmp/status-desktop.png', fullPage: true });
  });

  it('re-renders new data by itself and keeps the scroll position', async () => {
    await page.setViewportSize({ width: 390, height: 600 });
    await page.goto(base);
    const before = await page.getByTestId('updated-at').getAttribute('datetime');
    expect(await card('Night owls').getByTestId('no-runs').count()).toBe(1);
    await page.evaluate(() => window.scrollTo(0, 400));
    await db.store.putRun(
      runRecord(seeded.paused, '2026-03-02T09:00:00.000Z', {
        status: 'failed',
        error: 'Summarizer unavailable',
      }),
    );
    await page
      .locator('[data-testid="task-card"]', { hasText: 'Night owls' })
      .getByTestId('run-error')
      .waitFor({ timeout: 90_000 });
    expect(await card('Night owls').getByTestId('run-error').innerText()).toBe('Summarizer unavailable');
    expect(await page.evaluate(() => window.scrollY)).toBe(400);
    expect(await page.getByTestId('updated-at').getAttribute('datetime')).toBe(before);
    expect(problems).toEqual([]);
  });

  it('pages through a task’s whole run history and filters it by outcome', async () => {
    // 30 older daily runs of the Weekly review: every third failed.
    for (let day = 1; day <= 30; day++) {
      await db.store.putRun(
        runRecord(
          seeded.newYork,
          new Date(Date.UTC(2026, 0, day, 22)).toISOString(),
          day % 3 === 0 ? { status: 'failed', error: `Discord 503 on day ${day}` } : { messageCount: day },
        ),
      );
    }
    await page.goto(base);
    await card('Weekly review').getByTestId('run-history-link').click();
    await page.waitForURL(/\/runs\?/);
    expect(await page.getByTestId('history-task-name').innerText()).toBe('Weekly review');
    expect(await page.getByTestId('run').count()).toBe(20);
    await page.getByTestId('run-history-older').click();
    expect(await page.getByTestId('run').count()).toBe(12);
    expect(await page.getByTestId('run-history-older').count()).toBe(0);
    await page.locator('[data-testid="run-filter"][data-status="failed"]').click();
    await page.waitForURL(/status=failed/);
    const statuses = await page.getByTestId('run-status').allInnerTexts();
    expect(statuses).toHaveLength(11);
    expect(new Set(statuses)).toEqual(new Set(['failed']));
    expect(await page.getByTestId('run-error').first().innerText()).toBe(
      'Missing access to channel 300000000000000002',
    );
    await page.getByTestId('back-to-status').click();
    expect(await page.getByTestId('task-name').count()).toBe(4);
    expect(problems).toEqual([]);
  });
});

describe('status page of the real local runtime (sandbox)', () => {
  let runtime: LocalRuntime;
  let dataDir: string;
  let browser: Browser;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(`Chromium is not installed at ${CHROMIUM} (apt-get install chromium)`);
    dataDir = await mkdtemp(path.join(tmpdir(), 'status-runtime-'));
    runtime = await startLocalRuntime({
      env: { DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'ERROR' },
      report: () => undefined,
    });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });

  afterAll(async () => {
    await browser?.close();
    await runtime?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('shows a task the runtime ran, with links to the file and the e-mail it delivered', async () => {
    const task = await runtime.scheduler.createTask({
      kind: 'summary',
      guildId: SAMPLE_GUILD.id,
      name: 'Sandbox digest',
      channelIds: [SAMPLE_CHANNELS.general],
      schedule: { type: 'every', value: 1, unit: 'hours' },
      timeZone: 'Europe/Berlin',
      destinations: [
        { type: 'discord_channel', channelId: SAMPLE_CHANNELS.digest, format: 'embed' },
        { type: 'file', prefix: 'summaries/hourly' },
        { type: 'email', addresses: ['team@example.com'] },
      ],
      options: { lookback: { mode: 'fixed', hours: 720 } },
      createdBy: '1190000000000000201',
    });
    const sandboxClock = runtime.sandboxClock;
    if (!sandboxClock) throw new Error('expected the sandbox (no Discord credentials in the environment)');
    await sandboxClock.advance('61m');
    await expect
      .poll(async () => (await runtime.store.listRuns(task.id, { limit: 1 }))[0]?.status)
      .toMatch(/succeeded|partial/);

    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    try {
      await page.goto(`${runtime.url}/`);
      const card = page.locator('[data-testid="task-card"]', { hasText: 'Sandbox digest' });
      expect(await card.getByTestId('task-schedule').innerText()).toBe('every hour');
      // Names, not ids: read through Discord REST (the stand-in) with the bot token.
      expect(await page.getByTestId('guild-name').innerText()).toBe('Lantern Community');
      expect(await card.getByTestId('task-reads').innerText()).toBe('#general');
      expect(await card.getByTestId('task-destination').first().innerText()).toBe('#digest (embed)');
      expect(await page.getByTestId('sandbox').count()).toBe(1);
      const links = card.getByTestId('run').first().getByTestId('delivered-link');
      expect(await links.allInnerTexts()).toEqual(['open in Discord', 'view file', 'view e-mail']);
      const [fileHref, emlHref] = [
        await links.nth(1).getAttribute('href'),
        await links.nth(2).getAttribute('href'),
      ];
      const file = await page.request.get(`${runtime.url}${fileHref}`);
      expect(file.status()).toBe(200);
      expect(file.headers()['content-type']).toBe('text/plain; charset=utf-8');
      const eml = await page.request.get(`${runtime.url}${emlHref}`);
      expect(await eml.text()).toContain('Sandbox digest');
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow).toBeLessThanOrEqual(0);
    } finally {
      await page.close();
    }
  });
});
