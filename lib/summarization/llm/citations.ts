import type { KeyPoint, NormalizedMessage, Summary } from '../summarizer.ts';
import { clip, findUrls } from '../text.ts';
import type { ModelItem, ModelSummary } from './model-output.ts';

/** Limits applied to the model's text after parsing (the provider's schema has none; see model-output). */
const MAX_TITLE = 200;
const MAX_OVERVIEW = 2_000;
const MAX_ITEM = 600;
const MAX_OWNER = 100;
const MAX_ITEMS = 25;

/** The prompt ids (`m1`, `m2`, …) of a window's messages, in the order given to the model. */
export class CitationIndex {
  private readonly byId = new Map<string, NormalizedMessage>();
  private readonly urls = new Set<string>();

  constructor(messages: readonly NormalizedMessage[]) {
    messages.forEach((message, index) => {
      this.byId.set(`m${index + 1}`, message);
      for (const url of findUrls(message.content)) this.urls.add(url);
    });
  }

  /** The prompt id of the n-th message (0-based). */
  static idOf(index: number): string {
    return `m${index + 1}`;
  }

  /** True when `id` names an input message. */
  has(id: string): boolean {
    return this.byId.has(normalizeId(id));
  }

  /** Jump links of the cited ids that exist, deduplicated, in citation order; unknown ids are dropped. */
  links(sources: readonly string[]): string[] {
    const links: string[] = [];
    for (const raw of sources) {
      const message = this.byId.get(normalizeId(raw));
      if (message && !links.includes(message.jumpLink)) links.push(message.jumpLink);
    }
    return links;
  }

  /** Only the ids that exist, normalized: what a merge step passes on. */
  known(sources: readonly string[]): string[] {
    return [...new Set(sources.map(normalizeId).filter((id) => this.byId.has(id)))];
  }

  /** True when the URL appears in some input message: the only URLs a model's text may keep. */
  quotes(url: string): boolean {
    return this.urls.has(url);
  }
}

/** `[m12]`, ` m12 `, `12` and `M12` all name message m12. */
function normalizeId(raw: string): string {
  const id = String(raw)
    .replace(/[[\]\s]/g, '')
    .toLowerCase();
  return /^\d+$/.test(id) ? `m${id}` : id;
}

/**
 * The model's answer as the bot's Summary sections: citations checked against the input (unknown ids
 * dropped, items left without any dropped), jump links built from the ids, and text cleaned of what a model
 * must not write (links it made up, Markdown link syntax, mentions); renderers escape the rest.
 */
export function citedSections(
  answer: ModelSummary,
  index: CitationIndex,
): Pick<Summary, 'title' | 'overview' | 'keyPoints' | 'decisions' | 'actionItems' | 'openQuestions'> {
  const cite = (item: ModelItem): KeyPoint | undefined => {
    const sources = index.links(item.sources);
    const text = clip(cleanText(item.text, index), MAX_ITEM);
    return sources.length > 0 && text ? { text, sources } : undefined;
  };
  const list = (items: ModelItem[]) =>
    items
      .map(cite)
      .filter((p): p is KeyPoint => p !== undefined)
      .slice(0, MAX_ITEMS);
  return {
    title: clip(cleanText(answer.title, index), MAX_TITLE) || 'Summary',
    overview: clip(cleanText(answer.overview, index), MAX_OVERVIEW),
    keyPoints: list(answer.keyPoints),
    decisions: list(answer.decisions),
    actionItems: answer.actionItems
      .map((item) => {
        const point = cite(item);
        if (!point) return undefined;
        const owner = item.owner ? clip(cleanText(item.owner, index), MAX_OWNER) : '';
        return owner ? { ...point, owner } : point;
      })
      .filter((p): p is KeyPoint & { owner?: string } => p !== undefined)
      .slice(0, MAX_ITEMS),
    openQuestions: list(answer.openQuestions),
  };
}

/** The same answer with only known ids kept: a partial summary handed to the merge step. */
export function withKnownSources(answer: ModelSummary, index: CitationIndex): ModelSummary {
  const keep = <T extends ModelItem>(items: T[]) =>
    items
      .map((item) => ({ ...item, sources: index.known(item.sources) }))
      .filter((i) => i.sources.length > 0);
  return {
    ...answer,
    keyPoints: keep(answer.keyPoints),
    decisions: keep(answer.decisions),
    actionItems: keep(answer.actionItems),
    openQuestions: keep(answer.openQuestions),
  };
}

const MARKDOWN_LINK = /\[([^\]\n]*)\]\(([^)\s]*)\)/g;
const MASS_MENTION = /@(everyone|here)\b/g;
const DISCORD_MENTION = /<(@[!&]?|#)\d+>/g;

/**
 * Removes what a summary must never carry from a model: Markdown links (text kept), URLs that no input
 * message contains, raw Discord mentions. Whitespace is collapsed; quoted URLs stay (renderers escape).
 */
function cleanText(text: string, index: CitationIndex): string {
  let clean = text.replace(MARKDOWN_LINK, (_, label: string) => label);
  for (const url of findUrls(clean)) {
    if (!index.quotes(url)) clean = clean.split(url).join('(link removed)');
  }
  return clean.replace(DISCORD_MENTION, '').replace(MASS_MENTION, '$1').replace(/\s+/g, ' ').trim();
}
