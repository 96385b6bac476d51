// Scores extracted recommendations against a hand-made gold file: items by
// number, exact text and exact columns after whitespace is collapsed.
import { z } from 'zod';
import type { DocumentJson } from '../schema.js';
import { collapseWhitespace } from '../normalise/text.js';
import { fullNumber } from '../normalise/number.js';

export const GoldFile = z.object({
  document: z.object({ title: z.string().optional(), date: z.string().optional() }).optional(),
  recommendations: z.array(
    z.object({
      number: z.string(),
      label: z.string().optional(),
      text: z.string(),
      columns: z.record(z.string(), z.string()).optional(),
      section: z.string().optional(),
    }),
  ),
});
export type GoldFile = z.infer<typeof GoldFile>;

export interface GoldScore {
  gold: number;
  predicted: number;
  matched: number;
  precision: number;
  recall: number;
  exactText: number;
  exactColumns: number;
  inOrder: boolean;
  dateOk: boolean;
  problems: string[];
}

export function scoreAgainstGold(doc: DocumentJson, gold: GoldFile): GoldScore {
  const problems: string[] = [];
  // A number printed again (numbering restarts per section) pairs in order: the k-th with the k-th.
  // Fixture gold gives a sub-item's full number ("4a.i"), so the hierarchy is checked too.
  const predicted = new Map<string, DocumentJson['recommendations']>();
  for (const r of doc.recommendations) predicted.set(fullNumber(r), [...(predicted.get(fullNumber(r)) ?? []), r]);
  const taken = new Map<string, number>();
  let matched = 0;
  let textOk = 0;
  let columnsOk = 0;
  for (const g of gold.recommendations) {
    const k = taken.get(g.number) ?? 0;
    taken.set(g.number, k + 1);
    const p = predicted.get(g.number)?.[k];
    if (!p) {
      problems.push(`missing ${g.number}`);
      continue;
    }
    matched++;
    if (collapseWhitespace(p.text) === collapseWhitespace(g.text)) textOk++;
    else problems.push(`text ${g.number}: got "${collapseWhitespace(p.text).slice(0, 80)}" want "${collapseWhitespace(g.text).slice(0, 80)}"`);
    let colsEqual = true;
    for (const [role, want] of Object.entries(g.columns ?? {})) {
      const got = (p.columns as Record<string, string | undefined>)[role] ?? '';
      if (collapseWhitespace(got) !== collapseWhitespace(want)) {
        colsEqual = false;
        problems.push(`${role} ${g.number}: got "${collapseWhitespace(got).slice(0, 60)}" want "${collapseWhitespace(want).slice(0, 60)}"`);
      }
    }
    if (g.section !== undefined && collapseWhitespace(p.section ?? '') !== collapseWhitespace(g.section)) {
      colsEqual = false;
      problems.push(`section ${g.number}: got "${p.section ?? ''}" want "${g.section}"`);
    }
    if (colsEqual) columnsOk++;
  }
  const goldNumbers = new Set(gold.recommendations.map((g) => g.number));
  for (const r of doc.recommendations) if (!goldNumbers.has(fullNumber(r))) problems.push(`extra ${fullNumber(r)}`);
  const order = doc.recommendations.map((r) => fullNumber(r)).filter((n) => goldNumbers.has(n));
  const inOrder = order.join('|') === gold.recommendations.map((g) => g.number).filter((n) => predicted.has(n)).join('|');
  if (!inOrder) problems.push(`order: ${order.join(',')}`);
  const dateOk = !gold.document?.date || gold.document.date === doc.document.date;
  if (!dateOk) problems.push(`date: got ${doc.document.date} want ${gold.document?.date}`);
  const n = gold.recommendations.length;
  return {
    gold: n,
    predicted: doc.recommendations.length,
    matched,
    precision: doc.recommendations.length ? matched / doc.recommendations.length : n === 0 ? 1 : 0,
    recall: n ? matched / n : 1,
    exactText: matched ? textOk / n : n === 0 ? 1 : 0,
    exactColumns: matched ? columnsOk / n : n === 0 ? 1 : 0,
    inOrder,
    dateOk,
    problems,
  };
}
