// Preparing a bid section by section: word limits and the price breakdown refused with 400 and nothing lost,
// social value commitments valued from the catalogue, attachments, and saving then resuming later.
import { expect } from 'chai';
import * as cheerio from 'cheerio';
import { Bid } from '../../models/Bid';
import { bidAad, BidContent } from '../../server/domain/bidContent';
import { ensureMeasureCatalogue } from '../../server/services/measures';
import { csrfFrom, resetDatabase, signIn, submit, testApp, TestApp } from '../support/app';
import { competitionFixture, testKeyring } from '../support/competitions';
import { answerFields, bidUrl, saveAnswers, savePrice, uploadAttachment } from '../support/bids';
import * as files from '../fixtures/files';

async function openDraft(competitionId: string, supplier: string): Promise<BidContent> {
  const bid = await Bid.findOne({ competition: competitionId, supplier } as any).lean();
  const { Competition } = await import('../../models/Competition');
  const c = await Competition.findById(competitionId).lean();
  return testKeyring().openJson<BidContent>({ id: competitionId, wrappedKey: c!.sealing!.wrappedKey as any }, bidAad(String(bid!._id), 'draft'), bid!.draft!.sealed as any);
}

describe('Bids: preparing each section', function () {
  this.timeout(60_000);
  let t: TestApp;
  before(async () => {
    t = await testApp();
    await resetDatabase();
    await ensureMeasureCatalogue();
  });

  async function start() {
    const f = await competitionFixture(t);
    const supplier = f.suppliers[0];
    return { f, supplier, agent: await signIn(t, supplier) };
  }

  it('refuses an answer over its word limit with 400, a clear message, and the typed text kept; nothing saved', async () => {
    const { f, agent } = await start();
    const [first, second] = await answerFields(agent, f.id);
    const long = Array.from({ length: 301 }, (_, i) => `word${i}`).join(' ');
    const res = await submit(agent, bidUrl(f.id, '/answers'), { [first]: 'A fine first answer.', [second]: long });
    expect(res.status).to.equal(400);
    const $ = cheerio.load(res.text);
    expect($('title').text()).to.match(/^Error: /);
    expect($(`.govuk-error-summary a[href="#${second}"]`).text()).to.equal('Your answer to question 2 must be 300 words or fewer (it has 301 words)');
    expect($(`#${second}-error`).text()).to.contain('300 words or fewer');
    expect($(`textarea[name="${second}"]`).text()).to.equal(long);
    expect($(`textarea[name="${first}"]`).text()).to.equal('A fine first answer.');
    expect($(`textarea[name="${second}"]`).closest('.govuk-character-count').attr('data-maxwords')).to.equal('300');
    expect(await Bid.countDocuments({ competition: f.id })).to.equal(0);
  });

  it('saves answers, and the supplier resumes them later (the draft held only sealed)', async () => {
    const { f, supplier, agent } = await start();
    const res = await saveAnswers(agent, f.id, ['Our co-design approach.\n\nSecond paragraph.', '']);
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal(bidUrl(f.id));
    // a new session, later
    t.clock.advance(60 * 60 * 1000);
    const later = await signIn(t, supplier);
    const overview = cheerio.load((await later.get(bidUrl(f.id))).text);
    expect(overview('#bid-status-detail').text()).to.match(/^Last saved \d{1,2} [A-Z][a-z]+ \d{4} at /);
    expect(overview('#bid-sections').text()).to.contain('1 of 2 questions answered');
    const form = cheerio.load((await later.get(bidUrl(f.id, '/answers'))).text);
    expect(form('textarea').first().text()).to.equal('Our co-design approach.\n\nSecond paragraph.');
    const draft = await openDraft(f.id, supplier.organisation);
    expect(Object.values(draft.answers)).to.deep.equal(['Our co-design approach.\n\nSecond paragraph.']);
  });

  it('two sections saved at once as the very first saves both land, in one bid', async () => {
    const { f, supplier, agent } = await start();
    const [first] = await answerFields(agent, f.id);
    const token = await csrfFrom(agent, bidUrl(f.id, '/price'));
    const [a, b] = await Promise.all([
      agent.post(bidUrl(f.id, '/answers')).type('form').send({ _csrf: token, [first]: 'Saved at the same time.' }),
      agent.post(bidUrl(f.id, '/price')).type('form').send({ _csrf: token, total: '700' }),
    ]);
    expect([a.status, b.status]).to.deep.equal([303, 303]);
    expect(await Bid.countDocuments({ competition: f.id })).to.equal(1);
    const draft = await openDraft(f.id, supplier.organisation);
    expect(Object.values(draft.answers)).to.deep.equal(['Saved at the same time.']);
    expect(draft.price.totalPence).to.equal(70_000);
    expect((await Bid.findOne({ competition: f.id }).lean())!.draft!.revision).to.equal(2);
  });

  it('saves a price with a breakdown that adds up, and shows it again', async () => {
    const { f, supplier, agent } = await start();
    const res = await savePrice(agent, f.id, '12,000.50', [{ item: 'Workshops', amount: '9000' }, { item: 'Strategy report', amount: '3000.50' }]);
    expect(res.status).to.equal(303);
    const draft = await openDraft(f.id, supplier.organisation);
    expect(draft.price).to.deep.equal({ totalPence: 1_200_050, breakdown: [{ item: 'Workshops', pence: 900_000 }, { item: 'Strategy report', pence: 300_050 }] });
    const $ = cheerio.load((await agent.get(bidUrl(f.id, '/price'))).text);
    expect($('#total').val()).to.equal('12000.50');
    expect($('#item-2').val()).to.equal('Strategy report');
    expect($('#amount-2').val()).to.equal('3000.50');
    expect($('#item-4').length, 'two blank line slots after the lines in use').to.equal(1);
    expect($('#item-5').length).to.equal(0);
  });

  it('refuses a breakdown that does not add up to the total with 400 naming both figures, keeping what was typed', async () => {
    const { f, agent } = await start();
    const res = await savePrice(agent, f.id, '10000', [{ item: 'Workshops', amount: '9000' }, { item: 'Report', amount: '500' }]);
    expect(res.status).to.equal(400);
    const $ = cheerio.load(res.text);
    expect($('.govuk-error-summary a[href="#breakdown"]').text()).to.equal('The breakdown adds up to £9,500 but the total price is £10,000. Make them the same');
    expect($('#breakdown-error').text()).to.contain('£9,500');
    expect($('#total').val()).to.equal('10000');
    expect($('#amount-2').val()).to.equal('500');
    expect(await Bid.countDocuments({ competition: f.id })).to.equal(0);
  });

  it('refuses a missing total, an amount that is not money and a line without an item, each against its field', async () => {
    const { f, agent } = await start();
    const res = await savePrice(agent, f.id, '', [{ item: 'Workshops', amount: 'lots' }, { item: '', amount: '10' }]);
    expect(res.status).to.equal(400);
    const $ = cheerio.load(res.text);
    const hrefs = $('.govuk-error-summary a').map((_, a) => $(a).attr('href')).get();
    expect(hrefs).to.deep.equal(['#total', '#amount-1', '#item-2']);
    expect($('#amount-1').val()).to.equal('lots');
  });

  it('adds social value commitments from the catalogue, valued at the proxy, with a snapshot of the measure; removes one', async () => {
    const { f, supplier, agent } = await start();
    const path = bidUrl(f.id, '/social-value');
    // 120 volunteering hours at £17 an hour
    expect((await submit(agent, path, { measure: 'CCIN-C1', quantity: '120' })).status).to.equal(303);
    expect((await submit(agent, path, { measure: 'CCIN-E1', quantity: '2.5' })).status).to.equal(303);
    const $ = cheerio.load((await agent.get(path)).text);
    expect($('#commitments tbody tr')).to.have.length(2);
    expect($('#commitments tbody tr').first().text()).to.contain('120 volunteering hours').and.contain('£2,040');
    expect($('#commitments-total').text()).to.equal('£2,660');
    const draft = await openDraft(f.id, supplier.organisation);
    expect(draft.commitments[1]).to.deep.include({ code: 'CCIN-E1', unit: 'tonnes CO2e saved', quantity: 2.5, proxyValuePence: 24_800, proxyYear: 2026, valuePence: 62_000 });
    expect(draft.commitments[1].description).to.contain('carbon dioxide');
    const removed = await submit(agent, `${path}/remove`, { line: '0', code: 'CCIN-C1' }, path);
    expect(removed.status).to.equal(303);
    expect((await openDraft(f.id, supplier.organisation)).commitments.map((c) => c.code)).to.deep.equal(['CCIN-E1']);
  });

  it('refuses an unknown measure and a quantity with three decimal places with 400', async () => {
    const { f, agent } = await start();
    const res = await submit(agent, bidUrl(f.id, '/social-value'), { measure: 'NOPE', quantity: '1.234' });
    expect(res.status).to.equal(400);
    const $ = cheerio.load(res.text);
    expect($('.govuk-error-summary a').map((_, a) => $(a).attr('href')).get()).to.deep.equal(['#measure', '#quantity']);
    expect($('#quantity').val()).to.equal('1.234');
  });

  it('attaches a file, lets the supplier download it decrypted, and removes it', async () => {
    const { f, supplier, agent } = await start();
    const bytes = files.pdf('our method statement');
    const res = await uploadAttachment(agent, f.id, 'Method statement.pdf', bytes);
    expect(res.status).to.equal(303);
    const draft = await openDraft(f.id, supplier.organisation);
    expect(draft.attachments).to.have.length(1);
    expect(draft.attachments[0]).to.include({ name: 'Method statement.pdf', contentType: 'application/pdf', size: bytes.length });
    const $ = cheerio.load((await agent.get(bidUrl(f.id, '/attachments'))).text);
    const href = $('#attachments a').attr('href')!;
    const download = await agent.get(href).buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(download.status).to.equal(200);
    expect(Buffer.compare(download.body as Buffer, bytes)).to.equal(0);
    expect(download.headers['content-disposition']).to.match(/^attachment; filename="Method statement.pdf"/);
    expect(download.headers['x-content-type-options']).to.equal('nosniff');
    const removed = await submit(agent, `${href}/remove`, {}, bidUrl(f.id, '/attachments'));
    expect(removed.status).to.equal(303);
    expect((await openDraft(f.id, supplier.organisation)).attachments).to.have.length(0);
    expect((await agent.get(href)).status).to.equal(404);
  });

  it('refuses a file whose content is not an allowed type with 415 and keeps nothing', async () => {
    const { f, agent } = await start();
    const res = await uploadAttachment(agent, f.id, 'bid.pdf', files.html());
    expect(res.status).to.equal(415);
    expect(cheerio.load(res.text)('.govuk-error-summary a[href="#file"]').text()).to.contain('must be a PDF');
    const { default: mongoose } = await import('mongoose');
    const bid = await Bid.findOne({ competition: f.id }).lean();
    expect(bid?.files ?? []).to.have.length(0);
    expect(await mongoose.connection.db!.collection('bidfiles.files').countDocuments({})).to.equal(0);
  });
});
