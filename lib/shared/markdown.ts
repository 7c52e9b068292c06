/**
 * The one place where untrusted text becomes Discord Markdown (issue #11, item 5). Message text, names of
 * authors, tasks and channels, and whatever a summarizer (an LLM included) wrote are data: rendered, they
 * must show exactly what was written and never become a masked link (`[https://discord.com/verify](https://
 * evil.example/phish)`), a heading or a spoiler. Links appear as their real URL in `<…>`, which Discord and
 * CommonMark both show as the URL itself. Backslash escapes are what Discord documents and what CommonMark
 * defines for ASCII punctuation, so the same text is safe in channel posts, embeds and `.md` files.
 */

// Inline syntax anywhere on a line: escape, emphasis, code, strike, spoiler, links, autolinks.
const INLINE = /[\\`*_~|[\]()<>]/g;
// Block syntax only counts at the start of a line: headings and `-#` subtext, quotes, bullets, numbered lists.
// (`>` and `)` are escaped everywhere already, as inline signs.)
const LINE_START = /^([ \t]*)(?:([#+-])|(\d{1,9})\.)/gm;
// A web address, up to the first character that cannot be part of one in running text (or would end the
// `<…>` it is shown in). Trailing sentence punctuation is not part of the address.
const URL = /\bhttps?:\/\/[^\s<>()[\]`"'\\]+/giy;
const TRAILING_PUNCTUATION = /[.,:;!?*_~|]+$/;
// Discord's own tokens, kept whole so they still show a channel, a member, a time or an emoji (pings are
// prevented by `allowed_mentions` and neutralizeMentions, not by escaping).
const DISCORD_TOKEN = /<(?:@[!&]?\d{1,20}|#\d{1,20}|t:-?\d{1,14}(?::[tTdDfFR])?|a?:\w{1,32}:\d{1,20})>/y;
// Discord's code block language: letters, digits and a few signs, right after the fence.
const FENCE_INFO = /^[\w+.#-]{1,20}(?=\n)/;

/** Escapes a name (author, task, channel, participant) for one line of Discord Markdown; URLs become `<url>`. */
export function escapeMarkdown(text: string): string {
  return escapeRun(text.replace(/\s+/g, ' ').trim(), { atLineStart: true, keepDiscordTokens: false });
}

/**
 * Escapes text quoted from messages (or written by a summarizer) for Discord Markdown, keeping line breaks.
 * Code blocks and inline code are kept as code, rewritten so Discord cannot pair their backticks otherwise;
 * mentions, channels, timestamps and custom emoji stay; URLs become `<url>`; everything else is shown
 * literally.
 */
export function escapeMarkdownText(text: string): string {
  let out = '';
  let plain = '';
  let i = 0;
  const flushPlain = () => {
    const atLineStart = out === '' || out.endsWith('\n');
    out += escapeRun(plain, { atLineStart, keepDiscordTokens: true });
    plain = '';
  };
  while (i < text.length) {
    if (text[i] !== '`') {
      const next = text.indexOf('`', i);
      const end = next === -1 ? text.length : next;
      plain += text.slice(i, end);
      i = end;
      continue;
    }
    const run = backtickRun(text, i);
    const code = run === 3 ? fencedBlock(text, i) : run === 1 ? inlineCode(text, i) : undefined;
    if (!code) {
      // A backtick that does not open well-formed code is shown as a backtick (escaped with the rest).
      plain += '`'.repeat(run);
      i += run;
      continue;
    }
    flushPlain();
    out += code.markdown;
    i = code.end;
    // A closing fence with text after it on the same line would not close the block in CommonMark files.
    if (run === 3 && i < text.length && text[i] !== '\n') {
      out += '\n';
      while (text[i] === ' ' || text[i] === '\t') i++;
    }
  }
  flushPlain();
  return out;
}

/** A Discord message link (`https://discord.com/channels/<guild>/<channel>/<message>`), the bot's jump links. */
export function isDiscordMessageLink(url: string): boolean {
  return /^https:\/\/(?:(?:ptb|canary)\.)?discord(?:app)?\.com\/channels\/(?:\d{1,20}|@me)\/\d{1,20}\/\d{1,20}$/.test(
    url,
  );
}

function backtickRun(text: string, at: number): number {
  let n = 0;
  while (text[at + n] === '`') n++;
  return n;
}

/**
 * ```` ```info\ncode``` ```` up to the next run of exactly three backticks, rewritten as
 * ```` ```info\ncode\n``` ```` (the closing fence on a line of its own, so a backtick at the end of the code
 * cannot lengthen it). Undefined when there is no such closing fence or the block is empty.
 */
function fencedBlock(text: string, at: number): { markdown: string; end: number } | undefined {
  const start = at + 3;
  const close = text.indexOf('```', start);
  if (close === -1 || backtickRun(text, close) !== 3) return undefined;
  let body = text.slice(start, close);
  const info = FENCE_INFO.exec(body)?.[0] ?? '';
  body = body
    .slice(info.length)
    .replace(/^\s*\n/, '')
    .replace(/\s+$/, '');
  if (body.trim() === '') return undefined;
  return { markdown: `\`\`\`${info}\n${body}\n\`\`\``, end: close + 3 };
}

/** `` `code` `` with no backtick and no line break inside: kept as it is. */
function inlineCode(text: string, at: number): { markdown: string; end: number } | undefined {
  const close = text.indexOf('`', at + 1);
  if (close === -1 || backtickRun(text, close) !== 1) return undefined;
  const body = text.slice(at + 1, close);
  if (body.trim() === '' || body.includes('\n')) return undefined;
  return { markdown: `\`${body}\``, end: close + 1 };
}

/** Escapes text that holds no code: URLs to `<url>`, Discord tokens kept, every Markdown sign escaped. */
function escapeRun(text: string, options: { atLineStart: boolean; keepDiscordTokens: boolean }): string {
  let out = '';
  let plain = '';
  const flush = () => {
    out += plain.replace(INLINE, '\\$&');
    plain = '';
  };
  for (let i = 0; i < text.length; ) {
    const ch = text[i];
    if (ch === 'h' || ch === 'H') {
      URL.lastIndex = i;
      const match = URL.exec(text);
      // \b in a sticky regex is checked against the previous character, as for any match.
      if (match) {
        const url = match[0].replace(TRAILING_PUNCTUATION, '');
        if (url.length > 'https://'.length) {
          flush();
          out += `<${url}>`;
          i += url.length;
          continue;
        }
      }
    } else if (ch === '<') {
      // Already written as `<url>`: shown as it is, the brackets not doubled.
      URL.lastIndex = i + 1;
      const wrapped = URL.exec(text);
      if (wrapped && text[i + 1 + wrapped[0].length] === '>') {
        flush();
        out += `<${wrapped[0]}>`;
        i += wrapped[0].length + 2;
        continue;
      }
    }
    if (ch === '<' && options.keepDiscordTokens) {
      DISCORD_TOKEN.lastIndex = i;
      const token = DISCORD_TOKEN.exec(text);
      if (token) {
        flush();
        out += token[0];
        i += token[0].length;
        continue;
      }
    }
    plain += ch;
    i++;
  }
  flush();
  return escapeLineStarts(out, options.atLineStart);
}

/** Escapes block syntax at the start of every line (and at the start of the text when it starts a line). */
function escapeLineStarts(text: string, atLineStart: boolean): string {
  return text.replace(
    LINE_START,
    (whole: string, indent: string, sign: string | undefined, digits: string | undefined, offset: number) => {
      if (offset === 0 && !atLineStart) return whole;
      // `\#` and `\-` for headings and bullets; `1\.` for a numbered list (a backslash before a digit is no escape).
      return sign ? `${indent}\\${sign}` : `${indent}${digits}\\.`;
    },
  );
}
