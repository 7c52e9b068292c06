import { escapeHtml } from '../../delivery/render.ts';
import { lastRuns } from '../../shared/words.ts';
import { subscriberCountWords } from '../../tasks/subscribers.ts';
import { renderRunChart } from './chart-svg.ts';
import { renderTime } from './page-shell.ts';
import { collapseSkips, renderRun, renderSkips, runsHref, totalsWords } from './run-html.ts';
import type { StatusSnapshot } from './status-data.ts';
import type { TaskView } from './status-views.ts';

/** Every server's tasks as cards, with the server's 30-day chart; a note when the list is cut short. */
export function renderTasks(snapshot: StatusSnapshot, query: string): string {
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
${task.subscribers > 0 ? `<dt>By DM</dt><dd data-testid="task-subscribers">${escapeHtml(subscriberCountWords(task.subscribers))}</dd>` : ''}
<dt>Totals</dt><dd data-testid="task-totals">${totalsWords(m)}${m.consecutiveFailures > 0 ? ` · <strong class="bad">${escapeHtml(lastRuns(m.consecutiveFailures))} failed</strong>` : ''}</dd>
</dl>
<h5>Recent runs</h5>
${runs}
${task.runs.length ? `<p class="small"><a data-testid="run-history-link" href="${escapeHtml(runsHref(task.guildId, task.id, {}, query))}">All runs</a>${m.failureCount > 0 ? ` · <a data-testid="run-history-failed" href="${escapeHtml(runsHref(task.guildId, task.id, { status: 'failed' }, query))}">failed runs</a>` : ''}</p>` : ''}
</article>`;
}
