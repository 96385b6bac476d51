// Raw extracted text → clean text. `orig` is never touched; this returns a new
// string. Conventions of the clean form (documented in the README):
//   - Unicode NFKC (ligatures, odd spaces, full-width forms), soft hyphens and
//     zero-width characters removed;
//   - curly quotes → ' and ", dashes (en, em, minus, figure) → "-";
//   - HTML tags and markdown emphasis removed, entities decoded;
//   - lines inside a paragraph joined with one space; a line-end hyphen is
//     removed only when the joined word occurs unhyphenated elsewhere in the
//     document (vocabulary), so "co-production" and "long-term" survive;
//   - bullets become "• " at the start of their own line;
//   - paragraphs separated by one blank line ("\n\n").

export interface NormaliseTextOptions {
  /** Lower-case words seen in the document, used to decide line-end hyphens. */
  vocabulary?: ReadonlySet<string>;
  /**
   * The text is already plain: HTML that parse5 has parsed, where entities are
   * decoded once and a literal "<name>" is text. No tags are stripped and no
   * entity is decoded a second time ("&amp;amp;" → "&amp;").
   */
  plain?: boolean;
}

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  ndash: '–',
  mdash: '—',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
  hellip: '…',
  bull: '•',
};

const BULLET_GLYPHS = '•◦▪▫●○■□➢►‣⁃∙·➤✓✔';
const BULLET_LINE = new RegExp(`^\\s*[${BULLET_GLYPHS}]\\s*`);
// An ASCII "-" or "*" counts as a bullet only where a list is plausible (see joinLines).
const ASCII_BULLET_LINE = /^\s*[-*]\s+(?=\S)/;

export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, body: string) => {
    if (body[0] === '#') {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : m;
    }
    return ENTITIES[body.toLowerCase()] ?? m;
  });
}

/** Remove HTML-like tags (block tags become paragraph breaks) and markdown emphasis. */
export function stripMarkup(s: string): string {
  let out = s
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/?(p|div|li|ul|ol|tr|h[1-6]|table|blockquote)(\s[^<>]*)?>/gi, '\n\n')
    .replace(/<\/?[a-z][a-z0-9-]*(\s[^<>]*)?\/?>/gi, '');
  out = out.replace(/\*\*(?=\S)([^*]+?)\*\*/g, '$1').replace(/__(?=\S)([^_]+?)__/g, '$1');
  return decodeEntities(out);
}

export function normaliseCharacters(s: string): string {
  return repairQuoteGlyphs(s)
    .normalize('NFKC')
    // Soft hyphens, zero-width characters and bidirectional controls (LRM/RLM, embeddings, isolates, ALM).
    .replace(/[\u00ad\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\u061c\ufeff]/g, '')
    .replace(/[\u2018\u2019\u201a\u201b\u2032\u02bc]/g, "'")
    .replace(/[\u201c\u201d\u201e\u201f\u2033]/g, '"')
    .replace(/[\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d]/g, '-')
    .replace(/[\t\v\f\r\u00a0\u2000-\u200a\u202f\u205f\u3000]/g, (c) => (c === '\r' ? '' : ' '));
}

/**
 * Some PDF fonts map typographic quotes to look-alike code points: “…” as
 * U+2015 … U+2016 (― ‖) and ‘ as U+2017 (‗). Where those appear in quote
 * position (opening before a letter, closing after one) they are quotes.
 */
function repairQuoteGlyphs(s: string): string {
  if (!/[\u2015-\u2017]/.test(s)) return s;
  return s
    .replace(/\u2015(?=[\p{L}\p{N}])([^\u2015\u2016\n]{0,300}?[\p{L}\p{N}.,!?])\u2016/gu, '\u201c$1\u201d')
    .replace(/\u2017(?=[\p{L}\p{N}])/gu, '\u2018');
}

function isBulletLine(line: string, prevLine: string | undefined, prevWasBullet: boolean, nextLine: string | undefined): boolean {
  if (BULLET_LINE.test(line)) return true;
  if (!ASCII_BULLET_LINE.test(line)) return false;
  // A lone "- x" at a paragraph's start may be a wrapped dash; a list has a lead-in or a second item.
  if (prevLine === undefined) return nextLine !== undefined && ASCII_BULLET_LINE.test(nextLine);
  return prevWasBullet || /:\s*$/.test(prevLine);
}

function stripBullet(line: string): string {
  return BULLET_LINE.test(line) ? line.replace(BULLET_LINE, '') : line.replace(ASCII_BULLET_LINE, '');
}

function joinHyphenated(left: string, right: string, vocabulary?: ReadonlySet<string>): string {
  // left ends with "<letters>-", right starts with a lower-case letter.
  const head = /([A-Za-z]+)-$/.exec(left)?.[1] ?? '';
  const tail = /^([a-z]+)/.exec(right)?.[1] ?? '';
  if (!head) return left + right; // "COVID-19-\nrelated": a number's hyphen always stays
  const joined = (head + tail).toLowerCase();
  const hyphenated = `${head}-${tail}`.toLowerCase();
  if (vocabulary && vocabulary.has(joined) && !vocabulary.has(hyphenated)) return left.slice(0, -1) + right;
  return left + right;
}

function joinLines(lines: string[], vocabulary?: ReadonlySet<string>): string {
  const out: string[] = [];
  let prevRaw: string | undefined;
  let prevWasBullet = false;
  const filled = lines.map((l) => l.trim()).filter(Boolean);
  for (const [i, line] of filled.entries()) {
    const bullet = isBulletLine(line, prevRaw, prevWasBullet, filled[i + 1]);
    if (bullet) {
      // A printed bullet glyph is kept; an ASCII marker ("- ", "* ") becomes "•".
      const first = line.trim()[0];
      const glyph = BULLET_LINE.test(line) && !/[\ue000-\uf8ff]/.test(first) ? first : '•';
      out.push(`${glyph} ${stripBullet(line).trim()}`);
    } else if (out.length === 0) {
      out.push(line);
    } else {
      const last = out[out.length - 1];
      if (/[A-Za-z0-9]-$/.test(last) && /^[a-z]/.test(line)) out[out.length - 1] = joinHyphenated(last, line, vocabulary);
      // "post-\n16", "pre-\nCOVID", "2008-\n11": the hyphen is kept and nothing is added.
      else if (/[A-Za-z0-9]-$/.test(last) && /^[A-Z0-9]/.test(line)) out[out.length - 1] = last + line;
      else out[out.length - 1] = `${last} ${line}`;
    }
    prevRaw = line;
    prevWasBullet = bullet;
  }
  return out.map((l) => l.replace(/ {2,}/g, ' ').trim()).join('\n');
}

export function normaliseText(orig: string, options: NormaliseTextOptions = {}): string {
  // A paragraph never ends on a word's hyphen: a break after "fit-and-" is a line the layout split.
  const chars = normaliseCharacters(options.plain ? orig : stripMarkup(orig)).replace(/([A-Za-z]-)[ \t]*\n(?:[ \t]*\n)+[ \t]*(?=[a-z])/g, '$1\n');
  return chars
    .split(/\n[ \t]*\n/)
    .map((para) => joinLines(para.split('\n'), options.vocabulary))
    .filter((p) => p.length > 0)
    .join('\n\n');
}

/** Lower-case word set of a document's raw text, for hyphenation decisions. */
export function buildVocabulary(texts: Iterable<string>): Set<string> {
  const vocab = new Set<string>();
  for (const t of texts) {
    for (const m of normaliseCharacters(t).matchAll(/[A-Za-z]+(?:-[A-Za-z]+)*/g)) {
      const w = m[0].toLowerCase();
      // A word split at a line end is not evidence of its own spelling.
      const end = (m.index ?? 0) + m[0].length;
      if (t[end] === '-' && /\n/.test(t.slice(end + 1, end + 3))) continue;
      vocab.add(w);
    }
  }
  return vocab;
}

/** Collapse all whitespace to single spaces (for comparisons). */
export function collapseWhitespace(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/** Alphanumeric word tokens, for "no word lost" checks and matching. */
export function words(s: string): string[] {
  return normaliseCharacters(s).match(/[\p{L}\p{N}]+/gu) ?? [];
}
