import { describe, expect, it } from 'vitest';
import { detectRecommendations } from '../src/detect/index.js';
import type { DocModel, ModelBlock, ModelRow, ModelTable } from '../src/schema.js';

const prov = { kind: 'text' as const, line: 1 };
const row = (cells: string[], header?: boolean): ModelRow => ({
  cells: cells.map((orig) => ({ orig, rowSpan: 1, colSpan: 1, prov: [prov] })),
  prov: [prov],
  ...(header ? { header } : {}),
});
const table = (rows: ModelRow[]): ModelTable => ({ type: 'table', method: 'text-tsv', confidence: 1, rows, prov: [prov] });
const para = (orig: string, headingLevel?: number): ModelBlock => ({ type: 'paragraph', orig, prov: [prov], ...(headingLevel ? { headingLevel } : {}) });
const model = (blocks: ModelBlock[]): DocModel => ({ format: 'text', meta: {}, blocks, messages: [] });

describe('detectRecommendations: tables', () => {
  it('infers roles from header vocabulary and dates from headers', () => {
    const d = detectRecommendations(
      model([
        table([
          row(['Ref', 'Recommendation', 'Lead officer', 'Progress (March 2024)', 'RAG'], true),
          row(['R1', 'The council should publish a plan.', 'Director', 'Plan drafted.', 'Amber']),
          row(['R2', 'The board should meet monthly.', 'Chair', 'Meeting monthly.', 'Green']),
        ]),
      ]),
    );
    expect(d.tables[0].columns.map((c) => c.role)).toEqual(['number', 'recommendation', 'owner', 'update', 'status']);
    expect(d.tables[0].columns[3].date).toBe('2024-03');
    expect(d.date).toBe('2024-03');
    expect(d.recommendations.map((r) => [r.number, r.label])).toEqual([
      ['1', 'R1'],
      ['2', 'R2'],
    ]);
    expect(d.recommendations[0].columns).toEqual({ owner: 'Director', update: 'Plan drafted.', status: 'Amber' });
    expect(d.recommendations[0].status).toEqual({ value: 'at-risk', raw: 'Amber' });
  });

  it('finds recommendations in a table without a header row', () => {
    const d = detectRecommendations(
      model([
        table([
          row(['1', 'The local authority should review its SEND transport policy with parents.', 'Complete']),
          row(['2', 'The partnership should publish a joint commissioning framework this year.', 'In progress']),
        ]),
      ]),
    );
    expect(d.tables[0].holdsRecommendations).toBe(true);
    expect(d.recommendations.map((r) => r.number)).toEqual(['1', '2']);
    expect(d.recommendations[1].columns.status).toBe('In progress');
  });

  it('takes the number from inside the recommendation cell', () => {
    const d = detectRecommendations(
      model([
        table([
          row(['Recommendation', 'Response'], true),
          row(['1. The intervention should be retained.', 'Agreed.']),
          row(['2. The board should continue.', 'Agreed.']),
        ]),
      ]),
    );
    expect(d.recommendations.map((r) => [r.number, r.label, r.text])).toEqual([
      ['1', '1.', 'The intervention should be retained.'],
      ['2', '2.', 'The board should continue.'],
    ]);
    expect(d.recommendations[0].orig).toBe('1. The intervention should be retained.');
  });

  it('uses spanning rows as sections and does not emit them', () => {
    const spanning: ModelRow = { cells: [{ orig: 'Theme 1: Governance', rowSpan: 1, colSpan: 3, prov: [prov] }], prov: [prov] };
    const d = detectRecommendations(
      model([table([row(['No', 'Recommendation', 'Status'], true), spanning, row(['1', 'Keep the board.', 'Complete'])])]),
    );
    expect(d.recommendations).toHaveLength(1);
    expect(d.recommendations[0].section).toBe('Theme 1: Governance');
    expect(d.tables[0].rows.map((r) => r.kind)).toEqual(['header', 'section', 'body']);
  });

  it('joins a row continued without a number (split by a page break)', () => {
    const d = detectRecommendations(
      model([
        table([
          row(['', 'Recommendation', 'Response'], true),
          row(['1', 'The council should take', 'We agree']),
          row(['', 'long-term steps.', 'and will act.']),
          row(['2', 'Next one.', 'Fine.']),
        ]),
      ]),
    );
    expect(d.recommendations.map((r) => r.text)).toEqual(['The council should take long-term steps.', 'Next one.']);
    expect(d.recommendations[0].columns.response).toBe('We agree and will act.');
    expect(d.recommendations[0].prov).toHaveLength(2);
    expect(d.messages.map((m) => m.code)).toContain('detect/row-continued');
  });

  it('drops repeated header rows inside a table', () => {
    const d = detectRecommendations(
      model([table([row(['No', 'Recommendation'], true), row(['1', 'Keep the board.']), row(['No', 'Recommendation']), row(['2', 'Publish the plan.'])])]),
    );
    expect(d.recommendations.map((r) => r.number)).toEqual(['1', '2']);
    expect(d.messages.map((m) => m.code)).toContain('detect/header-repeated');
  });

  it('emits nothing from a table that is not about recommendations', () => {
    const d = detectRecommendations(
      model([table([row(['Year', 'Pupils', 'EHCPs'], true), row(['2021', '1200', '300']), row(['2022', '1300', '350'])])]),
    );
    expect(d.tables).toHaveLength(1);
    expect(d.tables[0].holdsRecommendations).toBe(false);
    expect(d.recommendations).toHaveLength(0);
  });
});

describe('detectRecommendations: running text', () => {
  it('reads "Recommendation N" headings followed by a paragraph', () => {
    const d = detectRecommendations(
      model([
        para('Report of the Commissioner', 1),
        para('Recommendation 1', 2),
        para('The council should keep the board.'),
        para('Recommendation 2', 2),
        para('The council should publish a plan.'),
        para('Response: Agreed.'),
      ]),
    );
    expect(d.recommendations.map((r) => [r.number, r.label, r.text])).toEqual([
      ['1', 'Recommendation 1', 'The council should keep the board.'],
      ['2', 'Recommendation 2', 'The council should publish a plan.'],
    ]);
    expect(d.recommendations[1].columns.response).toBe('Agreed.');
  });

  it('reads a list numbered (i), (ii), (iii) with no number above it as recommendations in sequence', () => {
    const d = detectRecommendations(
      model([
        para('Recommendations', 2),
        para('(i) The council should act.'),
        para('(ii) The board should meet monthly.'),
        para('(iii) Schools should be involved.'),
        para('(iv) Parents should be told.'),
      ]),
    );
    expect(d.recommendations.map((r) => r.number)).toEqual(['i', 'ii', 'iii', 'iv']);
    expect(d.recommendations.every((r) => r.parent === undefined)).toBe(true);
  });

  it('reads a scan\'s "(I)" before "(2)" as the first item of a numbered list, not a roman list', () => {
    const d = detectRecommendations(
      model([para('Matters of concern', 2), para('(I) The council did not inspect the flats.'), para('(2) No body oversaw the water temperature.'), para('(3) The landlord was not told.')]),
    );
    expect(d.recommendations.map((r) => r.number)).toEqual(['1', '2', '3']);
  });

  it('reads "Recommendation 1 (paragraph 23)" as a heading, and a reply opening "Accepted. We will…" as a verdict', () => {
    const d = detectRecommendations(
      model([
        para('Government response to the Committee report', 1),
        para('Recommendation 1 (paragraph 23)', 3),
        para('The Government should set a target for reducing waiting lists.'),
        para('Government response', 4),
        para('Accepted. We will set the target in the autumn.'),
        para('Recommendation 2 (paragraphs 30 and 31)', 3),
        para('The Government should publish data monthly.'),
        para('Government response', 4),
        para('Not accepted. Data is already published quarterly.'),
      ]),
    );
    expect(d.recommendations.map((r) => [r.number, r.label])).toEqual([
      ['1', 'Recommendation 1'],
      ['2', 'Recommendation 2'],
    ]);
    expect(d.recommendations.map((r) => r.status?.raw)).toEqual(['Accepted', 'Not accepted']);
    expect(d.recommendations[1].columns.response).toBe('Not accepted. Data is already published quarterly.');
  });

  it('keeps a decimal number whole after a prefix: "R1.1:" and "Recommendation 2.1" are 1.1 and 2.1, not 1 with text "1: …"', () => {
    const d = detectRecommendations(
      model([
        para('Recommendations', 2),
        para('R1.1: The council should appoint a permanent director.'),
        para('R1.2: The council should publish a workforce strategy.'),
        para('Recommendation 2.1 Partners should agree a single early help offer.'),
        para('Recommendation 2.2. Partners should publish the offer.'),
      ]),
    );
    expect(d.recommendations.map((r) => r.number)).toEqual(['1.1', '1.2', '2.1', '2.2']);
    expect(d.recommendations.map((r) => r.text)).toEqual([
      'The council should appoint a permanent director.',
      'The council should publish a workforce strategy.',
      'Partners should agree a single early help offer.',
      'Partners should publish the offer.',
    ]);
  });

  it('reads numbered paragraphs and lettered sub-items under a Recommendations heading', () => {
    const d = detectRecommendations(
      model([
        para('Background', 2),
        para('1. This paragraph is background, not a recommendation.'),
        para('Recommendations', 2),
        para('1. The council should act.'),
        para('2. The board should ensure:'),
        para('(a) monthly meetings;'),
        para('(b) published minutes.'),
        para('R3: Schools should be involved.'),
      ]),
    );
    expect(d.recommendations.map((r) => r.number)).toEqual(['1', '2', 'a', 'b', '3']);
    expect(d.recommendations.map((r) => r.parent)).toEqual([undefined, undefined, '2', '2', undefined]);
    expect(d.recommendations.map((r) => r.id)).toEqual(['1', '2', '2a', '2b', '3']);
    expect(d.recommendations[0].section).toBe('Recommendations');
    expect(d.recommendations[3].text).toBe('published minutes.');
  });

  it('does not read numbered paragraphs elsewhere as recommendations', () => {
    const d = detectRecommendations(model([para('Introduction', 2), para('1. Background text.'), para('2. More text.')]));
    expect(d.recommendations).toHaveLength(0);
  });
});

describe('detectRecommendations: document facts', () => {
  it('takes title, date and glossary from the text', () => {
    const d = detectRecommendations(
      model([para('BE BOLD'), para('Response to the Recommendations Update August 2022'), para('The Accelerated Progress Plan (APP) is retained.')]),
    );
    expect(d.title).toBe('Response to the Recommendations Update August 2022');
    expect(d.date).toBe('2022-08');
    expect(d.glossary).toEqual({ APP: 'Accelerated Progress Plan' });
  });
});

describe('detectRecommendations: sideways tables', () => {
  it('reads a table whose headers run down the first column', () => {
    const d = detectRecommendations(
      model([
        table([
          row(['Recommendation', 'The council should publish its plan.', 'The board should meet monthly.']),
          row(['Owner', 'Chief Executive', 'Chair of the Board']),
          row(['Status', 'Complete', 'In progress']),
        ]),
      ]),
    );
    expect(d.messages.map((m) => m.code)).toContain('detect/table-transposed');
    expect(d.recommendations.map((r) => [r.number, r.text, r.columns.owner, r.status?.value])).toEqual([
      ['1', 'The council should publish its plan.', 'Chief Executive', 'complete'],
      ['2', 'The board should meet monthly.', 'Chair of the Board', 'in-progress'],
    ]);
  });
});

describe('detectRecommendations: data tables are not recommendations', () => {
  it('ignores a numbered table of descriptions that are not directives', () => {
    const d = detectRecommendations(
      model([
        table([
          row(['Item', 'Description'], true),
          row(['1', 'The cost of taking a course varies from school to school and by programme.']),
          row(['2', 'The cost of lodging and food varies from school to school in each state.']),
        ]),
      ]),
    );
    expect(d.recommendations).toHaveLength(0);
  });

  it('ignores numeric data whose first column looks like numbers', () => {
    const d = detectRecommendations(
      model([
        table([
          row(['42.3', 'Sainsbury 55; Tesco 46; Safeway 38; Asda 32 and other retailers in the survey.']),
          row(['24.9', 'Private label penetration by value across all grocery categories in 1997.']),
          row(['19.1', 'Private label penetration by volume across all grocery categories in 1995.']),
        ]),
      ]),
    );
    expect(d.recommendations).toHaveLength(0);
  });

  it('keeps a headerless table of numbered directives', () => {
    const d = detectRecommendations(
      model([
        table([
          row(['1', 'Improve the timeliness of needs assessments across the local area.']),
          row(['2', 'Publish a clear local offer that families can navigate easily.']),
        ]),
      ]),
    );
    expect(d.recommendations.map((r) => r.number)).toEqual(['1', '2']);
  });
});

describe('detectRecommendations: action plans', () => {
  it('keeps every action of a recommendation merged down over several rows', () => {
    const merged = (orig: string, rowSpan: number) => ({ orig, rowSpan, colSpan: 1, prov: [prov] });
    const d = detectRecommendations(
      model([
        table([
          row(['Recommendation', 'Action', 'Lead', 'RAG'], true),
          { cells: [merged('1. Improve assessment timeliness.', 2), ...row(['Recruit staff.', 'Head of SEN', 'Green']).cells], prov: [prov] },
          row(['Track cases weekly.', 'SEN Manager', 'Red']),
          row(['2. Publish the local offer.', 'Rewrite the pages.', 'Web Lead', 'Green']),
        ]),
      ]),
    );
    expect(d.tables[0].columns.map((c) => c.role)).toEqual(['recommendation', 'action', 'owner', 'status']);
    expect(d.recommendations.map((r) => r.number)).toEqual(['1', '2']);
    expect(d.recommendations[0].columns).toMatchObject({ action: 'Recruit staff.\n\nTrack cases weekly.', owner: 'Head of SEN\n\nSEN Manager' });
    expect(d.recommendations[0].status).toEqual({ value: 'off-track', raw: 'Green\n\nRed' });
    expect(d.recommendations[0].prov).toHaveLength(2);
  });
});

describe('header vocabulary', () => {
  it('reads "Progress to date" as an update and "Target date" as a date', async () => {
    const { roleOfHeader } = await import('../src/detect/vocabulary.js');
    expect(roleOfHeader('Progress to date')).toBe('update');
    expect(roleOfHeader('Target date')).toBe('date');
    expect(roleOfHeader('Key recommendation')).toBe('recommendation');
    expect(roleOfHeader('RAG rating')).toBe('status');
    expect(roleOfHeader('Lead officer')).toBe('owner');
  });
});
