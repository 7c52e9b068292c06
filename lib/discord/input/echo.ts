/**
 * What the admin typed, repeated back in an error or a note. Inline code shows it exactly (no markdown, no
 * mentions render inside it); backticks and line breaks, which would end or break the code span, are
 * replaced, and long input is cut so an error never drowns in it.
 */
export function echo(raw: string, max = 60): string {
  const flat = raw.replace(/[`\r\n]+/g, "'").trim();
  const text = flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
  return `\`${text || ' '}\``;
}
