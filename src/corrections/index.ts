// A person's corrections to an extraction (the overrides file's `corrections`,
// usually made on the review page): confirm, edit, split, merge, drop, add.
// Pure functions over document JSON. Each correction names the document by
// sha256 and its recommendations by id; applying is idempotent (the document
// records which corrections it has seen), and a correction that no longer
// applies is reported with a code, never dropped in silence.
import type { Correction, DocumentJson, Message, Overrides, Recommendation } from '../schema.js';
import { fullNumber, parseWholeLabel } from '../normalise/number.js';
import { normaliseStatus } from '../normalise/status.js';
import { warning } from '../result.js';

/** A correction that did not apply, for the CLI to print. */
export interface CorrectionProblem {
  id: string;
  document: string;
  code: 'correction/target-missing' | 'correction/document-changed';
  reason: string;
}

export interface Applied {
  doc: DocumentJson;
  /** False when the document already carried every correction: nothing to write. */
  changed: boolean;
  problems: CorrectionProblem[];
  /**
   * The document carries corrections the file no longer has (a person took one
   * back): it must be extracted afresh and corrected from scratch.
   */
  needsFresh: boolean;
}

/** Canonical number for what a person typed ("R12" → "12"); kept as typed when it is not a label. */
export function canonicalNumber(typed: string): string {
  const parsed = parseWholeLabel(typed.trim());
  return parsed && !parsed.subOnly ? parsed.number : typed.trim();
}

/**
 * The number fields a person's typed number gives an item: a bare sub-number ("b.") stays under
 * the item's parent; any other number stands alone.
 */
function typedNumber(typed: string, r: Pick<Recommendation, 'parent'>): { number: string; parent?: string } {
  const parsed = parseWholeLabel(typed.trim());
  if (parsed?.subOnly && r.parent) return { number: parsed.number, parent: r.parent };
  return { number: canonicalNumber(typed) };
}

const withoutParent = <T extends { parent?: string }>(r: T): Omit<T, 'parent'> => {
  const { parent: _parent, ...rest } = r;
  return rest;
};

const baseName = (p: string) => p.split(/[\\/]/).pop() ?? p;

/** Corrections that name this exact document (by sha256), in file order. */
export function correctionsFor(doc: DocumentJson, overrides?: Pick<Overrides, 'corrections'>): Correction[] {
  return (overrides?.corrections ?? []).filter((c) => c.document === doc.source.sha256);
}

/**
 * Corrections made on an earlier version of this document: they name another
 * sha256 but the same file (path or name), and no document of `known` has that
 * sha256. They cannot apply: the document changed.
 */
export function correctionsOfChangedDocument(
  doc: DocumentJson,
  overrides: Pick<Overrides, 'corrections'> | undefined,
  known: Set<string>,
): Correction[] {
  return (overrides?.corrections ?? []).filter(
    (c) =>
      c.document !== doc.source.sha256 &&
      !known.has(c.document) &&
      c.source !== undefined &&
      (c.source === doc.source.path || baseName(c.source) === doc.source.filename),
  );
}

/**
 * Applies the corrections that name `doc` and that it has not seen yet, and
 * records `stale` ones (see correctionsOfChangedDocument) as not applied.
 */
export function applyCorrections(input: DocumentJson, overrides?: Pick<Overrides, 'corrections'>, stale: Correction[] = []): Applied {
  const mine = correctionsFor(input, overrides);
  const seen = input.corrections ?? [];
  const seenIds = new Set(seen.map((s) => s.id));
  const wanted = new Set([...mine, ...stale].map((c) => c.id));
  const needsFresh = seen.some((s) => s.code !== 'correction/document-changed' && !wanted.has(s.id));
  const todo = mine.filter((c) => !seenIds.has(c.id));
  const staleTodo = stale.filter((c) => !seenIds.has(c.id));
  if (todo.length === 0 && staleTodo.length === 0) return { doc: input, changed: false, problems: [], needsFresh };

  const doc: DocumentJson = structuredClone(input);
  doc.corrections = [...seen];
  const problems: CorrectionProblem[] = [];
  const fail = (c: Correction, code: CorrectionProblem['code'], reason: string) => {
    problems.push({ id: c.id, document: c.document, code, reason });
    doc.messages.push(warning(code, `correction ${c.id} (${c.action} by ${c.by}, ${c.at}) not applied: ${reason}`));
    doc.corrections!.push({ id: c.id, action: c.action, applied: false, code });
  };
  for (const c of todo) {
    const missing = targets(c).filter((id) => !doc.recommendations.some((r) => r.id === id));
    if (missing.length) {
      fail(c, 'correction/target-missing', `no recommendation ${missing.join(', ')} in this document (the extraction changed)`);
      continue;
    }
    applyOne(doc, c);
    doc.corrections.push({ id: c.id, action: c.action, applied: true });
  }
  for (const c of staleTodo) {
    fail(c, 'correction/document-changed', `it was made on another version of ${baseName(c.source ?? '')} (sha256 ${c.document.slice(0, 12)}…)`);
  }
  return { doc, changed: true, problems, needsFresh };
}

function targets(c: Correction): string[] {
  switch (c.action) {
    case 'merge':
      return c.recommendations;
    case 'add':
      return c.after ? [c.after] : [];
    default:
      return [c.recommendation];
  }
}

function mark(r: Recommendation, c: Correction): Recommendation {
  return { ...r, decidedBy: 'person', corrections: [...(r.corrections ?? []), c.id] };
}

function freeId(doc: DocumentJson, number: string): string {
  const base = `${doc.source.id}#${number}`;
  const taken = new Set(doc.recommendations.map((r) => r.id));
  if (!taken.has(base)) return base;
  for (let k = 2; ; k++) if (!taken.has(`${base}~p${k}`)) return `${base}~p${k}`;
}

function withStatus(r: Recommendation): Recommendation {
  const raw = r.columns.status;
  if (raw === undefined) return r;
  return { ...r, status: { value: normaliseStatus(raw), raw } };
}

function applyOne(doc: DocumentJson, c: Correction): void {
  const recs = doc.recommendations;
  const at = (id: string) => recs.findIndex((r) => r.id === id);
  switch (c.action) {
    case 'confirm': {
      const i = at(c.recommendation);
      recs[i] = mark(recs[i], c);
      return;
    }
    case 'edit': {
      const i = at(c.recommendation);
      const r = recs[i];
      const set = c.set;
      const numbered = set.number !== undefined ? typedNumber(set.number, r) : { number: r.number, ...(r.parent ? { parent: r.parent } : {}) };
      recs[i] = withStatus(
        mark(
          {
            ...withoutParent(r),
            ...numbered,
            label: set.label ?? (set.number !== undefined ? set.number.trim() : r.label),
            text: set.text ?? r.text,
            columns: set.columns ? { ...r.columns, ...set.columns } : r.columns,
          },
          c,
        ),
      );
      return;
    }
    case 'split': {
      const i = at(c.recommendation);
      const r = recs[i];
      recs.splice(i, 1);
      const parts = c.parts.map((p) => {
        const numbered = typedNumber(p.number, r);
        // Pushed for now so the next part's id stays unique; moved into place below.
        const part = mark({ ...withoutParent(r), id: freeId(doc, fullNumber(numbered)), ...numbered, label: p.label ?? p.number.trim(), text: p.text, orig: p.text }, c);
        recs.push(part);
        return part;
      });
      // The parts take the original's place, in order.
      for (const p of parts) recs.splice(recs.indexOf(p), 1);
      recs.splice(i, 0, ...parts);
      return;
    }
    case 'merge': {
      const items = c.recommendations.map((id) => recs[at(id)]);
      const [first, ...rest] = items;
      const columns: Recommendation['columns'] = { ...first.columns };
      for (const r of rest) {
        for (const [role, value] of Object.entries(r.columns) as [keyof Recommendation['columns'], string][]) {
          const have = columns[role];
          columns[role] = have === undefined || have === '' ? value : have === value || value === '' ? have : `${have}\n\n${value}`;
        }
      }
      const merged = withStatus(
        mark(
          {
            ...first,
            text: c.text ?? items.map((r) => r.text).join('\n\n'),
            orig: items.map((r) => r.orig).join('\n\n'),
            columns,
            prov: items.flatMap((r) => r.prov),
          },
          c,
        ),
      );
      recs[at(first.id)] = merged;
      for (const r of rest) recs.splice(at(r.id), 1);
      return;
    }
    case 'drop': {
      recs.splice(at(c.recommendation), 1);
      return;
    }
    case 'add': {
      const number = canonicalNumber(c.number);
      const added: Recommendation = withStatus(
        mark(
          {
            id: freeId(doc, number),
            number,
            label: c.label ?? c.number.trim(),
            text: c.text,
            orig: c.text,
            columns: c.columns ?? {},
            columnsOrig: {},
            prov: c.prov,
          },
          c,
        ),
      );
      recs.splice(c.after ? at(c.after) + 1 : placeOf(recs, added), 0, added);
      return;
    }
  }
}

/** Where an added item goes: before the first item printed after it (PDF page and height), else last. */
function placeOf(recs: Recommendation[], added: Recommendation): number {
  const key = (r: Recommendation): [number, number] | null => {
    const p = r.prov[0];
    return p.kind === 'pdf' && p.page !== undefined && p.bbox ? [p.page, -p.bbox[3]] : p.line !== undefined ? [p.line, 0] : null;
  };
  const k = key(added);
  if (!k) return recs.length;
  const i = recs.findIndex((r) => {
    const o = key(r);
    return o !== null && (o[0] > k[0] || (o[0] === k[0] && o[1] > k[1]));
  });
  return i < 0 ? recs.length : i;
}

/** Corrections of an overrides file that name none of `shas` (documents not in this run). */
export function correctionsElsewhere(overrides: Pick<Overrides, 'corrections'> | undefined, shas: Set<string>): Correction[] {
  return (overrides?.corrections ?? []).filter((c) => !shas.has(c.document));
}

/** Messages are data: tests read codes. */
export function correctionMessages(doc: DocumentJson): Message[] {
  return doc.messages.filter((m) => m.code.startsWith('correction/'));
}
