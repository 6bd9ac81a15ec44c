// The buyer's and the supplier's dashboards show where their competitions stand, derived from the clock.
import { expect } from 'chai';
import * as cheerio from 'cheerio';
import { resetDatabase, signIn, testApp, TestApp } from '../support/app';
import { competitionFixture } from '../support/competitions';

describe('Dashboards: competitions', function () {
  this.timeout(60_000);
  let t: TestApp;
  before(async () => {
    t = await testApp();
    await resetDatabase();
  });

  it('shows the buyer their council’s competitions by stage, and says when a tender box is waiting to be opened', async () => {
    const f = await competitionFixture(t);
    const stage = async () => {
      // signed in afresh each time: the clock jumps further than a session lives
      const buyer = await signIn(t, f.buyer);
      const $ = cheerio.load((await buyer.get('/buyer')).text);
      const rows = $('#competition-stages .govuk-summary-list__row').map((_, r) => `${$(r).find('dt').text().trim()}: ${$(r).find('dd').text().trim()}`).get();
      return { rows, inset: $('.govuk-inset-text').text() };
    };
    expect((await stage()).rows).to.include('Open for bids: 1').and.include('Closed: tender box waiting to be opened: 0');
    t.clock.set(f.deadline);
    const after = await stage();
    expect(after.rows).to.include('Open for bids: 0').and.include('Closed: tender box waiting to be opened: 1');
    expect(after.inset).to.contain('One competition has passed the deadline');
  });

  it('tells an invited supplier how many competitions are open to them, and none once the deadline has passed', async () => {
    t.clock.set(new Date());
    const f = await competitionFixture(t);
    const supplier = await signIn(t, f.suppliers[0]);
    expect(cheerio.load((await supplier.get('/supplier')).text)('#open-invitations').text()).to.contain('invited to bid in one competition');
    t.clock.set(f.deadline);
    // signed in again: 14 days on, the first session has timed out
    const later = await signIn(t, f.suppliers[0]);
    expect(cheerio.load((await later.get('/supplier')).text)('#open-invitations').text()).to.contain('no invitations open');
  });
});
