import { MetricName } from '../../observability/metric-names.ts';
import { lastRuns, plural } from '../../shared/words.ts';
import type { RunStatus } from '../../tasks/task.ts';
import { CHART_CSS, renderRunChart } from './chart-svg.ts';
import type { DeliveredLink } from './delivered-links.ts';
import type { ShownTime } from './shown-time.ts';
import type { RunHistory, StatusSnapshot } from './status-data.ts';
import type { DeadLetterView, DestinationOutcomeView, RunView, TaskView } from './status-views.ts';

/** How often the page fetches a fresh rendering of its content. */
export const REFRESH_MS = 5_000;
/** `GET /?fragment=main` answers the content fragment the refresh script swaps in. */
export const FRAGMENT_PARAM = 'fragment';
export const FRAGMENT_VALUE = 'main';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML content and double- or single-quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ESCAPES[c] as string);
}

/** What links on the page need: the query (with a token) that lets a non-loopback viewer follow them. */
export interface RenderOptions {
  /** Appended to same-origin links, e.g. `token=...`; empty for loopback viewers. */
  linkQuery?: string;
}

/** The whole page: head with inline CSS (nonce), the content and the refresh script (nonce). */
export function renderPage(snapshot: StatusSnapshot, nonce: string, options: RenderOptions = {}): string {
  const n = escapeHtml(nonce);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title>Summary Bot status</title>
<style nonce="${n}">${CSS}</style>
</head>
<body>
<header class="top">
<h1>Summary Bot <span class="muted">status</span></h1>
<p class="refresh" data-testid="refresh-status" role="status" aria-live="polite"></p>
</header>
<main id="status-main" data-testid="status-main">${renderMain(snapshot, options)}</main>
<script nonce="${n}">${script(options)}</script>
</body>
</html>`;
}

/** The content the refresh script replaces every few seconds. */
export function renderMain(snapshot: StatusSnapshot, options: RenderOptions = {}): string {
  const query = options.linkQuery ?? '';
  return [
    renderMeta(snapshot),
    renderStats(snapshot),
    renderDeadLetters(snapshot.deadLetters),
    renderTasks(snapshot, query),
  ].join('\n');
}

function renderMeta(snapshot: StatusSnapshot): string {
  const time = snapshot.generatedAt.slice(11, 19);
  return `<p class="meta">${snapshot.sandbox ? '<span class="badge b-sandbox" data-testid="sandbox">sandbox</span> ' : ''}Updated <time data-testid="updated-at" datetime="${escapeHtml(snapshot.generatedAt)}">${escapeHtml(time)} UTC</time> · refreshes every ${REFRESH_MS / 1000} s</p>`;
}

function stat(key: string, value: number, label: string, tone = ''): string {
  return `<li class="stat${tone && value > 0 ? ` t-${tone}` : ''}" data-testid="stat-${escapeHtml(key)}"><span class="n">${escapeHtml(value)}</span><span class="k">${escapeHtml(label)}</span></li>`;
}

function renderStats(snapshot: StatusSnapshot): string {
  const { scheduler, timers, metrics } = snapshot.stats;
  const tasks = [
    stat('tasks-total', scheduler.total, 'tasks'),
    stat('tasks-active', scheduler.byState.active, 'active'),
    stat('tasks-paused', scheduler.byState.paused, 'paused'),
    stat('tasks-disabled', scheduler.byState.disabled, 'disabled', 'bad'),
    stat('tasks-completed', scheduler.byState.completed, 'completed'),
    ...(scheduler.byState.pending > 0 ? [stat('tasks-pending', scheduler.byState.pending, 'pending')] : []),
  ];
  const day = scheduler.last24h;
  const runs = [
    stat('runs-24h', day.runs, 'runs'),
    stat('runs-succeeded', day.succeeded, 'succeeded', 'good'),
    stat('runs-partial', day.partial, 'partial', 'warn'),
    stat('runs-failed', day.failed, 'failed', 'bad'),
    ...(day.retrying > 0 ? [stat('runs-retrying', day.retrying, 'failed, retrying', 'warn')] : []),
    stat('runs-skipped', day.skipped, 'skipped'),
    stat('runs-missed', day.missed, 'missed', 'warn'),
  ];
  const timerStats = timers
    ? [
        stat('timers-armed', timers.armed, 'timers armed'),
        stat('timers-fired', timers.fired, 'fired since start'),
        stat('timers-in-flight', timers.inFlight, 'in flight'),
      ]
    : [];
  // Run outcomes are counted once, from the run records above: the in-memory run counters start at zero
  // with the process, leave out retried and dead-lettered runs and count /summarize, so beside the
  // 24-hour figures they would disagree ("6 failed" next to "5 runs failed").
  const metricStats = Object.entries(metrics ?? {})
    .filter(([name]) => !RUN_OUTCOME_COUNTERS.has(name))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, value]) => stat(`metric-${name}`, value, metricLabel(name)));
  return `<section class="panel" aria-labelledby="h-stats" data-testid="stats">
<h2 id="h-stats">Scheduler</h2>
<h3 class="sub">Tasks</h3><ul class="stats">${tasks.join('')}</ul>
<h3 class="sub">Runs in the last 24 hours${scheduler.runsSampled ? ' <span class="muted">(sampled)</span>' : ''}</h3><ul class="stats">${runs.join('')}</ul>
${timerStats.length ? `<h3 class="sub">Timers</h3><ul class="stats">${timerStats.join('')}</ul>` : ''}
${metricStats.length ? `<h3 class="sub">Since the bot started <span class="muted">(not kept across restarts)</span></h3><ul class="stats">${metricStats.join('')}</ul>` : ''}
</section>`;
}

/** Counters the run records already count (the page's run figures come from those). */
const RUN_OUTCOME_COUNTERS = new Set<string>([
  MetricName.RunsSucceeded,
  MetricName.RunsPartial,
  MetricName.RunsFailed,
  MetricName.RunsSkipped,
]);

/** `DeliveriesFailed.webhook` -> "deliveries failed (webhook)". */
function metricLabel(name: string): string {
  const [base = name, detail] = name.split('.', 2);
  const words = base.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return detail ? `${words} (${detail})` : words;
}

function renderDeadLetters(letters: DeadLetterView[]): string {
  const body = letters.length
    ? `<ul class="list">${letters.map(renderDeadLetter).join('')}</ul>`
    : '<p class="muted" data-testid="no-dead-letters">No dead letters.</p>';
  return `<section class="panel" aria-labelledby="h-dead" data-testid="dead-letters">
<h2 id="h-dead">Dead letters${letters.length ? ` <span class="count">${letters.length}</span>` : ''}</h2>
${body}
</section>`;
}

function renderDeadLetter(letter: DeadLetterView): string {
  const task = letter.taskName
    ? `<strong>${escapeHtml(letter.taskName)}</strong> <code>${escapeHtml(letter.taskId ?? '')}</code>`
    : letter.taskId
      ? `task <code>${escapeHtml(letter.taskId)}</code>`
      : 'unknown task';
  return `<li class="item" data-testid="dead-letter" data-id="${escapeHtml(letter.id)}">
<p>${task} <span class="badge">${escapeHtml(letter.source)}</span></p>
<p class="small">received ${renderTime(letter.receivedAt)}${letter.scheduledTime ? ` · run due ${escapeHtml(letter.scheduledTime)}` : ''}</p>
<p class="error" data-testid="dead-letter-error">${escapeHtml(letter.error)}</p>
</li>`;
}

function renderTasks(snapshot: StatusSnapshot, query: string): string {
  const note = snapshot.tasks.truncated
    ? `<p class="note" data-testid="tasks-truncated">Showing the first ${snapshot.tasks.shown} of ${snapshot.tasks.total} tasks.</p>`
    : '';
  const guilds = snapshot.guilds.length
    ? snapshot.guilds
        .map(
          (
            guild,
          ) => `<section class="guild" data-testid="guild" data-guild-id="${escapeHtml(guild.guildId)}" aria-label="Server ${escapeHtml(guild.name ?? guild.guildId)}">
<h3 class="guild-h">${guild.name ? `<span data-testid="guild-name">${escapeHtml(guild.name)}</span> <code class="muted small">${escapeHtml(guild.guildId)}</code>` : `Server <code>${escapeHtml(guild.guildId)}</code>`} <span class="muted">${guild.tasks.length} task${guild.tasks.length === 1 ? '' : 's'}</span></h3>
${renderRunChart(guild.chart, guild.name ?? `server ${guild.guildId}`)}
<div class="cards">${guild.tasks.map((task) => renderTask(task, query)).join('')}</div>
</section>`,
        )
        .join('\n')
    : '<p class="muted" data-testid="no-tasks">No tasks yet. Create one with <code>/schedule create</code> in Discord or <code>summary-bot tasks create</code>.</p>';
  return `<section aria-labelledby="h-tasks" data-testid="tasks">
<h2 id="h-tasks" class="section-h">Tasks <span class="count">${snapshot.tasks.total}</span></h2>
${note}${guilds}
</section>`;
}

function renderTask(task: TaskView, query: string): string {
  const m = task.metadata;
  const next = task.nextRuns.length
    ? `<ol class="next">${task.nextRuns.map((t) => `<li data-testid="next-run">${renderTime(t)}</li>`).join('')}</ol>`
    : `<span class="muted" data-testid="no-next-run">${task.state === 'active' ? 'no further runs' : `none while ${escapeHtml(task.state)}`}</span>`;
  const destinations = task.destinations.length
    ? `<ul class="plain">${task.destinations.map((d) => `<li data-testid="task-destination">${escapeHtml(d)}</li>`).join('')}</ul>`
    : '<span class="muted">none</span>';
  const runs = task.runs.length
    ? `<ol class="runs">${collapseSkips(task.runs)
        .map((entry) => ('skips' in entry ? renderSkips(entry) : renderRun(entry, query)))
        .join('')}</ol>`
    : '<p class="muted" data-testid="no-runs">No runs yet.</p>';
  return `<article class="card s-${escapeHtml(task.state)}" data-testid="task-card" data-task-id="${escapeHtml(task.id)}" data-state="${escapeHtml(task.state)}">
<header class="card-h">
<h4 data-testid="task-name">${escapeHtml(task.name)}</h4>
<p class="badges"><span class="badge">${escapeHtml(task.kind)}</span> <span class="badge st-${escapeHtml(task.state)}" data-testid="task-state">${escapeHtml(task.state)}</span></p>
</header>
<p class="id">id <code>${escapeHtml(task.id)}</code></p>
<dl>
<dt>Schedule</dt><dd data-testid="task-schedule">${escapeHtml(task.schedule)}</dd>
<dt>Time zone</dt><dd data-testid="task-zone">${escapeHtml(task.timeZone)}</dd>
<dt>Next runs</dt><dd>${next}</dd>
${task.reads.length ? `<dt>Reads</dt><dd data-testid="task-reads">${task.reads.map(escapeHtml).join(', ')}</dd>` : ''}
<dt>Sends to</dt><dd>${destinations}</dd>
<dt>Totals</dt><dd data-testid="task-totals">${totalsWords(m)}${m.consecutiveFailures > 0 ? ` · <strong class="bad">${escapeHtml(lastRuns(m.consecutiveFailures))} failed</strong>` : ''}</dd>
</dl>
<h5>Recent runs</h5>
${runs}
${task.runs.length ? `<p class="small"><a data-testid="run-history-link" href="${escapeHtml(runsHref(task.guildId, task.id, {}, query))}">All runs</a>${m.failureCount > 0 ? ` · <a data-testid="run-history-failed" href="${escapeHtml(runsHref(task.guildId, task.id, { status: 'failed' }, query))}">failed runs</a>` : ''}</p>` : ''}
</article>`;
}

/** The outcomes the run history filters by, in the order its filter links show them. */
export const RUN_FILTERS: readonly RunStatus[] = [
  'succeeded',
  'partial',
  'failed',
  'skipped',
  'missed',
  'running',
];
/** Where the run history page answers. */
export const RUN_HISTORY_PATH = '/runs';

/** A link to a page of a task's run history; `query` carries the viewer's token on. */
function runsHref(
  guildId: string,
  taskId: string,
  page: { status?: RunStatus; before?: string },
  query: string,
): string {
  const params = new URLSearchParams({ guild: guildId, task: taskId });
  if (page.status) params.set('status', page.status);
  if (page.before) params.set('before', page.before);
  return `${RUN_HISTORY_PATH}?${params.toString()}${query ? `&${query}` : ''}`;
}

/**
 * A task's run history: every run (no skip collapsing, so each can be looked at), newest first, a page at a
 * time, with links that filter by outcome. A page of its own that does not refresh: the reader pages through.
 */
export function renderRunHistoryPage(
  history: RunHistory,
  nonce: string,
  options: RenderOptions = {},
): string {
  const query = options.linkQuery ?? '';
  const n = escapeHtml(nonce);
  const { task } = history;
  const home = `/${query ? `?${query}` : ''}`;
  const filters = [
    `<li><a href="${escapeHtml(runsHref(history.guildId, task.id, {}, query))}" data-testid="run-filter" data-status="all"${history.status ? '' : ' aria-current="page"'}>all</a></li>`,
    ...RUN_FILTERS.map(
      (status) =>
        `<li><a href="${escapeHtml(runsHref(history.guildId, task.id, { status }, query))}" data-testid="run-filter" data-status="${status}"${history.status === status ? ' aria-current="page"' : ''}>${status}</a></li>`,
    ),
  ].join('');
  const what = history.status ? `${history.status} runs` : 'runs';
  const runs = history.runs.length
    ? `<ol class="runs" data-testid="run-history">${history.runs.map((run) => renderRun(run, query)).join('')}</ol>`
    : `<p class="muted" data-testid="no-runs">No ${escapeHtml(what)}${history.before ? ' before this page' : ''}.</p>`;
  const paging = [
    history.before
      ? `<a data-testid="run-history-newest" href="${escapeHtml(runsHref(history.guildId, task.id, history.status ? { status: history.status } : {}, query))}">← newest</a>`
      : '',
    history.olderBefore
      ? `<a data-testid="run-history-older" href="${escapeHtml(runsHref(history.guildId, task.id, { ...(history.status ? { status: history.status } : {}), before: history.olderBefore }, query))}">older runs →</a>`
      : '',
  ].filter(Boolean);
  const m = task.metadata;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title>${escapeHtml(task.name)}: runs · Summary Bot status</title>
<style nonce="${n}">${CSS}</style>
</head>
<body>
<header class="top">
<h1>Summary Bot <span class="muted">status</span></h1>
<p><a href="${escapeHtml(home)}" data-testid="back-to-status">← all tasks</a></p>
</header>
<main data-testid="run-history-main">
<section class="panel" aria-labelledby="h-history">
<h2 id="h-history"><span data-testid="history-task-name">${escapeHtml(task.name)}</span> <span class="muted">${escapeHtml(what)}</span></h2>
<p class="small">${escapeHtml(history.guildName ?? `server ${history.guildId}`)} · id <code>${escapeHtml(task.id)}</code> · ${escapeHtml(task.schedule)} · <span class="badge st-${escapeHtml(task.state)}">${escapeHtml(task.state)}</span></p>
<p class="small" data-testid="task-totals">${totalsWords(m)}</p>
<nav aria-label="Filter by outcome"><ul class="filters">${filters}</ul></nav>
${runs}
${paging.length ? `<p class="paging">${paging.join(' ')}</p>` : ''}
</section>
</main>
</body>
</html>`;
}

/** Runs skipped one after another for the same reason: one line instead of a screenful. */
interface SkipStreak {
  skips: RunView[];
}

/** Newest first in, newest first out; two or more consecutive skips with one reason become a streak. */
function collapseSkips(runs: RunView[]): (RunView | SkipStreak)[] {
  const out: (RunView | SkipStreak)[] = [];
  for (const run of runs) {
    const last = out.at(-1);
    const lastRun = last && ('skips' in last ? last.skips.at(-1) : last);
    if (run.status === 'skipped' && lastRun?.status === 'skipped' && lastRun.skipReason === run.skipReason) {
      if (last && 'skips' in last) last.skips.push(run);
      else out[out.length - 1] = { skips: [lastRun, run] };
    } else {
      out.push(run);
    }
  }
  return out;
}

function renderSkips(streak: SkipStreak): string {
  const oldest = streak.skips.at(-1) as RunView;
  const reason = oldest.skipReason ? `: ${escapeHtml(oldest.skipReason)}` : '';
  return `<li class="run" data-testid="skip-streak" data-status="skipped">
<p class="run-h"><span class="badge st-skipped">skipped</span> <span data-testid="skip-streak-text">skipped ${streak.skips.length} times since ${escapeHtml(oldest.scheduledTime.local)}${reason}</span></p>
</li>`;
}

function renderRun(run: RunView, query: string): string {
  const facts: string[] = [];
  if (run.trigger !== 'schedule') facts.push(escapeHtml(run.trigger));
  if (run.attempt > 1) facts.push(`attempt ${run.attempt}`);
  if (run.messageCount !== undefined)
    facts.push(`${run.messageCount} message${run.messageCount === 1 ? '' : 's'}`);
  if (run.durationMs !== undefined) facts.push(formatDuration(run.durationMs));
  if (run.usage) facts.push(`<span data-testid="run-usage">${escapeHtml(run.usage)}</span>`);
  const window = run.window
    ? `<p class="small" data-testid="run-window">${escapeHtml(windowWords(run.window))}</p>`
    : '';
  const destinations = run.destinations.length
    ? `<ul class="outcomes">${run.destinations.map((d) => renderOutcome(d, query)).join('')}</ul>`
    : '';
  return `<li class="run" data-testid="run" data-status="${escapeHtml(run.status)}">
<p class="run-h"><span class="badge st-${escapeHtml(run.status)}" data-testid="run-status">${escapeHtml(run.status)}</span> ${renderTime(run.scheduledTime)}</p>
${facts.length ? `<p class="small">${facts.join(' · ')}</p>` : ''}${window}
${run.skipReason ? `<p class="skip" data-testid="skip-reason">Skipped: ${escapeHtml(run.skipReason)}</p>` : ''}
${run.error ? `<p class="error" data-testid="run-error">${escapeHtml(run.error)}</p>` : ''}
${run.report ? `<p class="small" data-testid="run-report">${escapeHtml(run.report)}</p>` : ''}
${destinations}
</li>`;
}

function renderOutcome(outcome: DestinationOutcomeView, query: string): string {
  const link = outcome.link ? renderLink(outcome.link, query) : '';
  const receipt =
    !link && outcome.location ? ` <span class="small muted">${escapeHtml(outcome.location)}</span>` : '';
  return `<li data-testid="destination-outcome" data-status="${escapeHtml(outcome.status)}" data-type="${escapeHtml(outcome.type)}">
<span class="badge st-${escapeHtml(outcome.status)}">${escapeHtml(outcome.status)}</span> ${escapeHtml(outcome.label)}${link ? ` ${link}` : ''}${receipt}
${outcome.error ? `<span class="error small" data-testid="destination-error">${escapeHtml(outcome.error)}</span>` : ''}
</li>`;
}

function renderLink(link: DeliveredLink, query: string): string {
  const suffix = query ? `?${query}` : '';
  switch (link.kind) {
    case 'discord':
      return `<a data-testid="delivered-link" href="${escapeHtml(link.href)}" target="_blank" rel="noopener noreferrer">open in Discord</a>`;
    case 'file':
      return `<a data-testid="delivered-link" href="/delivered/files/${escapeHtml(link.path.split('/').map(encodeURIComponent).join('/'))}${escapeHtml(suffix)}">view file</a>`;
    case 'outbox':
      return `<a data-testid="delivered-link" href="/delivered/outbox/${escapeHtml(encodeURIComponent(link.name))}${escapeHtml(suffix)}">view e-mail</a>`;
  }
}

/** "Read messages from Mon 2 Mar 2026, 08:00 CET to 09:00 CET": the date once when the window is one day. */
function windowWords(window: { from: string; to: string }): string {
  const [fromDay, fromTime] = window.from.split(', ');
  const [toDay, toTime] = window.to.split(', ');
  const to = fromTime !== undefined && toTime !== undefined && fromDay === toDay ? toTime : window.to;
  return `Read messages from ${window.from} to ${to}`;
}

/** "1 run · 1 ok · 0 failed · 0 skipped". */
function totalsWords(m: {
  runCount: number;
  successCount: number;
  failureCount: number;
  skipCount: number;
}): string {
  return `${plural(m.runCount, 'run')} · ${m.successCount} ok · ${m.failureCount} failed · ${m.skipCount} skipped`;
}

function renderTime(time: ShownTime): string {
  return `<time datetime="${escapeHtml(time.iso)}">${escapeHtml(time.local)}</time> <span class="rel">${escapeHtml(time.relative)}</span>`;
}

function formatDuration(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1_000)} s`;
}

/** Swaps in a fresh rendering of the content; keeps the scroll position and pauses while the tab is hidden. */
function script(options: RenderOptions): string {
  const url = `/?${FRAGMENT_PARAM}=${FRAGMENT_VALUE}${options.linkQuery ? `&${options.linkQuery}` : ''}`;
  // JSON.stringify then escaping `<` keeps the URL from ever closing the script element.
  const literal = JSON.stringify(url).replace(/</g, '\\u003c');
  return `(function () {
  var main = document.getElementById('status-main');
  var note = document.querySelector('[data-testid="refresh-status"]');
  var busy = false;
  function refresh() {
    if (busy || document.visibilityState === 'hidden') return;
    busy = true;
    fetch(${literal}, { cache: 'no-store', credentials: 'same-origin' })
      .then(function (r) { if (!r.ok) throw new Error('HTTP ' + r.status); return r.text(); })
      .then(function (html) { main.innerHTML = html; note.textContent = ''; note.className = 'refresh'; })
      .catch(function (e) { note.textContent = 'Cannot reach the bot (' + e.message + '); retrying.'; note.className = 'refresh bad'; })
      .finally(function () { busy = false; });
  }
  setInterval(refresh, ${REFRESH_MS});
  document.addEventListener('visibilitychange', refresh);
})();`;
}

const CSS = `
:root{--bg:#f6f7f9;--fg:#1b1f24;--muted:#5b6470;--card:#fff;--line:#d9dde3;--good:#1a7f37;--good-bg:#dcf5e3;--warn:#8a5a00;--warn-bg:#fff1c9;--bad:#b42318;--bad-bg:#fde4e1;--info:#2450b2;--info-bg:#e3ebfd;--chip:#eceff3;--link:#2450b2}
@media (prefers-color-scheme:dark){:root{--bg:#0f1216;--fg:#e6e9ee;--muted:#9aa4b1;--card:#171b21;--line:#2b323c;--good:#6fdd8b;--good-bg:#15361f;--warn:#f2c45a;--warn-bg:#3a2e0f;--bad:#ff8f85;--bad-bg:#451a17;--info:#8fb0ff;--info-bg:#1b2844;--chip:#242a33;--link:#8fb0ff}}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;overflow-wrap:anywhere}
a{color:var(--link)}
code{font:0.9em ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
h1,h2,h3,h4,h5,p,dl,dd,ol,ul{margin:0}
.top{display:flex;flex-wrap:wrap;gap:.25rem 1rem;align-items:baseline;justify-content:space-between;padding:.9rem 1rem;border-bottom:1px solid var(--line);background:var(--card);position:sticky;top:0;z-index:1}
.top h1{font-size:1.15rem}
main{max-width:78rem;margin:0 auto;padding:1rem;display:grid;gap:1rem}
.muted{color:var(--muted);font-weight:normal}
.small{font-size:.85rem;color:var(--muted)}
.meta{color:var(--muted);font-size:.9rem}
.refresh{font-size:.85rem;color:var(--muted)}
.refresh.bad,.bad{color:var(--bad)}
.panel,.card{background:var(--card);border:1px solid var(--line);border-radius:.6rem;padding:.9rem 1rem}
.panel h2,.section-h{font-size:1.05rem;margin-bottom:.5rem}
.sub{font-size:.8rem;text-transform:uppercase;letter-spacing:.04em;color:var(--muted);margin:.6rem 0 .35rem}
.count{display:inline-block;min-width:1.6em;padding:0 .4em;border-radius:1em;background:var(--chip);font-size:.8em;text-align:center;font-weight:600}
.stats{list-style:none;padding:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(6rem,1fr));gap:.4rem}
.stat{border:1px solid var(--line);border-radius:.45rem;padding:.3rem .5rem;display:flex;flex-direction:column;line-height:1.25}
.stat .n{font-size:1.2rem;font-weight:650;font-variant-numeric:tabular-nums}
.stat .k{font-size:.8rem;color:var(--muted)}
.stat.t-good .n{color:var(--good)}.stat.t-warn .n{color:var(--warn)}.stat.t-bad .n{color:var(--bad)}
.list{list-style:none;padding:0;display:grid;gap:.6rem}
.item{border-left:3px solid var(--bad);padding:.2rem 0 .2rem .7rem;display:grid;gap:.15rem}
.error{color:var(--bad)}
.skip{color:var(--warn)}
.note{background:var(--warn-bg);color:var(--warn);padding:.4rem .7rem;border-radius:.4rem;margin-bottom:.6rem}
.guild{margin-top:.6rem}
.guild-h{font-size:.95rem;margin:.3rem 0 .6rem}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,24rem),1fr));gap:1rem;align-items:start}
.card{display:grid;gap:.5rem;min-width:0}
.card.s-paused,.card.s-completed{opacity:.85}
.card.s-disabled{border-color:var(--bad)}
.card-h{display:flex;flex-wrap:wrap;gap:.3rem .6rem;align-items:baseline;justify-content:space-between}
.card-h h4{font-size:1.05rem}
.id{font-size:.8rem;color:var(--muted)}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.3rem .8rem;font-size:.92rem}
dt{color:var(--muted)}
dd{min-width:0}
@media (max-width:30rem){main{padding:.75rem .6rem;gap:.75rem}.panel,.card{padding:.75rem}dl{grid-template-columns:1fr;gap:0}dd{margin-bottom:.3rem}.stat .k{font-size:.75rem}}
.next{padding-left:1.1rem}
.filters{list-style:none;padding:0;margin:.5rem 0;display:flex;flex-wrap:wrap;gap:.35rem}
.filters a{display:inline-block;padding:.1rem .6rem;border:1px solid var(--line);border-radius:1em;text-decoration:none}
.filters a[aria-current]{background:var(--chip);font-weight:600;color:var(--fg)}
.paging{display:flex;justify-content:space-between;gap:1rem;margin-top:.6rem}
${CHART_CSS}
.plain{list-style:none;padding:0}
.rel{color:var(--muted);font-size:.85em;white-space:nowrap}
h5{font-size:.8rem;text-transform:uppercase;letter-spacing:.04em;color:var(--muted);margin-top:.3rem}
.runs{list-style:none;padding:0;display:grid;gap:.45rem}
.run{border-top:1px solid var(--line);padding-top:.45rem;display:grid;gap:.15rem;font-size:.92rem}
.outcomes{list-style:none;padding:0;display:grid;gap:.2rem;margin-top:.15rem}
.outcomes li{font-size:.88rem}
.badge{display:inline-block;padding:.05em .5em;border-radius:.35em;background:var(--chip);font-size:.78rem;font-weight:600;line-height:1.5;white-space:nowrap;vertical-align:1px}
.st-active,.st-succeeded,.st-delivered{background:var(--good-bg);color:var(--good)}
.st-partial,.st-paused,.st-missed,.st-pending,.st-running{background:var(--warn-bg);color:var(--warn)}
.st-failed,.st-disabled{background:var(--bad-bg);color:var(--bad)}
.st-skipped,.st-completed{background:var(--chip);color:var(--muted)}
.b-sandbox{background:var(--info-bg);color:var(--info)}
`;
