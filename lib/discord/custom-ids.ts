import { TaskId } from '../tasks/task.ts';

/**
 * Button custom ids (at most 100 characters, Discord's limit). One place builds and parses them, so a
 * click can only ever name an action this module knows.
 */
export type ComponentAction =
  | { kind: 'task'; action: 'pause' | 'resume' | 'run' | 'cancel' | 'status'; taskId: string }
  | { kind: 'cancel-confirm'; taskId: string }
  | { kind: 'list-page'; page: number };

/** Builds the custom id of a button. */
export function customIdFor(action: ComponentAction): string {
  switch (action.kind) {
    case 'task':
      return `task:${action.action}:${action.taskId}`;
    case 'cancel-confirm':
      return `cancel:confirm:${action.taskId}`;
    case 'list-page':
      return `list:page:${action.page}`;
  }
}

const TASK_ACTIONS = new Set(['pause', 'resume', 'run', 'cancel', 'status']);

/** Parses a custom id; undefined for anything this bot did not create. */
export function parseCustomId(customId: string): ComponentAction | undefined {
  const [scope, verb, arg, ...rest] = customId.split(':');
  if (rest.length > 0 || arg === undefined) return undefined;
  if (scope === 'task' && verb && TASK_ACTIONS.has(verb) && TaskId.safeParse(arg).success) {
    return { kind: 'task', action: verb as 'pause', taskId: arg };
  }
  if (scope === 'cancel' && verb === 'confirm' && TaskId.safeParse(arg).success) {
    return { kind: 'cancel-confirm', taskId: arg };
  }
  if (scope === 'list' && verb === 'page' && /^\d{1,4}$/.test(arg)) {
    return { kind: 'list-page', page: Number(arg) };
  }
  return undefined;
}
