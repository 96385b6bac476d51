// Detection patterns of real reports, one generated fixture each (fixtures/detection/,
// made by scripts/fixtures/make-detection.ts). The golden tests check every item; these
// check the decisions behind them: what was merged, attached, ended or left out, and why.
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { extractInput } from '../src/pipeline.js';
import type { DocumentJson } from '../src/schema.js';

async function extract(name: string): Promise<DocumentJson> {
  const path = `fixtures/detection/${name}`;
  const bytes = new Uint8Array(readFileSync(path));
  return extractInput({ path, filename: name, bytes, sha256: createHash('sha256').update(bytes).digest('hex') });
}
const codes = (d: DocumentJson): string[] => d.messages.map((m) => m.code);

describe('detection patterns', () => {
  it('joins a word split over two paragraphs of one recommendation as on one line, keeping the break in orig', async () => {
    const d = await extract('split-hyphen.html');
    expect(d.recommendations.map((r) => r.number)).toEqual(['1', '2', '3']);
    const r2 = d.recommendations[1];
    expect(r2.text).toContain('review-of-the-fit-and-proper-persons-test). This should');
    expect(r2.orig).toContain('fit-and-\n\nproper-persons-test');
  });

  it('takes numbered paragraphs of a recommendations chapter whose sub-headings never say so, not earlier chapters', async () => {
    const d = await extract('chapter-paragraphs.html');
    expect(d.recommendations.map((r) => r.number)).toEqual(['8.1', '8.2', '8.3', '8.4']);
    expect(d.recommendations[2].section).toBe('Funding the service');
  });

  it('ends a numbered list at the next chapter and skips chapter paragraphs that do not start a list', async () => {
    const d = await extract('list-ends.html');
    expect(d.recommendations.map((r) => r.number)).toEqual(['1', '2', '3']);
    expect(codes(d)).toContain('detect/out-of-sequence');
  });

  it('reports a recommendation printed three times once, with every place and its title', async () => {
    const d = await extract('printed-copies.html');
    expect(d.recommendations).toHaveLength(2);
    const r1 = d.recommendations[0];
    expect(r1.title).toBe('A single resilience committee');
    expect(r1.text).toMatch(/^The four governments should each create/);
    // summary entry, boxed statement, appendix copy
    expect(r1.prov.length).toBeGreaterThanOrEqual(3);
    expect(codes(d).filter((c) => c === 'detect/copy-merged').length).toBeGreaterThanOrEqual(4);
  });

  it('joins a summary cell that prints a title and then the body to the work-plan row of that title, the row it reads most like', async () => {
    const d = await extract('tracker-copies.html');
    expect(d.recommendations.map((r) => r.number)).toEqual(['1', '2', '2', '3']);
    const [, twoA, twoB] = d.recommendations;
    // the summary's R2 speaks of providers enrolling people: the second R2 row, not the first
    expect(twoB.prov.length).toBe(2);
    expect(twoA.prov.length).toBe(1);
    expect(twoB.columns.owner).toBe('Providers');
    expect(codes(d).filter((c) => c === 'detect/copy-merged')).toHaveLength(3);
  });

  it('gives one reply to every recommendation a box quotes, reads a verdict as the status and a headed reply', async () => {
    const d = await extract('response-quotes.html');
    const by = new Map(d.recommendations.map((r) => [r.number, r]));
    expect(by.get('8.3')!.columns.response).toBe(by.get('8.4')!.columns.response);
    expect(by.get('8.5')!.status?.raw).toBe('Accepted');
    expect(by.get('9')!.columns.response).toMatch(/^The Government supports/);
    expect(codes(d)).toContain('detect/response-attached');
  });

  it('reads a headerless tracker split by sub-headings, with restarting numbers and status values', async () => {
    const d = await extract('headerless-tracker.html');
    expect(d.recommendations.map((r) => r.number)).toEqual(['1', '2', '3', '4', '1', '2', '3']);
    expect(d.recommendations[2].section).toBe('Court oversight');
    expect(d.recommendations[2].status?.value).toBe('not-started');
    expect(codes(d)).toContain('detect/table-blocks-joined');
  });

  it('finds the numbered concerns inside a template table cell', async () => {
    const d = await extract('concerns-in-cell.html');
    expect(d.recommendations.map((r) => r.number)).toEqual(['1', '2']);
    expect(d.recommendations[0].prov[0].kind).toBe('html');
  });

  it('keeps the hierarchy 2 → (a) → (i): the number as printed, its parent beside it, the full number in the id', async () => {
    const d = await extract('nested-numbering.html');
    expect(d.recommendations.map((r) => r.number)).toEqual(['1', '2', 'a', 'i', 'ii', 'b']);
    expect(d.recommendations.map((r) => r.parent ?? '')).toEqual(['', '', '2', '2a', '2a', '2']);
    expect(d.recommendations.map((r) => r.id.split('#')[1])).toEqual(['1', '2', '2a', '2a.i', '2a.ii', '2b']);
    expect(d.recommendations[3].label).toBe('(i)');
  });

  it('reads a list lettered a, b, c with no number above it as recommendations, roman points under b as siblings, not the points of a numbered lead-in', async () => {
    const d = await extract('lettered-list.html');
    expect(d.recommendations.map((r) => r.number)).toEqual(['a', 'b', 'i', 'ii', 'c']);
    expect(d.recommendations.map((r) => r.parent ?? '')).toEqual(['', '', 'b', 'b', '']);
    expect(d.recommendations.map((r) => r.label)).toEqual(['a', 'b', '(i)', '(ii)', 'c']);
    expect(d.recommendations.some((r) => r.text.startsWith('Consult on new guidance'))).toBe(false);
  });

  it('reads a recommendation whose number is printed after its text, without the number in the text', async () => {
    const d = await extract('trailing-number.html');
    expect(d.recommendations.map((r) => [r.number, r.label])).toEqual([
      ['1', 'Recommendation 1'],
      ['2', 'Recommendation 2'],
      ['3', 'Recommendation 3'],
    ]);
    expect(d.recommendations.every((r) => !r.text.includes('(Recommendation'))).toBe(true);
    expect(d.recommendations[2].orig).toBe('The Secretary of the Army should establish performance measures for depot repairs.');
  });

  it('attaches a reply printed elsewhere that names its recommendation, up to the next labelled paragraph, with its verdict', async () => {
    const d = await extract('named-replies.html');
    const [one, two] = d.recommendations;
    expect(one.columns.response).toBe('Concur. The agency will issue a fleet management plan by 30 September 2026.\n\nIt will be reviewed each year by the fleet board.');
    expect(one.status?.raw).toBe('Concur');
    expect(two.status?.raw).toBe('Non-concur');
    expect(two.columns.response).not.toContain('OIG Analysis');
    expect(d.messages.filter((m) => m.code === 'detect/response-attached')).toHaveLength(2);
  });

  it('reads the plain paragraphs after a quote set in bold as its reply, in a response document', async () => {
    const d = await extract('bold-quotes.html');
    expect(d.recommendations.map((r) => r.number)).toEqual(['1', '2']);
    expect(d.recommendations[0].text).toBe('The Department should publish a long-term plan for NHS dentistry within six months.');
    expect(d.recommendations[0].columns.response).toBe('The Government agrees. We will publish the plan in the spring.\n\nThe plan will cover the workforce and funding.');
    expect(d.recommendations[1].columns.response).toMatch(/^The Government accepts this recommendation in principle/);
  });

  it("keeps a tracker's area references (A1, B1) and a list's leading zeros (01.) as printed", async () => {
    const d = await extract('reference-codes.html');
    expect(d.recommendations.map((r) => r.number)).toEqual(['01', '02', 'A1', 'A2', 'B1']);
    expect(d.messages.map((m) => m.code)).not.toContain('detect/number-inferred');
  });

  it('reads a "position" column of verdicts as the status', async () => {
    const d = await extract('verdict-column.html');
    expect(d.recommendations.map((r) => r.status?.raw)).toEqual(['Accepted', 'Not accepted', 'Accepted in part']);
    expect(d.tables[0].columns.map((c) => c.role)).toEqual(['number', 'recommendation', 'status', 'update']);
  });

  it("reads an audit office's table: a number cell over a paragraph pointer, and the reply in the row below", async () => {
    const d = await extract('reply-rows.html');
    expect(d.recommendations.map((r) => r.number)).toEqual(['1', '2', '3', '4']);
    expect(d.recommendations.map((r) => r.label)).toEqual(['Recommendation no. 1', 'Recommendation no. 2', 'Recommendation no. 3', 'Recommendation no. 4']);
    expect(d.recommendations[0].text).toBe('The Department of Transport strengthen its contract management framework so that every variation is approved by a delegate.');
    expect(d.recommendations.map((r) => r.columns.response)).toEqual(['Agreed.', 'Agreed in principle. The department will publish information where contracts allow.', 'Not agreed.', 'Agreed.']);
    expect(d.recommendations.map((r) => r.status?.value)).toEqual(['accepted', 'partly-accepted', 'rejected', 'accepted']);
    // The reply printed inside the last recommendation's cell is not part of its text.
    expect(d.recommendations[3].text).toBe('The Department of Transport train its contract managers.');
  });

  it('reads "Response: <verdict>" and the paragraphs after it as the reply, the verdict as the status', async () => {
    const d = await extract('response-field.html');
    expect(d.recommendations.map((r) => r.status?.raw)).toEqual(['Accept', 'Accept in principle', 'Reject']);
    expect(d.recommendations.map((r) => r.status?.value)).toEqual(['accepted', 'partly-accepted', 'rejected']);
    expect(d.recommendations[0].columns.response).toBe('Accept\n\nWe published our plan in April.\n\nFinancial implications: none.');
  });

  it("takes the verdict a table's reply opens with as the status, where the table has no status column", async () => {
    const d = await extract('verdict-replies.html');
    expect(d.recommendations.map((r) => r.status?.value)).toEqual(['accepted', 'rejected', 'partly-accepted', undefined]);
    expect(d.recommendations[0].columns.response).toBe('Accepted. The Department will publish the plan next spring.');
  });

  it('reads a recommendation quoted in a panel a web page draws, and the plain paragraphs after it as its reply', async () => {
    const d = await extract('panel-quotes.html');
    expect(d.recommendations.map((r) => r.text)).toEqual([
      'The Department for Education should set out a national framework for family help.',
      "Ofsted should inspect family help services alongside children's social care.",
    ]);
    expect(d.recommendations[0].columns.response).toBe('We agree with this recommendation. We will publish the framework in the autumn.\n\nLocal authorities will be expected to follow it from next year.');
    expect(d.recommendations[1].columns.response).toMatch(/^We partially agree/);
  });

  it('finds nothing in contents entries, related-report lists, checklists and findings', async () => {
    const d = await extract('lookalikes.html');
    expect(d.recommendations).toEqual([]);
  });
  it('keeps an item printed under the number of the one before it, as printed, with its own reply', async () => {
    const d = await extract('repeated-number.html');
    expect(d.recommendations.map((r) => r.number)).toEqual(['8.1', '8.2', '8.2']);
    expect(d.recommendations[2].text).toMatch(/^We recommend that the Government set and publish targets/);
    expect(d.recommendations[2].columns.response).toMatch(/^The Government does not believe/);
    expect(codes(d)).toContain('detect/number-repeated');
  });
});
