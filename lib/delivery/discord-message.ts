import { createHash } from 'node:crypto';
import {
  type APIEmbed,
  type APIEmbedField,
  MessageFlags,
  type RESTPostAPIChannelMessageJSONBody,
} from 'discord-api-types/v10';
import { escapeMarkdown, escapeMarkdownText } from '../shared/markdown.ts';
import type { Summary } from '../summarization/summarizer.ts';
import type { DeliveryContext } from './deliverer.ts';
import { neutralizeMentions, renderMarkdown, renderSections, renderWindowLine } from './render.ts';
import { hardSplit, splitMarkdown } from './split-text.ts';

/** Discord's message and embed limits (FACTS B4), counted in UTF-16 code units, which never undercounts. */
export const DISCORD_LIMITS = {
  content: 2000,
  embedsPerMessage: 10,
  embedTotal: 6000,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  nonce: 25,
} as const;

/** Our footer is attribution, not content; a short cap leaves the 6000-character budget to the summary. */
const FOOTER_MAX = 300;
const EMBED_COLOR = 0x5865f2;

/** Options for building Discord bodies. */
export interface DiscordMessageOptions {
  /**
   * Mixed into the nonce. Discord checks nonce uniqueness per author, so two destinations of one run
   * (two channels) must not share a nonce or the second post would return the first message.
   */
  scope?: string;
}

/**
 * The nonce of part `index` of one delivery: a base64url SHA-256 prefix of task, scheduled time and scope.
 * Stable, so a retried delivery with `enforce_nonce` returns the message already posted instead of a duplicate.
 */
export function deliveryNonce(taskId: string, scheduledTime: string, index: number, scope = ''): string {
  const base = createHash('sha256')
    .update(`${taskId}\n${scheduledTime}\n${scope}`)
    .digest('base64url')
    .slice(0, 20);
  return index === 0 ? base : `${base}-${index}`;
}

function truncate(text: string, max: number): string {
  const trimmed = text.trim();
  if (trimmed.length <= max) return trimmed;
  return `${(hardSplit(trimmed, max - 1)[0] ?? '').trimEnd()}…`;
}

function withMessageDefaults(
  bodies: Omit<RESTPostAPIChannelMessageJSONBody, 'allowed_mentions' | 'nonce' | 'enforce_nonce'>[],
  context: DeliveryContext,
  scope: string,
): RESTPostAPIChannelMessageJSONBody[] {
  return bodies.map((body, index) => ({
    ...body,
    // Nobody is ever pinged by a summary, whatever its text says (ARCHITECTURE, Security).
    allowed_mentions: { parse: [] },
    nonce: deliveryNonce(context.taskId, context.scheduledTime, index, scope),
    enforce_nonce: true,
  }));
}

function embedSize(embed: APIEmbed): number {
  return (
    (embed.title?.length ?? 0) +
    (embed.description?.length ?? 0) +
    (embed.footer?.text.length ?? 0) +
    (embed.author?.name.length ?? 0) +
    (embed.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0)
  );
}

/**
 * The summary as rich embeds: title, overview, one field group per section, footer. Sections longer than a
 * field continue in further fields; embeds and messages are cut so every Discord limit holds.
 */
export function buildEmbedMessages(
  summary: Summary,
  context: DeliveryContext,
  options: DiscordMessageOptions = {},
): RESTPostAPIChannelMessageJSONBody[] {
  const ctx = { ...context, summary };
  // Titles, descriptions and field values render Markdown, so summary text is escaped there; footers render
  // none (an escape would show as a backslash), so the footer is left as written.
  const title =
    truncate(neutralizeMentions(escapeMarkdown(summary.title)), DISCORD_LIMITS.title) || 'Summary';
  const footer = truncate(
    neutralizeMentions(
      // The window is in the description's first line (as Discord timestamps) and the embed's timestamp.
      `${summary.footer ?? 'Summary Bot'} · ${context.taskName}`,
    ).replace(/\s+/g, ' '),
    FOOTER_MAX,
  );
  // Every message's last embed carries the footer, so its size is reserved in every message's budget.
  const budget = DISCORD_LIMITS.embedTotal - footer.length;
  const descriptionMax = Math.min(DISCORD_LIMITS.description, budget - title.length);
  const description = neutralizeMentions(
    `${renderWindowLine(ctx, 'discord')}\n\n${escapeMarkdownText(summary.overview.trim())}`,
  );
  const descriptionChunks = splitMarkdown(description, descriptionMax);

  const fields: APIEmbedField[] = [];
  for (const section of renderSections(summary, 'discord')) {
    splitMarkdown(section.body, DISCORD_LIMITS.fieldValue).forEach((value, i) => {
      fields.push({ name: i === 0 ? section.name : `${section.name} (continued)`, value, inline: false });
    });
  }

  const messages: APIEmbed[][] = [];
  let embeds: APIEmbed[] = [];
  let used = 0;
  const newMessage = () => {
    if (embeds.length) messages.push(embeds);
    embeds = [];
    used = 0;
  };
  const addEmbed = (embed: APIEmbed) => {
    const size = embedSize(embed);
    if (embeds.length >= DISCORD_LIMITS.embedsPerMessage || used + size > budget) newMessage();
    embeds.push(embed);
    used += size;
  };

  descriptionChunks.forEach((chunk, i) => {
    addEmbed(
      i === 0
        ? { title, description: chunk, color: EMBED_COLOR }
        : { description: chunk, color: EMBED_COLOR },
    );
  });
  for (const field of fields) {
    const size = field.name.length + field.value.length;
    const last = embeds[embeds.length - 1];
    if (last && (last.fields?.length ?? 0) < DISCORD_LIMITS.fields && used + size <= budget) {
      last.fields = [...(last.fields ?? []), field];
      used += size;
    } else {
      addEmbed({ color: EMBED_COLOR, fields: [field] });
    }
  }
  newMessage();

  const bodies = messages.map((group, i) => {
    const withFooter = group.map((embed, j) =>
      j === group.length - 1
        ? {
            ...embed,
            footer: { text: footer },
            ...(i === messages.length - 1 && Number.isFinite(Date.parse(context.window.to))
              ? { timestamp: new Date(context.window.to).toISOString() }
              : {}),
          }
        : embed,
    );
    return { embeds: withFooter };
  });
  return withMessageDefaults(bodies, context, `embed\n${options.scope ?? ''}`);
}

/**
 * The summary as Discord Markdown in plain `content`, cut at paragraph, then line boundaries into messages of
 * at most 2000 characters; code blocks are closed and reopened across messages, links never cut.
 */
export function buildMarkdownMessages(
  summary: Summary,
  context: DeliveryContext,
  options: DiscordMessageOptions = {},
): RESTPostAPIChannelMessageJSONBody[] {
  const text = renderMarkdown(summary, context, { flavor: 'discord' });
  const bodies = splitMarkdown(text, DISCORD_LIMITS.content).map((content) => ({
    content,
    // Source links point at Discord messages; previews of them would bury the summary.
    flags: MessageFlags.SuppressEmbeds,
  }));
  return withMessageDefaults(bodies, context, `markdown\n${options.scope ?? ''}`);
}
