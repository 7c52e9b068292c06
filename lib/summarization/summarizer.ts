import type { SummaryFocus, SummaryLength } from '../tasks/summary-options.ts';

/** A Discord message reduced to what a summary needs. */
export interface NormalizedMessage {
  id: string;
  channelId: string;
  authorId: string;
  authorName: string;
  isBot: boolean;
  /** ISO instant. */
  timestamp: string;
  content: string;
  attachments: { name: string; url: string }[];
  /** Sum of all reaction counts. */
  reactionCount: number;
  /** `https://discord.com/channels/<guild>/<channel>/<message>`. */
  jumpLink: string;
  /** Set when the message was posted in a thread under the channel. */
  threadName?: string;
  /** Id of the message this one replies to (Discord's reply reference), when it is a reply. */
  replyTo?: string;
  /** The members the message mentions, as the content shows them (`@name`). */
  mentions?: MentionedUser[];
}

/** A member mentioned in a message. */
export interface MentionedUser {
  id: string;
  name: string;
}

export interface SummarizeOptions {
  length: SummaryLength;
  focus?: SummaryFocus;
  /** BCP 47 tag an LLM writes in (`de`, `pt-BR`); the messages' own language when absent. */
  language?: string;
  /**
   * The server's style note (`/config summary-style`): LLM summarizers pass it to the model as a quoted
   * preference that cannot override their rules; the extractive summarizer ignores it.
   */
  style?: string;
  /** The server the messages come from: its daily LLM token budget applies. Absent in the CLI. */
  guildId?: string;
}

/** Tokens an LLM summary spent (failed attempts included) and what they are estimated to cost. */
export interface SummaryUsage {
  /** `provider/model`, such as `anthropic/claude-haiku-4-5`. */
  model: string;
  inputTokens: number;
  outputTokens: number;
  /** USD, from the model's list price where known. */
  estimatedCostUsd?: number;
}

export interface KeyPoint {
  text: string;
  /** Jump links of the messages the point comes from. */
  sources: string[];
}

/** The structured summary every summarizer returns and every destination renders. */
export interface Summary {
  title: string;
  overview: string;
  keyPoints: KeyPoint[];
  decisions: KeyPoint[];
  actionItems: (KeyPoint & { owner?: string })[];
  openQuestions: KeyPoint[];
  participants: { name: string; messages: number }[];
  links: { url: string; sharedBy: string }[];
  stats: { messages: number; participants: number; from: string; to: string };
  /** Which summarizer wrote it, and any note such as a fallback. */
  footer?: string;
  /** Set when an LLM was called for it, even if its answer was not used. */
  usage?: SummaryUsage;
  /** The reader focus, when its sections are headed differently (`support`: "Solved", …; see sections.ts). */
  focus?: SummaryFocus;
  /** `/catchup`: what concerns the reader (mentions of them, answers to them); shown first, then decisions. */
  forYou?: KeyPoint[];
  /**
   * A category or whole-server digest: one section per channel (or thread) with something new, shown
   * instead of the key points (which it holds, by channel). Channels with nothing new have none.
   */
  channelSections?: { channelId: string; name: string; points: KeyPoint[] }[];
}

/** A summary with no sections: a title, one line and the window's counts (an empty window, a notice). */
export function noticeSummary(title: string, overview: string, stats: Summary['stats']): Summary {
  return {
    title,
    overview,
    keyPoints: [],
    decisions: [],
    actionItems: [],
    openQuestions: [],
    participants: [],
    links: [],
    stats,
  };
}

/** Turns messages into a structured summary. */
export interface Summarizer {
  readonly name: string;
  summarize(messages: NormalizedMessage[], options: SummarizeOptions): Promise<Summary>;
}
