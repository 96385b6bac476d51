import { describe, expect, it } from 'vitest';
import { normaliseStatus, looksLikeStatusColumn } from '../src/normalise/status.js';
import { findDate } from '../src/normalise/dates.js';
import { findDefinitions } from '../src/normalise/glossary.js';

describe('normaliseStatus', () => {
  it.each([
    ['In progress', 'in-progress'],
    ['Work underway', 'in-progress'],
    ['N/A', 'not-applicable'],
    ['Complete', 'complete'],
    ['Completed', 'complete'],
    ['Blue', 'complete'],
    ['Green', 'on-track'],
    ['On track', 'on-track'],
    ['Amber', 'at-risk'],
    ['Red', 'off-track'],
    ['Not started', 'not-started'],
    ['Partly implemented', 'in-progress'],
    ['Largely complete', 'in-progress'],
    ['Met in part', 'in-progress'],
    ['Implemented', 'complete'],
    ['Not yet started', 'not-started'],
    ['', 'unknown'],
    ['See narrative', 'unknown'],
    // A response's verdict, where the status column (or the reply) gives one.
    ['Accepted', 'accepted'],
    ['Agreed', 'accepted'],
    ['Concur', 'accepted'],
    ['Accept in principle', 'partly-accepted'],
    ['Accepted in part', 'partly-accepted'],
    ['Partially agreed', 'partly-accepted'],
    ['Not accepted', 'rejected'],
    ['Reject', 'rejected'],
    ['Non-concur', 'rejected'],
    ['Does not agree', 'rejected'],
    ['Noted', 'noted'],
    // Progress still wins over the verdict it follows.
    ['Accepted - implemented', 'complete'],
    ['Accepted, but awaiting implementation', 'not-started'],
  ])('%s → %s', (raw, value) => expect(normaliseStatus(raw)).toBe(value));

  it('recognises a status column by its values', () => {
    expect(looksLikeStatusColumn(['Green', 'Amber', 'Red', 'Complete'])).toBe(true);
    expect(looksLikeStatusColumn(['Director of Children', 'City Solicitor'])).toBe(false);
  });
});

describe('findDate', () => {
  it.each([
    ['Response to Recommendations Update August 2022', '2022-08'],
    ['Update July 2023', '2023-07'],
    ['Progress (March 2024)', '2024-03'],
    ['Published 12 July 2023', '2023-07-12'],
    ['July 12, 2023', '2023-07-12'],
    ['as at 2024-01-31', '2024-01-31'],
  ])('%s → %s', (s, d) => expect(findDate(s)).toBe(d));
  it('finds nothing in undated text', () => expect(findDate('Recommendations from the second report')).toBeUndefined());
});

describe('findDefinitions', () => {
  it('collects acronyms whose initials match the words before them', () => {
    expect(
      findDefinitions(
        'the direct leadership of Birmingham City Council ((BCC) supporting) and the Accelerated Progress Plan (APP) and Special Educational Needs and Disabilities (SEND)',
      ),
    ).toEqual({ BCC: 'Birmingham City Council', APP: 'Accelerated Progress Plan', SEND: 'Special Educational Needs and Disabilities' });
  });
  it('ignores brackets that are not definitions', () => {
    expect(findDefinitions('funded by DfE (and/or NHS England) in Autumn (November)')).toEqual({});
  });
});

describe('combineStatuses', () => {
  it('reports the least favourable of several statuses', async () => {
    const { combineStatuses } = await import('../src/normalise/status.js');
    expect(combineStatuses(['complete', 'at-risk'])).toBe('at-risk');
    expect(combineStatuses(['on-track', 'in-progress'])).toBe('in-progress');
    expect(combineStatuses(['unknown', 'complete'])).toBe('complete');
    expect(combineStatuses(['unknown'])).toBe('unknown');
  });
});
