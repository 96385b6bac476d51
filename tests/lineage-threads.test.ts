import { describe, expect, it } from 'vitest';
import { buildLineage, lineageToCsv, matchGenerations } from '../src/match/index.js';
import { Lineage } from '../src/schema.js';
import { readTextExport } from './match-helpers.js';

const g1 = readTextExport(
  'Plan March 2022\n\n\tRecommendation\tOwner\tUpdate\tStatus\n' +
    '1\tThe council should publish a housing repairs strategy and set repair time targets for damp and mould.\tHousing\t=SUM(A1)\tNot started\n' +
    '2\tSchools should offer free breakfast clubs to every pupil in the city.\tEducation\tPilot, "phase 1"\tIn progress\n',
);
const g2 = readTextExport(
  'Plan March 2023\n\n\tRecommendation\tOwner\tUpdate\tStatus\n' +
    '1\tThe council should publish a housing repairs strategy.\tHousing\tDrafted\tIn progress\n' +
    '2\tThe council should set repair time targets for damp and mould.\tHousing\tAgreed\tComplete\n' +
    '3\tSchools should offer free breakfast clubs to every pupil in the city.\tEducation\tAll schools\tComplete\n',
);
const g3 = readTextExport(
  'Plan March 2024\n\n\tRecommendation\tOwner\tUpdate\tStatus\n' +
    '1\tSchools should offer free breakfast clubs to every pupil in the city.\tEducation\tDone\tComplete\n',
);

describe('buildLineage', () => {
  const links = [matchGenerations(g1, g2), matchGenerations(g2, g3)];
  const lineage = buildLineage([g1, g2, g3], links);

  it('threads a split as two paths sharing their first step', () => {
    expect(links[0].links.filter((l) => l.from.number === '1').map((l) => l.relation)).toEqual(['split', 'split']);
    expect(Lineage.safeParse(lineage).success).toBe(true);
    const ids = lineage.threads.map((t) => t.id);
    expect(ids).toEqual(['0:1/1:1', '0:1/1:2', '0:2/1:3/2:1']);
    const split = lineage.threads[1];
    expect(split.steps.map((s) => s.relation)).toEqual(['origin', 'split']);
    expect(split.latestStatus).toBe('Complete');
    expect(split.latestStatusValue).toBe('complete');
  });

  it('carries status and update on every step, latest status from the last', () => {
    const t = lineage.threads[2];
    expect(t.steps.map((s) => [s.generation, s.number, s.status, s.update])).toEqual([
      [0, '2', 'In progress', 'Pilot, "phase 1"'],
      [1, '3', 'Complete', 'All schools'],
      [2, '1', 'Complete', 'Done'],
    ]);
    expect(t.steps[1].relation).toBe('same');
    expect(t.latestStatus).toBe('Complete');
  });

  it('writes one CSV row per thread, quoted and formula-safe', () => {
    const csv = lineageToCsv(lineage);
    const lines = csv.trimEnd().split('\r\n');
    expect(lines).toHaveLength(1 + lineage.threads.length);
    expect(lines[0]).toBe(
      ['thread', 'series', ...['g1', 'g2', 'g3'].flatMap((g) => ['number', 'text', 'status', 'update', 'response'].map((c) => `${g} ${c}`)), 'latest status'].join(','),
    );
    expect(lines[1]).toContain(",'=SUM(A1),");
    expect(lines[3]).toContain(',"Pilot, ""phase 1""",');
    expect(lines[3].endsWith(',Complete')).toBe(true);
  });
});
