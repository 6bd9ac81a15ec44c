// Validation of the application's section forms, per kind of question: GOV.UK error summary with links to the
// field, status 400, answers kept, nothing written. Word limits on the server. Uploads through a section form.
import { expect } from 'chai';
import * as cheerio from 'cheerio';
import request from 'supertest';
import { Application } from '../../models/Application';
import { StoredDocument } from '../../models/Document';
import { createUser, csrfFrom, signIn, submit, testApp, TestApp, TestUser } from '../support/app';
import { ensureLots, fakeDocument, saveSection, sectionPath, startApplication, TestLot, validAnswers } from '../support/applications';
import * as files from '../fixtures/files';

const words = (n: number) => Array.from({ length: n }, (_x, i) => `word${i}`).join(' ');

describe('supplier applications: validation of each kind of question', function () {
  this.timeout(60_000);
  let t: TestApp;
  let lots: TestLot[];
  let user: TestUser;
  let agent: request.Agent;
  let id: string;

  before(async () => {
    t = await testApp();
    lots = await ensureLots([91, 92]);
  });

  beforeEach(async () => {
    user = await createUser('supplier');
    agent = await signIn(t, user);
    id = await startApplication(agent);
  });

  async function sectionAnswers(key: string) {
    return ((await Application.findById(id).lean())!.answers as any)?.[key];
  }

  function errorLink($: cheerio.CheerioAPI, href: string): string {
    return $(`.govuk-error-summary a[href="#${href}"]`).text();
  }

  it('text, radios, url and word-limited textarea: messages name the question, answers kept, nothing written', async () => {
    const good = validAnswers(lots, {}).organisation;
    const res = await saveSection(agent, id, 'organisation', {
      ...good, legalName: '', registrationNumber: 'X'.repeat(21), legalForm: 'plc', vcse: '', website: 'javascript:alert(1)', description: words(101),
    });
    expect(res.status).to.equal(400);
    const $ = cheerio.load(res.text);
    expect($('title').text()).to.match(/^Error: /);
    expect(errorLink($, 'legalName')).to.equal('Enter legal name');
    expect(errorLink($, 'registrationNumber')).to.equal('Registration number must be 20 characters or fewer');
    expect(errorLink($, 'legalForm')).to.equal('Select legal form');
    expect(errorLink($, 'vcse')).to.contain('Select an answer: Is the organisation a voluntary');
    expect(errorLink($, 'website')).to.contain('starting with https://');
    expect(errorLink($, 'description')).to.equal('Short description for the supplier directory must be 100 words or fewer');
    // the summary follows page order, and each link has a field with that id
    expect($('.govuk-error-summary a').map((_i, a) => $(a).attr('href')).get()).to.deep.equal(['#legalName', '#legalForm', '#registrationNumber', '#vcse', '#website', '#description']);
    for (const href of ['legalName', 'legalForm', 'registrationNumber', 'vcse', 'website', 'description']) expect($(`#${href}`), href).to.have.length(1);
    expect($('#legalName').closest('.govuk-form-group').hasClass('govuk-form-group--error')).to.equal(true);
    // answers kept
    expect($('#registrationNumber').val()).to.equal('X'.repeat(21));
    expect($('#website').val()).to.equal('javascript:alert(1)');
    expect($('a[href^="javascript:"]')).to.have.length(0);
    expect($('#description').text()).to.equal(words(101));
    expect($('input[name=nation][value=England]').is(':checked')).to.equal(true);
    expect($('.govuk-character-count[data-maxwords="100"]')).to.have.length(1);
    expect(await sectionAnswers('organisation')).to.equal(undefined);
    // exactly at the word limit is fine
    expect((await saveSection(agent, id, 'organisation', { ...good, description: words(100) })).status).to.equal(303);
  });

  it('email addresses must look like email addresses', async () => {
    const good = validAnswers(lots, {}).contacts;
    const res = await saveSection(agent, id, 'contacts', { ...good, mainEmail: 'not-an-email', bidEmail: '' });
    expect(res.status).to.equal(400);
    const $ = cheerio.load(res.text);
    expect(errorLink($, 'mainEmail')).to.equal('Enter main contact: email address in the correct format, like name@example.org');
    expect(errorLink($, 'bidEmail')).to.equal('Enter bid contact: email address');
    expect($('#mainEmail').attr('type')).to.equal('email');
    expect((await saveSection(agent, id, 'contacts', { ...good, mainEmail: 'Mo@Example.COOP' })).status).to.equal(303);
    expect((await sectionAnswers('contacts')).mainEmail).to.equal('mo@example.coop');
  });

  it('money: pounds, whole or with pence, never negative; stored in pence', async () => {
    const docs = { publicLiabilityCertificate: await fakeDocument(user.organisation, user.id, 'insurance:public-liability'), professionalIndemnityCertificate: await fakeDocument(user.organisation, user.id, 'insurance:professional-indemnity') };
    const good = validAnswers(lots, docs).financial;
    const res = await saveSection(agent, id, 'financial', { ...good, turnoverLastYear: '-5', turnoverYearBefore: 'ten pounds', employersLiability: '12.5' });
    expect(res.status).to.equal(400);
    const $ = cheerio.load(res.text);
    expect(errorLink($, 'turnoverLastYear')).to.equal('Turnover in your last financial year must be 0 or more');
    expect(errorLink($, 'turnoverYearBefore')).to.contain('must be an amount in pounds, like 1500 or 1500.50');
    expect(errorLink($, 'employersLiability')).to.contain('must be an amount in pounds');
    expect($('#turnoverYearBefore').val()).to.equal('ten pounds');
    expect($('.govuk-input__prefix').first().text()).to.contain('£');
    const ok = await saveSection(agent, id, 'financial', { ...good, turnoverLastYear: '£1,250,000.05', employersLiability: '0' });
    expect(ok.status).to.equal(303);
    const saved = await sectionAnswers('financial');
    expect(saved.turnoverLastYear).to.equal(125_000_005);
    expect(saved.employersLiability).to.equal(0);
    const form = cheerio.load((await agent.get(sectionPath(id, 'financial'))).text);
    expect(form('#turnoverLastYear').val()).to.equal('1250000.05');
  });

  it('dates: day, month and year, a real date', async () => {
    const base = validAnswers([lots[0]], {}).technical;
    const res = await saveSection(agent, id, 'technical', {
      ...base, 'caseStudies-0-start-day': '31', 'caseStudies-0-start-month': '2', 'caseStudies-0-start-year': '2024',
      'caseStudies-1-end-day': '1', 'caseStudies-1-end-month': '', 'caseStudies-1-end-year': '2025',
      'caseStudies-1-value': '-1',
    });
    expect(res.status).to.equal(400);
    const $ = cheerio.load(res.text);
    expect(errorLink($, 'caseStudies-0-start-day')).to.equal('Case study 1: Start date must be a real date');
    expect(errorLink($, 'caseStudies-1-end-month')).to.equal('Case study 2: End date must include a month');
    expect(errorLink($, 'caseStudies-1-value')).to.contain('Case study 2: Contract value must be 0 or more');
    expect($('#caseStudies-0-start-day').val()).to.equal('31');
    expect($('#caseStudies-0-start-day').hasClass('govuk-input--error')).to.equal(true);
    expect($('#caseStudies-1-end-year').val()).to.equal('2025');
    expect(await sectionAnswers('technical')).to.equal(undefined);
  });

  it('yes/no with explanation: a yes needs the explanation, which has a word limit', async () => {
    const good = validAnswers(lots, {}).exclusion;
    const res = await saveSection(agent, id, 'exclusion', { ...good, corruption: 'yes', 'corruption-explanation': '', insolvency: 'yes', 'insolvency-explanation': words(301), competitionLaw: '' });
    expect(res.status).to.equal(400);
    const $ = cheerio.load(res.text);
    expect(errorLink($, 'corruption-explanation')).to.contain('Explain what the organisation has done to put this right');
    expect(errorLink($, 'insolvency-explanation')).to.contain('must be 300 words or fewer');
    expect(errorLink($, 'competitionLaw')).to.contain('Select an answer: Has it been found to have breached competition law?');
    // the explanation is revealed under "Yes" (and visible without JavaScript)
    expect($('#conditional-corruption #corruption-explanation')).to.have.length(1);
    expect($('input[name=insolvency][value=yes]').is(':checked')).to.equal(true);
    const ok = await saveSection(agent, id, 'exclusion', { ...good, insolvency: 'yes', 'insolvency-explanation': 'A voluntary arrangement ended in 2022; new directors and audited accounts since.' });
    expect(ok.status).to.equal(303);
    const saved = await sectionAnswers('exclusion');
    expect(saved.insolvency).to.deep.equal({ answer: 'yes', explanation: 'A voluntary arrangement ended in 2022; new directors and audited accounts since.' });
    expect(saved.corruption).to.deep.equal({ answer: 'no' });
  });

  it('checkboxes: declarations must be agreed; unknown options are refused', async () => {
    const res = await saveSection(agent, id, 'declarations', { truth: 'agreed', dataUse: 'maybe' });
    expect(res.status).to.equal(400);
    const $ = cheerio.load(res.text);
    expect(errorLink($, 'dataUse')).to.equal('Confirm use of your information');
    expect(errorLink($, 'noFees')).to.equal('Confirm no fees');
    expect($('input[name=truth][value=agreed]').is(':checked')).to.equal(true);
    expect(await sectionAnswers('declarations')).to.equal(undefined);
  });

  it('lots: at least one, and a statement for each lot chosen', async () => {
    const none = await saveSection(agent, id, 'lots', {});
    expect(none.status).to.equal(400);
    expect(errorLink(cheerio.load(none.text), 'lots')).to.equal('Select at least one answer: Which lots are you applying for?');
    const res = await saveSection(agent, id, 'lots', { lots: [lots[0].id, lots[1].id], [`statement_${lots[0].id}`]: 'We do this.' });
    expect(res.status).to.equal(400);
    expect(errorLink(cheerio.load(res.text), `statement_${lots[1].id}`)).to.contain(`Enter why you are suited to lot ${lots[1].number}`);
    // both problems at once: a statement over its word limit, and another lot's statement missing
    const both = await saveSection(agent, id, 'lots', { lots: [lots[0].id, lots[1].id], [`statement_${lots[0].id}`]: words(251) });
    expect(both.status).to.equal(400);
    const $both = cheerio.load(both.text);
    expect(errorLink($both, `statement_${lots[0].id}`)).to.contain('250 words or fewer');
    expect(errorLink($both, `statement_${lots[1].id}`)).to.contain(`Enter why you are suited to lot ${lots[1].number}`);
    const bogus = await saveSection(agent, id, 'lots', { lots: ['0123456789abcdef01234567'] });
    expect(bogus.status).to.equal(400);
    expect((await Application.findById(id).lean())!.lots).to.have.length(0);
  });

  it('refuses repeated fields where one answer is expected, and unknown actions', async () => {
    const good = validAnswers(lots, {}).organisation;
    const res = await saveSection(agent, id, 'organisation', { ...good, legalName: ['One', 'Two'] });
    expect(res.status).to.equal(400);
    expect(errorLink(cheerio.load(res.text), 'legalName')).to.contain('enter one answer only');
    expect((await saveSection(agent, id, 'organisation', good, 'delete-everything')).status).to.equal(400);
    expect((await submit(agent, sectionPath(id, 'organisation'), { ...good, action: ['continue', 'draft'] })).status).to.equal(400);
    expect(await sectionAnswers('organisation')).to.equal(undefined);
  });

  it('escapes answers on every page', async () => {
    const good = validAnswers(lots, {}).organisation;
    const xss = '<script>alert(1)</script>"><img src=x onerror=alert(1)>';
    expect((await saveSection(agent, id, 'organisation', { ...good, legalName: xss, tradingName: xss })).status).to.equal(303);
    for (const path of [sectionPath(id, 'organisation'), `/supplier/applications/${id}/check-answers`]) {
      const html = (await agent.get(path)).text;
      expect(html, path).to.not.contain('<script>alert(1)');
      expect(html, path).to.not.contain('<img src=x');
    }
  });

  it('refuses a document id that belongs to another organisation', async () => {
    const other = await createUser('supplier');
    const theirs = await fakeDocument(other.organisation, other.id, 'policy:equality');
    const mine = await fakeDocument(user.organisation, user.id, 'policy:safeguarding');
    const res = await saveSection(agent, id, 'policies', { equality: theirs, safeguarding: mine }, 'draft');
    expect(res.status).to.equal(400);
    expect(errorLink(cheerio.load(res.text), 'equality')).to.contain('again');
    expect(await sectionAnswers('policies')).to.equal(undefined);
  });

  describe('uploads through a section form', () => {
    async function postFiles(fields: Record<string, string>, attachments: Array<[string, Buffer, string]>) {
      const token = await csrfFrom(agent, sectionPath(id, 'policies'));
      let req = agent.post(sectionPath(id, 'policies')).field('_csrf', token);
      for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
      for (const [field, buffer, name] of attachments) req = req.attach(field, buffer, { filename: name, contentType: 'application/octet-stream' });
      return req;
    }

    it('offers file inputs in a multipart form', async () => {
      const $ = cheerio.load((await agent.get(sectionPath(id, 'policies'))).text);
      expect($('form[enctype="multipart/form-data"]')).to.have.length(1);
      expect($('input[type=file]#equality[name=equality-upload]')).to.have.length(1);
    });

    it('stores a chosen file, records it as the answer and shows it with its scan status', async () => {
      const res = await postFiles({ action: 'draft' }, [['equality-upload', files.pdf('equality'), 'Equality policy.pdf']]);
      expect(res.status).to.equal(303);
      const saved = await sectionAnswers('policies');
      const doc = await StoredDocument.findById(saved.equality).lean();
      expect(doc).to.include({ purpose: 'policy:equality', originalName: 'Equality policy.pdf', contentType: 'application/pdf' });
      expect(String(doc!.owner)).to.equal(user.organisation);
      expect(String(doc!.application)).to.equal(id);
      const $ = cheerio.load((await agent.get(sectionPath(id, 'policies'))).text);
      expect($('.app-document').text()).to.contain('Equality policy.pdf');
      expect($('input[type=hidden][name=equality]').val()).to.equal(saved.equality);
      expect($('label[for=equality]').text()).to.contain('Replace');
    });

    it('refuses an HTML file renamed .pdf with the error against the field; nothing stored, the rest kept', async () => {
      const before = await StoredDocument.countDocuments({ owner: user.organisation });
      const res = await postFiles({ action: 'draft', further: '' }, [['equality-upload', files.html(), 'policy.pdf'], ['safeguarding-upload', files.pdf('safe'), 'safe.pdf']]);
      expect(res.status).to.equal(400);
      const $ = cheerio.load(res.text);
      expect(errorLink($, 'equality')).to.contain('Equality and diversity policy:');
      // the good file was kept, so it need not be chosen again
      const kept = String($('input[type=hidden][name=safeguarding]').val());
      expect(kept).to.match(/^[0-9a-f]{24}$/);
      expect(await StoredDocument.countDocuments({ owner: user.organisation })).to.equal(before + 1);
      expect(await sectionAnswers('policies')).to.equal(undefined);
    });

    it('refuses a multipart post without the CSRF token, storing nothing', async () => {
      const before = await StoredDocument.countDocuments({ owner: user.organisation });
      const res = await agent.post(sectionPath(id, 'policies')).field('action', 'draft').attach('equality-upload', files.pdf(), 'a.pdf');
      expect(res.status).to.equal(403);
      const wrongSection = await agent.post(sectionPath(id, 'organisation')).field('_csrf', await csrfFrom(agent, sectionPath(id, 'organisation'))).attach('legalName-upload', files.pdf(), 'a.pdf');
      expect(wrongSection.status).to.be.oneOf([400, 403]);
      expect(await StoredDocument.countDocuments({ owner: user.organisation })).to.equal(before);
    });
  });
});
