// Keeping organisation details and policies current after applying (issue 4): the profile edited with the
// application's own 'organisation' questions (changes audited with old and new values), validation, scope to the
// user's own organisation, eligibility, and replacing a policy document (stored, audited, shown as current).
import { expect } from 'chai';
import request from 'supertest';
import * as cheerio from 'cheerio';
import { Application } from '../../models/Application';
import { AuditEvent } from '../../models/AuditEvent';
import { StoredDocument } from '../../models/Document';
import { Organisation } from '../../models/Organisation';
import { createUser, csrfFrom, signIn, submit, testApp, TestApp } from '../support/app';
import { submittedApplication, SubmittedApplication } from '../support/applications';
import * as files from '../fixtures/files';

const BASE = '/supplier/organisation';
const XSS = '<script>alert(1)</script>';

/** Every field of the edit form as the page pre-fills it (so a test changes only what it means to). */
async function prefilled(agent: request.Agent): Promise<Record<string, string>> {
  const $ = cheerio.load((await agent.get(`${BASE}/edit`)).text);
  const out: Record<string, string> = {};
  $('form[action="/supplier/organisation/edit"] input, form[action="/supplier/organisation/edit"] textarea').each((_i, el) => {
    const name = $(el).attr('name');
    const type = $(el).attr('type');
    if (!name || name === '_csrf') return;
    if (type === 'radio') {
      if ($(el).is('[checked]')) out[name] = String($(el).val());
    } else {
      out[name] = el.tagName === 'textarea' ? $(el).text() : String($(el).val() ?? '');
    }
  });
  return out;
}

describe('organisation upkeep: details and policies', function () {
  this.timeout(60_000);
  let t: TestApp;
  let a: SubmittedApplication;

  before(async () => {
    t = await testApp();
    a = await submittedApplication(t);
  });

  it('links from the dashboard and shows the profile with Change links and the current policies', async () => {
    const dash = cheerio.load((await a.agent.get('/supplier')).text);
    expect(dash('a#organisation-details').attr('href')).to.equal(BASE);
    const res = await a.agent.get(BASE);
    expect(res.status).to.equal(200);
    const $ = cheerio.load(res.text);
    const keys = $('#profile .govuk-summary-list__key').map((_i, el) => $(el).text().trim()).get();
    expect(keys).to.include.members(['Legal name', 'Trading name, if different', 'Nation', 'Short description for the supplier directory']);
    expect($('#profile').text()).to.contain('Riverside Workers Co-operative Limited');
    expect($('#profile').text()).to.contain('Yorkshire and the Humber');
    expect($('#profile .govuk-summary-list__actions a').first().attr('href')).to.equal(`${BASE}/edit#legalName`);
    // the five policies, each with its document and an upload form with a CSRF token
    expect($('.app-policy')).to.have.length(5);
    expect($('#policy-safeguarding .app-document a').attr('href')).to.match(/^\/documents\/[0-9a-f]{24}$/);
    expect($('#policy-safeguarding form[enctype="multipart/form-data"] input[name=_csrf]')).to.have.length(1);
  });

  it('pre-fills the organisation questions from the profile and saves changes, auditing each with old and new values', async () => {
    const fields = await prefilled(a.agent);
    const registeredName = (await Organisation.findById(a.user.organisation).lean())!.name;
    expect(fields).to.include({ legalName: 'Riverside Workers Co-operative Limited', legalForm: 'co-operative-society', nation: 'England', vcse: 'yes' });
    expect(registeredName).to.equal('Riverside Co-op'); // the trading name, as submitted
    const res = await submit(a.agent, `${BASE}/edit`, { ...fields, legalName: `Riverside Co-operative ${XSS}`, tradingName: '', nation: 'Wales', region: 'Wales', vcse: 'no', website: '' });
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal(BASE);

    const org = await Organisation.findById(a.user.organisation).lean();
    // with no trading name, the directory name follows the legal name
    expect(org!.name).to.equal(`Riverside Co-operative ${XSS}`);
    expect(org!.profile).to.deep.include({ legalName: `Riverside Co-operative ${XSS}`, nation: 'Wales', region: 'Wales', vcse: false });
    expect(org!.profile!.website).to.equal(undefined);
    expect(org!.profile!.tradingName).to.equal(undefined);

    const event = await AuditEvent.findOne({ action: 'organisation.profile-updated', targetId: a.user.organisation }).sort({ seq: -1 }).lean();
    expect(String(event!.actor)).to.equal(a.user.id);
    const changes = (event!.details as any).changes.map((c: any) => [c.field, c.old, c.new]);
    expect(changes).to.have.deep.members([
      ['legalName', 'Riverside Workers Co-operative Limited', `Riverside Co-operative ${XSS}`],
      ['tradingName', 'Riverside Co-op', null],
      ['nation', 'England', 'Wales'],
      ['region', 'Yorkshire and the Humber', 'Wales'],
      ['vcse', 'yes', 'no'],
      ['website', 'https://riverside.example.coop', null],
    ]);
    expect((event!.details as any).name).to.deep.equal({ old: registeredName, new: `Riverside Co-operative ${XSS}` });

    const page = await a.agent.get(BASE);
    expect(page.text).to.not.contain('<script>alert(1)');
    const $ = cheerio.load(page.text);
    expect($('.govuk-notification-banner').text()).to.contain('Your organisation details have been updated');
    expect($('#profile').text()).to.contain('Wales');

    // saving again without changes writes nothing
    const before = await AuditEvent.countDocuments({});
    expect((await submit(a.agent, `${BASE}/edit`, await prefilled(a.agent))).status).to.equal(303);
    expect(await AuditEvent.countDocuments({})).to.equal(before);
  });

  it('answers bad input with 400 and the GOV.UK error summary, and writes nothing', async () => {
    const fields = await prefilled(a.agent);
    const before = await Organisation.findById(a.user.organisation).lean();
    const events = await AuditEvent.countDocuments({});
    const res = await submit(a.agent, `${BASE}/edit`, { ...fields, legalName: '  ', nation: 'Atlantis', website: 'javascript:alert(1)', description: 'word '.repeat(101) });
    expect(res.status).to.equal(400);
    const $ = cheerio.load(res.text);
    expect($('title').text()).to.match(/^Error: /);
    expect($('.govuk-error-summary a[href="#legalName"]').text()).to.contain('Enter legal name');
    expect($('.govuk-error-summary a[href="#nation"]')).to.have.length(1);
    expect($('.govuk-error-summary a[href="#website"]')).to.have.length(1);
    expect($('.govuk-error-summary a[href="#description"]').text()).to.contain('100 words or fewer');
    expect($('#tradingName').val()).to.equal(fields.tradingName);
    expect(await Organisation.findById(a.user.organisation).lean()).to.deep.equal(before);
    expect(await AuditEvent.countDocuments({})).to.equal(events);
    // an operator smuggled in a field name is just bad input
    const smuggled = await submit(a.agent, `${BASE}/edit`, { ...fields, 'legalName[$ne]': 'x', legalName: ['a', 'b'] });
    expect(smuggled.status).to.equal(400);
  });

  it('keeps each organisation to its own details: another supplier edits only its own', async () => {
    const other = await submittedApplication(t, { overrides: { organisation: { legalName: 'Other Co-op Ltd', tradingName: 'Other Trading' } } });
    const page = await other.agent.get(BASE);
    expect(page.text).to.contain('Other Co-op Ltd');
    expect(page.text).to.not.contain('Riverside');
    const mine = await Organisation.findById(a.user.organisation).lean();
    const res = await submit(other.agent, `${BASE}/edit`, { ...(await prefilled(other.agent)), legalName: 'Renamed Other', organisation: a.user.organisation, _id: a.user.organisation });
    expect(res.status).to.equal(303);
    const renamed = await Organisation.findById(other.user.organisation).lean();
    expect(renamed!.profile!.legalName).to.equal('Renamed Other');
    expect(renamed!.name).to.equal('Other Trading');
    expect(await Organisation.findById(a.user.organisation).lean()).to.deep.equal(mine);
    // the other organisation's policy documents are not listed, and its downloads answer 404
    const doc = await StoredDocument.findOne({ owner: a.user.organisation, purpose: 'policy:equality' }).lean();
    expect(page.text).to.not.contain(String(doc!._id));
    expect((await other.agent.get(`/documents/${doc!._id}`)).status).to.equal(404);
  });

  it('refuses a supplier that has not submitted an application (403), a buyer (403) and anonymous visitors', async () => {
    const fresh = await signIn(t, await createUser('supplier'));
    expect((await fresh.get(BASE)).status).to.equal(403);
    expect((await fresh.get(`${BASE}/edit`)).status).to.equal(403);
    const token = await csrfFrom(fresh, '/supplier');
    expect((await fresh.post(`${BASE}/edit`).type('form').send({ _csrf: token, legalName: 'X' })).status).to.equal(403);
    expect((await fresh.post(`${BASE}/policies/safeguarding`).field('_csrf', token).attach('safeguarding-upload', files.pdf(), 'a.pdf')).status).to.equal(403);
    expect(cheerio.load((await fresh.get('/supplier')).text)('a#organisation-details')).to.have.length(0);

    const buyer = await signIn(t, await createUser('buyer'));
    expect((await buyer.get(BASE)).status).to.equal(403);
    const anonymous = request.agent(t.app);
    const res = await anonymous.get(BASE);
    expect(res.status).to.equal(302);
    expect(res.headers.location).to.equal('/sign-in');
  });

  it('replaces a policy document: stored on the latest application, shown as current, audited with old and new', async () => {
    const $before = cheerio.load((await a.agent.get(BASE)).text);
    const oldId = /\/documents\/([0-9a-f]{24})/.exec($before('#policy-safeguarding .app-document a').attr('href')!)![1];
    t.clock.advance(2 * 60 * 1000); // the app's clock dates the upload: later than the fake documents the helper made
    const token = await csrfFrom(a.agent, BASE);
    const res = await a.agent.post(`${BASE}/policies/safeguarding`).field('_csrf', token).attach('safeguarding-upload', files.pdf('new safeguarding'), 'Safeguarding 2026.pdf');
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal(`${BASE}#policies`);

    const stored = await StoredDocument.findOne({ owner: a.user.organisation, purpose: 'policy:safeguarding', originalName: 'Safeguarding 2026.pdf' }).lean();
    expect(stored).to.not.equal(null);
    expect(String(stored!.application)).to.equal(a.id);
    const $ = cheerio.load((await a.agent.get(BASE)).text);
    expect($('#policy-safeguarding .app-document').text()).to.contain('Safeguarding 2026.pdf');
    expect($('#policy-safeguarding .app-document a').attr('href')).to.equal(`/documents/${stored!._id}`);
    expect($('#policy-equality .app-document a').attr('href')).to.not.equal(`/documents/${stored!._id}`);
    const download = await a.agent.get(`/documents/${stored!._id}`);
    expect(download.status).to.equal(200);

    const event = await AuditEvent.findOne({ action: 'organisation.policy-replaced', targetId: a.user.organisation }).lean();
    expect(String(event!.actor)).to.equal(a.user.id);
    expect((event!.details as any).purpose).to.equal('policy:safeguarding');
    expect((event!.details as any).old.document).to.equal(oldId);
    expect((event!.details as any).new.document).to.equal(String(stored!._id));
  });

  it('refuses a bad replacement with 400 and the error summary, storing nothing; an unknown policy is 404; CSRF is checked', async () => {
    const count = await StoredDocument.countDocuments({ owner: a.user.organisation });
    const token = await csrfFrom(a.agent, BASE);
    const html = await a.agent.post(`${BASE}/policies/environmental`).field('_csrf', token).attach('environmental-upload', files.html(), 'policy.pdf');
    expect(html.status).to.equal(400);
    let $ = cheerio.load(html.text);
    expect($('.govuk-error-summary a[href="#environmental-upload"]').text()).to.contain('Environmental policy');
    const none = await a.agent.post(`${BASE}/policies/environmental`).field('_csrf', token);
    expect(none.status).to.equal(400);
    $ = cheerio.load(none.text);
    expect($('.govuk-error-summary a[href="#environmental-upload"]').text()).to.contain('Select a new environmental policy');
    expect((await a.agent.post(`${BASE}/policies/further`).field('_csrf', token).attach('environmental-upload', files.pdf(), 'a.pdf')).status).to.equal(404);
    expect((await a.agent.post(`${BASE}/policies/environmental`).field('_csrf', 'wrong').attach('environmental-upload', files.pdf(), 'a.pdf')).status).to.equal(403);
    expect(await StoredDocument.countDocuments({ owner: a.user.organisation })).to.equal(count);
  });

  it('starts the next application from the details and policies kept current, not the old snapshot', async () => {
    const b = await submittedApplication(t);
    const fields = await prefilled(b.agent);
    const description = `Updated after admission ${Date.now().toString(36)}`;
    expect((await submit(b.agent, `${BASE}/edit`, { ...fields, description })).status).to.equal(303);
    const _csrf = await csrfFrom(b.agent, BASE);
    const replaced = await b.agent.post(`${BASE}/policies/safeguarding`).field('_csrf', _csrf).attach('safeguarding-upload', files.pdf('safeguarding 2027'), 'safeguarding-2027.pdf');
    expect(replaced.status).to.equal(303);
    const newest = await StoredDocument.findOne({ owner: b.user.organisation, originalName: 'safeguarding-2027.pdf' }).lean();
    // The panel decides, so the supplier may apply again (for further lots, say).
    await Application.updateOne({ _id: b.id }, { $set: { status: 'decided' } });
    const started = await submit(b.agent, '/supplier/applications', {});
    expect(started.status).to.equal(303);
    const draft = await Application.findOne({ supplier: b.user.organisation, status: 'draft' }).lean();
    expect((draft!.answers as any).organisation.description).to.equal(description);
    expect((draft!.answers as any).policies.safeguarding).to.equal(String(newest!._id));
  });
});

