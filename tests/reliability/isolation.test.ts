/**
 * No command or button of another server can read or change a task: every task action, sent from
 * OTHER_GUILD with a real signature and full Manage Server rights there, answers "not found" and leaves the
 * task, its schedule and the executor untouched.
 */
import { describe, expect, it } from 'vitest';
import { useInteractionHarness } from '../support/interaction-harness.ts';
import { button, command, GUILD, OTHER_GUILD, str } from '../support/interaction-payloads.ts';
import { recordFigures } from './figures.ts';

const { state, send } = useInteractionHarness();

async function createTask(name: string) {
  await send(command('schedule create daily', [str('time', '09:30'), str('name', name)]));
  const [task] = (await state.scheduler.listTasks(GUILD)).filter((t) => t.name === name);
  if (!task) throw new Error('task not created');
  return task;
}

describe('isolation between servers, action by action', () => {
  it('answers every task command and button from another server with "not found" and changes nothing', async () => {
    const task = await createTask('Home digest');
    const before = await state.scheduler.getTask(GUILD, task.id);
    const attempts: [string, unknown][] = [
      ['/schedule status', command('schedule status', [str('task', task.id)], { guildId: OTHER_GUILD })],
      ['/schedule pause', command('schedule pause', [str('task', task.id)], { guildId: OTHER_GUILD })],
      ['/schedule resume', command('schedule resume', [str('task', task.id)], { guildId: OTHER_GUILD })],
      ['/schedule run', command('schedule run', [str('task', task.id)], { guildId: OTHER_GUILD })],
      ['/schedule cancel', command('schedule cancel', [str('task', task.id)], { guildId: OTHER_GUILD })],
      [
        '/schedule edit',
        command('schedule edit', [str('task', task.id), str('time', '10:00')], { guildId: OTHER_GUILD }),
      ],
      [
        '/schedule status by name',
        command('schedule status', [str('task', 'Home digest')], { guildId: OTHER_GUILD }),
      ],
      ['pause button', button(`task:pause:${task.id}`, { guildId: OTHER_GUILD })],
      ['resume button', button(`task:resume:${task.id}`, { guildId: OTHER_GUILD })],
      ['run button', button(`task:run:${task.id}`, { guildId: OTHER_GUILD })],
      ['cancel button', button(`task:cancel:${task.id}`, { guildId: OTHER_GUILD })],
      ['status button', button(`task:status:${task.id}`, { guildId: OTHER_GUILD })],
      ['cancel-confirm button', button(`cancel:confirm:${task.id}`, { guildId: OTHER_GUILD })],
    ];
    for (const [what, payload] of attempts) {
      const response = await send(payload);
      expect(response.status, what).toBe(200);
      expect(response.json.data.content, what).toBe('Task not found in this server.');
    }
    const after = await state.scheduler.getTask(GUILD, task.id);
    expect(after).toEqual(before);
    expect(state.executor.inputs).toEqual([]);
    const exported = await send(command('schedule export', [], { guildId: OTHER_GUILD }));
    expect(exported.body).not.toContain(task.id);
    expect(exported.body).not.toContain('Home digest');
    recordFigures('isolation-actions', {
      actions: attempts.length + 1,
      crossServerReads: 0,
      crossServerWrites: 0,
    });
  });
});
