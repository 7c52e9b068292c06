import type { Conversation, Turn } from './conversation.ts';
import { SMALL_TALK, shows, TOPIC_SHIFT } from './cues.ts';

/** A run of turns about one thing. */
export interface Topic {
  id: number;
  /** Turn indexes, in time order. */
  turns: number[];
  thread?: string;
}

/** Topics of a conversation and the topic of every turn. */
export interface Topics {
  topics: Topic[];
  /** Topic id per turn index. */
  topicOf: number[];
}

// A silence this long starts a new topic unless the words say otherwise.
const GAP_MS = 60 * 60 * 1000;
// A topic quiet for this long is no longer continued by word overlap alone.
const STALE_MS = 12 * 60 * 60 * 1000;
// Topics compared by word overlap: the most recently active few (keeps the split linear in messages).
const RECENT_TOPICS = 6;

interface Open {
  topic: Topic;
  /** Every content word its turns used. */
  words: Set<string>;
  last: number;
}

/**
 * Splits a conversation into topics: a thread is a topic, a reply joins its parent's topic, and otherwise
 * a message joins the recent topic it shares words with, continues the current one, or (after a long
 * silence, a change-of-subject cue, or a long message sharing nothing) starts a new one.
 */
export function splitTopics(conversation: Conversation): Topics {
  const { turns } = conversation;
  const df = conversation.frequency;
  const common = Math.max(3, turns.length * 0.15);
  const topics: Topic[] = [];
  const open: Open[] = [];
  const topicOf: number[] = [];
  const byThread = new Map<string, Open>();
  let current: Open | undefined;
  let previousTime = Number.NaN;

  for (const turn of turns) {
    let target: Open | undefined;
    if (turn.thread) {
      target = byThread.get(turn.thread) ?? start(turn, topics, open);
      byThread.set(turn.thread, target);
    } else if (turn.replyTo !== undefined) {
      target = open.find((o) => o.topic.id === topicOf[turn.replyTo as number]);
      if (!target) target = entryOf(topics[topicOf[turn.replyTo] as number] as Topic, turns, open);
    } else {
      const gap = turn.time - previousTime;
      const rare: string[] = [];
      const words = turn.words.list;
      for (let i = 0; i < words.length; i++) {
        const w = words[i] as string;
        if ((df.get(w) ?? 0) <= common) rare.push(w);
      }
      const best = bestOverlap(rare, open, turn.time);
      const shift = shows(turn, TOPIC_SHIFT, 0);
      const threadless = current?.topic.thread ? undefined : current;
      if (
        best &&
        (best.shared >= 2 || (best.shared >= 1 && rare.length <= 4)) &&
        !(shift && best.shared < 2)
      ) {
        target = best.entry;
      } else if (!threadless || gap > GAP_MS || Number.isNaN(gap)) {
        target = start(turn, topics, open);
      } else if (shift && rare.length >= 2) {
        target = start(turn, topics, open);
      } else if (rare.length >= 5 && overlap(rare, threadless.words) === 0 && !shows(turn, SMALL_TALK, 0)) {
        target = start(turn, topics, open);
      } else {
        target = threadless;
      }
    }
    target.topic.turns.push(turn.index);
    addAll(target.words, turn.words.list);
    target.last = turn.time;
    const at = open.indexOf(target);
    if (at !== open.length - 1) {
      if (at >= 0) open.splice(at, 1);
      open.push(target);
    }
    topicOf[turn.index] = target.topic.id;
    if (!turn.thread) {
      current = target;
      previousTime = turn.time;
    }
  }
  return { topics, topicOf };
}

// A module function rather than a closure per call: optimised code called the last call's closure, and fell
// out of it at the next call's.
/** Starts a topic at `turn`, the most recent of the `open` ones. */
function start(turn: Turn, topics: Topic[], open: Open[]): Open {
  const topic: Topic = { id: topics.length, turns: [] };
  if (turn.thread) topic.thread = turn.thread;
  topics.push(topic);
  const entry: Open = { topic, words: new Set(), last: turn.time };
  open.push(entry);
  if (open.length > RECENT_TOPICS * 4) open.splice(0, open.length - RECENT_TOPICS * 4);
  return entry;
}

function entryOf(topic: Topic, turns: Turn[], open: Open[]): Open {
  const words = new Set<string>();
  for (const i of topic.turns) addAll(words, (turns[i] as Turn).words.list);
  const entry: Open = {
    topic,
    words,
    last: (turns[topic.turns[topic.turns.length - 1] as number] as Turn).time,
  };
  open.push(entry);
  return entry;
}

/** Adds every word of a turn's list to a topic's words. */
function addAll(bag: Set<string>, words: readonly string[]): void {
  for (let i = 0; i < words.length; i++) bag.add(words[i] as string);
}

function overlap(words: string[], bag: Set<string>): number {
  let n = 0;
  for (const w of words) if (bag.has(w)) n++;
  return n;
}

function bestOverlap(
  words: string[],
  open: Open[],
  now: number,
): { entry: Open; shared: number } | undefined {
  if (words.length === 0) return undefined;
  let best: { entry: Open; shared: number } | undefined;
  // `open` is kept in order of activity: the most recent topics are at its end.
  for (let k = open.length - 1; k >= Math.max(0, open.length - RECENT_TOPICS); k--) {
    const entry = open[k] as Open;
    if (now - entry.last > STALE_MS) continue;
    const shared = overlap(words, entry.words);
    if (shared > 0 && (!best || shared > best.shared)) best = { entry, shared };
  }
  return best;
}
