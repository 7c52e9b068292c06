import { describe, expect, it } from 'vitest';
import { useInteractionHarness } from '../../../support/interaction-harness.ts';
import { CHANNEL, command, GUILD, str } from '../../../support/interaction-payloads.ts';

const { state, send } = useInteractionHarness();

/** A command as Discord sends it from a server whose preferred locale is `locale`. */
const fromServer = (locale: string, payload: ReturnType<typeof command>) => ({
  ...payload,
  guild_locale: locale,
});

describe('the language summaries are written in', () => {
  it("keeps the server's language (guild_locale) on its config from a manager's command", async () => {
    await send(fromServer('pt-BR', command('schedule list')));
    expect((await state.scheduler.getGuildConfig(GUILD))?.language).toBe('pt-BR');
    // Unchanged: no write. Changed in Discord: the next command updates it.
    const version = (await state.scheduler.getGuildConfig(GUILD))?.version;
    await send(fromServer('pt-BR', command('schedule list')));
    expect((await state.scheduler.getGuildConfig(GUILD))?.version).toBe(version);
    await send(fromServer('de', command('schedule list')));
    expect((await state.scheduler.getGuildConfig(GUILD))?.language).toBe('de');
  });

  it("stores the language a task asks for (settings language:), canonical; refuses one that is not a language; none goes back to the server's", async () => {
    await send(command('schedule create daily', [str('time', '09:30'), str('name', 'Resumen')]));
    const [task] = await state.scheduler.listTasks(GUILD);
    if (task?.kind !== 'summary') throw new Error('not created');
    const set = await send(command('schedule settings', [str('task', task.id), str('language', 'ES')]));
    expect(set.json.data.content).toContain('• Language of AI summaries: Spanish (es)');
    const stored = await state.scheduler.getTask(GUILD, task.id);
    expect(stored.kind === 'summary' && stored.options.language).toBe('es');

    const refused = await send(
      command('schedule settings', [str('task', task.id), str('language', 'klingon!')]),
    );
    expect(refused.json.data.content).toBe('**language**: a language tag such as en, de, fr or pt-BR');
    expect((await state.scheduler.getTask(GUILD, task.id)).version).toBe(stored.version);

    const cleared = await send(command('schedule settings', [str('task', task.id), str('language', 'none')]));
    expect(cleared.json.data.content).toContain("• Language of AI summaries: the server's");
    const back = await state.scheduler.getTask(GUILD, task.id);
    expect(back.kind === 'summary' && back.options.language).toBeUndefined();
  });

  it("hands /summarize the language asked for, else the server's", async () => {
    await send(fromServer('fr', command('summarize', [str('language', 'de')])));
    await send(fromServer('fr', command('summarize')));
    await send(command('summarize'));
    const languages = state.executor.inputs.map((input) => (input.type === 'adhoc' ? input.language : 'x'));
    expect(languages).toEqual(['de', 'fr', undefined]);
    expect(state.executor.inputs[0]).toMatchObject({ channelIds: [CHANNEL] });
  });
});
