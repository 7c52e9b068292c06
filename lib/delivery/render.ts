import { escapeMarkdown, escapeMarkdownText, isDiscordMessageLink } from '../shared/markdown.ts';
import { plural } from '../shared/words.ts';
import { sectionHeadings } from '../summarization/sections.ts';
import type { KeyPoint, Summary } from '../summarization/summarizer.ts';
import type { DeliveryContext } from './deliverer.ts';

/** `discord` writes `<t:UNIX:f>` timestamps and neutralizes mentions; `standard` writes ISO instants. */
export type MarkdownFlavor = 'discord' | 'standard';

const ZWSP = '\u200b';
/** At most this many source links per item: enough to check a point, not enough to drown it. */
const MAX_SOURCES_PER_ITEM = 3;

/**
 * Breaks `@everyone`, `@here` and `<@…>` / `<@&…>` mentions with a zero-width space. Belt and braces only:
 * the guarantee that nobody is pinged is `allowed_mentions: { parse: [] }` on every body we send.
 */
export function neutralizeMentions(text: string): string {
  return text.replace(/@(everyone|here)/gi, `@${ZWSP}$1`).replace(/<@([!&]?\d)/g, `<@${ZWSP}$1`);
}

/** A Discord timestamp tag for an ISO instant (`<t:1700000000:f>`), or the input when it is not a date. */
export function discordTimestamp(iso: string, style: 'f' | 'F' | 'R' | 't' | 'd' = 'f'): string {
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? `<t:${Math.floor(ms / 1000)}:${style}>` : iso;
}

/** An ISO instant as people read it: `2026-12-02 09:30 UTC` (no seconds, no milliseconds). */
export function readableInstant(iso: string): string {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return iso;
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** The URL normalized when it is http(s), with parentheses escaped so it cannot end a Markdown link early. */
export function safeLinkUrl(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // Not a URL at all: the caller drops the link rather than render something clickable and wrong.
    return undefined;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return undefined;
  return parsed.href.replaceAll('(', '%28').replaceAll(')', '%29');
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function time(iso: string, flavor: MarkdownFlavor): string {
  return flavor === 'discord' ? discordTimestamp(iso) : readableInstant(iso);
}

/**
 * The bot's own jump links as numbered masked links (`[1](https://discord.com/channels/…)`); any other source
 * is shown as its URL, so no link text the bot did not choose ever hides where a link goes.
 */
function sourceLinks(sources: string[]): string {
  const links = sources
    .map(safeLinkUrl)
    .filter((u): u is string => u !== undefined)
    .slice(0, MAX_SOURCES_PER_ITEM)
    .map((u, i) => (isDiscordMessageLink(u) ? `[${i + 1}](${u})` : `<${u}>`));
  return links.length ? ` (${links.join(', ')})` : '';
}

function item(point: KeyPoint & { owner?: string }): string {
  // Quoted text is data: escaped, its code kept as code and closed, its links shown as their URLs.
  const text = escapeMarkdownText(point.text.trim());
  const owner = point.owner ? ` (owner: ${escapeMarkdown(point.owner)})` : '';
  return `- ${text}${owner}${sourceLinks(point.sources)}`;
}

/** A channel's section heading: `#general` stays a heading's text (only the name after `#` is data). */
function channelHeading(name: string): string {
  return name.startsWith('#') ? `#${escapeMarkdown(name.slice(1))}` : escapeMarkdown(name);
}

/** One titled section of a summary rendered as Markdown (its body has no heading). */
export interface MarkdownSection {
  name: string;
  body: string;
}

/** The list sections of a summary in display order; empty sections are left out. */
export function renderSections(summary: Summary, flavor: MarkdownFlavor = 'standard'): MarkdownSection[] {
  const headings = sectionHeadings(summary.focus);
  // A category or whole-server digest shows its key points by channel, one section each.
  const keyPoints = summary.channelSections
    ? summary.channelSections.map((c) => ({
        name: channelHeading(c.name),
        body: c.points.map(item).join('\n'),
      }))
    : [{ name: headings.keyPoints, body: summary.keyPoints.map(item).join('\n') }];
  const decisions = { name: headings.decisions, body: summary.decisions.map(item).join('\n') };
  // A catch-up leads with what concerns its reader, then what was decided.
  const lead = summary.forYou
    ? [{ name: 'For you', body: summary.forYou.map(item).join('\n') }, decisions, ...keyPoints]
    : [...keyPoints, decisions];
  const sections: MarkdownSection[] = [
    ...lead,
    { name: headings.actionItems, body: summary.actionItems.map(item).join('\n') },
    { name: headings.openQuestions, body: summary.openQuestions.map(item).join('\n') },
    {
      name: 'Participants',
      body: summary.participants
        .map((p) => `- ${escapeMarkdown(p.name)}: ${p.messages} message${p.messages === 1 ? '' : 's'}`)
        .join('\n'),
    },
    {
      name: 'Links',
      body: summary.links
        .map((l) => {
          const url = safeLinkUrl(l.url);
          return url ? `- <${url}> (shared by ${escapeMarkdown(l.sharedBy)})` : undefined;
        })
        .filter((l): l is string => l !== undefined)
        .join('\n'),
    },
  ];
  return sections
    .filter((s) => s.body.trim() !== '')
    .map((s) => (flavor === 'discord' ? { ...s, body: neutralizeMentions(s.body) } : s));
}

/** The line under the title: window and counts. */
export function renderWindowLine(context: DeliveryContext, flavor: MarkdownFlavor): string {
  const { stats } = context.summary;
  return `${time(context.window.from, flavor)} to ${time(context.window.to, flavor)} · ${plural(stats.messages, 'message')} · ${plural(stats.participants, 'participant')}`;
}

/** The whole summary as Markdown: Discord-flavoured for channel posts, standard for files. */
export function renderMarkdown(
  summary: Summary,
  context: DeliveryContext,
  options: { flavor?: MarkdownFlavor } = {},
): string {
  const flavor = options.flavor ?? 'standard';
  const ctx = { ...context, summary };
  const footer = summary.footer ? escapeMarkdown(summary.footer) : '';
  const parts = [
    `## ${escapeMarkdown(summary.title)}`,
    `**${escapeMarkdown(context.taskName)}** · ${renderWindowLine(ctx, flavor)}`,
    escapeMarkdownText(summary.overview.trim()),
    ...renderSections(summary, flavor).map((s) => `### ${s.name}\n${s.body}`),
  ];
  if (footer) parts.push(flavor === 'discord' ? `-# ${footer}` : `_${footer}_`);
  const text = parts.filter((p) => p !== '').join('\n\n');
  return flavor === 'discord' ? neutralizeMentions(text) : text;
}

/**
 * A summary made outside any task (the CLI's `summarize`) exactly as a Markdown post to a Discord channel
 * shows it: Discord timestamps, escaped text, the bot's jump links as numbered links.
 */
export function renderForDiscord(summary: Summary): string {
  const window = { from: summary.stats.from, to: summary.stats.to };
  const context: DeliveryContext = {
    taskId: 'adhoc',
    taskName: 'Summary',
    guildId: '',
    channelIds: [],
    scheduledTime: window.to,
    window,
    summary,
  };
  return renderMarkdown(summary, context, { flavor: 'discord' });
}

function plainItem(point: KeyPoint & { owner?: string }): string {
  const owner = point.owner ? ` (owner: ${oneLine(point.owner)})` : '';
  const sources = point.sources.slice(0, MAX_SOURCES_PER_ITEM).map((s) => `\n    source: ${s}`);
  return `  - ${point.text.trim()}${owner}${sources.join('')}`;
}

/** The summary as plain text (the text part of an e-mail). Instants in UTC, to the minute. */
export function renderPlainText(summary: Summary, context: DeliveryContext): string {
  const heading = (name: string) => `${name}\n${'-'.repeat(name.length)}`;
  const headings = sectionHeadings(summary.focus);
  const lists: [string, string[]][] = [
    ...(summary.forYou ? [['For you', summary.forYou.map(plainItem)] as [string, string[]]] : []),
    ...(summary.channelSections
      ? summary.channelSections.map((c): [string, string[]] => [oneLine(c.name), c.points.map(plainItem)])
      : [[headings.keyPoints, summary.keyPoints.map(plainItem)] as [string, string[]]]),
    [headings.decisions, summary.decisions.map(plainItem)],
    [headings.actionItems, summary.actionItems.map(plainItem)],
    [headings.openQuestions, summary.openQuestions.map(plainItem)],
    ['Participants', summary.participants.map((p) => `  - ${oneLine(p.name)}: ${p.messages}`)],
    ['Links', summary.links.map((l) => `  - ${l.url} (shared by ${oneLine(l.sharedBy)})`)],
  ];
  const parts = [
    oneLine(summary.title),
    '='.repeat(Math.min(oneLine(summary.title).length, 78)),
    `${context.taskName}: ${readableInstant(context.window.from)} to ${readableInstant(context.window.to)}, ${plural(summary.stats.messages, 'message')}, ${plural(summary.stats.participants, 'participant')}`,
    summary.overview.trim(),
    ...lists
      .filter(([, items]) => items.length > 0)
      .map(([name, items]) => `${heading(name)}\n${items.join('\n')}`),
  ];
  if (summary.footer) parts.push(`-- \n${oneLine(summary.footer)}`);
  return `${parts.filter((p) => p !== '').join('\n\n')}\n`;
}

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}

function htmlItem(point: KeyPoint & { owner?: string }): string {
  const owner = point.owner ? ` <em>(owner: ${escapeHtml(oneLine(point.owner))})</em>` : '';
  const links = point.sources
    .map(safeLinkUrl)
    .filter((u): u is string => u !== undefined)
    .slice(0, MAX_SOURCES_PER_ITEM)
    .map((u, i) => `<a href="${escapeHtml(u)}">${isDiscordMessageLink(u) ? i + 1 : escapeHtml(u)}</a>`);
  const sources = links.length ? ` <small>(${links.join(', ')})</small>` : '';
  return `<li>${escapeHtml(point.text.trim()).replace(/\n/g, '<br>')}${owner}${sources}</li>`;
}

/** The summary as a self-contained HTML document (the HTML part of an e-mail). Every input is escaped. */
export function renderHtml(summary: Summary, context: DeliveryContext): string {
  const headings = sectionHeadings(summary.focus);
  const list = (name: string, items: string[]) =>
    items.length ? `<h2>${escapeHtml(name)}</h2>\n<ul>\n${items.join('\n')}\n</ul>` : '';
  const body = [
    `<h1>${escapeHtml(oneLine(summary.title))}</h1>`,
    `<p><strong>${escapeHtml(context.taskName)}</strong>: ${escapeHtml(readableInstant(context.window.from))} to ${escapeHtml(readableInstant(context.window.to))}, ${plural(summary.stats.messages, 'message')}, ${plural(summary.stats.participants, 'participant')}</p>`,
    `<p>${escapeHtml(summary.overview.trim()).replace(/\n/g, '<br>')}</p>`,
    ...(summary.forYou ? [list('For you', summary.forYou.map(htmlItem))] : []),
    ...(summary.channelSections
      ? summary.channelSections.map((c) => list(oneLine(c.name), c.points.map(htmlItem)))
      : [list(headings.keyPoints, summary.keyPoints.map(htmlItem))]),
    list(headings.decisions, summary.decisions.map(htmlItem)),
    list(headings.actionItems, summary.actionItems.map(htmlItem)),
    list(headings.openQuestions, summary.openQuestions.map(htmlItem)),
    list(
      'Participants',
      summary.participants.map((p) => `<li>${escapeHtml(oneLine(p.name))}: ${p.messages}</li>`),
    ),
    list(
      'Links',
      summary.links.map((l) => {
        const url = safeLinkUrl(l.url);
        const shown = escapeHtml(l.url);
        const link = url ? `<a href="${escapeHtml(url)}">${shown}</a>` : shown;
        return `<li>${link} (shared by ${escapeHtml(oneLine(l.sharedBy))})</li>`;
      }),
    ),
    summary.footer ? `<p><small>${escapeHtml(oneLine(summary.footer))}</small></p>` : '',
  ].filter((p) => p !== '');
  return `<!doctype html>\n<html><head><meta charset="utf-8"><title>${escapeHtml(oneLine(summary.title))}</title></head>\n<body>\n${body.join('\n')}\n</body></html>\n`;
}

/** The JSON document a generic webhook receives and the `.json` file holds. */
export interface WebhookPayload {
  version: 1;
  task: { id: string; name: string };
  guildId: string;
  channelIds: string[];
  scheduledTime: string;
  window: { from: string; to: string };
  summary: Summary;
  stats: Summary['stats'];
}

/** The machine-readable form of one delivery. */
export function toWebhookPayload(context: DeliveryContext): WebhookPayload {
  return {
    version: 1,
    task: { id: context.taskId, name: context.taskName },
    guildId: context.guildId,
    channelIds: [...context.channelIds],
    scheduledTime: context.scheduledTime,
    window: { ...context.window },
    summary: context.summary,
    stats: context.summary.stats,
  };
}
