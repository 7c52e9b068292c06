import { callControl, type RunningBot } from '../../lib/local/control-client.ts';
import {
  type MessageLike,
  type RenderContext,
  renderMarkers,
  renderMessage,
} from '../../lib/local/discord-text.ts';
import { plural } from '../../lib/shared/words.ts';

/** `discord messages`: what the bot posted in a channel (or by DM), and in the threads it started there. */
export async function printMessages(
  bot: RunningBot,
  channel: string,
  values: { all?: boolean; json?: boolean },
  render: RenderContext,
  out: (text: string) => void,
): Promise<number> {
  const result = await callControl<{
    channel: { id: string; name: string };
    /** How to name where the messages are when it is no channel (`@you`: the DMs to that member). */
    label?: string;
    messages: (MessageLike & { id: string; timestamp: string; author: { username: string } })[];
    all: (MessageLike & { id: string; timestamp: string; author: { username: string } })[];
    /** Threads (forum posts) the bot started there; absent from a runtime older than thread delivery. */
    threads?: {
      id: string;
      name: string;
      messages: (MessageLike & { id: string; timestamp: string; author: { username: string } })[];
    }[];
  }>(bot, 'GET', `channels/${encodeURIComponent(channel.replace(/^#/, ''))}/messages`);
  const messages = values.all ? result.all : result.messages;
  const threads = (result.threads ?? []).filter((t) => t.messages.length > 0);
  const where = result.label ?? `#${result.channel.name}`;
  if (values.json) {
    out(JSON.stringify(threads.length > 0 ? { messages, threads } : messages, null, 2));
    return 0;
  }
  if (messages.length === 0 && threads.length === 0) {
    out(`The bot has posted nothing in ${where} yet.`);
    return 0;
  }
  const show = (list: typeof messages) => {
    for (const message of list) {
      const at = renderMarkers(`<t:${Math.floor(Date.parse(message.timestamp) / 1000)}:f>`, render);
      out(`\n── ${message.author.username} · ${at} · message ${message.id}`);
      out(renderMessage(message, render));
    }
  };
  if (messages.length > 0) {
    out(
      values.all
        ? `${plural(messages.length, 'message')} in ${where}:`
        : `${plural(messages.length, 'message')} the bot posted in ${where}:`,
    );
    show(messages);
  }
  for (const thread of threads) {
    out(
      `\n${plural(thread.messages.length, 'message')} in the thread "${thread.name}" of #${result.channel.name}:`,
    );
    show(thread.messages);
  }
  return 0;
}
