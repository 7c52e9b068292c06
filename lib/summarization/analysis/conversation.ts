import type { NormalizedMessage } from '../summarizer.ts';
import { splitSentences } from '../text.ts';
import { contentWords, fold, foldedWords } from './words.ts';

/** One message as the analysis sees it. */
export interface Turn {
  /** Position in time order. */
  index: number;
  message: NormalizedMessage;
  author: string;
  /** Milliseconds since the epoch (NaN when unreadable). */
  time: number;
  /** The content without URLs: links are listed on their own. */
  text: string;
  sentences: string[];
  /** Folded sentences, for the cue patterns. */
  folded: string[];
  /** Content words of the whole message (folded). */
  words: Set<string>;
  /** Index of the turn this one replies to, when it is in the window. */
  replyTo?: number;
  thread?: string;
  /** Participants this turn addresses: @mentions, or a name at the start ("jay can you…"). */
  addressed: string[];
}

/** A conversation ready for analysis: turns in time order and who took part. */
export interface Conversation {
  turns: Turn[];
  /** Display names, in order of first appearance. */
  participants: string[];
}

const URL = /https?:\/\/\S+/g;
const MENTION = /@([\p{L}\p{N}_.-]+)/gu;

/** Messages in time order; equal or unreadable timestamps keep their input order. */
export function chronological(messages: NormalizedMessage[]): NormalizedMessage[] {
  return messages
    .map((m, i) => ({ m, i, t: Date.parse(m.timestamp) }))
    .sort((a, b) => (a.t === b.t || Number.isNaN(a.t - b.t) ? a.i - b.i : a.t - b.t))
    .map((x) => x.m);
}

/** Builds the turns of a conversation: time order, replies resolved to positions, names resolved to people. */
export function buildConversation(input: NormalizedMessage[]): Conversation {
  const messages = chronological(input);
  const position = new Map<string, number>();
  const participants: string[] = [];
  const seen = new Set<string>();
  messages.forEach((m, i) => {
    position.set(m.id, i);
    if (!seen.has(m.authorName)) {
      seen.add(m.authorName);
      participants.push(m.authorName);
    }
  });
  const names = nameIndex(participants);
  const turns = messages.map((message, index): Turn => {
    const text = message.content.replace(URL, ' ').trim();
    const sentences = splitSentences(text);
    const turn: Turn = {
      index,
      message,
      author: message.authorName,
      time: Date.parse(message.timestamp),
      text,
      sentences,
      folded: sentences.map(fold),
      words: new Set(contentWords(text)),
      addressed: addressees(message, sentences, names),
    };
    const parent = message.replyTo === undefined ? undefined : position.get(message.replyTo);
    if (parent !== undefined && parent < index) turn.replyTo = parent;
    if (message.threadName) turn.thread = message.threadName;
    return turn;
  });
  return { turns, participants };
}

/** Folded name keys (whole name, first word, name without decoration) to the participant's display name. */
export type NameIndex = Map<string, string>;

/** Every way a participant is called in chat: the folded name, its first word, without `_` or digits. */
export function nameIndex(participants: string[]): NameIndex {
  const index: NameIndex = new Map();
  const add = (key: string, name: string) => {
    if (key.length >= 2 && !index.has(key)) index.set(key, name);
  };
  for (const name of participants) add(foldedWords(name).join(' '), name);
  for (const name of participants) {
    const parts = foldedWords(name);
    const first = parts[0];
    if (first) {
      add(first, name);
      add(first.replace(/[_\d]+$/, ''), name);
      for (const part of first.split(/[_.-]/)) if (part.length >= 3) add(part, name);
    }
  }
  return index;
}

/** The participant a word or @handle names, if any. */
export function resolveName(word: string, names: NameIndex): string | undefined {
  const key = fold(word).replace(/^@/, '');
  return names.get(key) ?? names.get(key.replace(/[_\d]+$/, ''));
}

function addressees(message: NormalizedMessage, sentences: string[], names: NameIndex): string[] {
  const found = new Set<string>();
  for (const m of message.mentions ?? []) {
    const name = resolveName(m.name, names);
    if (name) found.add(name);
  }
  for (const sentence of sentences) {
    for (const match of sentence.includes('@') ? sentence.matchAll(MENTION) : []) {
      const name = resolveName(match[1] as string, names);
      if (name) found.add(name);
    }
    // "jay can you…", "Kev, could you…": a name opening a sentence addresses that person.
    const opening = /^([\p{L}\p{N}_.-]+)[,:]?\s/u.exec(sentence)?.[1];
    if (opening) {
      const name = resolveName(opening, names);
      if (name && name !== message.authorName) found.add(name);
    }
  }
  found.delete(message.authorName);
  return [...found];
}
