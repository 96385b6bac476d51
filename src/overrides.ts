// The overrides file: a person's decisions about links and series. Nothing in
// it may be ignored silently: every schema problem is reported at once, and
// every entry must resolve to documents and recommendations of the run (numbers
// compared canonically: "R12" is "12"). Each problem carries its line.
import { Overrides, type DocumentJson, type LinkDecision, type SeriesDecision } from './schema.js';
import { parseWholeLabel } from './normalise/number.js';
import { refsOf } from './match/refs.js';

export interface OverridesProblem {
  line: number;
  message: string;
}

/** A link decision resolved to source ids and canonical numbers; `line` is where it stands in the file. */
export type ResolvedLinkDecision = LinkDecision & { line?: number };
export type ResolvedSeries = Omit<SeriesDecision, 'document' | 'with'> & { document: string; with?: string; line?: number };

export interface ParsedOverrides {
  overrides: Overrides;
  /** JSON path ("decisions.3.from.number") → 1-based line of its value. */
  lines: Map<string, number>;
}

/** Lines of every value in a JSON text, by path (keys and array indexes joined with "."). */
export function jsonLines(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  let i = 0;
  let line = 1;
  const ws = () => {
    while (i < text.length && /\s/.test(text[i])) {
      if (text[i] === '\n') line++;
      i++;
    }
  };
  const str = (): string => {
    let out = '';
    i++; // opening quote
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\\') {
        out += text.slice(i, i + 2);
        i += 2;
      } else out += text[i++];
    }
    i++;
    try {
      return JSON.parse(`"${out}"`);
    } catch {
      return out;
    }
  };
  const value = (path: string[]): void => {
    ws();
    lines.set(path.join('.'), line);
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      while (i < text.length) {
        ws();
        const k = str();
        ws();
        i++; // colon
        value([...path, k]);
        ws();
        if (text[i++] !== ',') return;
      }
    } else if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (let n = 0; i < text.length; n++) {
        value([...path, String(n)]);
        ws();
        if (text[i++] !== ',') return;
      }
    } else if (c === '"') str();
    else while (i < text.length && !/[\s,\]}]/.test(text[i])) i++;
  };
  value([]);
  return lines;
}

/** The line of a path, or of its nearest ancestor that has one. */
export function lineOf(lines: Map<string, number>, path: (string | number | symbol)[]): number {
  for (let n = path.length; n >= 0; n--) {
    const l = lines.get(path.slice(0, n).map(String).join('.'));
    if (l !== undefined) return l;
  }
  return 1;
}

/** Parse and check the file's text; every schema problem is returned, not just the first. */
export function parseOverrides(text: string): { parsed?: ParsedOverrides; problems: OverridesProblem[] } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    const m = /position (\d+)/.exec((err as Error).message);
    const line = m ? text.slice(0, Number(m[1])).split('\n').length : 1;
    return { problems: [{ line, message: `not JSON: ${(err as Error).message}` }] };
  }
  const lines = jsonLines(text);
  const checked = Overrides.safeParse(raw);
  if (!checked.success) {
    return {
      problems: checked.error.issues
        .map((iss) => {
          const path = iss.code === 'unrecognized_keys' ? [...iss.path, iss.keys[0]] : iss.path;
          return { line: lineOf(lines, path), message: `${iss.path.map(String).join('.') || '(top)'}: ${iss.message}` };
        })
        .sort((a, b) => a.line - b.line),
    };
  }
  return { parsed: { overrides: checked.data, lines }, problems: [] };
}

/** How a document is named in the file: its source id, its path as given, or its file name (unique in the run). */
export function resolveDocument(name: string, docs: DocumentJson[]): { id?: string; problem?: string } {
  const hits = docs.filter((d) => d.source.id === name || d.source.sha256 === name || d.source.path === name);
  const byFile = hits.length ? hits : docs.filter((d) => d.source.filename === name);
  const ids = [...new Set(byFile.map((d) => d.source.id))];
  if (ids.length === 1) return { id: ids[0] };
  if (ids.length === 0) return { problem: `no document "${name}" in this run (name it by source id, path as given, or file name)` };
  return { problem: `"${name}" names ${ids.length} documents (${byFile.map((d) => d.source.path).join(', ')}); use the source id or path` };
}

/** The canonical number ("R12", "Recommendation 12" → "12"). */
export function canonicalNumber(raw: string): string {
  const parsed = parseWholeLabel(raw.trim());
  return parsed && !parsed.subOnly ? parsed.number : raw.trim();
}

export interface ResolvedOverrides {
  links: ResolvedLinkDecision[];
  series: ResolvedSeries[];
  problems: OverridesProblem[];
}

/**
 * Resolve every entry against the run's documents. Unresolved entries are
 * returned as problems (with their line) and left out of `links`/`series`.
 */
export function resolveOverrides(parsed: ParsedOverrides, docs: DocumentJson[]): ResolvedOverrides {
  const { overrides, lines } = parsed;
  const problems: OverridesProblem[] = [];
  const refs = new Map(docs.map((d) => [d.source.id, new Set(refsOf(d.recommendations))]));
  const byId = new Map(docs.map((d) => [d.source.id, d]));
  const links: ResolvedLinkDecision[] = [];
  overrides.decisions.forEach((d, k) => {
    const at = (...p: string[]) => lineOf(lines, ['decisions', String(k), ...p]);
    const bad: OverridesProblem[] = [];
    const side = (s: 'from' | 'to') => {
      const doc = resolveDocument(d[s].document, docs);
      if (!doc.id) {
        bad.push({ line: at(s, 'document'), message: `decisions[${k}].${s}.document: ${doc.problem}` });
        return undefined;
      }
      const number = canonicalNumber(d[s].number);
      if (!refs.get(doc.id)!.has(number)) {
        const path = byId.get(doc.id)!.source.path;
        bad.push({
          line: at(s, 'number'),
          message: `decisions[${k}].${s}.number: "${d[s].number}"${number !== d[s].number ? ` (read as ${number})` : ''} is not a recommendation of ${path}`,
        });
        return undefined;
      }
      return { document: doc.id, number };
    };
    const from = side('from');
    const to = side('to');
    if (from && to && from.document === to.document) bad.push({ line: at(), message: `decisions[${k}]: from and to are the same document` });
    if (bad.length || !from || !to) problems.push(...bad);
    else links.push({ ...d, from, to, line: at() });
  });
  const series: ResolvedSeries[] = [];
  (overrides.series ?? []).forEach((d, k) => {
    const at = (...p: string[]) => lineOf(lines, ['series', String(k), ...p]);
    const doc = resolveDocument(d.document, docs);
    const other = d.with !== undefined ? resolveDocument(d.with, docs) : undefined;
    if (!doc.id) problems.push({ line: at('document'), message: `series[${k}].document: ${doc.problem}` });
    if (other && !other.id) problems.push({ line: at('with'), message: `series[${k}].with: ${other.problem}` });
    if (doc.id && (!other || other.id)) series.push({ ...d, document: doc.id, ...(other?.id ? { with: other.id } : {}), line: at() });
  });
  return { links, series, problems: problems.sort((a, b) => a.line - b.line) };
}
