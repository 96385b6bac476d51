// Two synthetic generations for the scale test: sentences built from a seeded
// vocabulary of the field, then renumbered, reworded, split, merged, dropped
// and joined by new items, with the true links as gold.
import { createHash } from 'node:crypto';
import type { DocumentJson, Recommendation } from '../src/schema.js';

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SUBJECTS = ['the council', 'the partnership', 'the board', 'the local authority', 'health partners', 'the integrated care board', 'schools', 'the trust', 'the director', 'the cabinet member', 'the commissioning team', 'the safeguarding partnership', 'the police', 'the housing service', 'providers', 'the executive group', 'the department', 'leaders', 'the scrutiny committee', 'the workforce team'];
const VERBS = ['review', 'publish', 'strengthen', 'establish', 'agree', 'fund', 'commission', 'monitor', 'improve', 'develop', 'replace', 'extend', 'simplify', 'audit', 'consolidate', 'expand', 'introduce', 'evaluate', 'redesign', 'co-produce'];
const ADJECTIVES = ['joint', 'independent', 'annual', 'statutory', 'local', 'regional', 'digital', 'targeted', 'specialist', 'multi-agency', 'transparent', 'early', 'integrated', 'permanent', 'interim', 'quarterly', 'community', 'citywide', 'preventive', 'accessible'];
const NOUNS = ['protocol', 'strategy', 'framework', 'dashboard', 'panel', 'pathway', 'budget', 'contract', 'assessment', 'training', 'inspection', 'plan', 'register', 'helpline', 'forum', 'service', 'review', 'tribunal', 'allowance', 'workforce', 'caseload', 'placement', 'referral', 'transport', 'respite', 'advocacy', 'mentoring', 'tutoring', 'therapy', 'diagnosis', 'transition', 'apprenticeship', 'housing', 'hostel', 'outreach', 'screening', 'vaccination', 'nutrition', 'attendance', 'exclusion'];
const GROUPS = ['children in care', 'care leavers', 'young carers', 'older people', 'families on low incomes', 'disabled adults', 'pupils with autism', 'asylum seekers', 'rough sleepers', 'parents and carers', 'new social workers', 'foster carers', 'hospital patients', 'victims of domestic abuse', 'people with dementia', 'teenagers at risk of exploitation', 'students with dyslexia', 'veterans', 'travellers', 'people leaving prison'];
const PURPOSES = ['waiting times fall', 'fewer placements break down', 'complaints are resolved sooner', 'costs are controlled', 'families are heard', 'risks are spotted earlier', 'staff stay longer', 'decisions are recorded', 'outcomes can be compared', 'money reaches the front line', 'nobody is lost between services', 'duplication is removed', 'inspectors can see progress', 'residents trust the service', 'the backlog is cleared'];
const SYNONYMS: Record<string, string> = {
  review: 'reassess', publish: 'make public', strengthen: 'reinforce', establish: 'set up', agree: 'sign off', improve: 'raise the quality of', develop: 'build', simplify: 'streamline', expand: 'grow', evaluate: 'assess', should: 'must', annual: 'yearly', quarterly: 'three-monthly', early: 'prompt', citywide: 'city-wide',
};

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];

function clause(r: () => number): string {
  return `${pick(r, VERBS)} a ${pick(r, ADJECTIVES)} ${pick(r, NOUNS)} and ${pick(r, ADJECTIVES)} ${pick(r, NOUNS)} for ${pick(r, GROUPS)}`;
}

function sentence(r: () => number, parts = 1): string {
  const clauses = Array.from({ length: parts }, () => clause(r));
  return `${cap(pick(r, SUBJECTS))} should ${clauses.join(', and ')} so that ${pick(r, PURPOSES)}.`;
}

const cap = (s: string) => s[0].toUpperCase() + s.slice(1);

function reword(r: () => number, text: string): string {
  let out = text
    .split(' ')
    .map((w) => (SYNONYMS[w] && r() < 0.7 ? SYNONYMS[w] : w))
    .join(' ');
  // Move the purpose to the front, as a second report often does.
  // When no synonym applied, the move is forced: gold calls this item reworded.
  const m = /^(.*) so that (.*)\.$/.exec(out);
  if (m && (r() < 0.5 || out === text)) out = `So that ${m[2]}, ${m[1][0].toLowerCase()}${m[1].slice(1)}.`;
  return out;
}

function doc(name: string, texts: { number: string; text: string }[]): DocumentJson {
  const sha256 = createHash('sha256').update(name + texts.map((t) => t.text).join('\n')).digest('hex');
  const id = sha256.slice(0, 16);
  const recommendations: Recommendation[] = texts.map((t, i) => ({
    id: `${id}#${t.number}`,
    number: t.number,
    label: t.number,
    text: t.text,
    orig: t.text,
    columns: {},
    columnsOrig: {},
    prov: [{ kind: 'text', line: i + 1 }],
  }));
  return {
    schemaVersion: '1.0.0',
    generator: { name: 'rectrace', version: '0.0.0' },
    source: { id, path: `${name}.txt`, filename: `${name}.txt`, format: 'text', sha256, bytes: 0 },
    document: { title: name },
    tables: [],
    recommendations,
    messages: [],
  };
}

export function syntheticGenerations(n: number, seed: number) {
  const r = rng(seed);
  const olderTexts: string[] = [];
  const kinds: ('same' | 'reworded' | 'split' | 'merge' | 'drop')[] = [];
  for (let i = 0; i < n; i++) {
    const x = r();
    const kind = x < 0.4 ? 'same' : x < 0.75 ? 'reworded' : x < 0.8 ? 'split' : x < 0.9 ? 'merge' : 'drop';
    kinds.push(kind);
    olderTexts.push(sentence(r, kind === 'split' ? 2 : 1));
  }
  const newer: { text: string; from: number[] }[] = [];
  let pendingMerge: number | undefined;
  for (let i = 0; i < n; i++) {
    const t = olderTexts[i];
    switch (kinds[i]) {
      case 'same':
        newer.push({ text: t, from: [i] });
        break;
      case 'reworded':
        newer.push({ text: reword(r, t), from: [i] });
        break;
      case 'split': {
        const m = /^(.*?) should (.*), and (.*) so that (.*)\.$/.exec(t);
        if (!m) throw new Error('split sentence has two clauses');
        newer.push({ text: `${m[1]} should ${m[2]}.`, from: [i] });
        newer.push({ text: `${m[1]} should ${m[3]} so that ${m[4]}.`, from: [i] });
        break;
      }
      case 'merge':
        if (pendingMerge === undefined) pendingMerge = i;
        else {
          const a = olderTexts[pendingMerge].replace(/ so that .*$/, '');
          const b = t.replace(/^.*? should /, '');
          newer.push({ text: `${a}, and ${b}`, from: [pendingMerge, i] });
          pendingMerge = undefined;
        }
        break;
      case 'drop':
        break;
    }
  }
  if (pendingMerge !== undefined) newer.push({ text: olderTexts[pendingMerge], from: [pendingMerge] });
  while (newer.length < n) newer.push({ text: sentence(r), from: [] });
  // Renumber: the newer generation is reordered.
  for (let i = newer.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [newer[i], newer[j]] = [newer[j], newer[i]];
  }
  const olderDoc = doc('synthetic-older', olderTexts.map((text, i) => ({ number: String(i + 1), text })));
  const newerDoc = doc('synthetic-newer', newer.map((x, i) => ({ number: String(i + 1), text: x.text })));
  const required: [string, string][] = [];
  const relations: Record<string, string> = {};
  newer.forEach((x, j) => {
    for (const i of x.from) {
      required.push([String(i + 1), String(j + 1)]);
      const kind = kinds[i];
      relations[`${i + 1}->${j + 1}`] = kind === 'merge' && x.from.length > 1 ? 'merged' : kind === 'split' ? 'split' : kind === 'same' ? 'same' : 'reworded';
    }
  });
  return { older: olderDoc, newer: newerDoc, gold: { required, acceptable: [] as [string, string][], relations } };
}
