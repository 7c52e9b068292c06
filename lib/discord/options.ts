import { ApplicationCommandOptionType } from 'discord-api-types/v10';
import { ValidationError } from '../errors.ts';
import type { CommandData, CommandOption } from './interaction.ts';

type Resolved = NonNullable<CommandData['resolved']>;
export type ResolvedChannel = NonNullable<Resolved['channels']>[string];
export type ResolvedAttachment = NonNullable<Resolved['attachments']>[string];

/** The invoked path (`schedule create daily`) and its leaf options, from an interaction's `data`. */
export function commandPathOf(data: CommandData): { path: string; leaf: CommandOption[] } {
  let path = data.name;
  let leaf = data.options ?? [];
  // Subcommand groups nest one level at most; the loop stops at the first value option.
  for (let depth = 0; depth < 2; depth++) {
    const sub = leaf.find(
      (o) =>
        o.type === ApplicationCommandOptionType.Subcommand ||
        o.type === ApplicationCommandOptionType.SubcommandGroup,
    );
    if (!sub) break;
    path = `${path} ${sub.name}`;
    leaf = sub.options ?? [];
  }
  return { path, leaf };
}

/** An option as the readers see it: its type and name. */
export type OptionKey = { readonly type: ApplicationCommandOptionType; readonly name: string };

/** The keys of a union of option definitions (their descriptions and limits dropped). */
export type KeysOf<D> = D extends OptionKey ? { type: D['type']; name: D['name'] } : never;

/** The value options a subcommand (or a command without subcommands) defines. */
export type OptionsIn<D extends { readonly options?: readonly unknown[] }> = KeysOf<
  NonNullable<D['options']>[number]
>;

type NamesOfType<O extends OptionKey, T extends ApplicationCommandOptionType> = Extract<
  O,
  { type: T }
>['name'];

/**
 * Typed access to the options `O` of one subcommand. Option names are checked at compile time against the
 * definitions under commands/; values are checked at run time against the option's declared type. A reader
 * of more options can stand for a reader of fewer, so shared readers take only the options they read.
 */
export class OptionReader<in O extends OptionKey> {
  readonly #values: Map<string, CommandOption>;
  readonly #resolved: Resolved;

  constructor(leaf: readonly CommandOption[], resolved: CommandData['resolved']) {
    this.#values = new Map(leaf.map((o) => [o.name, o]));
    this.#resolved = resolved ?? {};
  }

  /** Whether the user gave the option at all. */
  has(name: O['name']): boolean {
    return this.#values.has(name);
  }

  string(name: NamesOfType<O, ApplicationCommandOptionType.String>): string | undefined {
    const v = this.#raw(name, ApplicationCommandOptionType.String);
    if (v === undefined) return undefined;
    if (typeof v !== 'string') throw new ValidationError(name, 'expected text');
    const trimmed = v.trim();
    return trimmed === '' ? undefined : trimmed;
  }

  requiredString(name: NamesOfType<O, ApplicationCommandOptionType.String>, expected: string): string {
    const v = this.string(name);
    if (v === undefined) throw new ValidationError(name, expected);
    return v;
  }

  integer(name: NamesOfType<O, ApplicationCommandOptionType.Integer>): number | undefined {
    const v = this.#raw(name, ApplicationCommandOptionType.Integer);
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isSafeInteger(v))
      throw new ValidationError(name, 'expected a whole number');
    return v;
  }

  boolean(name: NamesOfType<O, ApplicationCommandOptionType.Boolean>): boolean | undefined {
    const v = this.#raw(name, ApplicationCommandOptionType.Boolean);
    if (v === undefined) return undefined;
    if (typeof v !== 'boolean') throw new ValidationError(name, 'expected true or false');
    return v;
  }

  /** A channel option with what Discord resolved for it (`permissions` = the invoking member's there). */
  channel(name: NamesOfType<O, ApplicationCommandOptionType.Channel>): ResolvedChannel | undefined {
    const v = this.#raw(name, ApplicationCommandOptionType.Channel);
    if (v === undefined) return undefined;
    if (typeof v !== 'string') throw new ValidationError(name, 'expected a channel');
    return this.#resolved.channels?.[v] ?? { id: v };
  }

  role(name: NamesOfType<O, ApplicationCommandOptionType.Role>): string | undefined {
    const v = this.#raw(name, ApplicationCommandOptionType.Role);
    if (v === undefined) return undefined;
    if (typeof v !== 'string') throw new ValidationError(name, 'expected a role');
    return v;
  }

  attachment(name: NamesOfType<O, ApplicationCommandOptionType.Attachment>): ResolvedAttachment | undefined {
    const v = this.#raw(name, ApplicationCommandOptionType.Attachment);
    if (v === undefined) return undefined;
    const found = typeof v === 'string' ? this.#resolved.attachments?.[v] : undefined;
    if (!found) throw new ValidationError(name, 'expected an attached file');
    return found;
  }

  #raw(name: string, type: ApplicationCommandOptionType): CommandOption['value'] {
    const option = this.#values.get(name);
    if (!option) return undefined;
    if (option.type !== type)
      throw new ValidationError(name, `expected an option of type ${ApplicationCommandOptionType[type]}`);
    return option.value;
  }
}

/** The value of the option `name` among a command's leaf options, if it was given. */
export function leafValue(leaf: readonly CommandOption[], name: string): CommandOption['value'] | undefined {
  return leaf.find((option) => option.name === name)?.value;
}

/** The option being typed in an autocomplete interaction. */
export function focusedOption(leaf: readonly CommandOption[]): { name: string; value: string } | undefined {
  const focused = leaf.find((o) => o.focused);
  if (!focused) return undefined;
  return { name: focused.name, value: focused.value === undefined ? '' : String(focused.value) };
}
