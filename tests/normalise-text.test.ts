import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildVocabulary, normaliseText, stripMarkup, words } from '../src/normalise/text.js';

describe('normaliseText', () => {
  it('strips markup into paragraphs and decodes entities', () => {
    expect(normaliseText('<p>One &amp; two.</p> <p>Three</p>')).toBe('One & two.\n\nThree');
    expect(normaliseText('<b>Bold</b> text<br>next')).toBe('Bold text next');
    expect(normaliseText('**Recommendations from the report**')).toBe('Recommendations from the report');
  });

  it('normalises quotes, dashes, ligatures and odd spaces', () => {
    expect(normaliseText('“children’s services” – now')).toBe('"children\'s services" - now');
    expect(normaliseText('e\uFB03cient\u00a0and\u2009of\uFB01ce')).toBe('efficient and office');
    expect(normaliseText('soft\u00adhyphen')).toBe('softhyphen');
  });

  it('joins wrapped lines and keeps paragraphs', () => {
    expect(normaliseText('first line\nsecond line\n\nnew paragraph')).toBe('first line second line\n\nnew paragraph');
  });

  it('keeps hyphens of real compounds at a line end and removes them from split words', () => {
    expect(normaliseText('co-\nproduction')).toBe('co-production');
    // A paragraph break the layout put inside a hyphenated word leaves no space.
    expect(normaliseText('the fit-and-\n\nproper-persons test')).toBe('the fit-and-proper-persons test');
    expect(normaliseText('ends here -\n\nnext')).toBe('ends here -\n\nnext');
    const vocab = buildVocabulary(['the council will regularise roles', 'regu-\nlarise']);
    expect(normaliseText('regu-\nlarise', { vocabulary: vocab })).toBe('regularise');
    expect(normaliseText('long-\nterm', { vocabulary: buildVocabulary(['long-term plan']) })).toBe('long-term');
  });

  it('puts bullets on their own lines', () => {
    expect(normaliseText('Steps:\n- one\n- two')).toBe('Steps:\n• one\n• two');
    expect(normaliseText('- one\n- two')).toBe('• one\n• two');
    expect(normaliseText('post-\n16 learners')).toBe('post-16 learners');
    // A number's hyphen at a line end: a range or compound, joined with nothing added.
    expect(normaliseText('Cycling Towns (2008-\n11). Through')).toBe('Cycling Towns (2008-11). Through');
    expect(normaliseText('COVID-19-\nrelated deaths', { vocabulary: new Set(['related']) })).toBe('COVID-19-related deaths');
    expect(normaliseText('in 2008 -\n11 people')).toBe('in 2008 - 11 people');
    expect(normaliseText('• a\n▪ b')).toBe('• a\n▪ b');
    expect(normaliseText('The UK should:\n● abolish it; and\n● require it')).toBe('The UK should:\n● abolish it; and\n● require it');
  });

  it('reads quote glyphs that a PDF font mapped to look-alike code points', () => {
    expect(normaliseText('the \u2015inventory of behaviours\u2016 in order')).toBe('the "inventory of behaviours" in order');
    expect(normaliseText("that \u2017nudging\u2018 alone")).toBe("that 'nudging' alone");
    // A horizontal bar used as a dash stays a dash.
    expect(normaliseText('2008\u201511 \u2015 a range')).toBe('2008-11 - a range');
  });

  it('does not treat a wrapped dash as a bullet', () => {
    expect(normaliseText('The Council Leadership\n– political and officers')).toBe('The Council Leadership - political and officers');
  });

  const textArb = fc
    .array(
      fc.oneof(
        fc.stringMatching(/^[A-Za-z]{1,8}$/),
        fc.constantFrom(' ', '\n', '\n\n', '  ', '\t', '<p>', '</p>', '“', '”', '–', '•', '-', ':', '(1)', 'ﬁ', '\u00a0'),
      ),
      { maxLength: 40 },
    )
    .map((parts) => parts.join(''));

  it('is idempotent (property)', () => {
    fc.assert(
      fc.property(textArb, (s) => {
        const once = normaliseText(s);
        expect(normaliseText(once)).toBe(once);
      }),
      { numRuns: 3000 },
    );
  });

  it('loses no word of the raw text (property)', () => {
    fc.assert(
      fc.property(textArb, (s) => {
        const before = words(stripMarkup(s)).join(' ').toLowerCase();
        const after = words(normaliseText(s)).join(' ').toLowerCase();
        expect(after).toBe(before);
      }),
      { numRuns: 3000 },
    );
  });
});
