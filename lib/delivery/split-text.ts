/**
 * Splits Markdown into chunks of at most `max` UTF-16 code units (the conservative way to count what Discord
 * calls characters), preferring paragraph boundaries, then line boundaries, then spaces. Never cuts inside a
 * Markdown link, an inline code span or a surrogate pair; a fenced code block that does not fit is closed at
 * the end of one chunk and reopened (same info string) at the start of the next. Chunks are trimmed, because
 * Discord trims and counts trimmed text, and never empty.
 */
export function splitMarkdown(text: string, max: number): string[] {
  if (max < 64) throw new RangeError('splitMarkdown: max must be at least 64');
  const chunks: string[] = [];
  let current = '';
  const flush = () => {
    const trimmed = current.trim();
    if (trimmed) chunks.push(trimmed);
    current = '';
  };
  const append = (piece: string, separator: string) => {
    if (!current) {
      current = piece;
    } else if (current.length + separator.length + piece.length <= max) {
      current += separator + piece;
    } else {
      flush();
      current = piece;
    }
  };

  for (const block of toBlocks(text)) {
    if (block.length <= max) {
      append(block, '\n\n');
      continue;
    }
    flush();
    const pieces = togglesFence(block.split('\n')[0] ?? '')
      ? splitCodeBlock(block, max)
      : splitParagraph(block, max);
    for (const piece of pieces) append(piece, '\n');
    flush();
  }
  flush();
  return chunks;
}

/** A line with an odd number of fences opens (or closes) a code block, wherever on the line the fence is. */
function togglesFence(line: string): boolean {
  return (line.split('```').length - 1) % 2 === 1;
}

/** Paragraphs (split at blank lines) and whole fenced code blocks (always emitted closed). */
function toBlocks(text: string): string[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const blocks: string[] = [];
  let paragraph: string[] = [];
  const endParagraph = () => {
    const joined = paragraph.join('\n').trim();
    if (joined) blocks.push(joined);
    paragraph = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (togglesFence(line)) {
      endParagraph();
      const code = [line];
      let closed = false;
      while (++i < lines.length) {
        const inner = lines[i] ?? '';
        code.push(inner);
        if (togglesFence(inner)) {
          closed = true;
          break;
        }
      }
      if (!closed) code.push('```');
      blocks.push(code.join('\n'));
      continue;
    }
    if (line.trim() === '') endParagraph();
    else paragraph.push(line);
  }
  endParagraph();
  return blocks;
}

/** Lines of a too-long paragraph; a too-long line is cut at spaces between unbreakable tokens. */
function splitParagraph(block: string, max: number): string[] {
  const out: string[] = [];
  for (const line of block.split('\n')) {
    if (line.length <= max) out.push(line);
    else out.push(...splitLine(line, max));
  }
  return out;
}

// A link `[text](url)`, an inline code span, a run of ordinary characters and backslash escapes (so `\[` is
// never cut from its backslash), a lone `[`, backtick or backslash, whitespace. Linear on any input: link text
// stops at the next `[` and a URL at the next `(`, so no start rescans text another start already scanned
// (with `[^\]]*` a line of 40,000 `[` took 1.6 s, every `[` scanning to the end of the line).
const TOKEN = /\[[^[\]\n]*\]\([^()\s]*\)|`[^`\n]+`|(?:\\\S|[^\s[`\\])+|[[`\\]|\s+/g;

function splitLine(line: string, max: number): string[] {
  const out: string[] = [];
  let current = '';
  for (const token of line.match(TOKEN) ?? []) {
    if (current.length + token.length <= max) {
      current += token;
      continue;
    }
    if (current.trim()) out.push(current.trim());
    current = '';
    if (/^\s+$/.test(token)) continue;
    if (token.length <= max) {
      current = token;
      continue;
    }
    // A single token longer than a whole chunk (a pathological word or link) can only be cut hard.
    const hard = hardSplit(token, max);
    current = hard.pop() ?? '';
    out.push(...hard);
  }
  if (current.trim()) out.push(current.trim());
  return out;
}

/** Cuts at code-point boundaries so a surrogate pair is never split. */
export function hardSplit(text: string, max: number): string[] {
  const out: string[] = [];
  let current = '';
  for (const ch of text) {
    if (current.length + ch.length > max) {
      out.push(current);
      current = '';
    }
    current += ch;
  }
  if (current) out.push(current);
  return out;
}

function splitCodeBlock(block: string, max: number): string[] {
  const lines = block.split('\n');
  const opener = lines[0] ?? '```';
  const at = opener.lastIndexOf('```');
  // Text before the fence on its line (a bullet, a sentence) stays outside the code, as its own piece.
  const before = opener.slice(0, at).trimEnd();
  const info = opener.slice(at + 3).trim();
  const isLanguage = /^[\w+.-]{0,20}$/.test(info);
  const fence = isLanguage ? `\`\`\`${info}` : '```';
  const close = '```';
  const last = lines.length - 1;
  const body = [
    ...(isLanguage ? [] : [info]),
    ...lines.slice(1, lines[last]?.trim() === '```' && last > 0 ? -1 : undefined),
  ];
  const room = max - fence.length - close.length - 2;
  const out: string[] = before ? splitParagraph(before, max) : [];
  let current: string[] = [];
  let size = 0;
  const push = () => {
    if (current.length) out.push(`${fence}\n${current.join('\n')}\n${close}`);
    current = [];
    size = 0;
  };
  for (const raw of body) {
    // A closing fence that shares its line with code keeps the code and loses the fence (we close ourselves).
    const line = raw.replaceAll('```', '');
    const parts = line.length <= room ? [line] : hardSplit(line, room);
    for (const part of parts) {
      const added = (current.length ? 1 : 0) + part.length;
      if (size + added > room) push();
      size += (current.length ? 1 : 0) + part.length;
      current.push(part);
    }
  }
  push();
  return out;
}
