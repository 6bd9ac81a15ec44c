// Social-value delivery on a contract: the supplier reports delivery with evidence (multipart, CSRF checked), the
// buyer verifies (accepted, queried, rejected; comment required for queried and rejected), only accepted reports
// count; the contract page's chart and table carry the same numbers; due dates change; all audited.
import { expect } from 'chai';
import * as cheerio from 'cheerio';
import request from 'supertest';
import { AuditEvent } from '../../models/AuditEvent';
import { SocialValueCommitment } from '../../models/SocialValueCommitment';
import { SocialValueReport } from '../../models/SocialValueReport';
import { StoredDocument } from '../../models/Document';
import { csrfFrom, resetDatabase, signIn, submit, testApp, TestApp } from '../support/app';
import { awardedCompetition, contractForm, dateFields, enterContractAs } from '../support/contracts';

const DAY = 24 * 60 * 60 * 1000;
const PDF = Buffer.from('%PDF-1.4\n% evidence of jobs\n%%EOF\n', 'utf8');

async function contractWithSupplier(t: TestApp) {
  const a = await awardedCompetition(t);
  const buyer = await signIn(t, a.fx.buyer);
  const id = await enterContractAs(buyer, a.awardId, contractForm(t));
  const supplier = await signIn(t, a.fx.suppliers[a.winner]);
  const commitment = (await SocialValueCommitment.findOne({ contract: id }).lean())!;
  return { a, buyer, supplier, id, commitment: String(commitment._id) };
}

function reportFields(t: TestApp, commitment: string, quantity: string): Record<string, string> {
  const now = t.clock.now();
  return { commitment, ...dateFields('start', new Date(now.getTime() - 30 * DAY)), ...dateFields('end', now), quantity, narrative: 'Two local residents hired', outcomes: 'People said the high street felt busier' };
}

async function sendReport(agent: request.Agent, id: string, fields: Record<string, string>, file?: { name: string; bytes: Buffer }) {
  const path = `/supplier/contracts/${id}/reports/new`;
  const token = await csrfFrom(agent, path);
  let req = agent.post(path).field('_csrf', token);
  for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
  if (file) req = req.attach('evidence-1', file.bytes, file.name);
  return req;
}

describe('Social value: delivery reports and verification', () => {
  let t: TestApp;
  before(async () => {
    t = await testApp();
    await resetDatabase();
  });

  it('the supplier reports delivery with an evidence file; the buyer sees it, downloads the evidence and accepts it', async () => {
    const { buyer, supplier, id, commitment } = await contractWithSupplier(t);
    const page = cheerio.load((await supplier.get(`/supplier/contracts/${id}`)).text);
    expect(page('a[href^="/supplier/contracts/' + id + '/reports/new?commitment="]').length).to.equal(1);
    const res = await sendReport(supplier, id, reportFields(t, commitment, '0.5'), { name: 'jobs.pdf', bytes: PDF });
    expect(res.status).to.equal(303);
    const report = (await SocialValueReport.findOne({ contract: id }).lean())!;
    expect([report.quantityDelivered, report.narrative, report.outcomes, report.verification!.status]).to.deep.equal([0.5, 'Two local residents hired', 'People said the high street felt busier', 'awaiting']);
    expect(report.evidence).to.have.length(1);
    const doc = (await StoredDocument.findById(report.evidence[0]).lean())!;
    expect(String(doc.owner)).to.equal(String(report.supplier));

    // awaiting: not delivered yet
    let $ = cheerio.load((await buyer.get(`/buyer/contracts/${id}`)).text);
    expect($('table:contains("committed against delivered") tbody tr').first().find('td').eq(1).text()).to.equal('0 FTE');
    const view = await buyer.get(`/buyer/contracts/${id}/reports/${report._id}`);
    expect(view.status).to.equal(200);
    $ = cheerio.load(view.text);
    expect($('main').text()).to.include('People said the high street felt busier');
    const href = $('a[href*="/evidence/"]').attr('href')!;
    const file = await buyer.get(href).buffer(true);
    expect(file.status).to.equal(200);
    expect(file.headers['content-disposition']).to.include('jobs.pdf');
    expect(Buffer.from(file.body).toString('utf8')).to.include('evidence of jobs');

    const ok = await submit(buyer, `/buyer/contracts/${id}/reports/${report._id}`, { verdict: 'accepted', comment: '' });
    expect(ok.status).to.equal(303);
    $ = cheerio.load((await buyer.get(`/buyer/contracts/${id}`)).text);
    const cells = $('table:contains("committed against delivered") tbody tr').first().find('td').map((_, c) => $(c).text()).get();
    // 0.5 of 1.5 FTE at £30,000: £15,000 of £45,000, 33%
    expect(cells).to.deep.equal(['1.5 FTE', '0.5 FTE', '£30,000 per FTE (2026)', '£45,000', '£15,000', '33%']);
    expect(await AuditEvent.countDocuments({ action: 'social-value.report-submitted', targetId: String(report._id) })).to.equal(1);
    expect(await AuditEvent.countDocuments({ action: 'social-value.report-accepted', targetId: String(report._id) })).to.equal(1);
    // verified once: a second verdict is not applied
    await submit(buyer, `/buyer/contracts/${id}/reports/${report._id}`, { verdict: 'rejected', comment: 'changed my mind' }, `/buyer/contracts/${id}/reports/${report._id}`).catch(() => undefined);
    expect((await SocialValueReport.findById(report._id).lean())!.verification!.status).to.equal('accepted');
  });

  it('queried and rejected need a comment; neither counts as delivered; the supplier sees the comment and sends a corrected report', async () => {
    const { buyer, supplier, id, commitment } = await contractWithSupplier(t);
    await sendReport(supplier, id, reportFields(t, commitment, '1'));
    await sendReport(supplier, id, reportFields(t, commitment, '0.25'));
    const [first, second] = await SocialValueReport.find({ contract: id }).sort({ quantityDelivered: -1 }).lean();
    const noComment = await submit(buyer, `/buyer/contracts/${id}/reports/${first._id}`, { verdict: 'queried', comment: '' });
    expect(noComment.status).to.equal(400);
    const $ = cheerio.load(noComment.text);
    expect($('title').text()).to.match(/^Error: /);
    expect($('.govuk-error-summary a[href="#comment"]').text()).to.equal('Enter a comment saying why the report is queried');
    expect((await SocialValueReport.findById(first._id).lean())!.verification!.status).to.equal('awaiting');
    expect((await submit(buyer, `/buyer/contracts/${id}/reports/${second._id}`, { verdict: 'rejected', comment: '' })).status).to.equal(400);

    expect((await submit(buyer, `/buyer/contracts/${id}/reports/${first._id}`, { verdict: 'queried', comment: 'Which wards were the jobs in?' })).status).to.equal(303);
    expect((await submit(buyer, `/buyer/contracts/${id}/reports/${second._id}`, { verdict: 'rejected', comment: 'Not in the contract period' })).status).to.equal(303);
    const s = cheerio.load((await supplier.get(`/supplier/contracts/${id}`)).text);
    expect(s('main').text()).to.include('Which wards were the jobs in?');
    expect(s('main .govuk-tag:contains("Queried")').length).to.equal(1);
    expect(s('main .govuk-tag:contains("Rejected")').length).to.equal(1);
    expect(s('table:contains("committed against delivered") tbody tr').first().find('td').eq(1).text()).to.equal('0 FTE');

    // the corrected report is a new report; accepted, it counts
    await sendReport(supplier, id, { ...reportFields(t, commitment, '1'), narrative: 'One FTE in Ward 3' });
    const corrected = (await SocialValueReport.findOne({ contract: id, narrative: 'One FTE in Ward 3' }).lean())!;
    await submit(buyer, `/buyer/contracts/${id}/reports/${corrected._id}`, { verdict: 'accepted' });
    const b = cheerio.load((await buyer.get(`/buyer/contracts/${id}`)).text);
    expect(b('table:contains("committed against delivered") tbody tr').first().find('td').eq(4).text()).to.equal('£30,000');
    expect(await AuditEvent.countDocuments({ action: 'social-value.report-queried' })).to.be.greaterThan(0);
  });

  it('validates the report: commitment, dates, quantity (up to 2 decimals) and narrative; 400 and nothing written', async () => {
    const { supplier, id, commitment } = await contractWithSupplier(t);
    const res = await sendReport(supplier, id, { ...reportFields(t, commitment, '1.234'), narrative: '', commitment: 'not-one', 'end-month': '13' });
    expect(res.status).to.equal(400);
    const $ = cheerio.load(res.text);
    for (const f of ['commitment', 'end-month', 'quantity', 'narrative']) expect($(`.govuk-error-summary a[href="#${f}"]`).length, f).to.equal(1);
    const bad = await sendReport(supplier, id, reportFields(t, commitment, '2'), { name: 'page.pdf', bytes: Buffer.from('<html><script>x</script></html>') });
    expect(bad.status).to.equal(400);
    expect(cheerio.load(bad.text)('.govuk-error-summary a[href="#evidence-1"]').length).to.equal(1);
    expect(await SocialValueReport.countDocuments({ contract: id })).to.equal(0);
    // a multipart post without its CSRF token is refused
    const noToken = await supplier.post(`/supplier/contracts/${id}/reports/new`).field('commitment', commitment).attach('evidence-1', PDF, 'x.pdf');
    expect(noToken.status).to.equal(403);
  });

  it('the chart is an SVG image with its accessible name, the same numbers as the table, and escaped text', async () => {
    const { buyer, supplier, id, commitment } = await contractWithSupplier(t);
    await SocialValueCommitment.updateOne({ _id: commitment }, { $set: { description: '<script>alert(1)</script>' } });
    await sendReport(supplier, id, reportFields(t, commitment, '0.75'));
    const report = (await SocialValueReport.findOne({ contract: id }).lean())!;
    await submit(buyer, `/buyer/contracts/${id}/reports/${report._id}`, { verdict: 'accepted' });
    const page = cheerio.load((await buyer.get(`/buyer/contracts/${id}`)).text);
    const img = page(`img[src="/buyer/contracts/${id}/chart.svg"]`);
    expect(img.attr('alt')).to.include('£22,500 delivered (accepted reports) of £45,000 committed, 50%');
    expect(page('main').html()).not.to.include('<script>alert(1)</script>');
    const svg = await buyer.get(`/buyer/contracts/${id}/chart.svg`).buffer(true);
    expect(svg.status).to.equal(200);
    expect(svg.headers['content-type']).to.match(/^image\/svg\+xml/);
    const text = Buffer.from(svg.body).toString('utf8');
    expect(text).not.to.include('<script>');
    const $ = cheerio.load(text, { xml: true });
    expect($('svg').attr('role')).to.equal('img');
    expect($('title').text()).to.include('Social value committed and delivered');
    expect($('desc').text()).to.equal(img.attr('alt'));
    const texts = $('text').map((_, el) => $(el).text()).get();
    expect(texts).to.include('Committed: £45,000 (1.5 FTE)');
    expect(texts).to.include('Delivered: £22,500 (0.75 FTE)');
    const row = page('table:contains("committed against delivered") tbody tr').first().find('td').map((_, c) => page(c).text()).get();
    expect(row).to.include.members(['£45,000', '£22,500', '1.5 FTE', '0.75 FTE']);
    // the supplier's page and chart show the same figures
    const s = cheerio.load((await supplier.get(`/supplier/contracts/${id}`)).text);
    expect(s('table:contains("committed against delivered") tbody tr').first().find('td').map((_, c) => s(c).text()).get()).to.deep.equal(row);
    expect(Buffer.from((await supplier.get(`/supplier/contracts/${id}/chart.svg`).buffer(true)).body).toString('utf8')).to.equal(text);
  });

  it('the buyer changes a commitment\'s due date (audited)', async () => {
    const { buyer, id, commitment } = await contractWithSupplier(t);
    const due = new Date(Date.UTC(2030, 5, 30));
    const res = await submit(buyer, `/buyer/contracts/${id}/commitments/${commitment}/due-date`, dateFields('due', due));
    expect(res.status).to.equal(303);
    expect((await SocialValueCommitment.findById(commitment).lean())!.dueBy.getTime()).to.equal(due.getTime());
    const bad = await submit(buyer, `/buyer/contracts/${id}/commitments/${commitment}/due-date`, { 'due-day': '', 'due-month': '', 'due-year': '' });
    expect(bad.status).to.equal(400);
    expect(await AuditEvent.countDocuments({ action: 'social-value.due-date-changed', targetId: commitment })).to.equal(1);
  });
});
