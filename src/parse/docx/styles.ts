// Paragraph styles from word/styles.xml, resolved through basedOn, for what
// mammoth's model leaves out: numbering carried by a style (w:numPr) and
// outline levels that make a custom style a heading.
import { boundedInt, LIMITS } from '../../limits.js';
import { child, childrenNamed, parseXml, val, type XmlElement } from './xml.js';

export interface NumRef {
  numId?: string;
  ilvl?: number;
}

interface RawStyle {
  id: string;
  type: string;
  name?: string;
  basedOn?: string;
  numPr?: NumRef;
  outlineLvl?: number;
}

export interface StyleInfo {
  name?: string;
  /** Numbering inherited through basedOn (numId from the nearest style that states one). */
  numPr?: NumRef;
  outlineLvl?: number;
}

export interface Styles {
  paragraph(styleId: string | undefined): StyleInfo | undefined;
  /** numId that a numbering style (w:type="numbering") points at, for w:numStyleLink. */
  numberingStyleNumId(styleId: string): string | undefined;
}

export function readNumPr(pPr: XmlElement | undefined): NumRef | undefined {
  const numPr = child(pPr, 'w:numPr');
  if (!numPr) return undefined;
  const numId = val(numPr, 'w:numId');
  const ilvlRaw = val(numPr, 'w:ilvl');
  const ilvl = ilvlRaw === undefined ? undefined : boundedInt(ilvlRaw, 0, LIMITS.wordLevels - 1, NaN);
  return { numId, ilvl: Number.isFinite(ilvl) ? ilvl : undefined };
}

export function readStyles(xml: string | undefined): Styles {
  const raw = new Map<string, RawStyle>();
  if (xml) {
    const root = parseXml(xml);
    const stylesEl = child(root, 'w:styles');
    for (const s of childrenNamed(stylesEl, 'w:style')) {
      const id = s.attrs['w:styleId'];
      if (!id) continue;
      const pPr = child(s, 'w:pPr');
      const outline = val(pPr, 'w:outlineLvl');
      raw.set(id, {
        id,
        type: s.attrs['w:type'] ?? 'paragraph',
        name: val(s, 'w:name'),
        basedOn: val(s, 'w:basedOn'),
        numPr: readNumPr(pPr),
        outlineLvl: outline === undefined ? undefined : boundedInt(outline, 0, 9, NaN),
      });
    }
  }
  const cache = new Map<string, StyleInfo>();
  function resolve(id: string): StyleInfo | undefined {
    const hit = cache.get(id);
    if (hit) return hit;
    const chain: RawStyle[] = [];
    const seen = new Set<string>();
    for (let cur = raw.get(id); cur && !seen.has(cur.id); cur = cur.basedOn ? raw.get(cur.basedOn) : undefined) {
      seen.add(cur.id);
      chain.push(cur);
    }
    if (chain.length === 0) return undefined;
    const info: StyleInfo = { name: chain[0].name };
    for (const s of chain) {
      if (info.outlineLvl === undefined && s.outlineLvl !== undefined) info.outlineLvl = s.outlineLvl;
      if (s.numPr) {
        info.numPr = {
          numId: info.numPr?.numId ?? s.numPr.numId,
          ilvl: info.numPr?.ilvl ?? s.numPr.ilvl,
        };
      }
    }
    cache.set(id, info);
    return info;
  }
  return {
    paragraph: (id) => (id ? resolve(id) : undefined),
    numberingStyleNumId: (id) => {
      const s = raw.get(id);
      return s?.numPr?.numId ?? (s?.basedOn ? resolve(s.basedOn)?.numPr?.numId : undefined);
    },
  };
}
