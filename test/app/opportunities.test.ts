// The supplier's Opportunities: only the competitions their organisation was invited to (never a draft, never one
// published before their admission), tagged by stage with their bid's progress; the competition page; tender documents.
import { expect } from 'chai';
import * as cheerio from 'cheerio';
import { Types } from 'mongoose';
import { Bid } from '../../models/Bid';
import { Clarification } from '../../models/Clarification';
import { Competition } from '../../models/Competition';
import { Organisation } from '../../models/Organisation';
import { storeUpload } from '../../server/services/documents';
import { resetDatabase, signIn, testApp, TestApp } from '../support/app';
import { admittedSupplier, competitionFixture } from '../support/competitions';
import * as files from '../fixtures/files';

const DAY = 24 * 60 * 60 * 1000;
const sealed = { v: 1, iv: 'aXY=', tag: 'dGFn', data: 'ZGF0YQ==' };

function rowFor($: cheerio.CheerioAPI, title: string) {
  return $('tbody tr').filter((_i, tr) => $(tr).find('a').first().text().trim() === title);
}

describe('Opportunities: the supplier\u2019s list and competition page', function () {
  this.timeout(60_000);
  let t: TestApp;
  before(async () => {
    t = await testApp();
    await resetDatabase();
  });
  beforeEach(() => t.clock.set(new Date()));

  it('lists only the competitions the organisation was invited to, each with council, lot, deadline, time left and bid progress', async () => {
    const mine = await competitionFixture(t, { title: 'Invited: net zero roadmap' });
    const other = await competitionFixture(t, { title: 'Not invited: digital inclusion' });
    const agent = await signIn(t, mine.suppliers[0]);
    let $ = cheerio.load((await agent.get('/supplier/opportunities').expect(200)).text);
    expect($('h1').text()).to.equal('Opportunities');
    const row = rowFor($, 'Invited: net zero roadmap');
    expect(row).to.have.length(1);
    expect(rowFor($, 'Not invited: digital inclusion')).to.have.length(0);
    expect($('tbody tr')).to.have.length(1);
    const council = await Organisation.findById(mine.buyer.organisation).lean();
    expect(row.text()).to.contain(council!.name).and.contain(mine.reference).and.contain(`Lot ${mine.lot.number}: ${mine.lot.title}`);
    expect(row.text()).to.contain('14 days left').and.contain('Open').and.contain('Not started');
    expect(row.find('a').attr('href')).to.equal(`/supplier/opportunities/${mine.id}`);

    // a draft saved: "Draft saved"; a submitted version: "Bid submitted" (no content is read for either)
    const bid = await Bid.create({ competition: mine.id, supplier: mine.suppliers[0].organisation, draft: { sealed, savedAt: t.clock.now(), savedBy: mine.suppliers[0].id, revision: 1 } });
    $ = cheerio.load((await agent.get('/supplier/opportunities').expect(200)).text);
    expect(rowFor($, 'Invited: net zero roadmap').text()).to.contain('Draft saved');
    await Bid.updateOne({ _id: bid._id }, { $set: { versions: [{ n: 1, status: 'submitted', sealed, receivedAt: t.clock.now(), fingerprint: 'f'.repeat(64), submittedBy: mine.suppliers[0].id }] } });
    $ = cheerio.load((await agent.get('/supplier/opportunities').expect(200)).text);
    expect(rowFor($, 'Invited: net zero roadmap').text()).to.contain('Bid submitted');
    // the other competition's supplier sees only theirs
    const $other = cheerio.load((await (await signIn(t, other.suppliers[0])).get('/supplier/opportunities').expect(200)).text);
    expect($other('tbody tr')).to.have.length(1);
    expect(rowFor($other, 'Not invited: digital inclusion').text()).to.contain('Not started');
  });

  it('tags a competition Closing soon in its last 72 hours, then Closed, and Cancelled', async () => {
    const f = await competitionFixture(t, { title: 'Tagged competition' });
    // signed in afresh each time: moving the clock days ahead ends the session
    const tag = async () => rowFor(cheerio.load((await (await signIn(t, f.suppliers[0])).get('/supplier/opportunities').expect(200)).text), 'Tagged competition').find('.govuk-tag').first().text().trim();
    expect(await tag()).to.equal('Open');
    t.clock.set(new Date(f.deadline.getTime() - 72 * 60 * 60 * 1000));
    expect(await tag()).to.equal('Closing soon');
    t.clock.set(f.deadline);
    expect(await tag()).to.equal('Closed');
    await Competition.updateOne({ _id: f.id }, { $set: { status: 'cancelled', cancellation: { reason: 'Budget withdrawn', at: t.clock.now(), by: f.buyer.id } } });
    expect(await tag()).to.equal('Cancelled');
  });

  it('does not show a supplier admitted after publication the competition: not listed, and 404 on its pages', async () => {
    const f = await competitionFixture(t);
    const late = await admittedSupplier(f.lot.id, t.clock.now());
    const agent = await signIn(t, late);
    const $ = cheerio.load((await agent.get('/supplier/opportunities').expect(200)).text);
    expect($('tbody tr')).to.have.length(0);
    expect($('#no-opportunities').text()).to.contain('not been invited');
    await agent.get(`/supplier/opportunities/${f.id}`).expect(404);
    await agent.get(`/supplier/opportunities/${f.id}/questions/new`).expect(404);
  });

  it('never shows a draft to a supplier, even one on its list', async () => {
    const f = await competitionFixture(t, { publish: false, title: 'Draft only' });
    // even if a supplier were somehow on a draft's list, the draft stays invisible
    await Competition.updateOne({ _id: f.id }, { $set: { invited: [f.suppliers[0].organisation] } });
    const agent = await signIn(t, f.suppliers[0]);
    const $ = cheerio.load((await agent.get('/supplier/opportunities').expect(200)).text);
    expect($('body').text()).not.to.contain('Draft only');
    await agent.get(`/supplier/opportunities/${f.id}`).expect(404);
  });

  it('shows the competition with its deadline and time left, the published Q&A newest first without askers, and only the supplier\u2019s own waiting questions', async () => {
    const f = await competitionFixture(t, { title: 'Community wealth page' });
    const [me, rival] = f.suppliers;
    await Organisation.updateOne({ _id: rival.organisation }, { $set: { name: 'Rival Sentinel Co-operative' } });
    const now = t.clock.now();
    await Clarification.create([
      { competition: f.id, kind: 'question', status: 'published', question: 'Rival Sentinel asks about venues', publishedQuestion: 'Which venues are available?', answer: 'The town hall.', askedBy: rival.organisation, askedByUser: rival.id, askedAt: now, publishedAt: new Date(now.getTime() - 2000) },
      { competition: f.id, kind: 'update', status: 'published', question: 'Site visit', publishedQuestion: 'Site visit', answer: 'There is a site visit on Monday.', publishedAt: new Date(now.getTime() - 1000) },
      { competition: f.id, kind: 'question', status: 'awaiting answer', question: 'My own pending question', askedBy: me.organisation, askedByUser: me.id, askedAt: now },
      { competition: f.id, kind: 'question', status: 'awaiting answer', question: 'The rival\u2019s pending question', askedBy: rival.organisation, askedByUser: rival.id, askedAt: now },
    ]);
    const agent = await signIn(t, me);
    const $ = cheerio.load((await agent.get(`/supplier/opportunities/${f.id}`).expect(200)).text);
    expect($('h1').text()).to.equal('Community wealth page');
    expect($('#status .govuk-tag').first().text().trim()).to.equal('Open');
    expect($('#status').text()).to.contain('Time left').and.contain('14 days');
    expect($('.app-competition-summary').text()).to.contain('How bids will be scored').and.contain('Approach and delivery');
    expect($('#your-bid').attr('href')).to.equal(`/supplier/opportunities/${f.id}/bid`);
    expect($('#ask-question').attr('href')).to.equal(`/supplier/opportunities/${f.id}/questions/new`);
    const headings = $('.app-clarification h4').map((_i, h) => $(h).text()).get();
    expect(headings).to.deep.equal(['Update: Site visit', 'Which venues are available?']);
    expect($('.app-own-question').text()).to.contain('My own pending question').and.contain('Awaiting an answer');
    const text = $('main').text();
    expect(text).not.to.contain('The rival\u2019s pending question');
    expect(text).not.to.contain('Rival Sentinel');
  });

  it('pages a long list 25 at a time; a page past the last is 404 and a malformed page number 400', async () => {
    const f = await competitionFixture(t);
    const org = f.suppliers[0].organisation;
    const base = { council: f.buyer.organisation, lot: f.lot.id, createdBy: f.buyer.id, ruleSet: 'PA2023_DYNAMIC_MARKET', status: 'published', invited: [org], publishedAt: t.clock.now() };
    await Competition.insertMany(Array.from({ length: 25 }, (_x, i) => ({ ...base, reference: `DPS-CF-PAGE-${i}-${new Types.ObjectId()}`, title: `Paged ${i}`, deadline: new Date(t.clock.now().getTime() + (20 + i) * DAY) })));
    const agent = await signIn(t, f.suppliers[0]);
    const first = cheerio.load((await agent.get('/supplier/opportunities').expect(200)).text);
    expect(first('tbody tr')).to.have.length(25);
    expect(first('.govuk-pagination')).to.have.length(1);
    const second = cheerio.load((await agent.get('/supplier/opportunities?page=2').expect(200)).text);
    expect(second('tbody tr')).to.have.length(1);
    await agent.get('/supplier/opportunities?page=3').expect(404);
    await agent.get('/supplier/opportunities?page=abc').expect(400);
  });

  it('serves a tender document listed on the competition to invited suppliers only, refuses others and unscanned files, and lets the buyer download it as the owner', async () => {
    const f = await competitionFixture(t);
    const store = (name: string) => storeUpload(t.clock, { owner: f.buyer.organisation, uploadedBy: f.buyer.id, purpose: 'competition:document', file: { buffer: files.pdf('spec'), originalname: name, size: 0 } });
    const spec = await store('Specification "v2".pdf');
    const unlisted = await store('Internal notes.pdf');
    const scanning = await store('Scanning.pdf');
    await Competition.updateOne({ _id: f.id }, { $set: { documents: [spec.id, scanning.id] } });
    const { StoredDocument } = await import('../../models/Document');
    await StoredDocument.updateOne({ _id: scanning.id }, { $set: { scanStatus: 'pending' } });

    const agent = await signIn(t, f.suppliers[0]);
    const page = cheerio.load((await agent.get(`/supplier/opportunities/${f.id}`).expect(200)).text);
    expect(page('.app-competition-documents a').first().attr('href')).to.equal(`/supplier/opportunities/${f.id}/documents/${spec.id}`);
    const res = await agent.get(`/supplier/opportunities/${f.id}/documents/${spec.id}`).expect(200);
    expect(res.headers['content-type']).to.equal('application/pdf');
    expect(res.headers['x-content-type-options']).to.equal('nosniff');
    expect(res.headers['cache-control']).to.equal('no-store');
    expect(res.headers['content-disposition']).to.match(/^attachment; filename="Specification \\"v2\\"\.pdf"/);
    await agent.get(`/supplier/opportunities/${f.id}/documents/${unlisted.id}`).expect(404);
    await agent.get(`/supplier/opportunities/${f.id}/documents/not-an-id`).expect(404);
    await agent.get(`/supplier/opportunities/${f.id}/documents/${scanning.id}`).expect(409);
    // the council's own document store: suppliers cannot reach it there
    await agent.get(`/documents/${spec.id}`).expect(404);
    // a supplier not invited cannot download it through the competition
    const late = await signIn(t, await admittedSupplier(f.lot.id, t.clock.now()));
    await late.get(`/supplier/opportunities/${f.id}/documents/${spec.id}`).expect(404);
    // the buyer downloads their council's own document through /documents
    const buyer = await signIn(t, f.buyer);
    await buyer.get(`/documents/${spec.id}`).expect(200).expect('Content-Type', 'application/pdf');
  });

  it('explains the empty list: invitations come to admitted suppliers', async () => {
    const f = await competitionFixture(t, { publish: false, suppliers: 1 });
    const agent = await signIn(t, f.suppliers[0]);
    const $ = cheerio.load((await agent.get('/supplier/opportunities').expect(200)).text);
    expect($('table')).to.have.length(0);
    expect($('main').text()).to.contain('every admitted supplier in that lot is invited');
  });
});
