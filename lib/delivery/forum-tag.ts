/**
 * Names a forum tag for digests goes by, lower case. Matched as whole words of a tag's name, so a forum's
 * "Daily digest" or "Weekly summaries" tag is found and "Digestion" is not; other tags (Bug, Idea) never are.
 */
const DIGEST_WORDS = new Set([
  'digest',
  'digests',
  'summary',
  'summaries',
  'recap',
  'recaps',
  'résumé',
  'resume',
  'resumen',
  'resúmenes',
  'zusammenfassung',
  'zusammenfassungen',
  'riassunto',
  'resumo',
  'samenvatting',
]);
/** Written without spaces between words, so found anywhere in a tag's name ("日次要約"). */
const UNSPACED_DIGEST_WORDS = ['要約', 'まとめ', '摘要', '总结', '總結'];

/** The forum tag a digest post is filed under: the first tag whose name says digest or summary, if any. */
export function digestTag<T extends { name: string }>(tags: readonly T[]): T | undefined {
  return tags.find((tag) => {
    const name = tag.name.toLowerCase();
    return (
      name.split(/[^\p{L}\p{N}]+/u).some((word) => DIGEST_WORDS.has(word)) ||
      UNSPACED_DIGEST_WORDS.some((word) => name.includes(word))
    );
  });
}
