// The Deadlines section through the page with the fake clock: the minimum time per rule-set at its boundary (the
// message names the rule and the earliest date), the PCR shorter deadline only with the agreement recorded,
// below threshold from the council's minimum or the framework's default, and UK time across BST and GMT.
import { expect } from 'chai';
import * as cheerio from 'cheerio';
import { AuditEvent } from '../../models/AuditEvent';
import { Competition } from '../../models/Competition';
import { FrameworkSettings } from '../../models/FrameworkSettings';
import { Organisation } from '../../models/Organisation';
import { RuleSet } from '../../server/domain/tenderRules';
import { resetDatabase, signIn, submit, testApp, TestApp } from '../support/app';
import { competitionFixture } from '../support/competitions';

/** Posted fields for the deadlines form: dates as 'D/M/YYYY', times as typed. */
function body(clarification: [string, string], deadline: [string, string], extra: Record<string, string> = {}): Record<string, string> {
  const fields = (id: string, [date, time]: [string, string]) => {
    const [d, m, y] = date.split('/');
    return { [`${id}-day`]: d, [`${id}-month`]: m, [`${id}-year`]: y, [`${id}-time`]: time };
  };
  return { ...fields('clarificationDeadline', clarification), ...fields('deadline', deadline), ...extra };
}

describe('Drafting a competition: deadlines', function () {
  this.timeout(60_000);
  let t: TestApp;
  before(async () => {
    t = await testApp();
    await resetDatabase();
  });

  /** A draft under the rule-set, the clock at `now`, and its buyer signed in. */
  async function draft(ruleSet: RuleSet, now = '2026-11-24T10:00:00Z') {
    t.clock.set(now);
    const f = await competitionFixture(t, { publish: false, ruleSet });
    const agent = await signIn(t, f.buyer);
    const path = `/buyer/competitions/${f.id}/deadlines`;
    const post = (fields: Record<string, string>) => submit(agent, path, fields);
    return { f, agent, path, post };
  }

  for (const [ruleSet, rule] of [['PA2023_DYNAMIC_MARKET', 'Procurement Act 2023 section 54'], ['PCR2015_DPS', 'PCR 2015 regulation 34']] as const) {
    it(`${ruleSet}: exactly 10 days from now is accepted; a minute less is refused, naming the rule and the earliest date`, async () => {
      const { f, post } = await draft(ruleSet);
      const refused = await post(body(['30/11/2026', '12:00'], ['4/12/2026', '09:59']));
      expect(refused.status).to.equal(400);
      const $ = cheerio.load(refused.text);
      const message = $('.govuk-error-summary a[href="#deadline-day"]').text();
      expect(message).to.contain(rule).and.contain('Friday, 4 December 2026, 10:00am');
      expect($('#deadline-error').text()).to.contain(rule);
      // the typed values are kept
      expect($('#deadline-time').val()).to.equal('09:59');
      const before = (await Competition.findById(f.id).lean())!;
      expect(before.deadline!.getTime()).to.not.equal(new Date('2026-12-04T09:59:00Z').getTime());

      const accepted = await post(body(['30/11/2026', '12:00'], ['4/12/2026', '10:00']));
      expect(accepted.status).to.equal(303);
      const saved = (await Competition.findById(f.id).lean())!;
      expect(saved.deadline!.toISOString()).to.equal('2026-12-04T10:00:00.000Z');
      expect(saved.clarificationDeadline!.toISOString()).to.equal('2026-11-30T12:00:00.000Z');
      expect(await AuditEvent.exists({ action: 'competition.deadlines-saved', targetId: f.id })).to.not.equal(null);
    });
  }

  it('PCR 2015: a shorter deadline is accepted only with the agreement of all invited suppliers recorded', async () => {
    const { f, agent, path, post } = await draft('PCR2015_DPS');
    expect(cheerio.load((await agent.get(path)).text)('input[name=shorterAgreed][value=yes]')).to.have.length(1);
    const short = body(['25/11/2026', '12:00'], ['27/11/2026', '12:00']);
    expect((await post(short)).status).to.equal(400);

    const noNote = await post({ ...short, shorterAgreed: 'yes', agreementNote: '  ' });
    expect(noNote.status).to.equal(400);
    expect(cheerio.load(noNote.text)('.govuk-error-summary a[href="#agreementNote"]').text()).to.contain('Enter who agreed the shorter deadline');
    expect((await Competition.findById(f.id).lean())!.shorterDeadlineAgreement?.recordedAt ?? null).to.equal(null);

    const note = 'All three admitted suppliers agreed by e-mail on 23 November (Jo Bloggs, procurement).';
    const ok = await post({ ...short, shorterAgreed: 'yes', agreementNote: note });
    expect(ok.status).to.equal(303);
    const saved = (await Competition.findById(f.id).lean())!;
    expect(saved.deadline!.toISOString()).to.equal('2026-11-27T12:00:00.000Z');
    expect(saved.shorterDeadlineAgreement!.note).to.equal(note);
    expect(String(saved.shorterDeadlineAgreement!.recordedBy)).to.equal(f.buyer.id);
    expect(saved.shorterDeadlineAgreement!.recordedAt!.toISOString()).to.equal('2026-11-24T10:00:00.000Z');
    const audit = await AuditEvent.findOne({ action: 'competition.deadlines-saved-with-agreement', targetId: f.id }).lean();
    expect((audit!.details as any).shorterDeadlineAgreement).to.deep.equal({ note });
    const form = cheerio.load((await agent.get(path)).text);
    expect(form('input[name=shorterAgreed]').is(':checked')).to.equal(true);
    expect(form('#agreementNote').text()).to.equal(note);
  });

  it('PA 2023 has no shorter-deadline exception: a posted agreement is ignored', async () => {
    const { f, agent, path, post } = await draft('PA2023_DYNAMIC_MARKET');
    expect(cheerio.load((await agent.get(path)).text)('input[name=shorterAgreed]')).to.have.length(0);
    const res = await post(body(['25/11/2026', '12:00'], ['27/11/2026', '12:00'], { shorterAgreed: 'yes', agreementNote: 'Agreed' }));
    expect(res.status).to.equal(400);
    expect(cheerio.load(res.text)('.govuk-error-summary').text()).to.contain('Procurement Act 2023 section 54');
    expect((await Competition.findById(f.id).lean())!.shorterDeadlineAgreement?.recordedAt ?? null).to.equal(null);
  });

  it('below threshold: the council\u2019s own minimum when it has one', async () => {
    const { f, post } = await draft('BELOW_THRESHOLD');
    await Organisation.updateOne({ _id: f.buyer.organisation }, { $set: { belowThresholdMinDays: 3 } });
    const refused = await post(body(['25/11/2026', '12:00'], ['27/11/2026', '09:59']));
    expect(refused.status).to.equal(400);
    expect(cheerio.load(refused.text)('.govuk-error-summary').text()).to.contain('Below threshold').and.contain('at least 3 days').and.contain('Friday, 27 November 2026, 10:00am');
    expect((await post(body(['25/11/2026', '12:00'], ['27/11/2026', '10:00']))).status).to.equal(303);
  });

  it('below threshold: the framework\u2019s default when the council has none', async () => {
    await FrameworkSettings.deleteMany({});
    await FrameworkSettings.create({ key: 'framework', belowThresholdMinDays: 7 });
    const { f, post } = await draft('BELOW_THRESHOLD');
    expect((await Organisation.findById(f.buyer.organisation).lean())!.belowThresholdMinDays ?? null).to.equal(null);
    const refused = await post(body(['25/11/2026', '12:00'], ['1/12/2026', '09:59']));
    expect(refused.status).to.equal(400);
    expect(cheerio.load(refused.text)('.govuk-error-summary').text()).to.contain('at least 7 days');
    expect((await post(body(['25/11/2026', '12:00'], ['1/12/2026', '10:00']))).status).to.equal(303);
    await FrameworkSettings.deleteMany({});
  });

  it('reads times as UK time: in summer 10:00 is 09:00 UTC, and the 10-day boundary holds across it', async () => {
    // 10:00 BST on 1 May 2027
    const { f, post } = await draft('PA2023_DYNAMIC_MARKET', '2027-05-01T09:00:00Z');
    expect((await post(body(['5/5/2027', '12:00'], ['11/5/2027', '09:59']))).status).to.equal(400);
    expect((await post(body(['5/5/2027', '12:00'], ['11/5/2027', '10:00']))).status).to.equal(303);
    expect((await Competition.findById(f.id).lean())!.deadline!.toISOString()).to.equal('2027-05-11T09:00:00.000Z');
  });

  it('counts 10 days as 240 hours across the autumn clock change', async () => {
    // 10:00 BST on Friday 22 October 2027; the clocks go back on 31 October, so 240 hours later is 09:00 GMT
    const { f, post } = await draft('PA2023_DYNAMIC_MARKET', '2027-10-22T09:00:00Z');
    const refused = await post(body(['25/10/2027', '12:00'], ['1/11/2027', '08:59']));
    expect(refused.status).to.equal(400);
    expect(cheerio.load(refused.text)('.govuk-error-summary').text()).to.contain('1 November 2027, 9:00am');
    expect((await post(body(['25/10/2027', '12:00'], ['1/11/2027', '09:00']))).status).to.equal(303);
    expect((await Competition.findById(f.id).lean())!.deadline!.toISOString()).to.equal('2027-11-01T09:00:00.000Z');
  });

  for (const [name, fields, field, text] of [
    ['blank', {}, 'clarificationDeadline-day', 'Enter the clarification deadline'],
    ['a 12-hour time', body(['30/11/2026', '12pm'], ['10/12/2026', '12:00']), 'clarificationDeadline-time', '24-hour clock'],
    ['no time', body(['30/11/2026', '12:00'], ['10/12/2026', '']), 'deadline-time', 'Enter the time of the submission deadline'],
    ['a date that is not real', body(['30/11/2026', '12:00'], ['31/11/2026', '12:00']), 'deadline-day', 'must be a real date'],
    ['a time that does not exist (clocks go forward)', body(['30/11/2026', '12:00'], ['28/3/2027', '01:30']), 'deadline-time', 'does not exist in the UK'],
    ['clarifications closing after bids', body(['11/12/2026', '12:00'], ['10/12/2026', '12:00']), 'clarificationDeadline-day', 'before the submission deadline'],
    ['clarifications closing in the past', body(['23/11/2026', '12:00'], ['10/12/2026', '12:00']), 'clarificationDeadline-day', 'in the future'],
  ] as const) {
    it(`refuses ${name} (400, nothing saved)`, async () => {
      const { f, post } = await draft('PA2023_DYNAMIC_MARKET');
      const before = (await Competition.findById(f.id).lean())!;
      const res = await post(fields as Record<string, string>);
      expect(res.status).to.equal(400);
      const $ = cheerio.load(res.text);
      expect($('title').text()).to.match(/^Error: /);
      expect($(`.govuk-error-summary a[href="#${field}"]`).text()).to.contain(text);
      expect($(`#${field}`)).to.have.length(1);
      const after = (await Competition.findById(f.id).lean())!;
      expect(after.deadline!.getTime()).to.equal(before.deadline!.getTime());
      expect(after.clarificationDeadline!.getTime()).to.equal(before.clarificationDeadline!.getTime());
    });
  }
});
