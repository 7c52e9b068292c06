import type {
  ApplicationCommandOptionType,
  RESTPutAPIApplicationCommandsJSONBody,
} from 'discord-api-types/v10';
import type { KeysOf } from '../options.ts';
import { definition as catchupCommand } from './catchup.ts';
import { definition as configCommand } from './config.ts';
import { definition as scheduleCommand } from './schedule/index.ts';
import { subscribeDefinition, unsubscribeDefinition } from './subscribe.ts';
import { definition as summarizeCommand } from './summarize.ts';

/**
 * Every command, in the body shape of the bulk-overwrite endpoint. Each command (or subcommand) is defined
 * beside its handler under commands/; this is the one place they are combined, so `CommandPath` below and
 * the router's table over it cover every subcommand.
 */
export const commands = [
  summarizeCommand,
  scheduleCommand,
  configCommand,
  catchupCommand,
  subscribeDefinition,
  unsubscribeDefinition,
] satisfies RESTPutAPIApplicationCommandsJSONBody;

type Commands = typeof commands;
type Opt = { type: ApplicationCommandOptionType; name: string; options?: readonly Opt[] };

type PathsOf<Prefix extends string, O> = O extends {
  type: ApplicationCommandOptionType.SubcommandGroup;
  name: infer N extends string;
  options: readonly (infer Sub)[];
}
  ? PathsOf<`${Prefix} ${N}`, Sub>
  : O extends { type: ApplicationCommandOptionType.Subcommand; name: infer N extends string }
    ? `${Prefix} ${N}`
    : never;

type CommandPaths<C> = C extends { name: infer N extends string; options?: readonly (infer O)[] }
  ? [PathsOf<N, O>] extends [never]
    ? N
    : PathsOf<N, O>
  : never;

/** Every invocable path: `summarize`, `schedule create daily`, `config show`, ... */
export type CommandPath = CommandPaths<Commands[number]>;

type Find<O, Name extends string> = O extends { name: Name } ? O : never;
type LeafOptions<O, Rest extends string> = Rest extends `${infer Head} ${infer Tail}`
  ? O extends { options?: readonly (infer Child)[] }
    ? LeafOptions<Find<Child, Head>, Tail>
    : never
  : O extends { options?: readonly (infer Child)[] }
    ? Find<Child, Rest> extends { options?: readonly (infer Leaf)[] }
      ? Leaf
      : never
    : never;

type ValueOptions<C, P extends string> = P extends `${infer Root} ${infer Rest}`
  ? LeafOptions<Find<C, Root>, Rest>
  : Find<C, P> extends { options?: readonly (infer Leaf)[] }
    ? Leaf
    : never;

/** The value options a command path accepts (type and name), as its `OptionReader` reads them. */
export type OptionsOf<P extends CommandPath> = KeysOf<Extract<ValueOptions<Commands[number], P>, Opt>>;
/** The option names a command path accepts. */
export type OptionNameOf<P extends CommandPath> = OptionsOf<P>['name'];
