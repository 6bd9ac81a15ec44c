// Admin journey: inviting a buyer from a council's page, the refusals, and the invitations' states.
import { expect } from 'chai';
import request from 'supertest';
import * as cheerio from 'cheerio';
import { AuditEvent } from '../../models/AuditEvent';
import { Organisation } from '../../models/Organisation';
import { Token } from '../../models/Token';
import { createUser, resetDatabase, signIn, submit, testApp, TestApp, TestUser, uniqueEmail } from '../support/app';

const DAY = 24 * 60 * 60 * 1000;

describe('admin: buyer invitations', function () {
  this.timeout(30_000);
  let t: TestApp;
  let admin: request.Agent;
  let adminUser: TestUser;
  let councilId: string;

  async function council(status: 'active' | 'lapsed' = 'active'): Promise<string> {
    return String((await Organisation.create({ kind: 'council', name: `Council ${status}`, councilType: 'county', nation: 'Wales', membership: 'full', status }))._id);
  }

  before(async () => {
    t = await testApp();
    await resetDatabase();
    adminUser = await createUser('admin');
    admin = await signIn(t, adminUser);
    councilId = await council();
  });

  it('sends an invitation e-mail with a single-use link, and lists it as pending', async () => {
    const email = uniqueEmail('buyer');
    const path = `/admin/councils/${councilId}`;
    const res = await submit(admin, `${path}/invitations`, { email: `  ${email.toUpperCase()} ` }, path);
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal(path);
    const mail = t.mailer.lastTo(email);
    expect(mail, 'invitation e-mail').to.not.equal(undefined);
    expect(mail!.subject).to.contain('Council active');
    const token = /\/invitations\/([A-Za-z0-9_-]{20,})/.exec(mail!.text)?.[1];
    expect(token).to.be.a('string');
    const stored = await Token.findOne({ purpose: 'invitation', email }).lean();
    expect(String(stored!.organisation)).to.equal(councilId);
    expect(stored!.tokenHash).to.not.equal(token);
    expect(stored!.expiresAt.getTime() - t.clock.now().getTime()).to.equal(7 * DAY);
    expect(await AuditEvent.exists({ action: 'buyer.invited', targetId: councilId })).to.not.equal(null);

    const $ = cheerio.load((await admin.get(path)).text);
    expect($('.govuk-notification-banner--success').text()).to.contain(`Invitation sent to ${email}`);
    const row = $('table tbody tr').filter((_i, el) => $(el).text().includes(email));
    expect(row.find('.govuk-tag').text().trim()).to.equal('Pending');
  });

  it('refuses an address that already has an account, with a clear message and no e-mail', async () => {
    const existing = await createUser('supplier');
    const path = `/admin/councils/${councilId}`;
    const sentBefore = t.mailer.sent.length;
    const res = await submit(admin, `${path}/invitations`, { email: existing.email }, path);
    expect(res.status).to.equal(400);
    const $ = cheerio.load(res.text);
    expect($('.govuk-error-summary a[href="#email"]').text()).to.contain('An account already exists for this email address');
    expect($('#email').val()).to.equal(existing.email);
    expect(t.mailer.sent.length).to.equal(sentBefore);
    expect(await Token.exists({ purpose: 'invitation', email: existing.email })).to.equal(null);
  });

  it('refuses to invite to a lapsed council, and does not offer the form there', async () => {
    const lapsed = await council('lapsed');
    const path = `/admin/councils/${lapsed}`;
    const page = cheerio.load((await admin.get(path)).text);
    expect(page('form[action$="/invitations"]')).to.have.length(0);
    expect(page('.govuk-inset-text').text()).to.contain('lapsed');
    const email = uniqueEmail('lapsed');
    const res = await submit(admin, `${path}/invitations`, { email }, path);
    expect(res.status).to.equal(400);
    expect(cheerio.load(res.text)('.govuk-error-summary').text()).to.contain('lapsed');
    expect(t.mailer.lastTo(email)).to.equal(undefined);
    expect(await Token.exists({ email })).to.equal(null);
  });

  it('answers a malformed address with 400 and the answer kept, and an unknown council with 404', async () => {
    const path = `/admin/councils/${councilId}`;
    const res = await submit(admin, `${path}/invitations`, { email: 'not-an-email' }, path);
    expect(res.status).to.equal(400);
    const $ = cheerio.load(res.text);
    expect($('.govuk-error-summary a[href="#email"]').text()).to.contain('correct format');
    expect($('#email').val()).to.equal('not-an-email');
    const missing = await submit(admin, '/admin/councils/0123456789abcdef01234567/invitations', { email: uniqueEmail() }, path);
    expect(missing.status).to.equal(404);
  });

  it('derives pending, accepted and expired from the timestamps and the clock', async () => {
    const id = await council();
    const path = `/admin/councils/${id}`;
    const [a, b, c] = [uniqueEmail('a'), uniqueEmail('b'), uniqueEmail('c')];
    await submit(admin, `${path}/invitations`, { email: a }, path);
    t.clock.advance(3 * DAY);
    admin = await signIn(t, adminUser); // days later, so a new session
    await submit(admin, `${path}/invitations`, { email: b }, path);
    await submit(admin, `${path}/invitations`, { email: c }, path);
    await Token.updateOne({ email: c }, { $set: { usedAt: t.clock.now() } });
    t.clock.advance(5 * DAY); // a: 8 days old, expired; b: 5 days old, pending; c: used
    admin = await signIn(t, adminUser);
    const $ = cheerio.load((await admin.get(path)).text);
    const state = (email: string) => $('table tbody tr').filter((_i, el) => $(el).find('td').first().text() === email).find('.govuk-tag').text().trim();
    expect(state(a)).to.equal('Expired');
    expect(state(b)).to.equal('Pending');
    expect(state(c)).to.equal('Accepted');
    expect($('#invitations').next('p').text()).to.contain('1 invitation is waiting');
  });
});
