// Rebuilds the labels Word draws from automatic numbering (word/numbering.xml),
// which mammoth drops. Counters are kept per abstract list and level, advanced in
// document order: Word continues a list across w:num instances that share an
// abstractNum, and a w:num's lvlOverride/startOverride restarts it where that
// instance is first used (that is how Word and generators express "restart").
import { boundedInt, LIMITS } from '../../limits.js';
import { child, childrenNamed, parseXml, val, type XmlElement } from './xml.js';
import type { Styles } from './styles.js';

export interface LevelDef {
  fmt: string;
  text: string | undefined;
  start: number;
  /** w:lvlRestart: undefined = restart after any higher level; 0 = never. */
  restart?: number;
  isLgl: boolean;
  pStyle?: string;
}

interface AbstractDef {
  id: string;
  levels: Map<number, LevelDef>;
  numStyleLink?: string;
}

interface NumDef {
  abstractId: string;
  overrides: Map<number, { start?: number; lvl?: LevelDef }>;
}

export interface NumberingDefs {
  abstracts: Map<string, AbstractDef>;
  nums: Map<string, NumDef>;
}

export interface NumberedLabel {
  label: string;
  bullet: boolean;
  level: number;
}

function readLevel(el: XmlElement): LevelDef {
  const start = boundedInt(val(el, 'w:start'), 0, LIMITS.counter, NaN);
  const restartRaw = val(el, 'w:lvlRestart');
  const restart = restartRaw === undefined ? undefined : boundedInt(restartRaw, 0, LIMITS.wordLevels, NaN);
  const isLglEl = child(el, 'w:isLgl');
  return {
    fmt: val(el, 'w:numFmt') ?? 'decimal',
    text: val(el, 'w:lvlText'),
    start: Number.isFinite(start) ? start : 0,
    restart: Number.isFinite(restart) ? restart : undefined,
    isLgl: !!isLglEl && !['0', 'false', 'off'].includes(isLglEl.attrs['w:val'] ?? 'true'),
    pStyle: val(el, 'w:pStyle'),
  };
}

export function readNumberingDefs(xml: string | undefined): NumberingDefs {
  const abstracts = new Map<string, AbstractDef>();
  const nums = new Map<string, NumDef>();
  if (!xml) return { abstracts, nums };
  const root = child(parseXml(xml), 'w:numbering');
  for (const a of childrenNamed(root, 'w:abstractNum')) {
    const id = a.attrs['w:abstractNumId'];
    if (id === undefined) continue;
    const levels = new Map<number, LevelDef>();
    for (const l of childrenNamed(a, 'w:lvl')) {
      const ilvl = boundedInt(l.attrs['w:ilvl'] ?? '0', 0, LIMITS.wordLevels - 1, NaN);
      if (Number.isFinite(ilvl) && !levels.has(ilvl)) levels.set(ilvl, readLevel(l));
    }
    abstracts.set(id, { id, levels, numStyleLink: val(a, 'w:numStyleLink') });
  }
  for (const n of childrenNamed(root, 'w:num')) {
    const id = n.attrs['w:numId'];
    const abstractId = val(n, 'w:abstractNumId');
    if (id === undefined || abstractId === undefined) continue;
    const overrides = new Map<number, { start?: number; lvl?: LevelDef }>();
    for (const o of childrenNamed(n, 'w:lvlOverride')) {
      const ilvl = boundedInt(o.attrs['w:ilvl'] ?? '0', 0, LIMITS.wordLevels - 1, 0);
      const s = boundedInt(val(o, 'w:startOverride'), 0, LIMITS.counter, NaN);
      const lvlEl = child(o, 'w:lvl');
      overrides.set(ilvl, { start: Number.isFinite(s) ? s : undefined, lvl: lvlEl ? readLevel(lvlEl) : undefined });
    }
    nums.set(id, { abstractId, overrides });
  }
  return { abstracts, nums };
}

const ROMAN: [number, string][] = [
  [1000, 'm'], [900, 'cm'], [500, 'd'], [400, 'cd'], [100, 'c'], [90, 'xc'],
  [50, 'l'], [40, 'xl'], [10, 'x'], [9, 'ix'], [5, 'v'], [4, 'iv'], [1, 'i'],
];

function roman(n: number): string {
  if (n <= 0 || n >= 4000) return String(n);
  let out = '';
  for (const [v, s] of ROMAN) while (n >= v) { out += s; n -= v; }
  return out;
}

/** Word's letter numbering repeats the letter past z: a..z, aa, bb, ... */
function letters(n: number): string {
  if (n <= 0 || n > 26 * 40) return String(n); // past "zzzz…" (40 letters) Word's form is no longer readable
  const ch = String.fromCharCode(97 + ((n - 1) % 26));
  return ch.repeat(Math.floor((n - 1) / 26) + 1);
}

function ordinalSuffix(n: number): string {
  const t = n % 100;
  if (t >= 11 && t <= 13) return 'th';
  return ['th', 'st', 'nd', 'rd'][n % 10] ?? 'th';
}

export function formatNumber(n: number, fmt: string): string {
  switch (fmt) {
    case 'lowerLetter': return letters(n);
    case 'upperLetter': return letters(n).toUpperCase();
    case 'lowerRoman': return roman(n);
    case 'upperRoman': return roman(n).toUpperCase();
    case 'decimalZero': return n >= 0 && n < 10 ? `0${n}` : String(n);
    case 'ordinal': return `${n}${ordinalSuffix(n)}`;
    case 'none': return '';
    default: return String(n); // decimal and formats without a better rendering here
  }
}

/** Walks paragraphs in document order and hands out Word's labels. */
export class NumberingCounter {
  private counters = new Map<string, (number | undefined)[]>();
  private seenNums = new Set<string>();
  /** How many non-bullet labels were produced. */
  rebuilt = 0;

  constructor(private defs: NumberingDefs, private styles: Styles) {}

  /** The abstract list a w:num draws from, following numStyleLink to the list that defines the levels. */
  private resolveAbstract(numId: string): AbstractDef | undefined {
    const seen = new Set<string>();
    let num = this.defs.nums.get(numId);
    while (num && !seen.has(num.abstractId)) {
      seen.add(num.abstractId);
      const abs = this.defs.abstracts.get(num.abstractId);
      if (!abs) return undefined;
      if (!abs.numStyleLink) return abs;
      const linked = this.styles.numberingStyleNumId(abs.numStyleLink);
      num = linked ? this.defs.nums.get(linked) : undefined;
    }
    return undefined;
  }

  private level(num: NumDef, abs: AbstractDef, ilvl: number): LevelDef | undefined {
    return num.overrides.get(ilvl)?.lvl ?? abs.levels.get(ilvl);
  }

  private start(num: NumDef, abs: AbstractDef, ilvl: number): number {
    return num.overrides.get(ilvl)?.start ?? this.level(num, abs, ilvl)?.start ?? 0;
  }

  /** The first w:num whose abstract list ties a level to this paragraph style (w:lvl/w:pStyle). */
  numRefForStyle(styleId: string): { numId: string; ilvl: number } | undefined {
    for (const [numId, num] of this.defs.nums) {
      const abs = this.resolveAbstract(numId);
      if (!abs) continue;
      for (const [ilvl, l] of abs.levels) if (l.pStyle === styleId && this.level(num, abs, ilvl)) return { numId, ilvl };
    }
    return undefined;
  }

  next(numId: string, ilvlGiven: number): NumberedLabel | undefined {
    if (numId === '0') return undefined; // numId 0 switches numbering off
    const ilvl = boundedInt(ilvlGiven, 0, LIMITS.wordLevels - 1, 0);
    const num = this.defs.nums.get(numId);
    const abs = num ? this.resolveAbstract(numId) : undefined;
    if (!num || !abs) return undefined;
    const lvl = this.level(num, abs, ilvl);
    if (!lvl) return undefined;
    let counts = this.counters.get(abs.id);
    if (!counts) this.counters.set(abs.id, (counts = []));
    if (!this.seenNums.has(numId)) {
      this.seenNums.add(numId);
      for (const [l, o] of num.overrides) if (o.start !== undefined) counts[l] = undefined;
    }
    counts[ilvl] = counts[ilvl] === undefined ? this.start(num, abs, ilvl) : Math.min(LIMITS.counter, counts[ilvl]! + 1);
    for (let m = ilvl + 1; m < LIMITS.wordLevels; m++) {
      const r = this.level(num, abs, m)?.restart;
      if (r === undefined || (r !== 0 && ilvl <= r - 1)) counts[m] = undefined;
    }
    if (lvl.fmt === 'bullet') return { label: '•', bullet: true, level: ilvl };
    const text = lvl.text ?? `%${ilvl + 1}.`;
    const label = text.replace(/%([1-9])/g, (_m, d: string) => {
      const k = parseInt(d, 10) - 1;
      const kl = this.level(num, abs, k);
      const n = counts![k] ?? this.start(num, abs, k);
      return formatNumber(n, lvl.isLgl && k < ilvl ? 'decimal' : kl?.fmt ?? 'decimal');
    });
    if (!label.trim()) return undefined;
    this.rebuilt++;
    return { label, bullet: false, level: ilvl };
  }
}
