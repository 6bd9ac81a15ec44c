// Renewed self-declarations (domain.md section 1: "due in 5 working days"): the network's admin asks from an
// admission's page, the supplier is e-mailed and sees it on its dashboard with the due date (the bank holidays of its
// nation counted), answers the exclusion grounds and declarations with the application's questions, and the admin
// sees the answers with any "yes" flagged. Overdue by the clock, in red for both. Access for the new routes.
import { expect } from 'chai';
import request from 'supertest';
import * as cheerio from 'cheerio';
import { Admission } from '../../models/Admission';
import { AuditEvent } from '../../models/AuditEvent';
import { SelfDeclaration } from '../../models/SelfDeclaration';
import { EXCLUSION_GROUNDS } from '../../server/domain/applicationQuestions';
import { createUser, csrfFrom, signIn, submit, testApp, TestApp, TestUser } from '../support/app';
import { submittedApplication, SubmittedApplication } from '../support/applications';
import { uniqueLot } from '../support/vetting';

const XSS = '<script>alert(1)</script>';
const START = '2026-11-24T10:00:00Z'; // a Tuesday

/** Every exclusion ground answered no, and the three declarations agreed, as the form posts them. */
function goodAnswers(overrides: Record<string, string> = {}): Record<string, string> {
  return { ...Object.fromEntries(EXCLUSION_GROUNDS.map((g) => [g.name, 'no'])), truth: 'agreed', dataUse: 'agreed', noFees: 'understood', ...overrides };
}

describe('renewed self-declaration', function () {
  this.timeout(90_000);
  let t: TestApp;
  let adminUser: TestUser;
  let admin: request.Agent;

  before(async () => {
    t = await testApp();
    t.clock.set(START);
    adminUser = await createUser('admin');
    admin = await signIn(t, adminUser);
  });

  /** A supplier through the real journey (nation as given), admitted to a new lot. */
  async function admittedSupplier(nation = 'England'): Promise<{ a: SubmittedApplication; admissionId: string }> {
    const lot = await uniqueLot('Declaring');
    const a = await submittedApplication(t, { lots: [lot], overrides: { organisation: { nation, region: nation === 'Scotland' ? 'Scotland' : 'North West' } } });
    const admission = await Admission.create({
      supplier: a.user.organisation, lot: lot.id, application: a.id, status: 'active', admittedAt: t.clock.now(),
      history: [{ status: 'active', reason: 'Admitted', at: t.clock.now(), by: adminUser.id }],
    });
    return { a, admissionId: String(admission._id) };
  }

  async function request5(admissionId: string, reason = 'Annual check of exclusion grounds') {
    return submit(admin, `/admin/admissions/${admissionId}/self-declaration`, { reason });
  }

  it('is requested from the admission page, e-mailed, due in 5 working days, answered, and shown to the admin with yes flagged', async () => {
    const { a, admissionId } = await admittedSupplier('England');
    let $ = cheerio.load((await admin.get(`/admin/admissions/${admissionId}`)).text);
    expect($('#no-self-declarations')).to.have.length(1);
    expect($('#request-self-declaration').attr('href')).to.equal(`/admin/admissions/${admissionId}/self-declaration`);

    const bad = await request5(admissionId, '   ');
    expect(bad.status).to.equal(400);
    expect(cheerio.load(bad.text)('.govuk-error-summary a[href="#reason"]').text()).to.contain('Enter the reason');
    expect(await SelfDeclaration.countDocuments({ supplier: a.user.organisation })).to.equal(0);

    const res = await request5(admissionId, `Annual check ${XSS}`);
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal(`/admin/admissions/${admissionId}#self-declarations`);
    const stored = await SelfDeclaration.findOne({ supplier: a.user.organisation }).lean();
    expect(stored).to.deep.include({ nation: 'England', reason: `Annual check ${XSS}` });
    expect(String(stored!.requestedBy)).to.equal(adminUser.id);
    expect(stored!.requestedAt.toISOString()).to.equal(new Date(START).toISOString());
    // Tuesday 24 November: Wed, Thu, Fri, Mon 30, Tue 1 December (end of the day, UK time)
    expect(stored!.dueBy.toISOString()).to.equal('2026-12-01T23:59:59.999Z');
    const requested = await AuditEvent.findOne({ action: 'self-declaration.requested', targetId: String(stored!._id) }).lean();
    expect(String(requested!.actor)).to.equal(adminUser.id);

    for (const to of [a.user.email, 'main.contact@example.coop']) {
      const mail = t.mailer.lastTo(to);
      expect(mail?.subject, to).to.contain('Renewed self-declaration requested');
      expect(mail?.text).to.contain('Tuesday, 1 December 2026');
      expect(mail?.text).to.contain(`Annual check ${XSS}`);
    }

    // once at a time
    $ = cheerio.load((await admin.get(`/admin/admissions/${admissionId}`)).text);
    expect($('#request-self-declaration')).to.have.length(0);
    expect($(`#self-declaration-${stored!._id}`).text()).to.contain('Requested');
    expect($(`#self-declaration-${stored!._id} .govuk-tag`).text()).to.contain('Requested');
    // the form page says one is open and offers no form; a forged POST is refused with 409
    const formPage = cheerio.load((await admin.get(`/admin/admissions/${admissionId}/self-declaration`)).text);
    expect(formPage('form[action$="/self-declaration"]')).to.have.length(0);
    expect(formPage('.govuk-inset-text').text()).to.contain('already has a renewed self-declaration');
    const token = await csrfFrom(admin, `/admin/admissions/${admissionId}`);
    expect((await admin.post(`/admin/admissions/${admissionId}/self-declaration`).type('form').send({ _csrf: token, reason: 'Again' })).status).to.equal(409);
    expect(await SelfDeclaration.countDocuments({ supplier: a.user.organisation })).to.equal(1);

    // the supplier's dashboard shows it with the due date and links to the form
    const dash = await a.agent.get('/supplier');
    expect(dash.text).to.not.contain('<script>alert(1)');
    $ = cheerio.load(dash.text);
    expect($(`#declaration-${stored!._id}`).text()).to.contain('1 December 2026');
    expect($(`#declaration-${stored!._id} .govuk-tag`).text().trim()).to.equal('Requested');
    const href = `/supplier/declarations/${stored!._id}`;
    expect($(`a[href="${href}"]`)).to.have.length(1);

    // the form: the exclusion grounds and the declarations, from the application's questions
    const form = await a.agent.get(href);
    expect(form.status).to.equal(200);
    expect(form.text).to.not.contain('<script>alert(1)');
    $ = cheerio.load(form.text);
    expect($('input[name="corruption"][type=radio]')).to.have.length(2);
    expect($('textarea[name="insolvency-explanation"]')).to.have.length(1);
    expect($('input[name="truth"][type=checkbox]')).to.have.length(1);

    // validation: a yes needs an explanation, the declarations are required; nothing stored
    const invalid = await submit(a.agent, href, goodAnswers({ insolvency: 'yes', truth: '' }));
    expect(invalid.status).to.equal(400);
    $ = cheerio.load(invalid.text);
    expect($('.govuk-error-summary a[href="#insolvency-explanation"]')).to.have.length(1);
    expect($('.govuk-error-summary a[href="#truth"]')).to.have.length(1);
    expect((await SelfDeclaration.findById(stored!._id).lean())!.submittedAt).to.equal(undefined);

    t.clock.advance(10 * 60 * 1000);
    const sent = await submit(a.agent, href, goodAnswers({ insolvency: 'yes', 'insolvency-explanation': `We restructured ${XSS} in 2024.` }));
    expect(sent.status).to.equal(303);
    expect(sent.headers.location).to.equal('/supplier');
    const answered = await SelfDeclaration.findById(stored!._id).lean();
    expect(answered!.submittedAt!.toISOString()).to.equal(t.clock.now().toISOString());
    expect(answered!.outstanding).to.equal(undefined);
    expect((answered!.answers as any).exclusion.insolvency).to.deep.equal({ answer: 'yes', explanation: `We restructured ${XSS} in 2024.` });
    expect((answered!.answers as any).declarations.truth).to.deep.equal(['agreed']);
    const event = await AuditEvent.findOne({ action: 'self-declaration.submitted', targetId: String(stored!._id) }).lean();
    expect(String(event!.actor)).to.equal(a.user.id);
    expect((event!.details as any).yes).to.deep.equal(['insolvency']);
    // answered once: the dashboard no longer asks, a second POST is refused
    expect(cheerio.load((await a.agent.get('/supplier')).text)(`#declaration-${stored!._id}`)).to.have.length(0);
    expect((await submit(a.agent, href, goodAnswers())).status).to.equal(409);

    // the admin sees the answers on the admission page, the "yes" flagged, and may ask again
    const page = await admin.get(`/admin/admissions/${admissionId}`);
    expect(page.text).to.not.contain('<script>alert(1)');
    $ = cheerio.load(page.text);
    const block = $(`#self-declaration-${stored!._id}`);
    expect(block.find('.govuk-tag').first().text().trim()).to.equal('Submitted');
    expect(block.find('.govuk-warning-text').text()).to.contain('answered yes to 1 exclusion ground');
    const flagged = block.find('.app-flagged');
    expect(flagged).to.have.length(1);
    expect(flagged.text()).to.contain('insolvent');
    expect(flagged.text()).to.contain(`We restructured ${XSS} in 2024.`);
    expect(flagged.find('.govuk-tag--red').text().trim()).to.equal('Yes');
    expect($('#request-self-declaration')).to.have.length(1);
  });

  it('counts the supplier\u2019s own bank holidays: St Andrew\u2019s Day puts a Scottish supplier\u2019s due date a day later', async () => {
    const { a, admissionId } = await admittedSupplier('Scotland');
    expect((await request5(admissionId)).status).to.equal(303);
    const stored = await SelfDeclaration.findOne({ supplier: a.user.organisation }).lean();
    expect(stored!.nation).to.equal('Scotland');
    // Monday 30 November is St Andrew's Day (a Scottish bank holiday): Wed, Thu, Fri, Tue 1, Wed 2 December
    expect(stored!.dueBy.toISOString()).to.equal('2026-12-02T23:59:59.999Z');
    expect(t.mailer.lastTo(a.user.email)?.text).to.contain('Wednesday, 2 December 2026');
  });

  it('shows as overdue, in red, to both sides once the due date has passed, and can still be answered', async () => {
    t.clock.set(START);
    const { a, admissionId } = await admittedSupplier('England');
    expect((await request5(admissionId)).status).to.equal(303);
    const stored = await SelfDeclaration.findOne({ supplier: a.user.organisation }).lean();

    // the last moment of the due day is still in time
    t.clock.set('2026-12-01T23:59:00Z');
    let supplier = await signIn(t, a.user);
    let $ = cheerio.load((await supplier.get('/supplier')).text);
    expect($(`#declaration-${stored!._id} .govuk-tag`).text().trim()).to.equal('Requested');

    t.clock.set('2026-12-02T00:00:01Z');
    supplier = await signIn(t, a.user);
    const adminNow = await signIn(t, adminUser);
    $ = cheerio.load((await supplier.get('/supplier')).text);
    expect($(`#declaration-${stored!._id} .govuk-tag.govuk-tag--red`).text().trim()).to.equal('Overdue');
    $ = cheerio.load((await supplier.get(`/supplier/declarations/${stored!._id}`)).text);
    expect($('.govuk-tag--red').text().trim()).to.equal('Overdue');
    expect($('.govuk-warning-text').text()).to.contain('overdue');
    $ = cheerio.load((await adminNow.get(`/admin/admissions/${admissionId}`)).text);
    expect($(`#self-declaration-${stored!._id} .govuk-tag.govuk-tag--red`).text().trim()).to.equal('Overdue');

    expect((await submit(supplier, `/supplier/declarations/${stored!._id}`, goodAnswers())).status).to.equal(303);
    $ = cheerio.load((await adminNow.get(`/admin/admissions/${admissionId}`)).text);
    expect($(`#self-declaration-${stored!._id} .govuk-tag`).first().text().trim()).to.equal('Submitted');
    expect($(`#self-declaration-${stored!._id}`).text()).to.contain('(late)');
    expect($(`#self-declaration-${stored!._id} .app-flagged`)).to.have.length(0);
    expect((await AuditEvent.findOne({ action: 'self-declaration.submitted', targetId: String(stored!._id) }).lean())!.details).to.deep.include({ late: true });
    admin = adminNow;
  });

  it('refuses a removed admission (409) and an unknown one (404)', async () => {
    const { admissionId } = await admittedSupplier('England');
    await Admission.updateOne({ _id: admissionId }, { $set: { status: 'removed' } });
    const $ = cheerio.load((await admin.get(`/admin/admissions/${admissionId}`)).text);
    expect($('#request-self-declaration')).to.have.length(0);
    const token = await csrfFrom(admin, `/admin/admissions/${admissionId}`);
    expect((await admin.post(`/admin/admissions/${admissionId}/self-declaration`).type('form').send({ _csrf: token, reason: 'Check' })).status).to.equal(409);
    expect((await admin.post('/admin/admissions/0123456789abcdef01234567/self-declaration').type('form').send({ _csrf: token, reason: 'Check' })).status).to.equal(404);
    expect((await admin.get('/admin/admissions/0123456789abcdef01234567/self-declaration')).status).to.equal(404);
  });

  describe('access to the new routes', () => {
    let owner: SubmittedApplication;
    let declarationId: string;
    let admissionId: string;

    before(async () => {
      t.clock.set(new Date(t.clock.now().getTime() + 60_000));
      admin = await signIn(t, adminUser);
      const s = await admittedSupplier('England');
      owner = s.a;
      admissionId = s.admissionId;
      expect((await request5(admissionId)).status).to.equal(303);
      declarationId = String((await SelfDeclaration.findOne({ supplier: owner.user.organisation }).lean())!._id);
    });

    it('sends anonymous visitors to sign in (GET) or refuses them (POST)', async () => {
      const anonymous = request.agent(t.app);
      for (const path of [`/supplier/declarations/${declarationId}`, '/supplier/organisation', '/supplier/organisation/edit', `/admin/admissions/${admissionId}/self-declaration`]) {
        const res = await anonymous.get(path);
        expect(res.status, path).to.equal(302);
        expect(res.headers.location).to.equal('/sign-in');
      }
      const token = await csrfFrom(anonymous, '/sign-in');
      for (const path of [`/supplier/declarations/${declarationId}`, '/supplier/organisation/edit', `/admin/admissions/${admissionId}/self-declaration`]) {
        expect((await anonymous.post(path).type('form').send({ _csrf: token, reason: 'x' })).status, path).to.be.oneOf([401, 403]);
      }
    });

    it('gives a buyer 403 on every new route', async () => {
      const buyer = await signIn(t, await createUser('buyer'));
      for (const path of [`/supplier/declarations/${declarationId}`, '/supplier/organisation', '/supplier/organisation/edit', `/admin/admissions/${admissionId}/self-declaration`]) {
        expect((await buyer.get(path)).status, path).to.equal(403);
      }
      const token = await csrfFrom(buyer, '/buyer');
      for (const path of [`/supplier/declarations/${declarationId}`, '/supplier/organisation/edit', `/admin/admissions/${admissionId}/self-declaration`]) {
        expect((await buyer.post(path).type('form').send({ _csrf: token, reason: 'x', ...goodAnswers() })).status, path).to.equal(403);
      }
    });

    it('gives another supplier 404 for the declaration (GET and POST) and 403 on the admin routes; nothing changes', async () => {
      const other = await submittedApplication(t);
      expect((await other.agent.get(`/supplier/declarations/${declarationId}`)).status).to.equal(404);
      const token = await csrfFrom(other.agent, '/supplier');
      expect((await other.agent.post(`/supplier/declarations/${declarationId}`).type('form').send({ _csrf: token, ...goodAnswers() })).status).to.equal(404);
      expect((await other.agent.get('/supplier/declarations/not-an-id')).status).to.equal(404);
      expect((await other.agent.get(`/admin/admissions/${admissionId}/self-declaration`)).status).to.equal(403);
      expect((await other.agent.post(`/admin/admissions/${admissionId}/self-declaration`).type('form').send({ _csrf: token, reason: 'x' })).status).to.equal(403);
      const d = await SelfDeclaration.findById(declarationId).lean();
      expect(d!.submittedAt).to.equal(undefined);
      // the owner still can
      expect((await owner.agent.get(`/supplier/declarations/${declarationId}`)).status).to.equal(200);
    });
  });

  it('skips Christmas and the Boxing Day substitute in England, and two requests at once make one', async () => {
    t.clock.set('2026-12-18T10:00:00Z'); // a Friday
    admin = await signIn(t, adminUser);
    const { a, admissionId } = await admittedSupplier('England');
    const token = await csrfFrom(admin, `/admin/admissions/${admissionId}/self-declaration`);
    const post = () => admin.post(`/admin/admissions/${admissionId}/self-declaration`).type('form').send({ _csrf: token, reason: 'Year-end check' });
    const statuses = (await Promise.all([post(), post()])).map((r) => r.status).sort();
    expect(statuses).to.deep.equal([303, 409]);
    const list = await SelfDeclaration.find({ supplier: a.user.organisation }).lean();
    expect(list).to.have.length(1);
    // Mon 21, Tue 22, Wed 23, Thu 24; Fri 25 Christmas Day, Mon 28 for Boxing Day (a Saturday); Tue 29 December
    expect(list[0].dueBy.toISOString()).to.equal('2026-12-29T23:59:59.999Z');
    expect(await AuditEvent.countDocuments({ action: 'self-declaration.requested', targetId: String(list[0]._id) })).to.equal(1);
  });
});
