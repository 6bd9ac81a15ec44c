// Browser journey for a mini-competition (issue 5): a buyer drafts and publishes it to a lot, two invited
// suppliers ask questions and bid, the buyer answers, the deadline passes (the app's clock is moved), and two
// buyers of the council open the tender box together. Screenshots go to E2E_SCREENSHOTS when it is set.
import { expect } from 'chai';
import { Page } from 'playwright-core';
import { Competition } from '../../models/Competition';
import { londonParts } from '../../server/domain/competitionForms';
import { ensureMeasureCatalogue } from '../../server/services/measures';
import { createUser, TestUser } from '../support/app';
import { admittedSupplier } from '../support/competitions';
import { uniqueLot } from '../support/vetting';
import { allProblems, browserSuite, journey } from './browser';

const DAY = 24 * 60 * 60 * 1000;

describe('browser: a mini-competition from publication to opening', function () {
  this.timeout(180_000);
  const suite = browserSuite();
  let lot: { id: string; number: number; title: string };
  let buyer: TestUser;
  let buyer2: TestUser;
  let suppliers: TestUser[];

  before(async () => {
    await ensureMeasureCatalogue();
    lot = await uniqueLot('Journey lot');
    buyer = await createUser('buyer');
    buyer2 = await createUser('buyer', { organisation: buyer.organisation });
    const now = suite.app().clock.now();
    suppliers = [await admittedSupplier(lot.id, now), await admittedSupplier(lot.id, now)];
  });

  const { shot, go, click, session, sessions } = journey(suite);

  it('runs the whole journey in a browser', async () => {
    const clock = suite.app().clock;
    // ---- the buyer drafts the competition ----
    const b = await session(buyer);
    await go(b, '/buyer/competitions');
    await shot(b, '01-buyer-competitions-empty');
    await Promise.all([b.waitForNavigation(), b.getByRole('button', { name: 'Create a competition' }).click()]);
    await b.fill('[name=title]', 'Community energy feasibility study');
    await b.getByLabel(new RegExp(`Lot ${lot.number}`)).check();
    await b.getByLabel(/Procurement Act 2023/).check();
    await click(b, 'Create draft');
    const id = new URL(b.url()).pathname.split('/')[3];
    expect(id).to.match(/^[0-9a-f]{24}$/);
    await shot(b, '02-buyer-overview-draft');

    await go(b, `/buyer/competitions/${id}/details`);
    await b.fill('[name=summary]', 'A feasibility study for a community-owned solar co-operative on council roofs.');
    await b.fill('[name=requirement]', 'Assess twelve council buildings, model the finances of a community share offer and set out the governance options.');
    await b.fill('[name=estimatedValue]', '15000');
    const start = londonParts(new Date(clock.now().getTime() + 45 * DAY));
    const end = londonParts(new Date(clock.now().getTime() + 200 * DAY));
    for (const [prefix, p] of [['contractStart', start], ['contractEnd', end]] as const) {
      await b.fill(`[name=${prefix}-day]`, String(p.day));
      await b.fill(`[name=${prefix}-month]`, String(p.month));
      await b.fill(`[name=${prefix}-year]`, String(p.year));
    }
    await click(b, /Save/);

    // award criteria: a total that is not 100 is refused on the page, then fixed
    await go(b, `/buyer/competitions/${id}/criteria`);
    for (const [name, kind, weight] of [['Approach', 'Quality', '60'], ['Price', 'Price', '30'], ['Local social value', 'Social value', '10']]) {
      await b.fill('[name=name]', name);
      await b.getByLabel(kind, { exact: true }).check();
      await b.fill('[name=weight]', weight);
      await click(b, 'Add criterion');
    }
    await shot(b, '03-buyer-criteria');
    await go(b, `/buyer/competitions/${id}/questions`);
    for (const [text, criterion] of [['How will you involve residents in the study?', 'Approach (Quality, 60%)'], ['What social value will you deliver locally?', 'Local social value (Social value, 10%)']]) {
      await b.fill('[name=text]', text);
      await b.selectOption('[name=criterion]', { label: criterion });
      await b.fill('[name=wordLimit]', '300');
      await click(b, 'Add question');
    }

    // deadlines: 9 days is refused under PA 2023 with the rule named; 12 days is accepted
    await go(b, `/buyer/competitions/${id}/deadlines`);
    const setDeadline = async (prefix: string, at: Date, time: string) => {
      const p = londonParts(at);
      await b.fill(`[name=${prefix}-day]`, String(p.day));
      await b.fill(`[name=${prefix}-month]`, String(p.month));
      await b.fill(`[name=${prefix}-year]`, String(p.year));
      await b.fill(`[name=${prefix}-time]`, time);
    };
    await setDeadline('clarificationDeadline', new Date(clock.now().getTime() + 5 * DAY), '12:00');
    await setDeadline('deadline', new Date(clock.now().getTime() + 9 * DAY), '12:00');
    await click(b, /Save/);
    expect(await b.locator('.govuk-error-summary').innerText()).to.match(/Procurement Act 2023 section 54/);
    await shot(b, '04-buyer-deadline-refused');
    await setDeadline('deadline', new Date(clock.now().getTime() + 12 * DAY), '12:00');
    await click(b, /Save/);
    expect(await b.locator('.govuk-error-summary').count()).to.equal(0);

    await go(b, `/buyer/competitions/${id}/preview`);
    expect(await b.locator('main').innerText()).to.contain('How will you involve residents in the study?');
    await shot(b, '05-buyer-preview');
    await go(b, `/buyer/competitions/${id}/publish`);
    expect(await b.locator('main').innerText()).to.match(/\b2\b/);
    await shot(b, '06-buyer-publish-confirm');
    await click(b, 'Publish and invite suppliers');
    expect(await b.locator('.govuk-notification-banner').innerText()).to.match(/2 suppliers invited/);
    await shot(b, '07-buyer-overview-published');
    const published = await Competition.findById(id).lean();
    expect(published!.invited.map(String)).to.have.members(suppliers.map((s) => s.organisation));
    const deadline = published!.deadline!;

    // ---- two suppliers ask questions and bid ----
    const s: Page[] = [];
    for (const [i, supplier] of suppliers.entries()) {
      const page = await session(supplier);
      s.push(page);
      await go(page, '/supplier/opportunities');
      if (i === 0) await shot(page, '08-supplier-opportunities');
      await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: /Community energy feasibility study/ }).click()]);
      await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'Ask a question' }).click()]);
      await page.fill('[name=question]', i === 0 ? 'Are listed buildings included in the twelve?' : 'Can the share offer model assume SEIS relief?');
      await click(page, 'Send question');
    }

    // the buyer answers the first question to everyone, without the asker's name
    await go(b, `/buyer/competitions/${id}/clarifications`);
    await shot(b, '09-buyer-clarifications');
    await Promise.all([b.waitForNavigation(), b.getByRole('link', { name: /Answer/ }).first().click()]);
    await b.fill('[name=answer]', 'Two of the twelve buildings are listed; the study should say what that means for panels.');
    await b.getByLabel('No', { exact: true }).check();
    await click(b, 'Publish to all invited suppliers');

    for (const [i, page] of s.entries()) {
      await go(page, `/supplier/opportunities/${id}`);
      const text = await page.locator('main').innerText();
      expect(text).to.contain('Two of the twelve buildings are listed');
      if (i === 1) {
        await shot(page, '10-supplier-competition-with-answer');
        const askerOrg = (await import('../../models/Organisation')).Organisation;
        const askerName = (await askerOrg.findById(suppliers[0].organisation).lean())!.name;
        expect(text).not.to.contain(askerName);
      }
      // the bid: answers, price, a social value commitment, review, submit
      await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Your bid' }).click()]);
      if (i === 0) await shot(page, '11-supplier-bid-overview');
      await go(page, `/supplier/opportunities/${id}/bid/answers`);
      const boxes = page.locator('textarea');
      for (let n = 0; n < (await boxes.count()); n++) await boxes.nth(n).fill(`SENTINEL-ANSWER-${i}-${n}: we will run open sessions in each ward.`);
      await click(page, 'Save answers');
      await go(page, `/supplier/opportunities/${id}/bid/price`);
      await page.fill('[name=total]', i === 0 ? '14500' : '13900');
      await click(page, 'Save price');
      await go(page, `/supplier/opportunities/${id}/bid/social-value`);
      await page.getByLabel(/Hours staff volunteer with local community groups/).check();
      await page.fill('[name=quantity]', '80');
      await click(page, 'Add commitment');
      if (i === 0) await shot(page, '12-supplier-social-value');
      await go(page, `/supplier/opportunities/${id}/bid/review`);
      if (i === 0) await shot(page, '13-supplier-review');
      await click(page, 'Submit bid');
      expect(new URL(page.url()).pathname).to.match(/\/bid\/receipts\/1$/);
      expect(await page.locator('main').innerText()).to.match(/[0-9a-f]{64}/);
      if (i === 0) await shot(page, '14-supplier-receipt');
    }

    // ---- sealed until the deadline: the buyer sees no content, not even a count ----
    await go(b, `/buyer/competitions/${id}/tender-box`);
    const sealed = await b.locator('main').innerText();
    expect(sealed).to.match(/Sealed until/);
    expect(sealed).not.to.contain('SENTINEL');
    await shot(b, '15-buyer-tender-box-sealed');

    // ---- the deadline passes; two buyers open the box together ----
    // (twelve days on, yesterday's sessions have timed out: both buyers sign in again)
    clock.set(new Date(deadline.getTime() + 60_000));
    const b1 = await session(buyer);
    await go(b1, `/buyer/competitions/${id}/tender-box`);
    await b1.getByRole('checkbox').first().check();
    await click(b1, /open/i);
    await shot(b1, '16-buyer-tender-box-first-step');
    expect(await b1.locator('main').innerText()).not.to.contain('SENTINEL');

    const b2 = await session(buyer2);
    await go(b2, `/buyer/competitions/${id}/tender-box`);
    await shot(b2, '17-second-buyer-confirms');
    await b2.getByRole('checkbox').first().check();
    await click(b2, /open/i);
    await Promise.all([b2.waitForNavigation(), b2.getByRole('button', { name: 'Read the bids' }).click()]);
    await shot(b2, '18-bids-list');
    await Promise.all([b2.waitForNavigation(), b2.locator('main table a').first().click()]);
    expect(await b2.locator('main').innerText()).to.match(/SENTINEL-ANSWER-\d-0/);
    await shot(b2, '19-one-bid');

    // the one 400 is the refused deadline above, answered as it should be
    const expected = (p: string) => /status of 400 .*\/deadlines\)$/.test(p);
    for (const w of sessions) expect(allProblems(w.problems).filter((p) => !expected(p))).to.deep.equal([]);
  });
});
