// Proposing the award: the top-ranked bid preselected; another bid needs a reason; the characteristics are required;
// two buyers proposing at once leave exactly one award (the other a 409); and who may reach the award pages.
import { expect } from 'chai';
import * as cheerio from 'cheerio';
import { AuditEvent } from '../../models/AuditEvent';
import { Award } from '../../models/Award';
import { createUser, csrfFrom, resetDatabase, signIn, submit, testApp, TestApp } from '../support/app';
import { evaluatedCompetition } from '../support/awards';
import { competitionFixture } from '../support/competitions';

const base = (id: string) => `/buyer/competitions/${id}/award`;

describe('Award: proposal', () => {
  let t: TestApp;
  before(async () => {
    t = await testApp();
    await resetDatabase();
  });

  it('shows the ranking with the top-ranked bid preselected', async () => {
    const e = await evaluatedCompetition(t);
    const buyer = await signIn(t, e.fx.buyer);
    const res = await buyer.get(base(e.fx.id));
    expect(res.status).to.equal(200);
    const $ = cheerio.load(res.text);
    expect($('h1').text()).to.equal('Propose the award');
    expect($('#ranking tbody tr').first().text()).to.contain(e.names[1]);
    expect($(`input[name=bidId][value=${e.bids[1].bidId}]`).attr('checked')).to.equal('checked');
    expect($('input[name=bidId][checked]')).to.have.length(1);
  });

  it('refuses another bid without a reason, and a proposal without characteristics (400, nothing written)', async () => {
    const e = await evaluatedCompetition(t);
    const buyer = await signIn(t, e.fx.buyer);
    const noReason = await submit(buyer, base(e.fx.id), { bidId: e.bids[0].bidId, reason: '', characteristics: 'Strong co-design with residents.' });
    expect(noReason.status).to.equal(400);
    let $ = cheerio.load(noReason.text);
    expect($('title').text()).to.match(/^Error: /);
    expect($('.govuk-error-summary a[href="#reason"]').text()).to.equal('Enter why the contract goes to a bid that is not ranked first');
    expect($(`input[name=bidId][value=${e.bids[0].bidId}]`).attr('checked')).to.equal('checked');
    const noCharacteristics = await submit(buyer, base(e.fx.id), { bidId: e.bids[1].bidId, reason: '', characteristics: '  ' });
    expect(noCharacteristics.status).to.equal(400);
    $ = cheerio.load(noCharacteristics.text);
    expect($('.govuk-error-summary a[href="#characteristics"]').text()).to.equal('Enter the characteristics and relative advantages of the winning bid');
    const naming = await submit(buyer, base(e.fx.id), { bidId: e.bids[1].bidId, characteristics: `Better than ${e.names[2]}` });
    expect(naming.status).to.equal(400);
    expect(cheerio.load(naming.text)('.govuk-error-summary a[href="#characteristics"]').text()).to.contain('do not name another bidder');
    const unknown = await submit(buyer, base(e.fx.id), { bidId: '0123456789abcdef01234567', characteristics: 'Good.' });
    expect(unknown.status).to.equal(400);
    expect(await Award.countDocuments({ competition: e.fx.id })).to.equal(0);
  });

  it('records another bid with its reason, ignoring posted status, value or supplier', async () => {
    const e = await evaluatedCompetition(t);
    const buyer = await signIn(t, e.fx.buyer);
    const res = await submit(buyer, base(e.fx.id), {
      bidId: e.bids[0].bidId, reason: 'The top bid cannot start in time.', characteristics: 'Local delivery team.',
      status: 'approved', valuePence: '1', supplier: e.fx.suppliers[2].organisation,
    });
    expect(res.status).to.equal(303);
    const award = await Award.findOne({ competition: e.fx.id }).lean();
    expect(award).to.include({ status: 'proposed', live: true, topRanked: false, reason: 'The top bid cannot start in time.', valuePence: 1_234_511, version: 1 });
    expect(String(award!.supplier)).to.equal(e.fx.suppliers[0].organisation);
    expect(String(award!.bid)).to.equal(e.bids[0].bidId);
    const page = cheerio.load((await buyer.get(base(e.fx.id))).text);
    expect(page('#award').text()).to.contain('Awaiting approval').and.contain(e.names[0]).and.contain('£12,345.11');
    expect(page('#approve-link')).to.have.length(0);
  });

  it('leaves exactly one award when two buyers propose at once; the other gets a clear 409', async () => {
    const e = await evaluatedCompetition(t);
    const a = await signIn(t, e.fx.buyer);
    const b = await signIn(t, e.fx.buyer2);
    const [ta, tb] = [await csrfFrom(a, base(e.fx.id)), await csrfFrom(b, base(e.fx.id))];
    const fields = { bidId: e.bids[1].bidId, characteristics: 'Best approach.' };
    const results = await Promise.all([a.post(base(e.fx.id)).type('form').send({ ...fields, _csrf: ta }), b.post(base(e.fx.id)).type('form').send({ ...fields, _csrf: tb })]);
    expect(results.map((r) => r.status).sort()).to.deep.equal([303, 409]);
    const loser = results.find((r) => r.status === 409)!;
    expect(cheerio.load(loser.text)('h1').text()).to.equal('An award has already been proposed');
    expect(await Award.countDocuments({ competition: e.fx.id })).to.equal(1);
    const award = await Award.findOne({ competition: e.fx.id }).lean();
    expect(await AuditEvent.countDocuments({ action: 'award.proposed', targetId: String(award!._id) })).to.equal(1);
    expect(await AuditEvent.countDocuments({ action: 'award.proposed', 'details.competition': e.fx.id })).to.equal(1);
  });

  it('says the award cannot be proposed before the evaluation is complete (409), or before opening (409)', async () => {
    const e = await evaluatedCompetition(t, { complete: false });
    const buyer = await signIn(t, e.fx.buyer);
    const res = await buyer.get(base(e.fx.id));
    expect(res.status).to.equal(409);
    expect(cheerio.load(res.text)('h1').text()).to.equal('The award cannot be proposed yet');
    expect((await submit(buyer, base(e.fx.id), { bidId: e.bids[1].bidId, characteristics: 'x' }, '/account')).status).to.equal(409);
    expect(await Award.countDocuments({ competition: e.fx.id })).to.equal(0);
    const open = await competitionFixture(t);
    const other = await signIn(t, open.buyer);
    expect((await other.get(base(open.id))).status).to.equal(409);
  });

  it('gives another council\u2019s buyer 404 on every award page and action, and suppliers and admins 403', async () => {
    const e = await evaluatedCompetition(t);
    const other = await signIn(t, await createUser('buyer'));
    const token = await csrfFrom(other, '/account');
    for (const p of ['', '/approve', '/cancel']) expect((await other.get(base(e.fx.id) + p)).status, `GET ${p}`).to.equal(404);
    for (const p of ['', '/approve', '/challenge', '/resolve', '/cancel']) {
      const res = await other.post(base(e.fx.id) + p).type('form').send({ _csrf: token, bidId: e.bids[1].bidId, characteristics: 'x', note: 'x', reason: 'x', outcome: 'cancel', resolution: 'x' });
      expect(res.status, `POST ${p}`).to.equal(404);
    }
    expect(await Award.countDocuments({ competition: e.fx.id })).to.equal(0);
    for (const who of [e.fx.suppliers[0], await createUser('admin')]) {
      const agent = await signIn(t, who);
      for (const p of ['', '/approve', '/cancel']) expect((await agent.get(base(e.fx.id) + p)).status, `GET ${p}`).to.equal(403);
    }
  });
});
