// The review page and the panel's actions: every answer and evidence document, independent scores shown side
// by side once submitted, a clarification answered by the supplier, the one-off extension with a reason, and
// decisions per lot (confirmation step, admissions, the supplier e-mailed, the audit trail).
import { expect } from 'chai';
import { trusted } from 'mongoose';
import request from 'supertest';
import * as cheerio from 'cheerio';
import { Admission } from '../../models/Admission';
import { Application } from '../../models/Application';
import { AuditEvent } from '../../models/AuditEvent';
import { verifyAuditChain } from '../../server/services/audit';
import { storeUpload } from '../../server/services/documents';
import { SCORED_CRITERIA } from '../../server/domain/applicationQuestions';
import { createUser, signIn, submit, testApp, TestApp, TestUser } from '../support/app';
import { applicationPath, fakeDocument, submittedApplication } from '../support/applications';
import { createSubmittedApplication, uniqueLot } from '../support/vetting';

const fullScores = (score: number, note: string) => Object.fromEntries(SCORED_CRITERIA.flatMap((c) => [[`score-${c.key}`, String(score)], [`comment-${c.key}`, `${note} on ${c.key}`]]));
const XSS = '<script>alert(1)</script>"><img src=x onerror=alert(1)>';

async function auditActions(targetId: string): Promise<string[]> {
  return (await AuditEvent.find({ targetId }).sort({ seq: 1 }).lean()).map((e) => e.action);
}

describe('vetting: review and decisions', function () {
  this.timeout(120_000);
  let t: TestApp;
  let adminUser: TestUser;
  let otherAdminUser: TestUser;
  let admin: request.Agent;
  let other: request.Agent;

  before(async () => {
    t = await testApp();
    adminUser = await createUser('admin');
    otherAdminUser = await createUser('admin');
    admin = await signIn(t, adminUser);
    other = await signIn(t, otherAdminUser);
  });

  it('shows every answer of the snapshot by section, with evidence linked to its download route and input escaped', async () => {
    const lot = await uniqueLot('Review');
    const supplier = await createUser('supplier');
    const docId = await fakeDocument(supplier.organisation, supplier.id, 'policy:safeguarding', `safe${XSS}.pdf`);
    const app = await createSubmittedApplication({
      supplier: supplier.organisation, createdBy: supplier.id, lots: [lot], submittedAt: t.clock.now(), legalName: `Evil ${XSS} Ltd`,
      answers: { policies: { safeguarding: docId }, values: { 'concern-for-community': `We care ${XSS}` } }, documents: [docId],
    });
    const res = await admin.get(`/admin/applications/${app.id}`);
    expect(res.status).to.equal(200);
    expect(res.text).to.not.contain('<script>alert(1)');
    expect(res.text).to.not.contain('<img src=x');
    const $ = cheerio.load(res.text);
    expect($('h1').text()).to.equal(`Evil ${XSS} Ltd`);
    for (const id of ['organisation', 'contacts', 'lots', 'exclusion', 'financial', 'technical', 'values', 'policies', 'declarations']) {
      expect($(`#section-${id}`), id).to.have.length(1);
    }
    const text = $('main').text();
    expect(text).to.contain('Co-operative society');
    expect(text).to.contain(`Why we suit lot ${lot.number}.`);
    expect(text).to.contain('Yes. We restructured in 2022 and are now solvent.');
    expect(text).to.contain('£120,000');
    expect(text).to.contain('Case study 2: Client');
    expect(text).to.contain('15 January 2024');
    const link = $(`a[href="/documents/${docId}"]`);
    expect(link).to.have.length(1);
    expect(link.text()).to.equal(`safe${XSS}.pdf`);
    expect($('#application-summary').text()).to.contain(app.reference);
    expect($('title').text()).to.contain(app.reference);
  });

  it('lets the reviewing admin download an evidence document from its link', async () => {
    const lot = await uniqueLot('Evidence');
    const supplier = await createUser('supplier');
    const bytes = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
    const stored = await storeUpload(t.clock, { owner: supplier.organisation, uploadedBy: supplier.id, purpose: 'policy:equality', file: { buffer: bytes, originalname: 'equality policy.pdf', size: bytes.length } });
    await stored.scanned;
    const app = await createSubmittedApplication({ supplier: supplier.organisation, createdBy: supplier.id, lots: [lot], submittedAt: t.clock.now(), answers: { policies: { equality: stored.id } }, documents: [stored.id] });
    const $ = cheerio.load((await admin.get(`/admin/applications/${app.id}`)).text);
    const href = $('#section-policies + .govuk-summary-list a[href^="/documents/"]').attr('href');
    expect(href).to.equal(`/documents/${stored.id}`);
    const download = await admin.get(href!).buffer(true);
    expect(download.status).to.equal(200);
    expect(download.headers['content-disposition']).to.contain('attachment');
    expect(Buffer.compare(download.body as Buffer, bytes)).to.equal(0);
    const buyer = await signIn(t, await createUser('buyer'));
    expect((await buyer.get(href!)).status).to.equal(404);
  });

  it('keeps scores independent until a reviewer submits, then shows everyone\u2019s side by side', async () => {
    const lot = await uniqueLot('Scores');
    const app = await createSubmittedApplication({ lots: [lot], submittedAt: t.clock.now() });
    const page = `/admin/applications/${app.id}`;
    const review = `${page}/review`;

    // A saves a partial draft: kept for A, nothing shown to B.
    const draft = await submit(admin, review, { action: 'save', 'score-values': '3', 'comment-values': 'Draft thought' }, page);
    expect(draft.status).to.equal(303);
    let $ = cheerio.load((await admin.get(page)).text);
    expect($('input[name="score-values"][value="3"]').attr('checked')).to.not.equal(undefined);
    expect($('#comment-values').text()).to.equal('Draft thought');
    expect($('.govuk-notification-banner--success').text()).to.contain('saved as a draft');
    $ = cheerio.load((await other.get(page)).text);
    expect($('#scores-table')).to.have.length(0);
    expect($('#comment-values').text()).to.equal('');
    expect($.text()).to.not.contain('Draft thought');

    // An incomplete submission: the error summary, 400, answers kept, nothing written.
    const partial = { ...fullScores(3, 'A says') };
    delete partial['score-concern-for-community'];
    partial['comment-values'] = '';
    const bad = await submit(admin, review, { ...partial, action: 'submit' }, page);
    expect(bad.status).to.equal(400);
    $ = cheerio.load(bad.text);
    expect($('title').text()).to.match(/^Error: /);
    expect($('.govuk-error-summary a[href="#score-concern-for-community"]').text()).to.contain('Select a score from 0 to 4');
    expect($('.govuk-error-summary a[href="#comment-values"]').text()).to.contain('Enter a comment');
    expect($('#comment-democratic-member-control').text()).to.equal('A says on democratic-member-control');
    let stored = await Application.findById(app.id).lean();
    expect(stored!.reviews[0].submittedAt).to.equal(undefined);
    expect((stored!.reviews[0].scores as any).values.comment).to.equal('Draft thought');

    // Out-of-range and repeated scores are refused too.
    expect((await submit(admin, review, { ...fullScores(3, 'A'), 'score-values': '5', action: 'submit' }, page)).status).to.equal(400);
    expect((await submit(admin, review, { ...fullScores(3, 'A'), 'score-values': ['1', '2'], action: 'submit' }, page)).status).to.equal(400);

    // A submits: A sees the table with A's scores only; B still sees nothing of A's but knows one reviewer has submitted.
    const ok = await submit(admin, review, { ...fullScores(4, 'A says'), 'score-values': '2', action: 'submit' }, page);
    expect(ok.status).to.equal(303);
    $ = cheerio.load((await admin.get(page)).text);
    expect($('#scores-table thead th').map((_i, el) => $(el).text().trim()).get()).to.deep.equal(['Criterion', 'Test admin', 'Mean']);
    $ = cheerio.load((await other.get(page)).text);
    expect($('#scores-table')).to.have.length(0);
    expect($('#others-hidden').text()).to.contain('1 other reviewer submitted scores');
    expect($.text()).to.not.contain('A says');

    // B submits: both see both, side by side, with the mean.
    expect((await submit(other, review, { ...fullScores(1, 'B says'), action: 'submit' }, page)).status).to.equal(303);
    for (const agent of [admin, other]) {
      $ = cheerio.load((await agent.get(page)).text);
      expect($('#scores-table thead th')).to.have.length(4);
      const rows = $('#scores-table tbody tr').map((_i, tr) => [$(tr).find('th, td').map((_j, c) => $(c).text().trim()).get()]).get() as unknown as string[][];
      expect(rows).to.have.length(8);
      expect(rows[0]).to.deep.equal(['Voluntary and open membership', '4: A says on voluntary-open-membership', '1: B says on voluntary-open-membership', '2.5']);
      expect(rows[7]).to.deep.equal(['Co-operative values', '2: A says on values', '1: B says on values', '1.5']);
      expect($('#total-mean').text()).to.contain('out of 32');
      expect($('form[action$="/review"]')).to.have.length(0);
    }

    // A submitted review is final.
    const again = await submit(admin, review, { ...fullScores(0, 'Changed'), action: 'submit' }, page);
    expect(again.status).to.equal(409);
    stored = await Application.findById(app.id).lean();
    expect(stored!.reviews).to.have.length(2);
    expect((stored!.reviews[0].scores as any).values).to.deep.equal({ score: 2, comment: 'A says on values' });
    const events = await AuditEvent.find({ targetId: app.id, action: 'application.review-submitted' }).sort({ seq: 1 }).lean();
    expect(events.map((e) => String(e.actor))).to.deep.equal([adminUser.id, otherAdminUser.id]);
    expect((events[0].details as any).scores.values).to.equal(2);
  });

  it('asks the supplier a question, which the supplier answers in the service', async () => {
    const sub = await submittedApplication(t, { lots: [await uniqueLot('Clarify')] });
    const page = `/admin/applications/${sub.id}`;
    const form = `${page}/clarification`;

    const empty = await submit(admin, form, { question: '   ' });
    expect(empty.status).to.equal(400);
    expect(cheerio.load(empty.text)('.govuk-error-summary a[href="#question"]').text()).to.contain('Enter your question');
    expect((await Application.findById(sub.id).lean())!.clarifications).to.have.length(0);

    const sent = await submit(admin, form, { question: 'Please send your latest audited accounts.' });
    expect(sent.status).to.equal(303);
    expect(sent.headers.location).to.equal(`${page}#clarifications`);
    const mail = t.mailer.lastTo('main.contact@example.coop');
    expect(mail?.subject).to.equal(`Question about your application ${sub.reference}`);
    expect(mail?.text).to.contain('Please send your latest audited accounts.');
    expect(t.mailer.lastTo(sub.user.email)?.subject).to.equal(`Question about your application ${sub.reference}`);
    let $ = cheerio.load((await admin.get(page)).text);
    // The real journey's uploads are linked from the answers (seven required documents).
    expect($('main a[href^="/documents/"]').map((_i, el) => $(el).attr('href')).get()).to.have.length(7);
    expect($('#section-policies + .govuk-summary-list a[href^="/documents/"]')).to.have.length(5);
    expect($('#clarification-1 .app-clarification__question').text()).to.equal('Please send your latest audited accounts.');
    expect($('#clarification-1 .app-clarification__waiting')).to.have.length(1);

    // The supplier answers through its own journey.
    const clarification = (await Application.findById(sub.id).lean())!.clarifications[0];
    const answerPath = applicationPath(sub.id, `/clarifications/${clarification._id}`);
    const answered = await submit(sub.agent, answerPath, { answer: 'Attached to our profile: accounts for 2025.' }, applicationPath(sub.id));
    expect(answered.status).to.equal(303);
    $ = cheerio.load((await admin.get(page)).text);
    expect($('#clarification-1 .app-clarification__answer').text()).to.contain('Attached to our profile: accounts for 2025.');
    expect($('#clarification-1').text()).to.contain('Answered on');
    expect(await auditActions(sub.id)).to.include.members(['application.clarification-requested', 'application.clarification-answered']);
    const event = await AuditEvent.findOne({ targetId: sub.id, action: 'application.clarification-requested' }).lean();
    expect(String(event!.actor)).to.equal(adminUser.id);
  });

  it('extends the due-by date once, to 15 working days, only with a reason', async () => {
    const lot = await uniqueLot('Extend');
    const app = await createSubmittedApplication({ lots: [lot], submittedAt: new Date('2026-11-24T10:00:00Z'), mainEmail: 'extend-main@example.org' });
    const form = `/admin/applications/${app.id}/extension`;
    let $ = cheerio.load((await admin.get(form)).text);
    expect($('#new-due').text()).to.contain('15 December 2026');

    const none = await submit(admin, form, { reason: '' });
    expect(none.status).to.equal(400);
    expect(cheerio.load(none.text)('.govuk-error-summary a[href="#reason"]').text()).to.contain('Enter the reason');
    expect((await Application.findById(app.id).lean())!.extendedDueBy).to.equal(undefined);

    const ok = await submit(admin, form, { reason: 'Waiting for a referee to reply' });
    expect(ok.status).to.equal(303);
    const stored = await Application.findById(app.id).lean();
    expect(stored!.extendedDueBy!.toISOString()).to.equal('2026-12-15T23:59:59.999Z');
    expect(stored!.extensionReason).to.equal('Waiting for a referee to reply');
    const event = await AuditEvent.findOne({ targetId: app.id, action: 'application.due-by-extended' }).lean();
    expect(event).to.not.equal(null);
    expect(String(event!.actor)).to.equal(adminUser.id);
    expect((event!.details as any).reason).to.equal('Waiting for a referee to reply');
    expect(t.mailer.lastTo('extend-main@example.org')?.text).to.match(/Tuesday,? 15 December 2026/);
    $ = cheerio.load((await admin.get(`/admin/applications/${app.id}`)).text);
    expect($('#application-summary').text()).to.contain('Reason: Waiting for a referee to reply');

    // Only once.
    $ = cheerio.load((await admin.get(form)).text);
    expect($('#refusal').text()).to.contain('already been extended once');
    expect($('form[action$="/extension"]')).to.have.length(0);
    const twice = await submit(admin, form, { reason: 'Again' });
    expect(twice.status).to.equal(409);
    expect((await Application.findById(app.id).lean())!.extendedDueBy!.toISOString()).to.equal('2026-12-15T23:59:59.999Z');
    expect(await AuditEvent.countDocuments({ targetId: app.id, action: 'application.due-by-extended' })).to.equal(1);
  });

  it('decides each lot after a confirmation step: admits, rejects, then the application is decided', async () => {
    const [lotA, lotB] = [await uniqueLot('Decide A'), await uniqueLot('Decide B')];
    const sub = await submittedApplication(t, { lots: [lotA, lotB] });
    const page = `/admin/applications/${sub.id}`;
    const form = `${page}/decision`;

    // Validation: nothing written.
    const bad = await submit(admin, form, { lot: lotA.id, reasons: '' });
    expect(bad.status).to.equal(400);
    let $ = cheerio.load(bad.text);
    expect($('.govuk-error-summary a[href="#outcome"]')).to.have.length(1);
    expect($('.govuk-error-summary a[href="#reasons"]')).to.have.length(1);
    expect($('input[name=lot][value="' + lotA.id + '"]').attr('checked')).to.not.equal(undefined);
    const other = await uniqueLot('Not sought');
    expect((await submit(admin, form, { lot: other.id, outcome: 'admitted', reasons: 'x' })).status).to.equal(400);

    // The confirmation page writes nothing.
    const confirm = await submit(admin, form, { lot: lotA.id, outcome: 'admitted', reasons: 'Strong democratic governance and relevant case studies.' });
    expect(confirm.status).to.equal(200);
    $ = cheerio.load(confirm.text);
    expect($('h1').text()).to.equal('Confirm the decision');
    expect($('.govuk-summary-list').text()).to.contain(`Lot ${lotA.number}`);
    expect($('form[action$="/decision/confirm"] input[name=reasons]').val()).to.equal('Strong democratic governance and relevant case studies.');
    expect((await Application.findById(sub.id).lean())!.decisions).to.have.length(0);
    expect(await Admission.exists({ supplier: sub.user.organisation })).to.equal(null);

    // Confirm: decision, admission, still awaiting the other lot.
    const admitted = await admin.post(`${form}/confirm`).type('form').send({
      _csrf: $('form[action$="/decision/confirm"] input[name=_csrf]').val(), lot: lotA.id, outcome: 'admitted', reasons: 'Strong democratic governance and relevant case studies.',
      status: 'decided', decidedBy: otherAdminUser.id,
    });
    expect(admitted.status).to.equal(303);
    let stored = await Application.findById(sub.id).lean();
    expect(stored!.status).to.equal('submitted');
    expect(stored!.decisions).to.have.length(1);
    expect(stored!.decisions[0]).to.deep.include({ outcome: 'admitted', reasons: 'Strong democratic governance and relevant case studies.' });
    expect(String(stored!.decisions[0].decidedBy)).to.equal(adminUser.id);
    const admission = await Admission.findOne({ supplier: sub.user.organisation, lot: lotA.id }).lean();
    expect(admission).to.deep.include({ status: 'active' });
    expect(String(admission!.application)).to.equal(sub.id);
    expect(admission!.history).to.have.length(1);
    expect(admission!.history[0].reason).to.contain(sub.reference);
    const mail = t.mailer.lastTo(sub.user.email);
    expect(mail?.subject).to.equal(`Decision on your application ${sub.reference}: lot ${lotA.number}: ${lotA.title}`);
    expect(mail?.text).to.contain('We have admitted your organisation');
    expect(mail?.text).to.contain('Strong democratic governance');

    // The same lot cannot be decided twice.
    expect((await submit(admin, form, { lot: lotA.id, outcome: 'rejected', reasons: 'Changed mind' })).status).to.equal(400);
    $ = cheerio.load((await admin.get(form)).text);
    expect($('input[name=lot]').map((_i, el) => $(el).val()).get()).to.deep.equal([lotB.id]);

    // Reject the other lot: the application is decided and the supplier reads the reasons.
    $ = cheerio.load((await submit(admin, form, { lot: lotB.id, outcome: 'rejected', reasons: 'Case studies for this lot were out of scope.' })).text);
    const rejected = await admin.post(`${form}/confirm`).type('form').send({ _csrf: $('form[action$="/decision/confirm"] input[name=_csrf]').val(), lot: lotB.id, outcome: 'rejected', reasons: 'Case studies for this lot were out of scope.' });
    expect(rejected.status).to.equal(303);
    stored = await Application.findById(sub.id).lean();
    expect(stored!.status).to.equal('decided');
    expect(stored!.decisions.map((d) => d.outcome)).to.deep.equal(['admitted', 'rejected']);
    expect(await Admission.exists({ supplier: sub.user.organisation, lot: lotB.id })).to.equal(null);
    expect(t.mailer.lastTo('main.contact@example.coop')?.text).to.contain('Case studies for this lot were out of scope.');
    const decisionEvents = ['application.submitted', 'application.lot-admitted', 'application.lot-rejected', 'application.decided'];
    expect((await auditActions(sub.id)).filter((a) => decisionEvents.includes(a))).to.deep.equal(decisionEvents);
    expect(await verifyAuditChain()).to.equal(undefined);

    // The review page shows the decisions; no further actions; the supplier sees each decision with reasons.
    $ = cheerio.load((await admin.get(page)).text);
    expect($('#decisions + .app-table-container tbody tr')).to.have.length(2);
    expect($('a[href$="/decision"], a[href$="/extension"]')).to.have.length(0);
    const supplierPage = cheerio.load((await sub.agent.get(applicationPath(sub.id))).text);
    expect(supplierPage('main').text()).to.contain('Case studies for this lot were out of scope.');
    expect(supplierPage('main').text()).to.contain('Strong democratic governance');

    // Decided: no question, no extension, no scoring.
    expect((await submit(admin, `${page}/clarification`, { question: 'Late question' }, `${page}/clarification`)).status).to.equal(409);
    expect((await submit(admin, `${page}/extension`, { reason: 'Late' }, page)).status).to.equal(409);
    expect((await submit(admin, `${page}/review`, { ...fullScores(2, 'Late'), action: 'submit' }, page)).status).to.equal(409);
    stored = await Application.findById(sub.id).lean();
    expect(stored!.clarifications).to.have.length(0);
    expect(stored!.extendedDueBy).to.equal(undefined);
    expect(stored!.reviews).to.have.length(0);
  });

  it('records one decision when two admins confirm the same lot at once', async () => {
    const lot = await uniqueLot('Race');
    const app = await createSubmittedApplication({ lots: [lot], submittedAt: t.clock.now() });
    const form = `/admin/applications/${app.id}/decision`;
    const tokenOf = async (agent: request.Agent, outcome: string) =>
      cheerio.load((await submit(agent, form, { lot: lot.id, outcome, reasons: `Reasons ${outcome}` })).text)('form[action$="/confirm"] input[name=_csrf]').val() as string;
    const [tokenA, tokenB] = [await tokenOf(admin, 'admitted'), await tokenOf(other, 'rejected')];
    const results = await Promise.all([
      admin.post(`${form}/confirm`).type('form').send({ _csrf: tokenA, lot: lot.id, outcome: 'admitted', reasons: 'Reasons admitted' }),
      other.post(`${form}/confirm`).type('form').send({ _csrf: tokenB, lot: lot.id, outcome: 'rejected', reasons: 'Reasons rejected' }),
    ]);
    expect(results.map((r) => r.status).sort()).to.deep.equal([303, 409]);
    const stored = await Application.findById(app.id).lean();
    expect(stored!.decisions).to.have.length(1);
    expect(stored!.status).to.equal('decided');
    const outcome = stored!.decisions[0].outcome;
    expect(await Admission.countDocuments({ supplier: app.supplier, lot: lot.id })).to.equal(outcome === 'admitted' ? 1 : 0);
    expect(await AuditEvent.countDocuments({ targetId: app.id, action: trusted({ $in: ['application.lot-admitted', 'application.lot-rejected'] }) })).to.equal(1);
  });

  it('re-admits a removed supplier on a later application, keeping the admission\u2019s history', async () => {
    const lot = await uniqueLot('Readmit');
    const first = await createSubmittedApplication({ lots: [lot], submittedAt: t.clock.now() });
    await Admission.create({
      supplier: first.supplier, lot: lot.id, application: first.id, status: 'removed', admittedAt: new Date('2025-01-01T00:00:00Z'),
      history: [{ status: 'active', reason: 'Admitted', at: new Date('2025-01-01T00:00:00Z') }, { status: 'removed', reason: 'Lapsed insurance', ground: 'no longer meets the conditions', at: new Date('2025-06-01T00:00:00Z') }],
    });
    await Application.updateOne({ _id: first.id }, { $set: { status: 'decided' } });
    const second = await createSubmittedApplication({ supplier: first.supplier, lots: [lot], submittedAt: t.clock.now() });
    const $ = cheerio.load((await submit(admin, `/admin/applications/${second.id}/decision`, { lot: lot.id, outcome: 'admitted', reasons: 'Insurance renewed.' })).text);
    const res = await admin.post(`/admin/applications/${second.id}/decision/confirm`).type('form').send({ _csrf: $('input[name=_csrf]').first().val(), lot: lot.id, outcome: 'admitted', reasons: 'Insurance renewed.' });
    expect(res.status).to.equal(303);
    const admissions = await Admission.find({ supplier: first.supplier, lot: lot.id }).lean();
    expect(admissions).to.have.length(1);
    expect(admissions[0].status).to.equal('active');
    expect(String(admissions[0].application)).to.equal(second.id);
    expect(admissions[0].history.map((h) => h.status)).to.deep.equal(['active', 'removed', 'active']);
  });
});
