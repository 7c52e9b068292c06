import {
  ApplicationCommandOptionType,
  InteractionContextType,
  PermissionFlagsBits,
} from 'discord-api-types/v10';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { type CommandPath, commands, type OptionNameOf } from '../../../lib/discord/commands/index.ts';

type AnyOption = {
  name: string;
  description: string;
  type: number;
  required?: boolean;
  options?: AnyOption[];
  choices?: { name: string; value: string | number }[];
  autocomplete?: boolean;
};
const NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

function walk(options: AnyOption[] | undefined, visit: (list: AnyOption[]) => void): void {
  if (!options) return;
  visit(options);
  for (const o of options) walk(o.options, visit);
}

describe('the command definitions', () => {
  it("follow Discord's limits: names, descriptions, counts, required options first", () => {
    for (const command of commands) {
      expect(command.name).toMatch(NAME);
      expect(command.description.length).toBeLessThanOrEqual(100);
      let size = command.name.length + command.description.length;
      walk(command.options as AnyOption[], (list) => {
        expect(list.length).toBeLessThanOrEqual(25);
        expect(new Set(list.map((o) => o.name)).size).toBe(list.length);
        const firstOptional = list.findIndex((o) => !o.required);
        if (firstOptional >= 0) expect(list.slice(firstOptional).some((o) => o.required)).toBe(false);
        for (const o of list) {
          expect(o.name).toMatch(NAME);
          expect(o.name).toBe(o.name.toLowerCase());
          expect(o.description.length).toBeGreaterThan(0);
          expect(o.description.length).toBeLessThanOrEqual(100);
          expect(o.autocomplete && o.choices).toBeFalsy();
          size += o.name.length + o.description.length;
          // "combined name, description, and value properties" (FACTS B3): a choice's name and value count.
          for (const c of o.choices ?? []) size += c.name.length + String(c.value).length;
        }
      });
      expect(size).toBeLessThanOrEqual(8000);
    }
  });

  it('restrict /schedule and /config to Manage Server in servers; /summarize to servers', () => {
    const byName = Object.fromEntries(commands.map((c) => [c.name, c]));
    for (const name of ['schedule', 'config']) {
      expect(byName[name]).toMatchObject({
        default_member_permissions: PermissionFlagsBits.ManageGuild.toString(),
        contexts: [InteractionContextType.Guild],
      });
    }
    expect(byName.summarize).toMatchObject({ contexts: [InteractionContextType.Guild] });
    expect(byName.summarize).not.toHaveProperty('default_member_permissions');
  });

  it('give /schedule a create group with one subcommand per schedule kind', () => {
    const schedule = commands.find((c) => c.name === 'schedule');
    const create = ((schedule?.options ?? []) as AnyOption[]).find((o) => o.name === 'create');
    expect(create?.type).toBe(ApplicationCommandOptionType.SubcommandGroup);
    expect((create?.options ?? []).map((o) => o.name)).toEqual([
      'once',
      'daily',
      'weekly',
      'monthly',
      'every',
      'cron',
      'cleanup',
    ]);
  });

  it('keep what admins rarely change on /schedule settings, once, so /schedule stays within 8,000', () => {
    const schedule = commands.find((c) => c.name === 'schedule') as unknown as AnyOption;
    const sub = (name: string) => (schedule.options ?? []).find((o) => o.name === name);
    const names = (o: AnyOption | undefined) => (o?.options ?? []).map((x) => x.name);
    const rare = ['format', 'language', 'lookback_hours', 'min_messages'];
    // Each option of /schedule create counts six times (once per kind of schedule) against the limit.
    for (const kind of sub('create')?.options ?? [])
      for (const name of rare) expect(names(kind), kind.name).not.toContain(name);
    for (const name of rare) expect(names(sub('edit'))).not.toContain(name);
    expect(names(sub('settings'))).toEqual(expect.arrayContaining(rare));
    const size = (o: AnyOption): number =>
      o.name.length +
      o.description.length +
      (o.choices ?? []).reduce((n, c) => n + c.name.length + String(c.value).length, 0) +
      (o.options ?? []).reduce((n, c) => n + size(c), 0);
    expect(size(schedule), 'characters Discord counts for /schedule').toBeLessThanOrEqual(8000);
  });

  it('type option names per command path', () => {
    expectTypeOf<'schedule create weekly'>().toExtend<CommandPath>();
    expectTypeOf<'days'>().toExtend<OptionNameOf<'schedule create weekly'>>();
    expectTypeOf<'days'>().not.toExtend<OptionNameOf<'schedule create daily'>>();
    expectTypeOf<'public'>().toExtend<OptionNameOf<'summarize'>>();
  });
});
