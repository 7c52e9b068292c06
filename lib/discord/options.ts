import { ApplicationCommandOptionType } from 'discord-api-types/v10';
import { ValidationError } from '../errors.ts';
import type { CommandPath, OptionNameOf, OptionsOf } from './commands.ts';
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

type NamesOfType<P extends CommandPath, T extends ApplicationCommandOptionType> = Extract<
  OptionsOf<P>,
  { type: T }
>['name'];

/**
 * Typed access to one command path's options. Option names are checked at compile time against the
 * definitions in commands.ts; values are checked at run time against the option's declared type.
 */
export class OptionReader<P extends CommandPath> {
  readonly #values: Map<string, CommandOption>;
  readonly #resolved: Resolved;

  constructor(leaf: readonly CommandOption[], resolved: CommandData['resolved']) {
    this.#values = new Map(leaf.map((o) => [o.name, o]));
    this.#resolved = resolved ?? {};
  }

  /** Whether the user gave the option at all. */
  has(name: OptionNameOf<P>): boolean {
    return this.#values.has(name);
  }

  string(name: NamesOfType<P, ApplicationCommandOptionType.String>): string | undefined {
    const v = this.#raw(name, ApplicationCommandOptionType.String);
    if (v === undefined) return undefined;
    if (typeof v !== 'string') throw new ValidationError(name, 'expected text');
    const trimmed = v.trim();
    return trimmed === '' ? undefined : trimmed;
  }

  requiredString(name: NamesOfType<P, ApplicationCommandOptionType.String>, expected: string): string {
    const v = this.string(name);
    if (v === undefined) throw new ValidationError(name, expected);
    return v;
  }

  integer(name: NamesOfType<P, ApplicationCommandOptionType.Integer>): number | undefined {
    const v = this.#raw(name, ApplicationCommandOptionType.Integer);
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isSafeInteger(v))
      throw new ValidationError(name, 'expected a whole number');
    return v;
  }

  boolean(name: NamesOfType<P, ApplicationCommandOptionType.Boolean>): boolean | undefined {
    const v = this.#raw(name, ApplicationCommandOptionType.Boolean);
    if (v === undefined) return undefined;
    if (typeof v !== 'boolean') throw new ValidationError(name, 'expected true or false');
    return v;
  }

  /** A channel option with what Discord resolved for it (`permissions` = the invoking member's there). */
  channel(name: NamesOfType<P, ApplicationCommandOptionType.Channel>): ResolvedChannel | undefined {
    const v = this.#raw(name, ApplicationCommandOptionType.Channel);
    if (v === undefined) return undefined;
    if (typeof v !== 'string') throw new ValidationError(name, 'expected a channel');
    return this.#resolved.channels?.[v] ?? { id: v };
  }

  role(name: NamesOfType<P, ApplicationCommandOptionType.Role>): string | undefined {
    const v = this.#raw(name, ApplicationCommandOptionType.Role);
    if (v === undefined) return undefined;
    if (typeof v !== 'string') throw new ValidationError(name, 'expected a role');
    return v;
  }

  attachment(name: NamesOfType<P, ApplicationCommandOptionType.Attachment>): ResolvedAttachment | undefined {
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

/** The option being typed in an autocomplete interaction. */
export function focusedOption(leaf: readonly CommandOption[]): { name: string; value: string } | undefined {
  const focused = leaf.find((o) => o.focused);
  if (!focused) return undefined;
  return { name: focused.name, value: focused.value === undefined ? '' : String(focused.value) };
}
