// Changing the submission deadline (security J32): only before it passes (the boundary instant refused), with a
// reason, audited with old and new values, every invited supplier told; a shorter deadline still meets the rules.
import { expect } from 'chai';
import * as cheerio from 'cheerio';
import request from 'supertest';
import { AuditEvent } from '../../models/AuditEvent';
import { Competition } from '../../models/Competition';
import { londonParts, londonTimeText } from '../../server/domain/competitionForms';
import { changeDeadline } from '../../server/services/competitionChanges';
import { formatDeadline } from '../../server/services/competitions';
import { csrfFrom, resetDatabase, signIn, submit, testApp, TestApp } from '../support/app';
import { competitionFixture, CompetitionFixture } from '../support/competitions';

const DAY = 24 * 60 * 60 * 1000;
const MINUTE = 60 * 1000;

/** The form fields of a date and time, typed as UK time. */
function fields(prefix: string, at: Date): Record<string, string> {
  const p = londonParts(at);
  return { [`${prefix}-day`]: String(p.day), [`${prefix}-month`]: String(p.month), [`${prefix}-year`]: String(p.year), [`${prefix}-time`]: londonTimeText(at) };
}

/** An instant on a whole minute (forms are to the minute). */
const minute = (ms: number) => new Date(Math.ceil(ms / MINUTE) * MINUTE);

describe('Changing the deadline', function () {
  this.timeout(60_000);
  let t: TestApp;
  before(async () => {
    t = await testApp();
    await resetDatabase();
  });
  beforeEach(() => t.clock.set(new Date()));

  async function fixture(): Promise<{ f: CompetitionFixture; buyer: request.Agent; clarificationDeadline: Date }> {
    const f = await competitionFixture(t, { suppliers: 2 });
    t.mailer.sent.length = 0;
    const c = await Competition.findById(f.id).lean();
    return { f, buyer: await signIn(t, f.buyer), clarificationDeadline: c!.clarificationDeadline! };
  }

  it('moves the deadline with a reason: recorded, audited with old, new and reason, and every invited supplier told', async () => {
    const { f, buyer, clarificationDeadline } = await fixture();
    const to = minute(f.deadline.getTime() + 3 * DAY);
    const form = cheerio.load((await buyer.get(`/buyer/competitions/${f.id}/deadline`).expect(200)).text);
    // prefilled with the current deadline in UK time
    expect(form('#deadline-time').val()).to.equal(londonTimeText(f.deadline));
    const res = await submit(buyer, `/buyer/competitions/${f.id}/deadline`, {
      ...fields('deadline', to), ...fields('clarificationDeadline', clarificationDeadline), reason: 'Survey data published late',
      status: 'cancelled', council: '000000000000000000000000', publishedAt: '2001-01-01T00:00:00Z',
    });
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal(`/buyer/competitions/${f.id}`);
    const c = await Competition.findById(f.id).lean();
    expect(c!.deadline!.getTime()).to.equal(to.getTime());
    expect(c!.status).to.equal('published');
    expect(String(c!.council)).to.equal(f.buyer.organisation);
    expect(c!.clarificationDeadline!.getTime()).to.equal(clarificationDeadline.getTime());
    expect(c!.deadlineChanges).to.have.length(1);
    expect(c!.deadlineChanges[0]).to.deep.include({ field: 'deadline', reason: 'Survey data published late' });
    expect(c!.deadlineChanges[0].from.getTime()).to.equal(f.deadline.getTime());
    expect(c!.deadlineChanges[0].to.getTime()).to.equal(to.getTime());
    expect(String(c!.deadlineChanges[0].by)).to.equal(f.buyer.id);

    const audit = await AuditEvent.find({ action: 'competition.deadline-changed', targetId: f.id }).lean();
    expect(audit).to.have.length(1);
    expect(String(audit[0].actor)).to.equal(f.buyer.id);
    expect(new Date((audit[0].details as any).from).getTime()).to.equal(f.deadline.getTime());
    expect(new Date((audit[0].details as any).to).getTime()).to.equal(to.getTime());
    expect((audit[0].details as any).reason).to.equal('Survey data published late');

    const told = t.mailer.sent.filter((m) => m.subject.startsWith('Deadline changed'));
    expect(told.map((m) => m.to)).to.have.members(f.suppliers.map((s) => s.email));
    for (const m of told) expect(m.text).to.contain(formatDeadline(to)).and.contain(formatDeadline(f.deadline)).and.contain('Survey data published late');
    // suppliers see the new deadline and the change on the competition page
    const page = cheerio.load((await (await signIn(t, f.suppliers[0])).get(`/supplier/opportunities/${f.id}`).expect(200)).text);
    expect(page('#status').text()).to.contain(formatDeadline(to));
    expect(page('#deadline-changes').next().text()).to.contain('Survey data published late');
  });

  it('needs a reason, and a real date and time in the future; nothing changes otherwise', async () => {
    const { f, buyer, clarificationDeadline } = await fixture();
    const later = minute(f.deadline.getTime() + DAY);
    const cases: Array<[Record<string, string>, string]> = [
      [{ ...fields('deadline', later), reason: '  ' }, '#reason'],
      [{ ...fields('deadline', later), 'deadline-day': '31', 'deadline-month': '2', reason: 'x' }, '#deadline-day'],
      [{ ...fields('deadline', later), 'deadline-time': '25:00', reason: 'x' }, '#deadline-time'],
      [{ ...fields('deadline', later), 'deadline-time': '', reason: 'x' }, '#deadline-time'],
      [{ ...fields('deadline', new Date(t.clock.now().getTime() - DAY)), reason: 'x' }, '#deadline-day'],
      [{ ...fields('deadline', f.deadline), reason: 'No change' }, '#deadline-day'],
    ];
    for (const [body, href] of cases) {
      const res = await submit(buyer, `/buyer/competitions/${f.id}/deadline`, { ...fields('clarificationDeadline', clarificationDeadline), ...body });
      expect(res.status, href).to.equal(400);
      const $ = cheerio.load(res.text);
      expect($('title').text()).to.match(/^Error: /);
      expect($(`.govuk-error-summary a[href="${href}"]`), JSON.stringify(body)).to.have.length(1);
    }
    const c = await Competition.findById(f.id).lean();
    expect(c!.deadline!.getTime()).to.equal(f.deadline.getTime());
    expect(c!.deadlineChanges).to.have.length(0);
    expect(await AuditEvent.countDocuments({ action: 'competition.deadline-changed', targetId: f.id })).to.equal(0);
    expect(t.mailer.sent).to.have.length(0);
  });

  it('refuses a change at the deadline instant and after it (409); one millisecond before is allowed', async () => {
    const { f, clarificationDeadline } = await fixture();
    const to = minute(f.deadline.getTime() + DAY);
    const body = { ...fields('deadline', to), ...fields('clarificationDeadline', clarificationDeadline), reason: 'Late request' };
    for (const at of [f.deadline.getTime(), f.deadline.getTime() + DAY]) {
      t.clock.set(new Date(at));
      const buyer = await signIn(t, f.buyer);
      const get = await buyer.get(`/buyer/competitions/${f.id}/deadline`);
      expect(get.status).to.equal(409);
      expect(cheerio.load(get.text)('h1').text()).to.equal('The submission deadline has passed');
      const _csrf = await csrfFrom(buyer, `/buyer`);
      expect((await buyer.post(`/buyer/competitions/${f.id}/deadline`).type('form').send({ ...body, _csrf })).status).to.equal(409);
    }
    let c = await Competition.findById(f.id).lean();
    expect(c!.deadline!.getTime()).to.equal(f.deadline.getTime());
    t.clock.set(new Date(f.deadline.getTime() - 1));
    // the council's other buyer: the first one's authenticator codes have moved past this time
    const buyer = await signIn(t, f.buyer2);
    expect((await submit(buyer, `/buyer/competitions/${f.id}/deadline`, body)).status).to.equal(303);
    c = await Competition.findById(f.id).lean();
    expect(c!.deadline!.getTime()).to.equal(to.getTime());
  });

  it('lets a shorter deadline through only if it still meets the rule-set\u2019s minimum from publication, naming the rule', async () => {
    const { f, buyer, clarificationDeadline } = await fixture();
    const c = await Competition.findById(f.id).lean();
    const earliest = c!.publishedAt!.getTime() + 10 * DAY;
    const tooSoon = minute(earliest - 2 * MINUTE);
    const res = await submit(buyer, `/buyer/competitions/${f.id}/deadline`, { ...fields('deadline', tooSoon), ...fields('clarificationDeadline', clarificationDeadline), reason: 'Faster' });
    expect(res.status).to.equal(400);
    expect(cheerio.load(res.text)('#deadline-error').text()).to.contain('Procurement Act 2023 section 54').and.contain(formatDeadline(new Date(earliest)));
    const enough = minute(earliest);
    const ok = await submit(buyer, `/buyer/competitions/${f.id}/deadline`, { ...fields('deadline', enough), ...fields('clarificationDeadline', clarificationDeadline), reason: 'Faster' });
    expect(ok.status).to.equal(303);
    expect((await Competition.findById(f.id).lean())!.deadline!.getTime()).to.equal(enough.getTime());
  });

  it('moves the clarification deadline too, which must stay before the submission deadline', async () => {
    const { f, buyer, clarificationDeadline } = await fixture();
    const after = await submit(buyer, `/buyer/competitions/${f.id}/deadline`, { ...fields('deadline', f.deadline), ...fields('clarificationDeadline', minute(f.deadline.getTime() + MINUTE)), reason: 'More questions' });
    expect(after.status).to.equal(400);
    expect(cheerio.load(after.text)('.govuk-error-summary a[href="#clarificationDeadline-day"]').text()).to.contain('before the submission deadline');
    const to = minute(clarificationDeadline.getTime() + 2 * DAY);
    const ok = await submit(buyer, `/buyer/competitions/${f.id}/deadline`, { ...fields('deadline', f.deadline), ...fields('clarificationDeadline', to), reason: 'More time for questions' });
    expect(ok.status).to.equal(303);
    const c = await Competition.findById(f.id).lean();
    expect(c!.clarificationDeadline!.getTime()).to.equal(to.getTime());
    expect(c!.deadline!.getTime()).to.equal(f.deadline.getTime());
    expect(c!.deadlineChanges.map((d) => d.field)).to.deep.equal(['clarificationDeadline']);
    expect(await AuditEvent.countDocuments({ action: 'competition.clarification-deadline-changed', targetId: f.id })).to.equal(1);
    expect(t.mailer.sent.filter((m) => m.subject.startsWith('Clarification deadline changed')).map((m) => m.to)).to.have.members(f.suppliers.map((s) => s.email));
  });

  it('reads the time as UK time, in summer (BST) as in winter', async () => {
    const { f, buyer, clarificationDeadline } = await fixture();
    // 17:00 UK time on a date a year on, in July: 16:00 UTC
    const year = londonParts(t.clock.now()).year + 1;
    const res = await submit(buyer, `/buyer/competitions/${f.id}/deadline`, { 'deadline-day': '15', 'deadline-month': '7', 'deadline-year': String(year), 'deadline-time': '17:00', ...fields('clarificationDeadline', clarificationDeadline), reason: 'Summer' });
    expect(res.status).to.equal(303);
    expect((await Competition.findById(f.id).lean())!.deadline!.toISOString()).to.equal(`${year}-07-15T16:00:00.000Z`);
  });

  it('never lets two changes at once cross: each recorded change starts from the deadline the one before left', async () => {
    const { f, clarificationDeadline } = await fixture();
    const actor = { _id: f.buyer.id, role: 'buyer' as const, organisation: f.buyer.organisation };
    const targets = [1, 2, 3].map((n) => minute(f.deadline.getTime() + n * DAY));
    const outcomes = await Promise.all(targets.map((deadline, n) => changeDeadline(t.clock, t.mailer, 'http://x', actor, f.id, { deadline, clarificationDeadline, reason: `Change ${n}` })));
    for (const o of outcomes) expect(o.outcome).to.be.oneOf(['changed', 'conflict']);
    const changed = outcomes.filter((o) => o.outcome === 'changed').length;
    expect(changed).to.be.at.least(1);
    const c = await Competition.findById(f.id).lean();
    expect(c!.deadlineChanges).to.have.length(changed);
    let from = f.deadline.getTime();
    for (const d of c!.deadlineChanges) {
      expect(d.from.getTime()).to.equal(from);
      from = d.to.getTime();
    }
    expect(c!.deadline!.getTime()).to.equal(from);
    expect(await AuditEvent.countDocuments({ action: 'competition.deadline-changed', targetId: f.id })).to.equal(changed);
  });
});
