import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../lib/errors.ts';
import {
  formatPath,
  NewTaskInput,
  parseOrThrow,
  TaskChanges,
  underField,
} from '../../../lib/scheduling/new-task.ts';

const base = {
  kind: 'summary',
  guildId: '100000000000000001',
  name: 'Digest',
  channelIds: ['300000000000000001'],
  schedule: { type: 'daily', time: '09:00' },
  destinations: [{ type: 'discord_channel', channelId: '300000000000000001', format: 'embed' }],
  createdBy: '200000000000000001',
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

describe('formatPath', () => {
  it('writes array indexes in brackets and keys with dots', () => {
    expect(formatPath(['destinations', 0, 'url'])).toBe('destinations[0].url');
    expect(formatPath(['schedule', 'time'], 'tasks[3]')).toBe('tasks[3].schedule.time');
    expect(formatPath([])).toBe('(input)');
  });
});

describe('NewTaskInput', () => {
  it('fills summary options with their defaults', () => {
    const parsed = parseOrThrow(NewTaskInput, base);
    expect(parsed.kind === 'summary' && parsed.options).toMatchObject({ length: 'detailed', minMessages: 1 });
  });

  it.each([
    ['kind', { kind: 'reminder' }],
    ['schedule.time', { schedule: { type: 'daily', time: '9:00' } }],
    ['schedule.days', { schedule: { type: 'weekly', days: [], time: '09:00' } }],
    ['destinations[0].addresses[0]', { destinations: [{ type: 'email', addresses: ['nobody'] }] }],
    ['destinations[0].prefix', { destinations: [{ type: 'file', prefix: '../etc' }] }],
    ['createdBy', { createdBy: undefined }],
    ['options.length', { options: { length: 'epic' } }],
  ])('names %s when it is wrong', (field, overrides) => {
    expect(fieldOf(() => parseOrThrow(NewTaskInput, { ...base, ...overrides }))).toBe(field);
  });

  it('requires a retention for cleanup tasks', () => {
    const cleanup = { ...base, kind: 'cleanup', channelIds: undefined };
    expect(fieldOf(() => parseOrThrow(NewTaskInput, cleanup))).toBe('retentionDays');
  });
});

describe('TaskChanges', () => {
  it('refuses unknown fields so a typo is not silently ignored', () => {
    expect(() => parseOrThrow(TaskChanges, { nmae: 'x' })).toThrow(/unknown field nmae/);
  });

  it('accepts null to clear the notification channel', () => {
    expect(parseOrThrow(TaskChanges, { notifyChannelId: null })).toEqual({ notifyChannelId: null });
  });
});

describe('underField', () => {
  it('re-roots a nested field under its parent once', () => {
    const nested = underField('tasks[2]', new ValidationError('schedule.time', 'HH:MM')) as ValidationError;
    expect(nested.field).toBe('tasks[2].schedule.time');
    const already = underField('schedule', new ValidationError('schedule.at', 'future')) as ValidationError;
    expect(already.field).toBe('schedule.at');
  });

  it('passes other errors through unchanged', () => {
    const error = new Error('boom');
    expect(underField('x', error)).toBe(error);
  });
});
