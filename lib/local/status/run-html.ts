import { escapeHtml } from '../../delivery/render.ts';
import { plural } from '../../shared/words.ts';
import type { RunStatus } from '../../tasks/run-record.ts';
import type { DeliveredLink } from './delivered-links.ts';
import { renderTime } from './page-shell.ts';
import type { DestinationOutcomeView, RunView } from './status-views.ts';

/** Where the run history page answers. */
export const RUN_HISTORY_PATH = '/runs';

/** A link to a page of a task's run history; `query` carries the viewer's token on. */
export function runsHref(
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

/** Runs skipped one after another for the same reason: one line instead of a screenful. */
export interface SkipStreak {
  skips: RunView[];
}

/** Newest first in, newest first out; two or more consecutive skips with one reason become a streak. */
export function collapseSkips(runs: RunView[]): (RunView | SkipStreak)[] {
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

/** A skip streak as one line: how many times, since when, and why. */
export function renderSkips(streak: SkipStreak): string {
  const oldest = streak.skips.at(-1) as RunView;
  const reason = oldest.skipReason ? `: ${escapeHtml(oldest.skipReason)}` : '';
  return `<li class="run" data-testid="skip-streak" data-status="skipped">
<p class="run-h"><span class="badge st-skipped">skipped</span> <span data-testid="skip-streak-text">skipped ${streak.skips.length} times since ${escapeHtml(oldest.scheduledTime.local)}${reason}</span></p>
</li>`;
}

/** One run: outcome, time, facts, skip reason or error, and each destination's outcome with its link. */
export function renderRun(run: RunView, query: string): string {
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
${run.subscribers ? `<p class="small" data-testid="run-subscribers">${escapeHtml(run.subscribers)}</p>` : ''}
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
export function totalsWords(m: {
  runCount: number;
  successCount: number;
  failureCount: number;
  skipCount: number;
}): string {
  return `${plural(m.runCount, 'run')} · ${m.successCount} ok · ${m.failureCount} failed · ${m.skipCount} skipped`;
}

function formatDuration(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1_000)} s`;
}
