import { CHART_OUTCOMES, type ChartDay, type RunChart } from './run-chart.ts';

const SLOT = 20;
const BAR = 14;
const TOP = 8;
const HEIGHT = 120;
const LABELS = 16;
const DAY_LABEL = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'short' });
const DAY_TITLE = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'UTC',
  weekday: 'short',
  day: 'numeric',
  month: 'short',
});

/** Escaping for text and attribute values inside the SVG (the page's own escaper would do; no import cycle). */
function esc(value: unknown): string {
  return String(value).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );
}

function runsOf(day: ChartDay): number {
  return CHART_OUTCOMES.reduce((sum, outcome) => sum + day[outcome], 0);
}

/** "Mon 2 Mar: 3 runs (2 succeeded, 1 failed), 42 messages summarized". */
export function dayWords(day: ChartDay): string {
  const at = new Date(`${day.date}T00:00:00Z`);
  const runs = runsOf(day);
  const parts = CHART_OUTCOMES.filter((o) => day[o] > 0).map((o) => `${day[o]} ${o}`);
  return `${DAY_TITLE.format(at).replace(',', '')}: ${runs === 0 ? 'no runs' : `${runs} run${runs === 1 ? '' : 's'} (${parts.join(', ')})`}, ${day.messages} message${day.messages === 1 ? '' : 's'} summarized`;
}

/**
 * A server's last days as an inline SVG: a stacked bar of runs by outcome per day (left scale) and a line of
 * messages summarized (its own scale, the largest day named). Colours come from the page's CSS classes,
 * so the chart needs no style attribute, no script and nothing from elsewhere: the page's CSP holds.
 */
export function renderRunChart(chart: RunChart | undefined, label: string): string {
  const days = chart?.days ?? [];
  if (!chart || days.length === 0) return '';
  const totalRuns = days.reduce((sum, d) => sum + runsOf(d), 0);
  const totalMessages = days.reduce((sum, d) => sum + d.messages, 0);
  // The days are the server's: the zone is named, so nobody reads them as their own.
  const summary = `<p class="small" data-testid="chart-summary">Last ${days.length} days (${esc(chart.timeZone)}): ${totalRuns} run${totalRuns === 1 ? '' : 's'}, ${totalMessages} message${totalMessages === 1 ? '' : 's'} summarized</p>`;
  if (totalRuns === 0) return `<div class="chart" data-testid="run-chart">${summary}</div>`;
  const maxRuns = Math.max(1, ...days.map(runsOf));
  const maxMessages = Math.max(0, ...days.map((d) => d.messages));
  const width = days.length * SLOT;
  const y = (fraction: number) => TOP + HEIGHT - fraction * HEIGHT;
  const bars = days
    .map((day, i) => {
      const x = i * SLOT + (SLOT - BAR) / 2;
      let base = 0;
      const rects = CHART_OUTCOMES.filter((o) => day[o] > 0)
        .map((outcome) => {
          const top = base + day[outcome];
          const rect = `<rect class="c-${outcome}" x="${x}" y="${y(top / maxRuns).toFixed(1)}" width="${BAR}" height="${((day[outcome] / maxRuns) * HEIGHT).toFixed(1)}"/>`;
          base = top;
          return rect;
        })
        .join('');
      return `<g data-testid="chart-day" data-date="${day.date}" data-runs="${runsOf(day)}" data-messages="${day.messages}"><title>${esc(dayWords(day))}</title><rect class="c-hit" x="${i * SLOT}" y="${TOP}" width="${SLOT}" height="${HEIGHT}"/>${rects}</g>`;
    })
    .join('');
  const line =
    maxMessages > 0
      ? `<polyline class="c-messages" data-testid="chart-messages" points="${days
          .map((d, i) => `${i * SLOT + SLOT / 2},${y(d.messages / maxMessages).toFixed(1)}`)
          .join(' ')}"/>`
      : '';
  const ticks = [0, Math.floor((days.length - 1) / 2), days.length - 1]
    .map((i, k) => {
      const day = days[i] as ChartDay;
      const anchor = k === 0 ? 'start' : k === 2 ? 'end' : 'middle';
      const x = k === 0 ? 0 : k === 2 ? width : i * SLOT + SLOT / 2;
      return `<text class="c-label" x="${x}" y="${TOP + HEIGHT + LABELS - 3}" text-anchor="${anchor}">${esc(DAY_LABEL.format(new Date(`${day.date}T00:00:00Z`)))}</text>`;
    })
    .join('');
  const scale = `<text class="c-label" x="2" y="${TOP + 10}">${maxRuns} run${maxRuns === 1 ? '' : 's'}</text>${maxMessages > 0 ? `<text class="c-label c-msg-label" x="${width - 2}" y="${TOP + 10}" text-anchor="end">${maxMessages} messages</text>` : ''}`;
  const legend = `<ul class="legend">${CHART_OUTCOMES.map((o) => `<li><span class="sw c-${o}"></span>${o}</li>`).join('')}<li><span class="sw sw-line"></span>messages summarized</li></ul>`;
  return `<div class="chart" data-testid="run-chart">${summary}
<svg viewBox="0 0 ${width} ${TOP + HEIGHT + LABELS}" role="img" aria-label="${esc(`Runs per day by outcome and messages summarized, last ${days.length} days, ${label}`)}" xmlns="http://www.w3.org/2000/svg"><line class="c-axis" x1="0" x2="${width}" y1="${TOP + HEIGHT}" y2="${TOP + HEIGHT}"/>${bars}${line}${scale}${ticks}</svg>
${legend}</div>`;
}

/** The chart's colours, in the page's palette (light and dark through the page's variables). */
export const CHART_CSS = `
.chart{margin:.2rem 0 .8rem;max-width:48rem}
.chart svg{display:block;width:100%;height:auto;overflow:visible}
.c-hit{fill:transparent}
.c-succeeded{fill:var(--good);background:var(--good)}
.c-partial{fill:var(--warn);background:var(--warn)}
.c-failed{fill:var(--bad);background:var(--bad)}
.c-skipped{fill:var(--muted);background:var(--muted)}
.c-missed{fill:var(--info);background:var(--info)}
.c-messages{fill:none;stroke:var(--fg);stroke-width:1.5;stroke-linejoin:round}
.c-axis{stroke:var(--line)}
.c-label{fill:var(--muted);font-size:9px}
.legend{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.2rem .8rem;font-size:.8rem;color:var(--muted)}
.sw{display:inline-block;width:.7rem;height:.7rem;border-radius:.15rem;margin-right:.3rem;vertical-align:-.05rem}
.sw-line{height:2px;background:var(--fg);vertical-align:.2rem}
`;
