/** What `allowed_mentions.parse` may list. */
export type MentionKind = 'users' | 'roles' | 'everyone';

/** A request's `allowed_mentions`, as far as the stand-in reads it. */
export interface AllowedMentionsInput {
  parse?: MentionKind[];
  users?: string[];
  roles?: string[];
}

/** Discord's default when `allowed_mentions` is absent (FACTS B4): regular messages parse everything. */
export const MESSAGE_DEFAULT_PARSE: MentionKind[] = ['users', 'roles', 'everyone'];
/** Interactions and webhooks default to `{ parse: ['users'] }` (FACTS B4). */
export const WEBHOOK_DEFAULT_PARSE: MentionKind[] = ['users'];

/**
 * Which mentions of `content` ping, as Discord decides: only the content is parsed (mentions inside embeds
 * render but never ping), and `allowed_mentions` (or the default) filters what is parsed. The bot is treated
 * as having MENTION_EVERYONE, so `@everyone` and `@here` ping whenever "everyone" is allowed.
 */
export function resolveMentions(
  content: string,
  allowed: AllowedMentionsInput | undefined,
  defaultParse: readonly MentionKind[],
): { everyone: boolean; userIds: string[]; roleIds: string[] } {
  const parse = allowed ? (allowed.parse ?? []) : defaultParse;
  const userIds = [...new Set([...content.matchAll(/<@!?(\d{17,20})>/g)].map((m) => m[1]!))];
  const roleIds = [...new Set([...content.matchAll(/<@&(\d{17,20})>/g)].map((m) => m[1]!))];
  const pick = (kind: 'users' | 'roles', ids: string[]) => {
    if (parse.includes(kind)) return ids;
    const listed = allowed?.[kind];
    // "the API will silently ignore entities whose id are present in the allowed_mentions field, but not in
    // the content" (FACTS B4).
    return listed ? ids.filter((id) => listed.includes(id)) : [];
  };
  return {
    everyone: parse.includes('everyone') && /@(everyone|here)/.test(content),
    userIds: pick('users', userIds),
    roleIds: pick('roles', roleIds),
  };
}
