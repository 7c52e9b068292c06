import { ApplicationCommandOptionType, ComponentType, InteractionType } from 'discord-api-types/v10';
import * as z from 'zod';

/**
 * The parts of an interaction payload the bot reads, validated after the signature check. Unknown fields
 * pass through untouched (Discord adds fields over time); a payload missing what a route needs is a 400.
 */
const Id = z.string().regex(/^\d{1,20}$/, 'expected a Discord id');

export interface CommandOption {
  name: string;
  type: ApplicationCommandOptionType;
  value?: string | number | boolean | undefined;
  options?: CommandOption[] | undefined;
  focused?: boolean | undefined;
}

export const CommandOption: z.ZodType<CommandOption> = z.lazy(() =>
  z.object({
    name: z.string().min(1).max(32),
    type: z.enum(ApplicationCommandOptionType),
    value: z.union([z.string().max(6000), z.number(), z.boolean()]).optional(),
    options: z.array(CommandOption).max(25).optional(),
    focused: z.boolean().optional(),
  }),
);

const ResolvedChannel = z.object({
  id: Id,
  name: z.string().optional(),
  type: z.number().optional(),
  permissions: z.string().optional(),
});
const ResolvedAttachment = z.object({
  id: Id,
  filename: z.string(),
  size: z.number().int().min(0),
  url: z.string(),
  content_type: z.string().optional(),
});

export const CommandData = z.object({
  id: Id.optional(),
  name: z.string().min(1).max(32),
  type: z.number().int().optional(),
  options: z.array(CommandOption).max(25).optional(),
  resolved: z
    .object({
      channels: z.record(z.string(), ResolvedChannel).optional(),
      attachments: z.record(z.string(), ResolvedAttachment).optional(),
      roles: z.record(z.string(), z.object({ id: Id })).optional(),
    })
    .optional(),
});
export type CommandData = z.infer<typeof CommandData>;

export const ComponentData = z.object({
  custom_id: z.string().min(1).max(100),
  component_type: z.enum(ComponentType),
});
export type ComponentData = z.infer<typeof ComponentData>;

const User = z.object({ id: Id });

export const Interaction = z.object({
  /** Absent only in the minimal PING the docs print. */
  id: Id.optional(),
  type: z.enum(InteractionType),
  application_id: Id.optional(),
  token: z.string().min(1).max(500).optional(),
  guild_id: Id.optional(),
  /** The server's preferred locale (`de`, `pt-BR`), sent with interactions in a server. */
  guild_locale: z.string().max(35).optional(),
  channel_id: Id.optional(),
  channel: z.object({ id: Id, permissions: z.string().optional() }).optional(),
  member: z
    .object({
      user: User,
      roles: z.array(Id).default([]),
      permissions: z.string().optional(),
      /** Set while the member is timed out (they keep only View Channel and Read Message History). */
      communication_disabled_until: z.string().nullish(),
    })
    .optional(),
  user: User.optional(),
  app_permissions: z.string().optional(),
  data: z.unknown().optional(),
  message: z.object({ id: Id }).optional(),
});
export type Interaction = z.infer<typeof Interaction>;
