// Award criteria and questions through the buyer's pages: adding, changing and removing (with confirmation), the
// running total, weights that must total 100%, social value under 10% only with a reason, and questions that must
// be scored under a quality or social value criterion. Bad input: 400 with the error summary, nothing saved.
import { expect } from 'chai';
import * as cheerio from 'cheerio';
import request from 'supertest';
import { AuditEvent } from '../../models/AuditEvent';
import { Competition } from '../../models/Competition';
import { resetDatabase, signIn, submit, testApp, TestApp } from '../support/app';
import { competitionFixture } from '../support/competitions';

describe('Drafting a competition: award criteria and questions', function () {
  this.timeout(60_000);
  let t: TestApp;
  before(async () => {
    t = await testApp();
    await resetDatabase();
  });

  /** A draft with no criteria or questions yet, and its buyer signed in. */
  async function emptyDraft(): Promise<{ id: string; agent: request.Agent; base: string }> {
    const f = await competitionFixture(t, { publish: false });
    await Competition.updateOne({ _id: f.id }, { $set: { criteria: [], questions: [] } });
    const agent = await signIn(t, f.buyer);
    return { id: f.id, agent, base: `/buyer/competitions/${f.id}` };
  }

  const criteriaOf = async (id: string) => (await Competition.findById(id).lean())!.criteria;

  it('adds criteria one by one with a running total, then confirms them when they total 100%', async () => {
    const { id, agent, base } = await emptyDraft();
    const add = (fields: Record<string, string>) => submit(agent, `${base}/criteria/add`, fields, `${base}/criteria`);
    expect((await add({ name: 'Approach', kind: 'quality', weight: '60', guidance: 'How you will work.' })).status).to.equal(303);
    expect((await add({ name: 'Price', kind: 'price', weight: '30' })).status).to.equal(303);
    let $ = cheerio.load((await agent.get(`${base}/criteria`)).text);
    expect($('#criteria-total').text()).to.equal('Total: 90%');
    expect($('#criteria-problems').text()).to.contain('must total 100% (they total 90%)').and.contain('Social value must be weighted at least 10%');
    expect($('#socialValueReason')).to.have.length(1);
    expect($('table tbody tr').first().find('td').last().text()).to.contain('Change').and.contain('Remove');
    expect($('table tbody tr').first().find('.govuk-visually-hidden').first().text().trim()).to.equal('Approach');

    // confirming now: the weights do not total 100 and social value is under 10% without a reason
    const early = await submit(agent, `${base}/criteria`, { socialValueReason: '' });
    expect(early.status).to.equal(400);
    $ = cheerio.load(early.text);
    expect($('.govuk-error-summary a[href="#criteria"]').text()).to.contain('must total 100%');
    expect($('.govuk-error-summary a[href="#socialValueReason"]').text()).to.contain('Enter why social value is weighted under 10%');

    expect((await add({ name: 'Social value', kind: 'social-value', weight: '10' })).status).to.equal(303);
    $ = cheerio.load((await agent.get(`${base}/criteria`)).text);
    expect($('#criteria-total').text()).to.equal('Total: 100%');
    expect($('#criteria-problems')).to.have.length(0);
    expect($('#socialValueReason')).to.have.length(0);
    const done = await submit(agent, `${base}/criteria`, {});
    expect(done.status).to.equal(303);
    expect((await criteriaOf(id)).map((k) => `${k.name} ${k.kind} ${k.weight}`)).to.deep.equal(['Approach quality 60', 'Price price 30', 'Social value social-value 10']);
    expect(await AuditEvent.countDocuments({ action: 'competition.criterion-added', targetId: id })).to.equal(3);
    expect(await AuditEvent.exists({ action: 'competition.criteria-confirmed', targetId: id })).to.not.equal(null);
  });

  it('accepts social value under 10% only with the reason recorded', async () => {
    const { id, agent, base } = await emptyDraft();
    await submit(agent, `${base}/criteria/add`, { name: 'Quality', kind: 'quality', weight: '70' }, `${base}/criteria`);
    await submit(agent, `${base}/criteria/add`, { name: 'Price', kind: 'price', weight: '25' }, `${base}/criteria`);
    await submit(agent, `${base}/criteria/add`, { name: 'Social value', kind: 'social-value', weight: '5' }, `${base}/criteria`);
    const without = await submit(agent, `${base}/criteria`, { socialValueReason: '   ' });
    expect(without.status).to.equal(400);
    expect(cheerio.load(without.text)('#socialValueReason-error').text()).to.contain('Enter why social value is weighted under 10%');
    expect((await Competition.findById(id).lean())!.socialValueReason ?? null).to.equal(null);
    const reason = 'A £2,000 prototype: too small for meaningful commitments.';
    expect((await submit(agent, `${base}/criteria`, { socialValueReason: reason })).status).to.equal(303);
    expect((await Competition.findById(id).lean())!.socialValueReason).to.equal(reason);
  });

  for (const [name, fields, field, text] of [
    ['blank', {}, 'name', 'Enter the criterion name'],
    ['no kind', { name: 'Q', weight: '10' }, 'kind', 'Select the kind of criterion'],
    ['a weight of 0', { name: 'Q', kind: 'quality', weight: '0' }, 'weight', 'whole number from 1 to 100'],
    ['a fractional weight', { name: 'Q', kind: 'quality', weight: '12.5' }, 'weight', 'whole number from 1 to 100'],
    ['a name too long', { name: 'x'.repeat(201), kind: 'quality', weight: '10' }, 'name', '200 characters or fewer'],
    ['guidance too long', { name: 'Q', kind: 'quality', weight: '10', guidance: 'x'.repeat(5001) }, 'guidance', '5,000 characters or fewer'],
    ['weights over 100', { name: 'More', kind: 'quality', weight: '41' }, 'weight', 'would total 101%: give this criterion 40% or less'],
    ['a second price criterion', { name: 'Price again', kind: 'price', weight: '5' }, 'kind', 'already a price criterion'],
  ] as const) {
    it(`refuses a criterion with ${name} (400, nothing saved)`, async () => {
      const f = await competitionFixture(t, { publish: false });
      // the fixture's criteria: quality 60, price 30, social value 10; make room for 40 more
      await Competition.updateOne({ _id: f.id }, { $set: { 'criteria.0.weight': 20 } });
      const agent = await signIn(t, f.buyer);
      const base = `/buyer/competitions/${f.id}`;
      const before = await criteriaOf(f.id);
      const res = await submit(agent, `${base}/criteria/add`, fields as Record<string, string>, `${base}/criteria`);
      expect(res.status).to.equal(400);
      const $ = cheerio.load(res.text);
      expect($('title').text()).to.match(/^Error: /);
      expect($(`.govuk-error-summary a[href="#${field}"]`).text()).to.contain(text);
      expect($(`#${field}`)).to.have.length(1);
      expect(await criteriaOf(f.id)).to.deep.equal(before);
    });
  }

  it('changes a criterion, refusing weights that would pass 100%', async () => {
    const f = await competitionFixture(t, { publish: false });
    const agent = await signIn(t, f.buyer);
    const [quality] = await criteriaOf(f.id);
    const path = `/buyer/competitions/${f.id}/criteria/${quality._id}/edit`;
    const form = cheerio.load((await agent.get(path)).text);
    expect(form('#name').val()).to.equal('Approach and delivery');
    expect(form('#weight').val()).to.equal('60');
    const over = await submit(agent, path, { name: 'Approach', kind: 'quality', weight: '61' });
    expect(over.status).to.equal(400);
    expect(cheerio.load(over.text)('#weight-error').text()).to.contain('give this criterion 60% or less');
    const ok = await submit(agent, path, { name: 'Approach', kind: 'quality', weight: '55', guidance: 'New guidance' });
    expect(ok.status).to.equal(303);
    const changed = (await criteriaOf(f.id))[0];
    expect(changed).to.include({ name: 'Approach', weight: 55, guidance: 'New guidance' });
    expect(String(changed._id)).to.equal(String(quality._id));
  });

  it('removing a criterion says which questions go with it, then removes both', async () => {
    const f = await competitionFixture(t, { publish: false });
    const agent = await signIn(t, f.buyer);
    const c = (await Competition.findById(f.id).lean())!;
    const quality = c.criteria[0];
    const path = `/buyer/competitions/${f.id}/criteria/${quality._id}/remove`;
    const confirm = cheerio.load((await agent.get(path)).text);
    expect(confirm('h1').text()).to.contain('Approach and delivery');
    expect(confirm('.govuk-warning-text').text()).to.contain('scored under this criterion and will be removed with it');
    expect(confirm('#removed-with-it li').text()).to.equal('Describe your approach to co-design with residents.');
    expect((await submit(agent, path, {})).status).to.equal(303);
    const after = (await Competition.findById(f.id).lean())!;
    expect(after.criteria.map((k) => k.name)).to.deep.equal(['Price', 'Social value']);
    expect(after.questions.map((q) => q.text)).to.deep.equal(['What social value will you deliver locally?']);
    const audit = await AuditEvent.findOne({ action: 'competition.criterion-removed', targetId: f.id }).lean();
    expect((audit!.details as any).questionsRemoved).to.equal(1);
    // an unknown criterion is a 404
    expect((await agent.get(path)).status).to.equal(404);
  });

  it('adds, changes and removes questions, each scored under a quality or social value criterion', async () => {
    const f = await competitionFixture(t, { publish: false });
    const agent = await signIn(t, f.buyer);
    const base = `/buyer/competitions/${f.id}/questions`;
    const c = (await Competition.findById(f.id).lean())!;
    const [quality, price] = c.criteria;
    const page = cheerio.load((await agent.get(base)).text);
    const options = page('#criterion option').map((_i, el) => page(el).attr('value')).get();
    expect(options).to.deep.equal(['', String(quality._id), String(c.criteria[2]._id)]);

    const added = await submit(agent, base, { text: 'How will you involve residents?', criterion: String(quality._id), wordLimit: '750' });
    expect(added.status).to.equal(303);
    let questions = (await Competition.findById(f.id).lean())!.questions;
    expect(questions).to.have.length(3);
    expect(questions[2]).to.include({ text: 'How will you involve residents?', wordLimit: 750 });
    expect(String(questions[2].criterion)).to.equal(String(quality._id));

    const edit = `${base}/${questions[2]._id}/edit`;
    expect((await submit(agent, edit, { text: 'Changed?', criterion: String(price._id), wordLimit: '10' })).status).to.equal(400);
    expect((await submit(agent, edit, { text: 'Changed?', criterion: String(quality._id), wordLimit: '10' })).status).to.equal(303);
    questions = (await Competition.findById(f.id).lean())!.questions;
    expect(questions[2]).to.include({ text: 'Changed?', wordLimit: 10 });

    const remove = `${base}/${questions[0]._id}/remove`;
    expect(cheerio.load((await agent.get(remove)).text)('h1').text()).to.equal('Remove question 1?');
    expect((await submit(agent, remove, {})).status).to.equal(303);
    expect((await Competition.findById(f.id).lean())!.questions.map((q) => q.text)).to.deep.equal(['What social value will you deliver locally?', 'Changed?']);
  });

  for (const [name, fields, field, text] of [
    ['blank', () => ({}), 'text', 'Enter the question'],
    ['no criterion', () => ({ text: 'Q?', wordLimit: '100' }), 'criterion', 'Select the criterion this question is scored under'],
    ['an unknown criterion', () => ({ text: 'Q?', criterion: '0123456789abcdef01234567', wordLimit: '100' }), 'criterion', 'Select the criterion this question is scored under'],
    ['the price criterion', (price: string) => ({ text: 'Q?', criterion: price, wordLimit: '100' }), 'criterion', 'price is not scored by questions'],
    ['a word limit of 5001', (price: string, quality: string) => ({ text: 'Q?', criterion: quality, wordLimit: '5001' }), 'wordLimit', 'whole number from 1 to 5000'],
    ['no word limit', (price: string, quality: string) => ({ text: 'Q?', criterion: quality }), 'wordLimit', 'Enter the word limit'],
    ['a question too long', (price: string, quality: string) => ({ text: 'x'.repeat(2001), criterion: quality, wordLimit: '5' }), 'text', '2,000 characters or fewer'],
  ] as const) {
    it(`refuses a question with ${name} (400, nothing saved)`, async () => {
      const f = await competitionFixture(t, { publish: false });
      const agent = await signIn(t, f.buyer);
      const c = (await Competition.findById(f.id).lean())!;
      const res = await submit(agent, `/buyer/competitions/${f.id}/questions`, (fields as any)(String(c.criteria[1]._id), String(c.criteria[0]._id)));
      expect(res.status).to.equal(400);
      const $ = cheerio.load(res.text);
      expect($('title').text()).to.match(/^Error: /);
      expect($(`.govuk-error-summary a[href="#${field}"]`).text()).to.contain(text);
      expect((await Competition.findById(f.id).lean())!.questions).to.have.length(2);
    });
  }

  it('asks for a quality or social value criterion before questions can be added', async () => {
    const { agent, base } = await emptyDraft();
    const $ = cheerio.load((await agent.get(`${base}/questions`)).text);
    expect($('#no-criteria-for-questions').text()).to.contain('Add award criteria first');
    expect($('form[action$="/questions"]')).to.have.length(0);
  });
});
