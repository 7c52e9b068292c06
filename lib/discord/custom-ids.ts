import { TaskId } from '../tasks/fields.ts';

/**
 * Button custom ids (at most 100 characters, Discord's limit). One place builds and parses them, so a
 * click can only ever name an action this module knows.
 */
export type ComponentAction =
  | { kind: 'task'; action: 'pause' | 'resume' | 'run' | 'cancel' | 'status'; taskId: string }
  | { kind: 'cancel-confirm'; taskId: string }
  | { kind: 'cancel-keep'; taskId: string }
  | { kind: 'list-page'; page: number; channelId?: string };

/** Builds the custom id of a button. */
export function customIdFor(action: ComponentAction): string {
  switch (action.kind) {
    case 'task':
      return `task:${action.action}:${action.taskId}`;
    case 'cancel-confirm':
      return `cancel:confirm:${action.taskId}`;
    case 'cancel-keep':
      return `cancel:keep:${action.taskId}`;
    case 'list-page':
      // The list's channel filter travels with the page, so paging a filtered list stays filtered.
      return `list:page:${action.page}${action.channelId ? `:${action.channelId}` : ''}`;
  }
}

const TASK_ACTIONS = new Set(['pause', 'resume', 'run', 'cancel', 'status']);

/** Parses a custom id; undefined for anything this bot did not create. */
export function parseCustomId(customId: string): ComponentAction | undefined {
  const [scope, verb, arg, ...rest] = customId.split(':');
  if (arg === undefined) return undefined;
  if (scope === 'list' && verb === 'page' && /^\d{1,4}$/.test(arg) && rest.length <= 1) {
    const [channelId] = rest;
    if (channelId !== undefined && !/^\d{17,20}$/.test(channelId)) return undefined;
    return { kind: 'list-page', page: Number(arg), ...(channelId ? { channelId } : {}) };
  }
  if (rest.length > 0) return undefined;
  if (scope === 'task' && verb && TASK_ACTIONS.has(verb) && TaskId.safeParse(arg).success) {
    return { kind: 'task', action: verb as 'pause', taskId: arg };
  }
  if (scope === 'cancel' && verb === 'confirm' && TaskId.safeParse(arg).success) {
    return { kind: 'cancel-confirm', taskId: arg };
  }
  if (scope === 'cancel' && verb === 'keep' && TaskId.safeParse(arg).success) {
    return { kind: 'cancel-keep', taskId: arg };
  }
  return undefined;
}
