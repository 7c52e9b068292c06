import { describe, expect, it } from 'vitest';
import { digestTag } from '../../../lib/delivery/forum-tag.ts';

const tags = (...names: string[]) => names.map((name, i) => ({ id: String(i + 1), name }));

describe('digestTag (the forum tag a digest post is filed under)', () => {
  it('finds a tag whose name says digest or summary, in several languages and cases', () => {
    expect(digestTag(tags('Bug', 'Daily digest'))?.name).toBe('Daily digest');
    expect(digestTag(tags('Idea', 'Weekly Summaries'))?.name).toBe('Weekly Summaries');
    expect(digestTag(tags('Fehler', 'Zusammenfassung'))?.name).toBe('Zusammenfassung');
    expect(digestTag(tags('Pregunta', 'Resumen semanal'))?.name).toBe('Resumen semanal');
    expect(digestTag(tags('質問', '日次要約'))?.name).toBe('日次要約');
    expect(digestTag(tags('RECAP'))?.name).toBe('RECAP');
  });

  it('takes no unrelated tag, nor one that only contains the letters', () => {
    expect(digestTag(tags('Bug', 'Idea', 'Question'))).toBeUndefined();
    expect(digestTag(tags('Digestion tips', 'Summarybot-dev'))).toBeUndefined();
    expect(digestTag([])).toBeUndefined();
  });

  it('takes the first of several', () => {
    expect(digestTag(tags('Summary', 'Digest'))?.id).toBe('1');
  });
});
