// Drafting a competition through the buyer's pages: the list, a new draft, the Details section and its
// validation (400 with the error summary, nothing saved), the task list, and the 409 once published.
import { expect } from 'chai';
import * as cheerio from 'cheerio';
import request from 'supertest';
import { AuditEvent } from '../../models/AuditEvent';
import { Competition } from '../../models/Competition';
import { FrameworkSettings } from '../../models/FrameworkSettings';
import { createUser, resetDatabase, signIn, submit, testApp, TestApp } from '../support/app';
import { competitionFixture } from '../support/competitions';
import { uniqueLot } from '../support/vetting';

const DAY = 86_400_000;

describe('Drafting a competition: list, new draft, details', function () {
  this.timeout(60_000);
  let t: TestApp;
  before(async () => {
    t = await testApp();
    await resetDatabase();
  });

  async function newBuyer(): Promise<{ agent: request.Agent; organisation: string; lot: { id: string; number: number; title: string } }> {
    const lot = await uniqueLot('Drafting lot');
    const buyer = await createUser('buyer');
    return { agent: await signIn(t, buyer), organisation: buyer.organisation, lot };
  }

  it('lists nothing for a new council, then creates a draft with a reference and the framework\u2019s default rule-set', async () => {
    await FrameworkSettings.deleteMany({});
    await FrameworkSettings.create({ key: 'framework', defaultRuleSet: 'PCR2015_DPS', belowThresholdMinDays: 7 });
    const { agent, organisation, lot } = await newBuyer();
    const list = cheerio.load((await agent.get('/buyer/competitions')).text);
    expect(list('#no-competitions').text()).to.contain('no competitions yet');
    expect(list('a.govuk-button[href="/buyer/competitions/new"]').text()).to.contain('Create a competition');

    const form = cheerio.load((await agent.get('/buyer/competitions/new')).text);
    expect(form('input[name=ruleSet][value=PCR2015_DPS]').is(':checked')).to.equal(true);
    expect(form('#ruleSet-3-item-hint').text()).to.contain('at least 7 days');
    expect(form(`input[name=lot][value=${lot.id}]`)).to.have.length(1);

    const res = await submit(agent, '/buyer/competitions/new', { title: 'Digital inclusion pilot', lot: lot.id, ruleSet: 'PCR2015_DPS' });
    expect(res.status).to.equal(303);
    const c = await Competition.findOne({ council: organisation }).lean();
    expect(c).to.include({ title: 'Digital inclusion pilot', status: 'draft', ruleSet: 'PCR2015_DPS' });
    expect(c!.reference).to.match(/^DPS-CF-\d{4}-\d{6}$/);
    expect(res.headers.location).to.equal(`/buyer/competitions/${c!._id}`);

    const overview = cheerio.load((await agent.get(res.headers.location)).text);
    expect(overview('h1').text()).to.equal('Digital inclusion pilot');
    const statuses = overview('.govuk-task-list__item').map((_i, el) => overview(el).find('.govuk-task-list__name-and-hint a').text().trim() + ': ' + overview(el).find('.govuk-task-list__status').text().trim()).get();
    expect(statuses).to.deep.equal(['Details: Incomplete', 'Award criteria: Incomplete', 'Questions for suppliers: Incomplete', 'Deadlines: Incomplete', 'Documents: Optional']);
    expect(overview(`a[href="/buyer/competitions/${c!._id}/preview"]`).text()).to.contain('Preview');
    expect(overview(`a[href="/buyer/competitions/${c!._id}/publish"]`).text()).to.contain('Publish');

    const listed = cheerio.load((await agent.get('/buyer/competitions')).text);
    const cells = listed('table tbody tr').first().find('td').map((_i, el) => listed(el).text().trim()).get();
    expect(cells[0]).to.contain(c!.reference);
    expect(cells.slice(1)).to.deep.equal(['Digital inclusion pilot', `Lot ${lot.number}: ${lot.title}`, 'Draft', 'Not set']);
  });

  it('refuses a new draft without a title, lot or rule-set (400, nothing created)', async () => {
    const { agent, organisation } = await newBuyer();
    const res = await submit(agent, '/buyer/competitions/new', { title: ' ', ruleSet: 'NONSENSE' });
    expect(res.status).to.equal(400);
    const $ = cheerio.load(res.text);
    expect($('title').text()).to.match(/^Error: /);
    expect($('.govuk-error-summary a[href="#title"]').text()).to.contain('Enter a title');
    expect($('.govuk-error-summary a[href="#lot"]').text()).to.contain('Select the lot');
    expect($('.govuk-error-summary a[href="#ruleSet"]').text()).to.contain('Select the rules');
    expect(await Competition.countDocuments({ council: organisation })).to.equal(0);
  });

  it('saves the Details section, shown again as entered, and audits it', async () => {
    t.clock.set('2026-11-24T10:00:00Z');
    const { agent, organisation, lot } = await newBuyer();
    await submit(agent, '/buyer/competitions/new', { title: 'Draft', lot: lot.id, ruleSet: 'PA2023_DYNAMIC_MARKET' });
    const c = (await Competition.findOne({ council: organisation }).lean())!;
    const path = `/buyer/competitions/${c._id}/details`;
    const res = await submit(agent, path, {
      title: 'Community energy prototype', summary: 'A prototype.', requirement: 'First paragraph.\r\n\r\nSecond paragraph.', lot: lot.id, ruleSet: 'BELOW_THRESHOLD',
      estimatedValue: '£1,999.50', 'contractStart-day': '24', 'contractStart-month': '11', 'contractStart-year': '2026', 'contractEnd-day': '1', 'contractEnd-month': '3', 'contractEnd-year': '2027',
    });
    expect(res.status).to.equal(303);
    const saved = (await Competition.findById(c._id).lean())!;
    expect(saved).to.include({ title: 'Community energy prototype', ruleSet: 'BELOW_THRESHOLD', estimatedValuePence: 199950 });
    expect(saved.contractStart!.toISOString()).to.equal('2026-11-24T00:00:00.000Z');
    expect(saved.contractEnd!.toISOString()).to.equal('2027-03-01T00:00:00.000Z');
    expect(await AuditEvent.exists({ action: 'competition.details-saved', targetId: String(c._id) })).to.not.equal(null);
    const $ = cheerio.load((await agent.get(path)).text);
    expect($('#estimatedValue').val()).to.equal('1999.50');
    expect($('#contractEnd-month').val()).to.equal('3');
    expect($('input[name=ruleSet][value=BELOW_THRESHOLD]').is(':checked')).to.equal(true);
    const preview = cheerio.load((await agent.get(`/buyer/competitions/${c._id}/preview`)).text);
    expect(preview('.app-competition-summary p.govuk-body').map((_i, el) => preview(el).text()).get()).to.include.members(['First paragraph.', 'Second paragraph.']);
  });

  describe('Details validation: 400 with the error summary, nothing saved', () => {
    const valid = (lot: string) => ({
      title: 'T', summary: 'S', requirement: 'R', lot, ruleSet: 'PA2023_DYNAMIC_MARKET', estimatedValue: '1000',
      'contractStart-day': '1', 'contractStart-month': '1', 'contractStart-year': '2027', 'contractEnd-day': '1', 'contractEnd-month': '6', 'contractEnd-year': '2027',
    });
    const cases: Array<[string, (lot: string) => Record<string, string>, Record<string, string>]> = [
      ['blank', () => ({}), { title: 'Enter a title', summary: 'Enter a summary', requirement: 'Enter the full requirement', lot: 'Select the lot', ruleSet: 'Select the rules', estimatedValue: 'Enter the estimated value', 'contractStart-day': 'Enter the contract start date', 'contractEnd-day': 'Enter the contract end date' }],
      ['too long', (lot) => ({ ...valid(lot), title: 'x'.repeat(201), summary: 'x'.repeat(1001), requirement: 'x'.repeat(20001) }), { title: '200 characters or fewer', summary: '1,000 characters or fewer', requirement: '20,000 characters or fewer' }],
      ['bad money', (lot) => ({ ...valid(lot), estimatedValue: '12.5p' }), { estimatedValue: 'must be an amount in pounds' }],
      ['zero money', (lot) => ({ ...valid(lot), estimatedValue: '0' }), { estimatedValue: 'more than \u00a30' }],
      ['end before start', (lot) => ({ ...valid(lot), 'contractEnd-day': '1', 'contractEnd-month': '1', 'contractEnd-year': '2027' }), { 'contractEnd-day': 'must be after the start date' }],
      ['start in the past', (lot) => ({ ...valid(lot), 'contractStart-day': '23', 'contractStart-month': '11', 'contractStart-year': '2026' }), { 'contractStart-day': 'today or in the future' }],
      ['not a real date', (lot) => ({ ...valid(lot), 'contractStart-day': '31', 'contractStart-month': '2', 'contractStart-year': '2027' }), { 'contractStart-day': 'must be a real date' }],
      ['an array for the title', (lot) => ({ ...valid(lot), title: ['A', 'B'] as unknown as string }), { title: 'Enter a title' }],
    ];
    for (const [name, body, expected] of cases) {
      it(name, async () => {
        t.clock.set('2026-11-24T10:00:00Z');
        const f = await competitionFixture(t, { publish: false });
        const agent = await signIn(t, f.buyer);
        const before = await Competition.findById(f.id).lean();
        const res = await submit(agent, `/buyer/competitions/${f.id}/details`, body(f.lot.id));
        expect(res.status).to.equal(400);
        const $ = cheerio.load(res.text);
        expect($('title').text()).to.match(/^Error: /);
        for (const [field, text] of Object.entries(expected)) {
          expect($(`.govuk-error-summary a[href="#${field}"]`).text(), field).to.contain(text);
          expect($(`#${field}`), `field ${field} exists`).to.have.length(1);
        }
        expect($('.govuk-error-summary li')).to.have.length(Object.keys(expected).length);
        const after = await Competition.findById(f.id).lean();
        expect(after!.updatedAt.getTime()).to.equal(before!.updatedAt.getTime());
        expect(after!.title).to.equal(before!.title);
      });
    }
  });

  it('pages the council\u2019s list 25 at a time with the GOV.UK pagination component, showing no other council\u2019s', async () => {
    const { agent, organisation, lot } = await newBuyer();
    const other = await createUser('buyer');
    const base = { lot: lot.id, ruleSet: 'PA2023_DYNAMIC_MARKET' as const, status: 'draft' as const };
    await Competition.insertMany(Array.from({ length: 26 }, (_x, i) => ({ ...base, reference: `DPS-CF-2026-P${organisation.slice(-6)}${i}`, council: organisation, createdBy: organisation, title: `Ours ${i}` })));
    await Competition.create({ ...base, reference: `DPS-CF-2026-X${organisation.slice(-6)}`, council: other.organisation, createdBy: other.id, title: 'Theirs' });
    const first = cheerio.load((await agent.get('/buyer/competitions')).text);
    expect(first('table tbody tr')).to.have.length(25);
    expect(first('caption').text()).to.contain('Showing 1 to 25 of 26 competitions');
    expect(first('.govuk-pagination a[href="/buyer/competitions?page=2"]')).to.have.length.greaterThan(0);
    const second = cheerio.load((await agent.get('/buyer/competitions?page=2')).text);
    expect(second('table tbody tr')).to.have.length(1);
    expect(first.text() + second.text()).to.not.contain('Theirs');
    expect((await agent.get('/buyer/competitions?page=3')).status).to.equal(404);
    expect((await agent.get('/buyer/competitions?page=abc')).status).to.equal(400);
  });

  it('ignores posted fields outside the form (status, council, invited, publication)', async () => {
    t.clock.set('2026-11-24T10:00:00Z');
    const f = await competitionFixture(t, { publish: false });
    const agent = await signIn(t, f.buyer);
    const res = await submit(agent, `/buyer/competitions/${f.id}/details`, {
      title: 'T', summary: 'S', requirement: 'R', lot: f.lot.id, ruleSet: 'PA2023_DYNAMIC_MARKET', estimatedValue: '1000',
      'contractStart-day': '1', 'contractStart-month': '1', 'contractStart-year': '2027', 'contractEnd-day': '1', 'contractEnd-month': '6', 'contractEnd-year': '2027',
      status: 'published', council: f.suppliers[0].organisation, invited: f.suppliers[0].organisation, publishedAt: '2026-01-01', reference: 'HACKED',
    });
    expect(res.status).to.equal(303);
    const c = (await Competition.findById(f.id).lean())!;
    expect(c).to.include({ title: 'T', status: 'draft', reference: f.reference });
    expect(String(c.council)).to.equal(f.buyer.organisation);
    expect(c.invited).to.have.length(0);
    expect(c.publishedAt ?? null).to.equal(null);
  });

  it('a published competition\u2019s sections answer 409 saying to use clarifications or change the deadline', async () => {
    const f = await competitionFixture(t);
    const agent = await signIn(t, f.buyer);
    for (const section of ['details', 'criteria', 'questions', 'deadlines', 'documents', 'publish']) {
      const res = await agent.get(`/buyer/competitions/${f.id}/${section}`);
      expect(res.status, section).to.equal(409);
      expect(cheerio.load(res.text)('h1').text()).to.equal('This competition has been published: use clarifications or change the deadline');
    }
    const post = await submit(agent, `/buyer/competitions/${f.id}/details`, { title: 'Changed' }, `/buyer/competitions/${f.id}`);
    expect(post.status).to.equal(409);
    expect((await Competition.findById(f.id).lean())!.title).to.not.equal('Changed');
  });

  it('shows a published competition\u2019s state, time left and the links for its stage', async () => {
    t.clock.set('2026-11-24T10:00:00Z');
    const f = await competitionFixture(t, { suppliers: 3 });
    const agent = await signIn(t, f.buyer);
    const $ = cheerio.load((await agent.get(`/buyer/competitions/${f.id}`)).text);
    const facts = $('.govuk-summary-list').first().find('.govuk-summary-list__row').map((_i, el) => `${$(el).find('dt').text().trim()}: ${$(el).find('dd').text().trim()}`).get();
    expect(facts).to.include.members(['Stage: Open for bids', 'Time left: 14 days', 'Submission deadline: Tuesday, 8 December 2026, 10:00am (UK time)', 'Published: 24 November 2026 at 10:00am']);
    expect($('.govuk-summary-list__row').filter((_i, el) => $(el).text().includes('Suppliers invited')).find('dd').text().trim()).to.equal('3');
    const links = $('.app-next-steps a').map((_i, el) => $(el).attr('href')).get();
    expect(links).to.deep.equal(['clarifications', 'deadline', 'cancel', 'tender-box'].map((p) => `/buyer/competitions/${f.id}/${p}`));
    expect($('.govuk-task-list')).to.have.length(0);

    // after the deadline: no deadline change or cancellation
    t.clock.advance(15 * DAY);
    const again = await signIn(t, f.buyer);
    const closed = cheerio.load((await again.get(`/buyer/competitions/${f.id}`)).text);
    expect(closed('.app-next-steps a').map((_i, el) => closed(el).attr('href')).get()).to.deep.equal(['clarifications', 'tender-box'].map((p) => `/buyer/competitions/${f.id}/${p}`));
    expect(closed('.govuk-summary-list').first().text()).to.contain('Closed');
  });
});
