import { describe, expect, it } from 'vitest';
import { documentDate, findDate, findDateWithRejects } from '../src/normalise/dates.js';
import { extractFile } from '../src/pipeline.js';

describe('dates', () => {
  it.each([
    ['as at 31/03/2024', '2024-03-31'],
    ['signed 1.4.2023', '2023-04-01'],
    ['Annual report 2023/24', '2023-04'],
    ['Delivery plan 2023-24', '2023-04'],
    ['Strategy 2024/2025', '2024-04'],
    ['Published 29 February 2024', '2024-02-29'],
    ['Update 2023-07', '2023-07'],
  ])('%s → %s', (s, d) => expect(findDate(s)).toBe(d));

  it('rejects impossible dates and reads on', () => {
    expect(findDateWithRejects('Report of 30 February 2023, published 3 March 2023')).toEqual({ date: '2023-03-03', rejected: ['30 February 2023'] });
    expect(findDateWithRejects('due 31/04/2024')).toEqual({ rejected: ['31/04/2024'] });
    expect(findDate('29 February 2023')).toBeUndefined();
    expect(findDate('Scores 2022/25 and 1.2.3')).toBeUndefined();
  });

  it('says where the date was read, and flags one from the file properties only', () => {
    expect(documentDate({ title: 'Plan 2023/24', paragraphs: ['12 May 2023'], headerDates: [], metaDate: '2024-01-01' })).toMatchObject({ date: '2023-04', dateSource: 'title', messages: [] });
    expect(documentDate({ title: 'Plan', paragraphs: ['x', 'Issued 12 May 2023'], headerDates: ['2023-07'] })).toMatchObject({ date: '2023-05-12', dateSource: 'text' });
    expect(documentDate({ title: 'Plan', paragraphs: [], headerDates: ['2023-07'] })).toMatchObject({ date: '2023-07', dateSource: 'header' });
    const meta = documentDate({ title: 'Plan 30 February 2023', paragraphs: [], headerDates: [], metaDate: '2024-01-01' });
    expect(meta).toMatchObject({ date: '2024-01-01', dateSource: 'metadata' });
    expect(meta.messages.map((m) => m.code)).toEqual(['normalise/date-impossible', 'normalise/date-from-metadata']);
  });

  it('documents carry dateSource', async () => {
    const seed = await extractFile('fixtures/seeds/000_2f423a773bf542d4.txt');
    expect(seed.document).toMatchObject({ date: '2022-08', dateSource: 'title' });
    const docx = await extractFile('fixtures/docx/cases/number-column.docx');
    expect(docx.document.dateSource).toBe('metadata');
    expect(docx.messages.some((m) => m.code === 'normalise/date-from-metadata')).toBe(true);
  });
});
