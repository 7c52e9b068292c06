import { describe, expect, it } from 'vitest';
import { newTaskId } from '../../../lib/scheduling/task-factory.ts';
import { TaskId } from '../../../lib/tasks/fields.ts';

describe('new task ids', () => {
  it('are 12 letters and digits, so a command line never reads one as an option', () => {
    const ids = Array.from({ length: 10_000 }, () => newTaskId());
    for (const id of ids) {
      expect(id).toMatch(/^[0-9A-Za-z]{12}$/);
      expect(TaskId.safeParse(id).success).toBe(true);
    }
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('leave ids of earlier versions valid, - and _ included', () => {
    expect(TaskId.safeParse('-XRRAJ4E7BwT').success).toBe(true);
    expect(TaskId.safeParse('ab_cd-EF1234').success).toBe(true);
  });
});
