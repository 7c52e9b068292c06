import { describe, expect, it } from 'vitest';
import { itemKeys, STATE_INDEX_SHARDS, stateShard } from '../../../lib/dynamo/task-table.ts';
import { newTaskId } from '../../../lib/scheduling/task-factory.ts';

describe('the sharded state index key', () => {
  it('puts a task in the same shard every time, named STATE#<state>#<0-9>', () => {
    expect(STATE_INDEX_SHARDS).toBe(10);
    const key = itemKeys.taskState('active', '290926798626357999', 'abcDEF12');
    expect(key.gsi1pk).toBe(`STATE#active#${stateShard('abcDEF12')}`);
    expect(itemKeys.taskState('paused', '290926798626357999', 'abcDEF12').gsi1pk).toBe(
      `STATE#paused#${stateShard('abcDEF12')}`,
    );
    expect(itemKeys.stateIndexPartitions('active')).toHaveLength(STATE_INDEX_SHARDS + 1);
  });

  it('spreads random task ids evenly: every shard within 20 % of its share of 10,000', () => {
    const counts = new Array<number>(STATE_INDEX_SHARDS).fill(0);
    for (let i = 0; i < 10_000; i++) counts[stateShard(newTaskId())]! += 1;
    for (const count of counts) {
      expect(count).toBeGreaterThan(800);
      expect(count).toBeLessThan(1_200);
    }
  });
});
