import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../lib/errors.ts';
import {
  buildExport,
  MAX_IMPORT_TASKS,
  parseImport,
  toPortable,
} from '../../../lib/scheduling/export-import.ts';
import { validateScheduleSpec } from '../../../lib/tasks/schedule-spec.ts';
import { SummaryOptions } from '../../../lib/tasks/summary-options.ts';
import type { Task } from '../../../lib/tasks/task.ts';

const task: Task = {
  id: 'abcdefghijkl',
  guildId: '100000000000000001',
  kind: 'summary',
  name: 'Digest',
  schedule: validateScheduleSpec({ type: 'daily', time: '09:00' }),
  timeZone: 'UTC',
  state: 'paused',
  createdBy: '200000000000000001',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-02T00:00:00.000Z',
  version: 7,
  metadata: { runCount: 3, successCount: 3, failureCount: 0, skipCount: 0, consecutiveFailures: 0 },
  channelIds: ['300000000000000001'],
  destinations: [{ type: 'discord_channel', channelId: '300000000000000001', format: 'markdown' }],
  options: SummaryOptions.parse({}),
  cursors: { '300000000000000001': '400000000000000001' },
};

function fieldOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof ValidationError) return error.field;
    throw error;
  }
  return undefined;
}

describe('export', () => {
  it('keeps what an admin configured and where the task stands, and drops what one table assigned', () => {
    const portable = toPortable({
      ...task,
      metadata: { ...task.metadata, nextRunAt: '2026-01-03T09:00:00.000Z' },
    });
    expect(portable).toEqual({
      kind: 'summary',
      name: 'Digest',
      schedule: { type: 'daily', time: '09:00' },
      timeZone: 'UTC',
      channelIds: ['300000000000000001'],
      destinations: task.destinations,
      options: task.options,
      state: 'paused',
      createdAt: '2026-01-01T00:00:00.000Z',
      // the next run is computed again on import
      metadata: task.metadata,
      cursors: task.cursors,
    });
  });

  it("drops the task's subscribers: they are members of this server who chose DMs, not configuration", () => {
    const subscribed = { ...task, subscribers: [{ userId: '500000000000000001', since: task.createdAt }] };
    expect(toPortable(subscribed as Task)).toEqual(toPortable(task));
    expect(JSON.stringify(buildExport(task.guildId, [subscribed as Task], new Date()))).not.toContain(
      '500000000000000001',
    );
  });

  it('wraps tasks in a versioned envelope', () => {
    const file = buildExport('100000000000000001', [task], new Date('2026-02-01T00:00:00Z'));
    expect(file).toMatchObject({
      format: 'summary-bot-tasks',
      version: 1,
      exportedAt: '2026-02-01T00:00:00.000Z',
    });
  });
});

describe('parseImport', () => {
  const file = (tasks: unknown[]) => ({ format: 'summary-bot-tasks', version: 1, tasks });

  it("drops each entry's guild and author: the importer supplies both", () => {
    const [entry] = parseImport(file([{ name: 'x', guildId: '1', createdBy: '2' }]));
    expect(entry).toEqual({ configuration: { name: 'x' }, standing: {}, links: {} });
  });

  it('splits off where a task stood, checked and named by entry; a task being created restores active', () => {
    const [entry] = parseImport(
      file([{ name: 'x', state: 'pending', createdAt: '2026-01-01T00:00:00.000Z', cursors: {} }]),
    );
    expect(entry).toEqual({
      configuration: { name: 'x' },
      standing: { state: 'active', createdAt: '2026-01-01T00:00:00.000Z', cursors: {} },
      links: {},
    });
    // Links to other tasks travel by name and are split off too, checked here.
    const [linked] = parseImport(file([{ name: 'w', after: 'Daily', digestOf: ['Daily', 'Dev'] }]));
    expect(linked?.links).toEqual({ after: 'Daily', digestOf: ['Daily', 'Dev'] });
    expect(fieldOf(() => parseImport(file([{ after: '' }])))).toBe('tasks[0].after');
    expect(fieldOf(() => parseImport(file([{}, { state: 'asleep' }])))).toBe('tasks[1].state');
    expect(fieldOf(() => parseImport(file([{ metadata: { runCount: -1 } }])))).toBe(
      'tasks[0].metadata.runCount',
    );
  });

  it('names the envelope field that is wrong', () => {
    expect(fieldOf(() => parseImport({ format: 'other', version: 1, tasks: [] }))).toBe('format');
    expect(fieldOf(() => parseImport({ format: 'summary-bot-tasks', version: 2, tasks: [] }))).toBe(
      'version',
    );
    expect(fieldOf(() => parseImport(file(['not an object'])))).toBe('tasks[0]');
  });

  it(`refuses more than ${MAX_IMPORT_TASKS} tasks in one file`, () => {
    const many = Array.from({ length: MAX_IMPORT_TASKS + 1 }, () => ({}));
    expect(fieldOf(() => parseImport(file(many)))).toBe('tasks');
    expect(parseImport(file(many.slice(1)))).toHaveLength(MAX_IMPORT_TASKS);
  });
});
