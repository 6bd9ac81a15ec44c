// The opened-competition fixture the evaluation and award tests start from: bids sealed, deadline passed, box opened.
import { expect } from 'chai';
import { Competition } from '../../models/Competition';
import * as cheerio from 'cheerio';
import { resetDatabase, signIn, testApp, TestApp } from '../support/app';
import { openedCompetition } from '../support/evaluation';

describe('Test support: an opened competition', () => {
  let t: TestApp;
  before(async () => {
    t = await testApp();
    await resetDatabase();
  });

  it('has one bid per price, the deadline passed and the box opened by two buyers', async () => {
    const { fx, bids } = await openedCompetition(t, [100_000, 200_000]);
    expect(bids).to.have.length(2);
    expect(bids.map((b) => b.content.price.totalPence)).to.deep.equal([100_000, 200_000]);
    const c = await Competition.findById(fx.id).lean();
    expect(c!.opening!.openedAt).to.be.instanceOf(Date);
    expect(String(c!.opening!.first!.by)).to.equal(fx.buyer.id);
    expect(String(c!.opening!.second!.by)).to.equal(fx.buyer2.id);
    expect(t.clock.now().getTime()).to.be.greaterThan(fx.deadline.getTime());
  });

  it('once opened, the competition\u2019s page leads the buyer to the tender box, the evaluation and the award', async () => {
    const { fx } = await openedCompetition(t, [100_000]);
    const buyer = await signIn(t, fx.buyer);
    const $ = cheerio.load((await buyer.get(`/buyer/competitions/${fx.id}`)).text);
    const links = $('main a').map((_, a) => $(a).attr('href')).get();
    for (const rest of ['tender-box', 'evaluation', 'award']) expect(links).to.include(`/buyer/competitions/${fx.id}/${rest}`);
    expect(links).not.to.include(`/buyer/competitions/${fx.id}/deadline`);
  });
});
