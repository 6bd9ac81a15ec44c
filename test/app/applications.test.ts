// The supplier's application journey through the front door: start, every section, check answers, submit,
// confirmation, e-mail, receipt time, due-by date, read-only after submission, withdraw, clarifications.
import { expect } from 'chai';
import * as cheerio from 'cheerio';
import { Admission } from '../../models/Admission';
import { Application } from '../../models/Application';
import { AuditEvent } from '../../models/AuditEvent';
import { Organisation } from '../../models/Organisation';
import { SECTIONS } from '../../server/domain/applicationQuestions';
import { workingDayDeadline } from '../../server/domain/workingDays';
import { snapshotHash } from '../../server/services/applications';
import { createUser, signIn, submit, testApp, TestApp } from '../support/app';
import {
  applicationPath, ensureLots, fillApplication, requiredFiles, saveSection, sectionPath, startApplication, submittedApplication, TestLot, validAnswers,
} from '../support/applications';

describe('supplier applications: the journey', function () {
  this.timeout(60_000);
  let t: TestApp;
  let lots: TestLot[];

  before(async () => {
    t = await testApp();
    lots = await ensureLots([91, 92]);
  });

  it('starts from the dashboard, fills every section, checks answers, submits and confirms', async () => {
    t.clock.set('2026-12-18T15:30:05.123Z'); // a Friday before Christmas: the due date skips the bank holidays
    const user = await createUser('supplier');
    const agent = await signIn(t, user);

    const dash = cheerio.load((await agent.get('/supplier')).text);
    expect(dash('a[href="/supplier/applications"]').length).to.be.greaterThan(0);
    expect(dash('.govuk-service-navigation').text()).to.contain('Applications');

    const list = cheerio.load((await agent.get('/supplier/applications')).text);
    expect(list('button').text()).to.contain('Start a new application');
    const id = await startApplication(agent);

    const tasks = cheerio.load((await agent.get(applicationPath(id))).text);
    expect(tasks('.govuk-task-list__item')).to.have.length(SECTIONS.length + 1);
    expect(tasks('.govuk-task-list__status').first().text()).to.contain('Not yet started');
    expect(tasks('.govuk-task-list__item').last().text()).to.contain('Cannot start yet');
    expect(tasks(`a[href="${applicationPath(id, '/check-answers')}"]`)).to.have.length(0);

    const answers = validAnswers(lots, await requiredFiles(user));
    await fillApplication(agent, id, answers);

    const done = cheerio.load((await agent.get(applicationPath(id))).text);
    expect(done('.govuk-task-list__status').slice(0, SECTIONS.length).map((_i, el) => done(el).text().trim()).get()).to.deep.equal(SECTIONS.map(() => 'Completed'));
    expect(done(`a[href="${applicationPath(id, '/check-answers')}"]`)).to.have.length(1);

    const check = cheerio.load((await agent.get(applicationPath(id, '/check-answers'))).text);
    expect(check('h2').text()).to.contain('Organisation details');
    expect(check('.govuk-summary-list').text()).to.contain('Riverside Workers Co-operative Limited');
    expect(check('.govuk-summary-list').text()).to.contain('£210,000.50');
    expect(check('.govuk-summary-list').text()).to.contain('1 April 2024');
    expect(check(`a[href="${sectionPath(id, 'organisation')}#legalName"]`)).to.have.length(1);
    expect(check(`a[href="${sectionPath(id, 'technical')}#caseStudies-0-start-day"]`)).to.have.length(1);

    const res = await submit(agent, applicationPath(id, '/submit'), {}, applicationPath(id, '/check-answers'));
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal(applicationPath(id, '/confirmation'));

    const app = (await Application.findById(id).lean())!;
    expect(app.status).to.equal('submitted');
    expect(app.reference).to.match(/^DPS-APP-2026-\d{6}$/);
    expect(app.submittedAt!.toISOString()).to.equal('2026-12-18T15:30:05.123Z');
    expect(app.nation).to.equal('England');
    // 10 working days from Friday 18 December 2026, skipping 25 December, 28 December (Boxing Day substitute) and 1 January (England): Wednesday 6 January 2027
    expect(app.dueBy!.toISOString()).to.equal(workingDayDeadline(new Date('2026-12-18T15:30:05.123Z'), 10, 'England').toISOString());
    expect(app.dueBy!.toISOString()).to.equal('2027-01-06T23:59:59.999Z');
    expect(app.snapshotHash).to.equal(snapshotHash(app.snapshot));
    expect((app.snapshot as any).answers.organisation.legalName).to.equal('Riverside Workers Co-operative Limited');
    expect(app.lots.map(String).sort()).to.deep.equal(lots.map((l) => l.id).sort());

    const org = (await Organisation.findById(user.organisation).lean())!;
    expect(org.profile).to.include({ legalName: 'Riverside Workers Co-operative Limited', legalForm: 'co-operative-society', vcse: true, nation: 'England' });

    const audit = await AuditEvent.findOne({ action: 'application.submitted', targetId: id }).lean();
    expect(audit?.details).to.include({ reference: app.reference, snapshotHash: app.snapshotHash });

    for (const to of ['main.contact@example.coop', user.email]) {
      const mail = t.mailer.lastTo(to);
      expect(mail, to).to.not.equal(undefined);
      expect(mail!.subject).to.contain(app.reference!);
      expect(mail!.text).to.contain('18 December 2026');
    }

    const confirm = cheerio.load((await agent.get(res.headers.location)).text);
    expect(confirm('.govuk-panel__title').text()).to.contain('Application submitted');
    expect(confirm('.govuk-panel__body').text()).to.contain(app.reference!);
    expect(confirm('#received').text()).to.contain('18 December 2026 at 3:30:05pm (UK time)');
    expect(confirm('#due-by').text()).to.contain('6 January 2027');

    const show = cheerio.load((await agent.get(applicationPath(id))).text);
    expect(show('main .govuk-summary-list .govuk-tag').first().text()).to.contain('Submitted');
    const listAfter = cheerio.load((await agent.get('/supplier/applications')).text);
    expect(listAfter('table').text()).to.contain(app.reference!);
    expect(listAfter('button:contains("Start a new application")')).to.have.length(0);
    const dashAfter = cheerio.load((await agent.get('/supplier')).text);
    expect(dashAfter('.govuk-summary-list').text()).to.contain(app.reference!);
  });

  it('counts the due-by date on the bank holidays of the supplier\u2019s nation (Scotland: 2 January)', async () => {
    t.clock.set('2026-12-18T10:00:00Z');
    const { id } = await submittedApplication(t, { lots, overrides: { organisation: { nation: 'Scotland', region: 'Scotland' } } });
    const app = (await Application.findById(id).lean())!;
    expect(app.nation).to.equal('Scotland');
    // Scotland also loses Saturday 2 January's substitute day (Monday 4 January 2027): one day later than England
    expect(app.dueBy!.toISOString()).to.equal(workingDayDeadline(new Date('2026-12-18T10:00:00Z'), 10, 'Scotland').toISOString());
    expect(app.dueBy!.toISOString()).to.equal('2027-01-07T23:59:59.999Z');
  });

  it('saves a draft with partial answers, marks it in progress, and resumes on another device', async () => {
    const user = await createUser('supplier');
    const agent = await signIn(t, user);
    const id = await startApplication(agent);
    const res = await saveSection(agent, id, 'organisation', { legalName: 'Half Done Co-op', website: '' }, 'draft');
    expect(res.status).to.equal(303);
    const app = (await Application.findById(id).lean())!;
    expect((app.sectionStatus as any).organisation).to.equal('in-progress');
    expect((app.answers as any).organisation).to.deep.equal({ legalName: 'Half Done Co-op' });

    const other = await signIn(t, user); // another browser
    const tasks = cheerio.load((await other.get(applicationPath(id))).text);
    expect(tasks('.govuk-task-list__item').first().text()).to.contain('In progress');
    const form = cheerio.load((await other.get(sectionPath(id, 'organisation'))).text);
    expect(form('#legalName').val()).to.equal('Half Done Co-op');

    // a draft still checks type and length
    const bad = await saveSection(agent, id, 'organisation', { legalName: 'x'.repeat(201), website: 'javascript:alert(1)' }, 'draft');
    expect(bad.status).to.equal(400);
    const $ = cheerio.load(bad.text);
    expect($('.govuk-error-summary a[href="#legalName"]').text()).to.contain('200 characters or fewer');
    expect($('.govuk-error-summary a[href="#website"]').text()).to.contain('https://');
    expect(((await Application.findById(id).lean())!.answers as any).organisation.legalName).to.equal('Half Done Co-op');

    // "Save and continue" with a valid section marks it completed
    const answers = validAnswers(lots, {});
    expect((await saveSection(agent, id, 'organisation', answers.organisation)).status).to.equal(303);
    expect(((await Application.findById(id).lean())!.sectionStatus as any).organisation).to.equal('completed');
  });

  it('adds and removes case studies without JavaScript, and shows the case-study shortfall per lot', async () => {
    const user = await createUser('supplier');
    const agent = await signIn(t, user);
    const id = await startApplication(agent);
    await saveSection(agent, id, 'lots', validAnswers(lots, {}).lots);

    const empty = cheerio.load((await agent.get(sectionPath(id, 'technical'))).text);
    expect(empty('.govuk-warning-text').text()).to.contain('Add at least 2 case studies for lot 91');
    expect(empty('button[value="add-caseStudies"]').text()).to.contain('Add a case study');

    const added = await saveSection(agent, id, 'technical', {}, 'add-caseStudies');
    expect(added.status).to.equal(303);
    expect(added.headers.location).to.equal(`${sectionPath(id, 'technical')}#caseStudies-0`);
    const one = cheerio.load((await agent.get(sectionPath(id, 'technical'))).text);
    expect(one('fieldset#caseStudies-0 legend').text()).to.contain('Case study 1');
    expect(one('#caseStudies-0-client')).to.have.length(1);
    expect(one('#caseStudies-0-start-day')).to.have.length(1);

    const first = { 'caseStudies-0-lot': '91', 'caseStudies-0-client': 'First Council' };
    await saveSection(agent, id, 'technical', first, 'add-caseStudies');
    await saveSection(agent, id, 'technical', { ...first, 'caseStudies-1-client': 'Second Council' }, 'add-caseStudies');
    let stored = ((await Application.findById(id).lean())!.answers as any).technical.caseStudies;
    expect(stored.map((c: any) => c.client)).to.deep.equal(['First Council', 'Second Council', undefined]);

    const removed = await saveSection(agent, id, 'technical', { ...first, 'caseStudies-1-client': 'Second Council', 'caseStudies-2-client': '' }, 'remove-caseStudies-0');
    expect(removed.status).to.equal(303);
    stored = ((await Application.findById(id).lean())!.answers as any).technical.caseStudies;
    expect(stored.map((c: any) => c.client)).to.deep.equal(['Second Council', undefined]);

    // "Save and continue" needs every case study complete, and at least two
    const incomplete = await saveSection(agent, id, 'technical', { 'caseStudies-0-client': 'Second Council' });
    expect(incomplete.status).to.equal(400);
    const $ = cheerio.load(incomplete.text);
    expect($('.govuk-error-summary a[href="#caseStudies-0-lot"]').text()).to.contain('Case study 1: Enter lot number');
    expect($('.govuk-error-summary a[href="#caseStudies-0-start-day"]').text()).to.contain('Case study 1: Enter start date');
    expect($('.govuk-error-summary a[href="#caseStudies"]').text()).to.contain('Add at least 2 case studies');
    expect($('#caseStudies-0-client').val()).to.equal('Second Council');

    // two case studies for lot 91 only: the section completes, but submission is refused for lot 92
    const ok = validAnswers([lots[0]], {}).technical;
    expect((await saveSection(agent, id, 'technical', ok)).status).to.equal(303);
    const page = cheerio.load((await agent.get(sectionPath(id, 'technical'))).text);
    expect(page('.govuk-warning-text').text()).to.contain('lot 92').and.not.contain('lot 91');
  });

  it('refuses to submit while a section is incomplete or the case studies fall short', async () => {
    const user = await createUser('supplier');
    const agent = await signIn(t, user);
    const id = await startApplication(agent);
    const answers = validAnswers(lots, await requiredFiles(user));
    answers.technical = validAnswers([lots[0]], {}).technical;
    await fillApplication(agent, id, answers);
    const res = await submit(agent, applicationPath(id, '/submit'), {}, applicationPath(id, '/check-answers'));
    expect(res.status).to.equal(400);
    const $ = cheerio.load(res.text);
    expect($(`.govuk-error-summary a[href="${sectionPath(id, 'technical')}"]`).text()).to.contain('Add at least 2 case studies for lot 92');
    expect($('.govuk-error-summary a')).to.have.length(1);
    expect((await Application.findById(id).lean())!.status).to.equal('draft');
  });

  it('submitting twice at once makes one submission, one reference and one e-mail', async () => {
    const user = await createUser('supplier');
    const agent = await signIn(t, user);
    const id = await startApplication(agent);
    await fillApplication(agent, id, validAnswers(lots, await requiredFiles(user)));
    const page = cheerio.load((await agent.get(applicationPath(id, '/check-answers'))).text);
    const _csrf = String(page('input[name=_csrf]').val());
    const sentBefore = t.mailer.sent.length;
    const [a, b] = await Promise.all([1, 2].map(() => agent.post(applicationPath(id, '/submit')).type('form').send({ _csrf })));
    expect([a.status, b.status]).to.deep.equal([303, 303]);
    expect(await AuditEvent.countDocuments({ action: 'application.submitted', targetId: id })).to.equal(1);
    expect(t.mailer.sent.slice(sentBefore).filter((m) => m.to === user.email)).to.have.length(1);
    const app = (await Application.findById(id).lean())!;
    expect(app.status).to.equal('submitted');
  });

  it('makes a submitted application read-only', async () => {
    const { agent, id } = await submittedApplication(t, { lots });
    const before = (await Application.findById(id).lean())!;
    const res = await agent.post(sectionPath(id, 'organisation')).type('form').send({
      _csrf: String(cheerio.load((await agent.get('/supplier/applications')).text)('input[name=_csrf]').first().val() ?? ''),
      legalName: 'Changed after submission', action: 'continue',
    });
    expect(res.status).to.equal(409);
    expect(cheerio.load(res.text)('#locked').text()).to.contain('cannot be changed');
    const after = (await Application.findById(id).lean())!;
    expect((after.answers as any).organisation.legalName).to.equal((before.answers as any).organisation.legalName);
    expect(after.snapshotHash).to.equal(before.snapshotHash);
    // the section page sends the supplier to the read-only answers, which have no Change links
    const get = await agent.get(sectionPath(id, 'organisation'));
    expect(get.status).to.equal(303);
    const answers = cheerio.load((await agent.get(applicationPath(id, '/check-answers'))).text);
    expect(answers('.govuk-summary-list__actions a')).to.have.length(0);
    expect(answers('.govuk-summary-list').text()).to.contain('Riverside Workers Co-operative Limited');
    expect(answers(`form[action$="/submit"]`)).to.have.length(0);
  });

  it('withdraws after a confirmation page, audited; the supplier may then start again', async () => {
    const { agent, id, user } = await submittedApplication(t, { lots });
    const confirm = cheerio.load((await agent.get(applicationPath(id, '/withdraw'))).text);
    expect(confirm('h1').text()).to.contain('Are you sure');
    const res = await submit(agent, applicationPath(id, '/withdraw'), {});
    expect(res.status).to.equal(303);
    const app = (await Application.findById(id).lean())!;
    expect(app.status).to.equal('withdrawn');
    expect(app.withdrawnAt).to.be.instanceOf(Date);
    expect(await AuditEvent.exists({ action: 'application.withdrawn', targetId: id })).to.not.equal(null);
    const again = await submit(agent, applicationPath(id, '/withdraw'), {}, applicationPath(id));
    expect(again.status).to.equal(409);
    // a new application carries over the organisation's answers for review
    const next = await startApplication(agent);
    expect(next).to.not.equal(id);
    const draft = (await Application.findById(next).lean())!;
    expect((draft.answers as any).organisation.legalName).to.equal('Riverside Workers Co-operative Limited');
    expect((draft.sectionStatus as any).organisation).to.equal('in-progress');
    expect((draft.answers as any).lots).to.equal(undefined);
    expect(String(draft.supplier)).to.equal(user.organisation);
  });

  it('lets only one draft or submitted application be open at a time; a rejected supplier may start again', async () => {
    const { agent, id } = await submittedApplication(t, { lots });
    const list = cheerio.load((await agent.get('/supplier/applications')).text);
    expect(list('button:contains("Start a new application")')).to.have.length(0);
    const res = await submit(agent, '/supplier/applications', {}, '/supplier/applications/' + id + '/withdraw');
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal(applicationPath(id));
    expect(await Application.countDocuments({ supplier: (await Application.findById(id).lean())!.supplier })).to.equal(1);

    // decided (by the vetting service): rejected for both lots, with reasons
    await Application.updateOne({ _id: id }, { $set: { status: 'decided', decisions: lots.map((l) => ({ lot: l.id, outcome: 'rejected', reasons: `Not enough evidence for lot ${l.number}.`, decidedBy: id, decidedAt: new Date('2027-01-04T10:00:00Z') })) } });
    const show = cheerio.load((await agent.get(applicationPath(id))).text);
    expect(show('#decisions').length).to.equal(1);
    expect(show('.app-decision').first().text()).to.contain('Lot 91').and.contain('Not admitted').and.contain('Not enough evidence for lot 91.');
    expect(show('a[href$="/withdraw"]')).to.have.length(0);
    expect(await startApplication(agent)).to.match(/^[0-9a-f]{24}$/);
  });

  it('shows the panel\u2019s clarification questions and takes one answer to each, audited', async () => {
    const { agent, id, user } = await submittedApplication(t, { lots });
    await Application.updateOne({ _id: id }, { $push: { clarifications: { question: 'Please confirm your <b>insurer</b>.', askedBy: user.id, askedAt: new Date() } } });
    const cid = String((await Application.findById(id).lean())!.clarifications[0]._id);
    const page = await agent.get(applicationPath(id));
    expect(page.text).to.contain('Please confirm your &lt;b&gt;insurer&lt;/b&gt;.');
    const empty = await submit(agent, applicationPath(id, `/clarifications/${cid}`), { answer: ' ' }, applicationPath(id));
    expect(empty.status).to.equal(400);
    expect(cheerio.load(empty.text)(`.govuk-error-summary a[href="#answer-${cid}"]`).text()).to.contain('Enter your answer');
    const twice = await submit(agent, applicationPath(id, `/clarifications/${cid}`), { answer: ['a', 'b'] }, applicationPath(id));
    expect(twice.status).to.equal(400);
    const res = await submit(agent, applicationPath(id, `/clarifications/${cid}`), { answer: 'Mutual Insurance Ltd, policy 123.' }, applicationPath(id));
    expect(res.status).to.equal(303);
    const c = (await Application.findById(id).lean())!.clarifications[0];
    expect(c.answer).to.equal('Mutual Insurance Ltd, policy 123.');
    expect(String(c.answeredBy)).to.equal(user.id);
    expect(await AuditEvent.exists({ action: 'application.clarification-answered', targetId: id })).to.not.equal(null);
    const after = cheerio.load((await agent.get(applicationPath(id))).text);
    expect(after('.app-clarification').text()).to.contain('Your answer: Mutual Insurance Ltd, policy 123.');
    expect(after(`form[action$="/clarifications/${cid}"]`)).to.have.length(0);
    const again = await agent.post(applicationPath(id, `/clarifications/${cid}`)).type('form').send({ answer: 'Changed', _csrf: String(after('input[name=_csrf]').first().val()) });
    expect(again.status).to.equal(409);
    expect((await Application.findById(id).lean())!.clarifications[0].answer).to.equal('Mutual Insurance Ltd, policy 123.');
  });

  it('starting twice at once makes one draft', async () => {
    const user = await createUser('supplier');
    const agent = await signIn(t, user);
    const page = cheerio.load((await agent.get('/supplier/applications')).text);
    const _csrf = String(page('input[name=_csrf]').first().val());
    const results = await Promise.all([1, 2, 3].map(() => agent.post('/supplier/applications').type('form').send({ _csrf })));
    expect(results.map((r) => r.status)).to.deep.equal([303, 303, 303]);
    expect(await Application.countDocuments({ supplier: user.organisation })).to.equal(1);
  });

  it('ignores posted fields that are not questions (status, supplier, reference)', async () => {
    const user = await createUser('supplier');
    const agent = await signIn(t, user);
    const id = await startApplication(agent);
    const other = await createUser('supplier');
    const res = await saveSection(agent, id, 'contacts', { ...validAnswers(lots, {}).contacts, status: 'submitted', supplier: other.organisation, reference: 'DPS-APP-2026-999999', submittedAt: '2020-01-01' });
    expect(res.status).to.equal(303);
    const app = (await Application.findById(id).lean())!;
    expect(app.status).to.equal('draft');
    expect(String(app.supplier)).to.equal(user.organisation);
    expect(app.reference).to.equal(undefined);
    expect(Object.keys((app.answers as any).contacts).sort()).to.deep.equal(['bidEmail', 'bidName', 'mainEmail', 'mainName', 'mainPhone']);
  });

  it('keeps the submission when the confirmation e-mail cannot be sent', async () => {
    const user = await createUser('supplier');
    const agent = await signIn(t, user);
    const id = await startApplication(agent);
    await fillApplication(agent, id, validAnswers(lots, await requiredFiles(user)));
    const send = t.mailer.send;
    t.mailer.send = async () => { throw new Error('SMTP down'); };
    try {
      const res = await submit(agent, applicationPath(id, '/submit'), {}, applicationPath(id, '/check-answers'));
      expect(res.status).to.equal(303);
    } finally {
      t.mailer.send = send;
    }
    expect((await Application.findById(id).lean())!.status).to.equal('submitted');
    expect(cheerio.load((await agent.get(applicationPath(id, '/confirmation'))).text)('.govuk-panel__body').text()).to.match(/DPS-APP-\d{4}-\d{6}/);
  });

  it('shows an admitted supplier which lots it already holds when it applies for further lots', async () => {
    const { agent, id, user } = await submittedApplication(t, { lots: [lots[0]] });
    await Application.updateOne({ _id: id }, { $set: { status: 'decided', decisions: [{ lot: lots[0].id, outcome: 'admitted', reasons: 'Meets the conditions.', decidedBy: user.id, decidedAt: new Date() }] } });
    await Admission.create({ supplier: user.organisation, lot: lots[0].id, application: id, status: 'active', admittedAt: new Date() });
    const next = await startApplication(agent);
    const $ = cheerio.load((await agent.get(sectionPath(next, 'lots'))).text);
    expect($(`input[name=lots][value=${lots[0].id}]`).closest('.govuk-checkboxes__item').text()).to.contain('You are already admitted to this lot');
    expect($(`input[name=lots][value=${lots[1].id}]`).closest('.govuk-checkboxes__item').text()).to.not.contain('already admitted');
  });
});
