import { describe, expect, it } from 'vitest';
import { collectRunChart } from '../../../../lib/local/status/run-chart.ts';
import { useEmbeddedStore } from '../../../support/embedded-dynamo.ts';
import { GUILD_A, GUILD_B, runRecord, summaryTask } from '../../../support/task-fixtures.ts';

/** The status page's 30-day chart, counted from the run records of the embedded store. */
describe("the status page's run chart", () => {
  const db = useEmbeddedStore();
  const NOW = new Date('2026-03-02T10:00:00.000Z');
  const at = (taskId: string, guildId: string, scheduledTime: string, messageCount: number) => ({
    ...runRecord({ scheduledTime, status: 'succeeded', messageCount, expiresAt: 4_102_444_800 }),
    taskId,
    guildId,
  });

  it("counts days in the server's /config timezone and names it; UTC for a server without one", async () => {
    await db.store.putGuildConfig(
      { guildId: GUILD_A, timeZone: 'Pacific/Auckland', updatedAt: NOW.toISOString(), version: 1 },
      0,
    );
    const auckland = summaryTask({ id: 'auckland01', guildId: GUILD_A });
    const utc = summaryTask({ id: 'utcserver1', guildId: GUILD_B });
    await db.store.createTask(auckland);
    await db.store.createTask(utc);
    // 23:30 UTC on 1 March is 12:30 on 2 March in Auckland (UTC+13 until April).
    for (const task of [auckland, utc]) {
      await db.store.putRun(at(task.id, task.guildId, '2026-03-01T23:30:00.000Z', 7));
      await db.store.putRun(at(task.id, task.guildId, '2026-03-01T08:00:00.000Z', 5));
    }

    const charts = await collectRunChart(db.store, [auckland, utc], NOW);
    const nz = charts.get(GUILD_A);
    expect(nz?.timeZone).toBe('Pacific/Auckland');
    expect(nz?.days).toHaveLength(30);
    // Today in Auckland is already 2 March at 23:00: the chart ends there.
    expect(nz?.days.at(-1)).toMatchObject({ date: '2026-03-02', succeeded: 1, messages: 7 });
    expect(nz?.days.at(-2)).toMatchObject({ date: '2026-03-01', succeeded: 1, messages: 5 });
    expect(nz?.days[0]?.date).toBe('2026-02-01');

    const plain = charts.get(GUILD_B);
    expect(plain?.timeZone).toBe('UTC');
    expect(plain?.days.at(-1)).toMatchObject({ date: '2026-03-02', succeeded: 0 });
    expect(plain?.days.at(-2)).toMatchObject({ date: '2026-03-01', succeeded: 2, messages: 12 });
  });
});
