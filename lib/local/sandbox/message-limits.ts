import * as z from 'zod';

/**
 * Discord's limits on a message body (FACTS B4), shared by the Discord stand-in (which rejects like Discord)
 * and by the tests of delivery splitting (which assert that every piece they produce passes).
 */
export const MESSAGE_LIMITS = {
  content: 2000,
  embeds: 10,
  embedTitle: 256,
  embedDescription: 4096,
  embedFields: 25,
  embedFieldName: 256,
  embedFieldValue: 1024,
  embedFooterText: 2048,
  embedAuthorName: 256,
  /** Sum of title, description, field names and values, footer text and author name across all embeds. */
  embedsTotal: 6000,
  nonce: 25,
  allowedMentionIds: 100,
} as const;

/** One violation, located like Discord's `errors` tree (`['embeds', 0, 'title']`). */
export interface MessageLimitViolation {
  path: (string | number)[];
  /** Discord's error code inside `_errors`, e.g. `BASE_TYPE_MAX_LENGTH`. */
  code: string;
  message: string;
}

/**
 * Length as Discord measures it: leading and trailing whitespace is not counted ("trimmed automatically",
 * FACTS B4). Discord counts characters; code points are the closest JavaScript measure (a UTF-16 length would
 * count an emoji twice).
 */
export function discordLength(text: string): number {
  return [...text.trim()].length;
}

const embedSchema = z
  .object({
    title: z.string().optional(),
    description: z.string().optional(),
    fields: z
      .array(z.object({ name: z.string(), value: z.string(), inline: z.boolean().optional() }).loose())
      .optional(),
    footer: z.object({ text: z.string() }).loose().optional(),
    author: z.object({ name: z.string() }).loose().optional(),
  })
  .loose();

const idList = z.array(z.string()).optional();

const messageBodySchema = z
  .object({
    content: z.string().nullish(),
    embeds: z.array(embedSchema).nullish(),
    nonce: z.union([z.string(), z.number()]).optional(),
    enforce_nonce: z.boolean().optional(),
    allowed_mentions: z
      .object({
        parse: z.array(z.enum(['users', 'roles', 'everyone'])).optional(),
        users: idList,
        roles: idList,
        replied_user: z.boolean().optional(),
      })
      .loose()
      .nullish(),
    sticker_ids: z.array(z.string()).optional(),
    components: z.array(z.unknown()).optional(),
    attachments: z.array(z.unknown()).optional(),
    poll: z.unknown().optional(),
    flags: z.number().int().optional(),
  })
  .loose();

type MessageBody = z.infer<typeof messageBodySchema>;

function maxLength(path: MessageLimitViolation['path'], limit: number): MessageLimitViolation {
  return { path, code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${limit} or fewer in length.` };
}

function checkText(
  out: MessageLimitViolation[],
  path: MessageLimitViolation['path'],
  text: string | undefined,
  limit: number,
): number {
  if (text === undefined) return 0;
  const length = discordLength(text);
  if (length > limit) out.push(maxLength(path, limit));
  return length;
}

/** Whether the body carries nothing Discord can show (JSON error 50006 "Cannot send an empty message"). */
export function isEmptyMessage(body: MessageBody): boolean {
  const hasContent = typeof body.content === 'string' && discordLength(body.content) > 0;
  const nonEmpty = (list: unknown[] | null | undefined) => Array.isArray(list) && list.length > 0;
  return !(
    hasContent ||
    nonEmpty(body.embeds) ||
    nonEmpty(body.sticker_ids) ||
    nonEmpty(body.components) ||
    nonEmpty(body.attachments) ||
    body.poll !== undefined
  );
}

/**
 * All limit violations of a message body, located by path. `requireContent: false` is for edits, which may
 * change a single field; a new message must carry something (content, embeds, ...).
 */
export function findMessageViolations(
  body: unknown,
  options: { requireContent?: boolean } = {},
): MessageLimitViolation[] {
  const parsed = messageBodySchema.safeParse(body);
  if (!parsed.success) {
    return parsed.error.issues.map((issue) => ({
      path: issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
      code: issue.code === 'invalid_type' ? 'BASE_TYPE_BAD_TYPE' : 'BASE_TYPE_INVALID',
      message: issue.message,
    }));
  }
  const msg = parsed.data;
  const out: MessageLimitViolation[] = [];

  checkText(out, ['content'], msg.content ?? undefined, MESSAGE_LIMITS.content);

  const embeds = msg.embeds ?? [];
  if (embeds.length > MESSAGE_LIMITS.embeds) out.push(maxLength(['embeds'], MESSAGE_LIMITS.embeds));
  let total = 0;
  embeds.forEach((embed, i) => {
    const at = (...rest: (string | number)[]) => ['embeds', i, ...rest];
    total += checkText(out, at('title'), embed.title, MESSAGE_LIMITS.embedTitle);
    total += checkText(out, at('description'), embed.description, MESSAGE_LIMITS.embedDescription);
    total += checkText(out, at('footer', 'text'), embed.footer?.text, MESSAGE_LIMITS.embedFooterText);
    total += checkText(out, at('author', 'name'), embed.author?.name, MESSAGE_LIMITS.embedAuthorName);
    const fields = embed.fields ?? [];
    if (fields.length > MESSAGE_LIMITS.embedFields)
      out.push(maxLength(at('fields'), MESSAGE_LIMITS.embedFields));
    fields.forEach((field, j) => {
      total += checkText(out, at('fields', j, 'name'), field.name, MESSAGE_LIMITS.embedFieldName);
      total += checkText(out, at('fields', j, 'value'), field.value, MESSAGE_LIMITS.embedFieldValue);
    });
  });
  if (total > MESSAGE_LIMITS.embedsTotal) {
    out.push({
      path: ['embeds'],
      code: 'MAX_EMBED_SIZE_EXCEEDED',
      message: `Embed size exceeds maximum size of ${MESSAGE_LIMITS.embedsTotal}`,
    });
  }

  if (msg.nonce !== undefined) checkText(out, ['nonce'], String(msg.nonce), MESSAGE_LIMITS.nonce);

  const mentions = msg.allowed_mentions;
  if (mentions) {
    for (const kind of ['users', 'roles'] as const) {
      const ids = mentions[kind];
      if (ids === undefined) continue;
      if (ids.length > MESSAGE_LIMITS.allowedMentionIds) {
        out.push(maxLength(['allowed_mentions', kind], MESSAGE_LIMITS.allowedMentionIds));
      }
      // `users: []` beside `parse: ['users']` is accepted by Discord; only a non-empty list conflicts.
      if (ids.length > 0 && mentions.parse?.includes(kind)) {
        out.push({
          path: ['allowed_mentions'],
          code: 'MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE',
          message: `parse:["${kind}"] and ${kind}: [ids] are mutually exclusive.`,
        });
      }
    }
  }

  if ((options.requireContent ?? true) && isEmptyMessage(msg)) {
    out.push({ path: [], code: 'EMPTY_MESSAGE', message: 'Cannot send an empty message' });
  }
  return out;
}

/** Human-readable errors (`embeds[0].title: Must be 256 or fewer in length.`); empty when the body is valid. */
export function validateMessageBody(body: unknown, options: { requireContent?: boolean } = {}): string[] {
  return findMessageViolations(body, options).map((v) => {
    const where = formatPath(v.path);
    return where ? `${where}: ${v.message}` : v.message;
  });
}

function formatPath(path: MessageLimitViolation['path']): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

/** Discord's `errors` tree for a 50035 response: `{ embeds: { 0: { title: { _errors: [...] } } } }`. */
export function toDiscordErrorTree(violations: MessageLimitViolation[]): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const v of violations) {
    let node = root;
    for (const key of v.path) {
      const k = String(key);
      node[k] ??= {};
      node = node[k] as Record<string, unknown>;
    }
    const list = (node['_errors'] ?? []) as { code: string; message: string }[];
    list.push({ code: v.code, message: v.message });
    node['_errors'] = list;
  }
  return root;
}
