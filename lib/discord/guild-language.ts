import type { GuildConfig } from '../tasks/guild-config.ts';
import { canonicalLanguage } from '../tasks/language.ts';
import type { CommandContext } from './context.ts';

/** The server's language as Discord sends it with every interaction (`guild_locale`), canonical. */
export function interactionLanguage(ctx: CommandContext): string | undefined {
  const locale = ctx.interaction.guild_locale;
  return locale ? canonicalLanguage(locale) : undefined;
}

/**
 * Keeps the server's language on its config, so scheduled runs (which have no interaction) write in it.
 * Written only when it changed; a failed write is logged and never fails the command it rides on.
 */
export async function rememberGuildLanguage(
  ctx: CommandContext,
  guildId: string,
  known?: GuildConfig,
): Promise<void> {
  const language = interactionLanguage(ctx);
  if (!language) return;
  try {
    const config = known ?? (await ctx.scheduler.getGuildConfig(guildId));
    if (config?.language === language) return;
    await ctx.scheduler.updateGuildConfig(guildId, { language });
  } catch (error) {
    ctx.logger.error("could not keep the server's language", { guildId, error });
  }
}
