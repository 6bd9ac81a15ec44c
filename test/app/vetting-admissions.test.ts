// Admissions per lot: the counts, each lot's suppliers, and suspending, removing or reinstating an admission
// (a ground and a reason, a confirmation page first, the supplier told, every change audited and kept in the history).
import { expect } from 'chai';
import request from 'supertest';
import * as cheerio from 'cheerio';
import { Admission } from '../../models/Admission';
import { AuditEvent } from '../../models/AuditEvent';
import { Organisation } from '../../models/Organisation';
import { createUser, signIn, submit, testApp, TestApp, TestUser } from '../support/app';
import { createSubmittedApplication, uniqueLot } from '../support/vetting';

const XSS = '<script>alert(1)</script>';

describe('vetting: admissions', function () {
  this.timeout(60_000);
  let t: TestApp;
  let adminUser: TestUser;
  let admin: request.Agent;

  before(async () => {
    t = await testApp();
    adminUser = await createUser('admin');
    admin = await signIn(t, adminUser);
  });

  /** An active admission for a new supplier with a user, as a decision leaves it. */
  async function admitted(lot: { id: string; number: number; title: string }, name = 'Admitted Co-op') {
    const supplierUser = await createUser('supplier');
    await Organisation.updateOne({ _id: supplierUser.organisation }, { $set: { 'profile.legalName': name } });
    const mainEmail = `main-${supplierUser.id}@example.org`;
    const app = await createSubmittedApplication({ supplier: supplierUser.organisation, createdBy: supplierUser.id, lots: [lot], submittedAt: t.clock.now(), mainEmail, legalName: name });
    const admission = await Admission.create({
      supplier: supplierUser.organisation, lot: lot.id, application: app.id, status: 'active', admittedAt: t.clock.now(),
      history: [{ status: 'active', reason: `Admitted on application ${app.reference}`, at: t.clock.now(), by: adminUser.id }],
    });
    return { id: String(admission._id), supplierUser, mainEmail, app };
  }

  it('lists each lot with its counts, and each lot\u2019s suppliers with their status', async () => {
    const lot = await uniqueLot('Counted');
    const a = await admitted(lot, `First ${XSS} Co-op`);
    await admitted(lot, 'Second Co-op');
    await Admission.updateOne({ _id: a.id }, { $set: { status: 'suspended' } });
    const index = await admin.get('/admin/admissions');
    expect(index.status).to.equal(200);
    let $ = cheerio.load(index.text);
    const row = $('tbody tr').filter((_i, tr) => $(tr).text().includes(lot.title));
    expect(row.find('td, th').map((_i, c) => $(c).text().trim()).get()).to.deep.equal([`Lot ${lot.number}: ${lot.title}`, '1', '1', '0']);
    expect($('.govuk-service-navigation__item--active').text()).to.contain('Admissions');
    const href = row.find('a').attr('href');
    expect(href).to.equal(`/admin/admissions/lots/${lot.id}`);

    const page = await admin.get(href!);
    expect(page.text).to.not.contain('<script>alert(1)');
    $ = cheerio.load(page.text);
    const rows = $('#admissions tbody tr').map((_i, tr) => [$(tr).find('td, th').map((_j, c) => $(c).text().trim()).get()]).get() as unknown as string[][];
    expect(rows.map((r) => [r[0], r[1]])).to.have.deep.members([[`First ${XSS} Co-op`, 'Suspended'], ['Second Co-op', 'Active']]);
    expect($(`a[href="/admin/admissions/${a.id}"]`)).to.have.length(1);

    const empty = await uniqueLot('Nobody');
    expect(cheerio.load((await admin.get(`/admin/admissions/lots/${empty.id}`)).text)('#no-admissions')).to.have.length(1);
  });

  it('suspends an admission on a ground with a reason, after a confirmation page, and tells the supplier', async () => {
    const lot = await uniqueLot('Suspend');
    const a = await admitted(lot);
    const form = `/admin/admissions/${a.id}/suspend`;

    const bad = await submit(admin, form, { reason: '  ', ground: 'made up' });
    expect(bad.status).to.equal(400);
    let $ = cheerio.load(bad.text);
    expect($('.govuk-error-summary a[href="#ground"]').text()).to.contain('Select the ground');
    expect($('.govuk-error-summary a[href="#reason"]').text()).to.contain('Enter the reason');

    const confirm = await submit(admin, form, { ground: 'excludable', reason: `Breach of labour law found in May ${XSS}` });
    expect(confirm.status).to.equal(200);
    expect(confirm.text).to.not.contain('<script>alert(1)');
    $ = cheerio.load(confirm.text);
    expect($('h1').text()).to.contain('Are you sure you want to suspend');
    expect($('.govuk-summary-list').text()).to.contain('excludable');
    expect((await Admission.findById(a.id).lean())!.status).to.equal('active');

    const done = await admin.post(`${form}/confirm`).type('form').send({
      _csrf: $('form[action$="/confirm"] input[name=_csrf]').val(), ground: 'excludable', reason: `Breach of labour law found in May ${XSS}`, status: 'removed',
    });
    expect(done.status).to.equal(303);
    expect(done.headers.location).to.equal(`/admin/admissions/${a.id}`);
    const stored = await Admission.findById(a.id).lean();
    expect(stored!.status).to.equal('suspended');
    expect(stored!.history).to.have.length(2);
    expect(stored!.history[1]).to.deep.include({ status: 'suspended', ground: 'excludable', reason: `Breach of labour law found in May ${XSS}` });
    expect(String(stored!.history[1].by)).to.equal(adminUser.id);
    for (const to of [a.mainEmail, a.supplierUser.email]) {
      const mail = t.mailer.lastTo(to);
      expect(mail?.subject, to).to.equal(`Your admission to lot ${lot.number}: ${lot.title} has been suspended`);
      expect(mail?.text).to.contain('Ground: excludable');
    }
    const event = await AuditEvent.findOne({ targetId: a.id, action: 'admission.suspended' }).lean();
    expect(String(event!.actor)).to.equal(adminUser.id);
    expect((event!.details as any).ground).to.equal('excludable');

    // The admission page shows the history, newest first, and offers reinstate and remove only.
    $ = cheerio.load((await admin.get(`/admin/admissions/${a.id}`)).text);
    expect($('#history-table tbody tr').first().text()).to.contain('Breach of labour law');
    expect($('#history-table tbody tr').first().text()).to.contain('Suspended');
    expect($('.govuk-button-group a').map((_i, el) => $(el).attr('href')).get()).to.deep.equal([`/admin/admissions/${a.id}/reinstate`, `/admin/admissions/${a.id}/remove`]);
    // Suspending twice is refused.
    expect((await submit(admin, `${form}/confirm`, { ground: 'excludable', reason: 'Again' }, form)).status).to.equal(409);
  });

  it('reinstates a suspended admission with a reason, and removes one, after which nothing more can be done', async () => {
    const lot = await uniqueLot('Remove');
    const a = await admitted(lot);
    await Admission.updateOne({ _id: a.id }, { $set: { status: 'suspended' }, $push: { history: { status: 'suspended', reason: 'Insurance lapsed', ground: 'no longer meets the conditions', at: t.clock.now() } } });

    expect((await submit(admin, `/admin/admissions/${a.id}/reinstate`, { reason: '' })).status).to.equal(400);
    const back = await submit(admin, `/admin/admissions/${a.id}/reinstate`, { reason: 'Insurance renewed' });
    expect(back.status).to.equal(303);
    expect((await Admission.findById(a.id).lean())!.status).to.equal('active');
    expect(t.mailer.lastTo(a.mainEmail)?.subject).to.contain('has been reinstated');

    const form = `/admin/admissions/${a.id}/remove`;
    const $ = cheerio.load((await submit(admin, form, { ground: 'excluded', reason: 'Convicted of fraud' })).text);
    expect($('h1').text()).to.contain('Are you sure you want to remove');
    const removed = await admin.post(`${form}/confirm`).type('form').send({ _csrf: $('form[action$="/confirm"] input[name=_csrf]').val(), ground: 'excluded', reason: 'Convicted of fraud' });
    expect(removed.status).to.equal(303);
    const stored = await Admission.findById(a.id).lean();
    expect(stored!.status).to.equal('removed');
    expect(stored!.history.map((h) => h.status)).to.deep.equal(['active', 'suspended', 'active', 'removed']);
    expect(t.mailer.lastTo(a.supplierUser.email)?.text).to.contain('Ground: excluded');
    expect((await AuditEvent.find({ targetId: a.id }).sort({ seq: 1 }).lean()).map((e) => e.action)).to.deep.equal(['admission.reinstated', 'admission.removed']);

    const page = cheerio.load((await admin.get(`/admin/admissions/${a.id}`)).text);
    expect(page('.govuk-button-group')).to.have.length(0);
    expect(page('#history-table tbody tr')).to.have.length(4);
    expect(cheerio.load((await admin.get(`/admin/admissions/${a.id}/reinstate`)).text)('form[action$="/reinstate"]')).to.have.length(0);
    expect((await submit(admin, `/admin/admissions/${a.id}/reinstate`, { reason: 'Undo' }, `/admin/admissions/${a.id}`)).status).to.equal(409);
    expect((await submit(admin, `${form}/confirm`, { ground: 'excluded', reason: 'Again' }, `/admin/admissions/${a.id}`)).status).to.equal(409);
    expect((await Admission.findById(a.id).lean())!.history).to.have.length(4);
  });
});
