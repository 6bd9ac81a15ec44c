// A delivery report is for a period that has happened: one ending in the future is refused with a clear message.
import { expect } from 'chai';
import * as cheerio from 'cheerio';
import { SocialValueCommitment } from '../../models/SocialValueCommitment';
import { SocialValueReport } from '../../models/SocialValueReport';
import { csrfFrom, resetDatabase, signIn, testApp, TestApp } from '../support/app';
import { awardedCompetition, contractForm, dateFields, enterContractAs } from '../support/contracts';

const DAY = 24 * 60 * 60 * 1000;

describe('Social value: the period a delivery report covers', () => {
  let t: TestApp;
  before(async () => {
    t = await testApp();
    await resetDatabase();
  });

  it('refuses a period that ends after today (400, nothing written) and accepts one ending today', async () => {
    const a = await awardedCompetition(t);
    const id = await enterContractAs(await signIn(t, a.fx.buyer), a.awardId, contractForm(t));
    const supplier = await signIn(t, a.fx.suppliers[a.winner]);
    const commitment = String((await SocialValueCommitment.findOne({ contract: id }).lean())!._id);
    const now = t.clock.now();
    const send = async (end: Date) => {
      const path = `/supplier/contracts/${id}/reports/new`;
      let req = supplier.post(path).field('_csrf', await csrfFrom(supplier, path));
      const fields = { commitment, ...dateFields('start', new Date(now.getTime() - 10 * DAY)), ...dateFields('end', end), quantity: '1', narrative: 'Delivered' };
      for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
      return req;
    };
    const future = await send(new Date(now.getTime() + 7 * DAY));
    expect(future.status).to.equal(400);
    expect(cheerio.load(future.text)('.govuk-error-summary a[href="#end-day"]').text()).to.contain('must be today or in the past');
    expect(await SocialValueReport.countDocuments({ contract: id })).to.equal(0);
    const today = await send(now);
    expect(today.status).to.equal(303);
    expect(await SocialValueReport.countDocuments({ contract: id })).to.equal(1);
  });
});
