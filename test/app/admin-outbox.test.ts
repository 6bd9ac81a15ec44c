// Admin pages: the dashboard's counts and the e-mail outbox (newest first, paginated; SMTP said so).
import { expect } from 'chai';
import request from 'supertest';
import * as cheerio from 'cheerio';
import { Lot } from '../../models/Lot';
import { Organisation } from '../../models/Organisation';
import { Mailer } from '../../server/mail/mailer';
import { TestApp, createUser, freshAdmin } from '../support/app';

describe('admin: dashboard and outbox', function () {
  this.timeout(30_000);
  let t: TestApp;
  let admin: request.Agent;

  before(async () => {
    ({ t, admin } = await freshAdmin());
  });

  it('counts councils, buyers, suppliers and lots on the dashboard, with links', async () => {
    const council = await Organisation.create({ kind: 'council', name: 'Counted Council', councilType: 'unitary', nation: 'England', membership: 'full', status: 'active' });
    await createUser('buyer', { organisation: String(council._id) });
    await createUser('buyer', { organisation: String(council._id) });
    await createUser('buyer'); // with a council of its own
    await createUser('supplier');
    await Lot.create([{ number: 1, title: 'One', description: 'One.' }, { number: 2, title: 'Two', description: 'Two.' }, { number: 3, title: 'Three', description: 'Three.', active: false }]);
    const res = await admin.get('/admin');
    expect(res.status).to.equal(200);
    const $ = cheerio.load(res.text);
    const count = (key: string) => $('.govuk-summary-list__row').filter((_i, el) => $(el).find('.govuk-summary-list__key').text().trim() === key).find('.govuk-summary-list__value').text().trim();
    expect(count('Member councils')).to.equal('2');
    expect(count('Buyers')).to.equal('3');
    expect(count('Suppliers')).to.equal('1');
    expect(count('Lots')).to.equal('3');
    for (const href of ['/admin/councils', '/admin/lots', '/admin/outbox']) expect($(`main a[href="${href}"]`).length, href).to.be.at.least(1);
    expect($('title').text()).to.contain('Network admin');
  });

  it('lists sent e-mails newest first with the body in a details component, 25 a page', async () => {
    t.mailer.sent.length = 0;
    for (let i = 1; i <= 30; i++) await t.mailer.send({ to: `person${i}@example.org`, subject: `Message ${String(i).padStart(2, '0')}`, text: `Body of message ${i}\n<b>not markup</b>` });
    const first = cheerio.load((await admin.get('/admin/outbox')).text);
    const subjects = first('main h2').map((_i, el) => first(el).text()).get();
    expect(subjects).to.have.length(25);
    expect(subjects[0]).to.equal('Message 30');
    expect(subjects[24]).to.equal('Message 06');
    const firstEmail = first('.app-outbox-email').first();
    expect(firstEmail.find('.govuk-summary-list').text()).to.contain('person30@example.org');
    expect(firstEmail.find('details.govuk-details .govuk-details__summary-text').text().trim()).to.equal('Message');
    expect(firstEmail.find('details .govuk-details__text').text()).to.contain('Body of message 30');
    expect(firstEmail.find('details .govuk-details__text b')).to.have.length(0);
    expect(first('.govuk-pagination__next a').attr('href')).to.equal('/admin/outbox?page=2');

    const second = cheerio.load((await admin.get('/admin/outbox?page=2')).text);
    expect(second('main h2').map((_i, el) => second(el).text()).get()).to.deep.equal(['Message 05', 'Message 04', 'Message 03', 'Message 02', 'Message 01']);
    expect(second('.govuk-pagination__prev a').attr('href')).to.equal('/admin/outbox');
    expect((await admin.get('/admin/outbox?page=3')).status).to.equal(404);
  });

  it('shows an empty outbox, and says so when mail goes out by SMTP', async () => {
    t.mailer.sent.length = 0;
    const empty = cheerio.load((await admin.get('/admin/outbox')).text);
    expect(empty('#no-emails')).to.have.length(1);

    const deps = t.app.locals.deps as { mailer: Mailer };
    const memory = deps.mailer;
    deps.mailer = { kind: 'smtp', send: async () => undefined, list: async () => [] };
    try {
      const $ = cheerio.load((await admin.get('/admin/outbox')).text);
      expect($('.govuk-inset-text').text()).to.contain('SMTP');
      expect($('#no-emails')).to.have.length(0);
    } finally {
      deps.mailer = memory;
    }
  });
});
