// Raw status / RAG values → a small vocabulary; the raw value is kept beside it.
import type { StatusValue } from '../schema.js';
import { normaliseCharacters } from './text.js';

// Order matters: the first rule that matches wins ("not started" before "started").
const RULES: Array<[RegExp, StatusValue]> = [
  [/^(n\/?a|not applicable|none|-)$|\bnot applicable\b/, 'not-applicable'],
  [/\bnot (yet )?(started|begun|commenced|implemented)\b|\bnot due\b|\bpending\b|\byet to start\b|\bawaiting\b/, 'not-started'],
  [/\boff[ -]?track\b|\boverdue\b|\bbehind\b|\bred\b|\bnot (being )?(met|achieved)\b/, 'off-track'],
  [/\bat risk\b|\bamber\b|\bdelayed\b|\bslipp/, 'at-risk'],
  // A qualified completion ("partly implemented", "largely complete") is still under way.
  [/\bbeing implemented\b|\b(implemented|completed?|met|achieved|delivered) in part\b|\b(partly|partially|part|largely|mostly|substantially) (implemented|completed?|met|achieved|delivered)\b/, 'in-progress'],
  [/\bcomplet(e|ed)\b|\bdone\b|\bclosed\b|\bachieved\b|\bimplemented\b|\bdelivered\b|\bblue\b|\bmet\b/, 'complete'],
  [/\bon[ -]?track\b|\bgreen\b/, 'on-track'],
  // A response's verdict ("Accepted in principle", "Not agreed", "Concur"), checked before
  // "partially"/"in part" below read it as progress.
  [/\bnot (accepted|agreed|supported)\b|\bdo(es)? not (accept|agree|support|concur)\b|\b(reject(s|ed)?|disagrees?|disagreed|non-?concurs?|nonconcur)\b/, 'rejected'],
  [/\b(accept(ed)?|agreed?|supported|concur(s|red)?) (in principle|in part|with (qualification|reservation|amendment)s?)\b|\b(partially|partly) (accept(ed)?|agreed?|supported|concur(s|red)?)\b/, 'partly-accepted'],
  [/^(accept(ed)?|agreed?|supported|concur(s|red)?|fully (accepted|agreed|supported))\b/, 'accepted'],
  [/^noted\b/, 'noted'],
  [/\bin[ -]?progress\b|\bongoing\b|\bunder ?way\b|\bstarted\b|\bpartially\b|\bpartly\b|\bin hand\b|\bin train\b|\bcommenced\b|\bbeing implemented\b|\bin part\b/, 'in-progress'],
];

export function normaliseStatus(raw: string): StatusValue {
  const s = normaliseCharacters(raw).toLowerCase().replace(/\s+/g, ' ').trim();
  if (!s) return 'unknown';
  for (const [re, value] of RULES) if (re.test(s)) return value;
  return 'unknown';
}

/** True when most values of a column read as statuses (used by column-role inference). */
export function looksLikeStatusColumn(values: string[]): boolean {
  const filled = values.map((v) => v.trim()).filter(Boolean);
  if (filled.length === 0) return false;
  const short = filled.filter((v) => v.split(/\s+/).length <= 6);
  const known = short.filter((v) => normaliseStatus(v) !== 'unknown');
  return known.length / filled.length >= 0.6;
}

// Several statuses for one recommendation (one per action): report the least
// favourable, so nothing at risk is hidden behind a "complete".
const SEVERITY: StatusValue[] = ['off-track', 'at-risk', 'not-started', 'in-progress', 'on-track', 'complete', 'not-applicable', 'unknown'];

export function combineStatuses(values: StatusValue[]): StatusValue {
  const known: StatusValue[] = values.filter((v) => v !== 'unknown');
  if (known.length === 0) return 'unknown';
  return SEVERITY.find((s) => known.includes(s)) ?? 'unknown';
}
