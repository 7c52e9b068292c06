import { escapeHtml } from '../../delivery/render.ts';
import { MetricName } from '../../observability/metric-names.ts';
import { pageDocument, type RenderOptions, renderTime } from './page-shell.ts';
import type { StatusSnapshot } from './status-data.ts';
import type { DeadLetterView } from './status-views.ts';
import { renderTasks } from './task-cards-html.ts';

/** How often the page fetches a fresh rendering of its content. */
export const REFRESH_MS = 5_000;
/** `GET /?fragment=main` answers the content fragment the refresh script swaps in. */
export const FRAGMENT_PARAM = 'fragment';
export const FRAGMENT_VALUE = 'main';

/** The whole page: head with inline CSS (nonce), the content and the refresh script (nonce). */
export function renderPage(snapshot: StatusSnapshot, nonce: string, options: RenderOptions = {}): string {
  return pageDocument({
    titleHtml: 'Summary Bot status',
    nonce,
    topBarHtml: '<p class="refresh" data-testid="refresh-status" role="status" aria-live="polite"></p>',
    bodyHtml: `<main id="status-main" data-testid="status-main">${renderMain(snapshot, options)}</main>
<script nonce="${escapeHtml(nonce)}">${script(options)}</script>`,
  });
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
  return `<li class="stat${tone && value > 0 ? ` t-${tone}` : ''}" data-testid="stat-${escapeHtml(key)}"><span class="n">${value}</span><span class="k">${escapeHtml(label)}</span></li>`;
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
