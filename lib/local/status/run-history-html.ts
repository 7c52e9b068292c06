import { escapeHtml } from '../../delivery/render.ts';
import type { RunStatus } from '../../tasks/run-record.ts';
import { pageDocument, type RenderOptions } from './page-shell.ts';
import { renderRun, runsHref, totalsWords } from './run-html.ts';
import type { RunHistory } from './status-data.ts';

/** The outcomes the run history filters by, in the order its filter links show them. */
export const RUN_FILTERS: readonly RunStatus[] = [
  'succeeded',
  'partial',
  'failed',
  'skipped',
  'missed',
  'running',
];

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
  return pageDocument({
    titleHtml: `${escapeHtml(task.name)}: runs · Summary Bot status`,
    nonce,
    topBarHtml: `<p><a href="${escapeHtml(home)}" data-testid="back-to-status">← all tasks</a></p>`,
    bodyHtml: `<main data-testid="run-history-main">
<section class="panel" aria-labelledby="h-history">
<h2 id="h-history"><span data-testid="history-task-name">${escapeHtml(task.name)}</span> <span class="muted">${escapeHtml(what)}</span></h2>
<p class="small">${escapeHtml(history.guildName ?? `server ${history.guildId}`)} · id <code>${escapeHtml(task.id)}</code> · ${escapeHtml(task.schedule)} · <span class="badge st-${escapeHtml(task.state)}">${escapeHtml(task.state)}</span></p>
<p class="small" data-testid="task-totals">${totalsWords(m)}</p>
<nav aria-label="Filter by outcome"><ul class="filters">${filters}</ul></nav>
${runs}
${paging.length ? `<p class="paging">${paging.join(' ')}</p>` : ''}
</section>
</main>`,
  });
}
