// Browser journey for issue 6: from an opened tender box to a contract and a first social value delivery report.
// Two buyers evaluate (panel, declarations, independent scoring, moderation, results), propose and approve the
// award; a winning and a losing supplier read their letters; after standstill the buyer enters the contract; the
// winner reports delivery and the buyer accepts it. Screenshots go to E2E_SCREENSHOTS when it is set.
import { expect } from 'chai';
import { Page } from 'playwright-core';
import { Award } from '../../models/Award';
import { Organisation } from '../../models/Organisation';
import { londonParts } from '../../server/domain/competitionForms';
import { resetDatabase } from '../support/app';
import { openedCompetition, OpenedFixture } from '../support/evaluation';
import { allProblems, browserSuite, journey } from './browser';

const DAY = 24 * 60 * 60 * 1000;
/** Buyer 1's comment: buyer 2 must not see it before submitting their own scores. */
const SENTINEL = 'SENTINEL-LEAD-COMMENT';
/** Prices in pence: supplier 0 wins on quality; 1 and 2 lose. */
const PRICES = [1_500_000, 1_200_000, 1_800_000];

describe('browser: evaluation, award, standstill, contract and social value delivery', function () {
  this.timeout(300_000);
  const suite = browserSuite();
  let o: OpenedFixture;
  let names: string[];

  before(async () => {
    await resetDatabase();
  });

  const { shot, go, click, session, sessions } = journey(suite);
  const noErrors = async (page: Page) => {
    expect(await page.locator('.govuk-error-summary').count(), `error summary on ${page.url()}`).to.equal(0);
  };
  const main = (page: Page) => page.locator('main').innerText();
  /** Fills every hand-scored criterion on a scoring or moderation form with `score` and a comment. */
  const scoreAll = async (page: Page, score: number, comment: string) => {
    const boxes = page.locator('textarea[name^="comment-"]');
    const n = await boxes.count();
    expect(n, 'hand-scored criteria').to.equal(2);
    for (let i = 0; i < n; i++) {
      const name = (await boxes.nth(i).getAttribute('name'))!;
      const criterion = name.slice('comment-'.length);
      await page.locator(`input[name="score-${criterion}"][value="${score}"]`).check();
      await boxes.nth(i).fill(`${comment} (${criterion})`);
    }
  };
  const fillDate = async (page: Page, prefix: string, at: Date) => {
    const p = londonParts(at);
    await page.fill(`[name=${prefix}-day]`, String(p.day));
    await page.fill(`[name=${prefix}-month]`, String(p.month));
    await page.fill(`[name=${prefix}-year]`, String(p.year));
  };
  /** A whole organisation name as a word (so "supplier 1" does not match "supplier 12"). */
  const nameRe = (name: string) => new RegExp(`\\b${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`);

  it('runs from the opened tender box to an accepted delivery report', async () => {
    const app = suite.app();
    const clock = app.clock;
    o = await openedCompetition(app, PRICES);
    const { fx, bids } = o;
    names = [];
    for (const s of fx.suppliers) names.push((await Organisation.findById(s.organisation).lean())!.name);
    const ev = `/buyer/competitions/${fx.id}/evaluation`;

    // ---- 1. buyer 1 sets up the panel: both buyers, buyer 1 leads, scale 0 to 4 ----
    const b1 = await session(fx.buyer);
    await go(b1, ev);
    await shot(b1, '01-evaluation-not-set-up');
    await Promise.all([b1.waitForNavigation(), b1.getByRole('link', { name: 'Set up the panel' }).click()]);
    await b1.locator(`input[name=evaluators][value="${fx.buyer.id}"]`).check();
    await b1.locator(`input[name=evaluators][value="${fx.buyer2.id}"]`).check();
    await b1.locator(`input[name=lead][value="${fx.buyer.id}"]`).check();
    await b1.fill('[name=scaleMax]', '4');
    await shot(b1, '02-evaluation-panel');
    await click(b1, 'Save the panel');
    await noErrors(b1);
    expect(new URL(b1.url()).pathname).to.equal(ev);
    expect(await main(b1)).to.contain('0 to 4');

    // ---- 2. each evaluator declares no conflict, scores every bid, submits ----
    const declareNone = async (page: Page) => {
      await go(page, `${ev}/declaration`);
      await page.getByLabel('No, I have no conflict of interest with any bidder').check();
      await click(page, 'Make the declaration');
      await noErrors(page);
    };
    await declareNone(b1);
    await shot(b1, '03-evaluation-declared');
    for (const [i, bid] of bids.entries()) {
      await go(b1, `${ev}/bids/${bid.bidId}`);
      expect(await main(b1)).to.contain(`bid${i}`); // the bid's answers beside the form
      if (i === 0) await shot(b1, '04-score-a-bid');
      await scoreAll(b1, [4, 2, 1][i], `${SENTINEL} bid ${i}`);
      await click(b1, 'Save scores for this bid');
      await noErrors(b1);
    }
    await shot(b1, '05-evaluation-all-scored');
    await click(b1, 'Submit your scores');
    expect(await main(b1)).to.contain('You have submitted your scores');

    // buyer 2: independent, so buyer 1's comments are nowhere on their pages before they submit
    const b2 = await session(fx.buyer2);
    await declareNone(b2);
    expect(await main(b2)).not.to.contain(SENTINEL);
    for (const [i, bid] of bids.entries()) {
      await go(b2, `${ev}/bids/${bid.bidId}`);
      expect(await main(b2), `buyer 2's page of bid ${i}`).not.to.contain(SENTINEL);
      if (i === 0) await shot(b2, '06-second-evaluator-scores-independently');
      await scoreAll(b2, [3, 2, 1][i], `Second evaluator on bid ${i}`);
      await click(b2, 'Save scores for this bid');
      await noErrors(b2);
      expect(await main(b2)).not.to.contain(SENTINEL);
    }
    await click(b2, 'Submit your scores');
    // once submitted, the other evaluator's scores are shown
    await go(b2, `${ev}/bids/${bids[0].bidId}`);
    expect(await main(b2)).to.contain(SENTINEL);
    await shot(b2, '07-second-evaluator-after-submitting');

    // ---- 3. buyer 1 moderates every bid, sees the ranking and completes the evaluation ----
    await go(b1, ev);
    await shot(b1, '08-evaluation-moderating');
    for (const [i, bid] of bids.entries()) {
      await go(b1, `${ev}/moderation/${bid.bidId}`);
      if (i === 0) await shot(b1, '09-moderation');
      await scoreAll(b1, [4, 2, 1][i], `Consensus rationale for bid ${i}`);
      await click(b1, 'Save the consensus scores');
      await noErrors(b1);
    }
    await go(b1, `${ev}/results`);
    const ranking = b1.locator('#ranking tbody tr');
    expect(await ranking.count()).to.equal(3);
    expect(await ranking.nth(0).innerText()).to.match(nameRe(names[0]));
    await shot(b1, '10-results');
    await click(b1, 'Complete the evaluation');
    expect(await main(b1)).to.contain('The evaluation was completed');
    await shot(b1, '11-results-completed');

    // ---- 4. buyer 1 proposes the award to the top-ranked bid; buyer 2 approves ----
    const aw = `/buyer/competitions/${fx.id}/award`;
    await go(b1, aw);
    expect(await b1.locator(`input[name=bidId][value="${bids[0].bidId}"]`).isChecked()).to.equal(true);
    await b1.fill('[name=characteristics]', 'The strongest approach to resident workshops and the most local jobs for the price.');
    await shot(b1, '12-award-propose');
    await click(b1, 'Propose the award');
    await noErrors(b1);
    expect(await main(b1)).to.contain('You proposed this award');
    await shot(b1, '13-award-proposed');
    await go(b2, aw);
    await Promise.all([b2.waitForNavigation(), b2.locator('#approve-link').click()]);
    await shot(b2, '14-award-approve');
    await click(b2, 'Approve and send the letters');
    expect(await b2.locator('#letters tbody tr').count()).to.equal(3);
    await shot(b2, '15-award-approved-letters');

    // ---- 5. the winner and a loser read their letters ----
    const letter = `/supplier/opportunities/${fx.id}/letter`;
    const w = await session(fx.suppliers[0]);
    await go(w, letter);
    expect(await w.locator('.govuk-panel').innerText()).to.contain('Your bid was successful');
    await shot(w, '16-letter-winner');
    const l = await session(fx.suppliers[1]);
    await go(l, letter);
    const lost = await main(l);
    expect(await l.locator('#outcome').innerText()).to.match(nameRe(names[0]));
    expect(lost, 'the other losing bidder\u2019s name').not.to.match(nameRe(names[2]));
    for (const pence of [PRICES[1], PRICES[2]]) expect(lost, `price ${pence}`).not.to.contain((pence / 100).toLocaleString('en-GB'));
    // under PA 2023 the award notice gives the awarded value; no other part of the letter carries a price
    const outsideNotice = await l.locator('main').evaluate((el: any) => {
      const copy = el.cloneNode(true) as { querySelector(s: string): { remove(): void } | null; textContent: string | null };
      copy.querySelector('#notice')?.remove();
      return copy.textContent ?? '';
    });
    expect(outsideNotice, 'a price outside the award notice').not.to.contain('\u00a3');
    await shot(l, '17-letter-losing');

    // ---- 6. past the standstill, buyer 1 (signed in again) enters the contract ----
    const award = (await Award.findOne({ competition: fx.id }).lean())!;
    clock.set(new Date(award.standstill!.end!.getTime() + DAY));
    const c1 = await session(fx.buyer);
    await go(c1, '/buyer/contracts');
    await shot(c1, '18-contracts-ready');
    await Promise.all([c1.waitForNavigation(), c1.getByRole('link', { name: /Enter the contract/ }).first().click()]);
    const now = clock.now();
    await fillDate(c1, 'signed', now);
    await fillDate(c1, 'start', new Date(now.getTime() + 7 * DAY));
    await fillDate(c1, 'end', new Date(now.getTime() + 372 * DAY));
    await c1.fill('[name=value]', '15000');
    await c1.fill('[name=kpi-1-name]', 'Workshops held on time');
    await c1.fill('[name=kpi-1-target]', 'Every workshop within a week of its planned date');
    await shot(c1, '19-contract-entry');
    await click(c1, 'Enter the contract');
    await noErrors(c1);
    const contractPath = new URL(c1.url()).pathname;
    expect(contractPath).to.match(/^\/buyer\/contracts\/[0-9a-f]{24}$/);
    const contract = await main(c1);
    expect(contract).to.contain('Workshops held on time');
    expect(contract).to.contain('NT1: Local jobs bid0');
    await shot(c1, '20-contract');

    // ---- 7. two weeks into the contract, the winner reports delivery; buyer 1 accepts it ----
    // (a report covers a period that has happened; both sign in again after the clock's jump)
    clock.set(new Date(now.getTime() + 15 * DAY));
    const w2 = await session(fx.suppliers[0]);
    const supplierContract = contractPath.replace('/buyer/', '/supplier/');
    await go(w2, supplierContract);
    await shot(w2, '21-supplier-contract');
    await Promise.all([w2.waitForNavigation(), w2.getByRole('link', { name: /Report delivery/ }).first().click()]);
    await w2.locator('input[name=commitment]').first().check();
    await fillDate(w2, 'start', new Date(now.getTime() + 7 * DAY));
    await fillDate(w2, 'end', new Date(now.getTime() + 14 * DAY));
    await w2.fill('[name=quantity]', '0.5');
    await w2.fill('[name=narrative]', 'Half a full-time post filled by a resident of the borough for the first weeks.');
    await shot(w2, '22-report-delivery');
    await click(w2, 'Send report');
    await noErrors(w2);
    expect(new URL(w2.url()).pathname).to.equal(supplierContract);
    expect(await main(w2)).to.contain('Report sent');

    const c2 = await session(fx.buyer);
    await go(c2, contractPath);
    await Promise.all([c2.waitForNavigation(), c2.getByRole('link', { name: /\(verify\)/ }).first().click()]);
    await shot(c2, '23-verify-report');
    await c2.getByLabel('Accept', { exact: true }).check();
    await click(c2, 'Save verification');
    await noErrors(c2);
    expect(await main(c2)).to.contain('Report accepted');
    const figures = c2.locator('table.app-table--figures tbody tr').first();
    const cells = await figures.locator('th, td').allInnerTexts();
    expect(cells[0]).to.contain('NT1');
    expect(cells[1]).to.match(/1\.5/);
    expect(cells[2]).to.match(/0\.5/);
    await shot(c2, '24-contract-delivered');

    // ---- 8. no page problems anywhere ----
    for (const s of sessions) expect(allProblems(s.problems)).to.deep.equal([]);
  });
});
