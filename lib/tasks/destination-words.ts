import type { Destination, DestinationType } from './destination.ts';

const TYPE_WORDS: Record<DestinationType, string> = {
  discord_channel: 'Discord channel',
  webhook: 'webhook',
  email: 'e-mail',
  file: 'file',
};

/** A destination type in words ("Discord channel"), never the stored `discord_channel`. */
export function destinationTypeWords(type: DestinationType): string {
  return TYPE_WORDS[type];
}

/**
 * A destination named briefly for errors and notices: a channel mention, a webhook's host (its path is
 * often a secret), the e-mail addresses, the file folder.
 */
export function destinationWords(destination: Destination | undefined, type: DestinationType): string {
  if (!destination) return destinationTypeWords(type);
  switch (destination.type) {
    case 'discord_channel':
      return `<#${destination.channelId}>`;
    case 'webhook':
      return URL.canParse(destination.url) ? `the webhook on ${new URL(destination.url).host}` : 'a webhook';
    case 'email':
      return `e-mail to ${destination.addresses.join(', ')}`;
    case 'file':
      return `the file folder ${destination.prefix}/`;
  }
}
