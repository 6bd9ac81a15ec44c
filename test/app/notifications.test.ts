// The notifications page: only your own, newest first, unread marked and counted in the header, mark all read,
// links only inside the service, pagination; every signed-in role has it.
import { expect } from 'chai';
import request from 'supertest';
import * as cheerio from 'cheerio';
import { Notification } from '../../models/Notification';
import { notify } from '../../server/services/notifications';
import { createUser, resetDatabase, signIn, submit, testApp, TestApp, TestUser } from '../support/app';

describe('notifications page', function () {
  this.timeout(30_000);
  let t: TestApp;

  before(async () => {
    t = await testApp();
    await resetDatabase();
  });

  async function tell(user: TestUser, title: string, link?: string, body = 'Something happened.') {
    t.clock.advance(60_000);
    await notify(t.clock, t.mailer, 'http://localhost:3000', [{ _id: user.id, email: user.email }], { title, body, link });
  }

  const navLink = ($: cheerio.CheerioAPI) => $('.govuk-service-navigation a[href="/notifications"]');

  it('asks you to sign in first', async () => {
    const res = await request(t.app).get('/notifications');
    expect(res.status).to.equal(302);
    expect(res.headers.location).to.equal('/sign-in');
  });

  it('lists only your own notifications, newest first, unread ones marked New', async () => {
    const me = await createUser('supplier');
    const other = await createUser('supplier');
    await tell(me, 'You are invited: Net zero pilot', '/supplier/opportunities/aaaaaaaaaaaaaaaaaaaaaaaa');
    await tell(other, 'Someone else\u2019s invitation', '/supplier/opportunities/bbbbbbbbbbbbbbbbbbbbbbbb');
    await tell(me, 'Reminder: one day left to bid for Net zero pilot', '/supplier/opportunities/aaaaaaaaaaaaaaaaaaaaaaaa/bid', 'The deadline is soon.\nYour organisation has not submitted a bid yet.');
    await Notification.updateOne({ user: me.id, title: /^You are invited/ }, { $set: { readAt: t.clock.now() } });

    const agent = await signIn(t, me);
    const res = await agent.get('/notifications');
    expect(res.status).to.equal(200);
    const $ = cheerio.load(res.text);
    expect($('title').text()).to.match(/^Notifications/);
    expect($('h1').text()).to.equal('Notifications');
    const items = $('#notifications > li');
    expect(items).to.have.length(2);
    expect(res.text).to.not.contain('Someone else');
    // newest first
    const first = items.eq(0);
    expect(first.find('h2 a').text()).to.equal('Reminder: one day left to bid for Net zero pilot');
    expect(first.find('h2 a').attr('href')).to.equal('/supplier/opportunities/aaaaaaaaaaaaaaaaaaaaaaaa/bid');
    expect(first.find('.govuk-tag').text().trim()).to.equal('New');
    expect(first.find('p.govuk-body').map((_, p) => $(p).text()).get()).to.deep.equal(['The deadline is soon.', 'Your organisation has not submitted a bid yet.']);
    expect(first.find('time').attr('datetime')).to.match(/^\d{4}-\d\d-\d\dT/);
    const second = items.eq(1);
    expect(second.find('h2 a').text()).to.equal('You are invited: Net zero pilot');
    expect(second.find('.govuk-tag')).to.have.length(0);
    expect($('#unread-count').text()).to.equal('You have 1 unread notification.');
  });

  it('shows the unread count in the header for every role, and marking all read clears it (yours only)', async () => {
    for (const role of ['supplier', 'buyer', 'admin'] as const) {
      const me = await createUser(role);
      const other = await createUser(role);
      for (const n of [1, 2, 3]) await tell(me, `Message ${n}`, '/account');
      await tell(other, 'Not yours', '/account');
      const agent = await signIn(t, me);

      const home = cheerio.load((await agent.get('/account')).text);
      expect(navLink(home).text().trim(), role).to.equal('Notifications (3 unread)');
      expect(navLink(home).find('.govuk-visually-hidden').text()).to.equal(' unread');

      const res = await submit(agent, '/notifications/read-all', {}, '/notifications');
      expect(res.status).to.equal(303);
      expect(res.headers.location).to.equal('/notifications');
      const after = cheerio.load((await agent.get('/notifications')).text);
      expect(after('.govuk-notification-banner').text()).to.contain('marked as read');
      expect(navLink(after).text().trim(), role).to.equal('Notifications');
      expect(after('#notifications .govuk-tag')).to.have.length(0);
      expect(after('#unread-count').text()).to.equal('You have no unread notifications.');
      expect(after('form[action="/notifications/read-all"]')).to.have.length(0);
      expect(await Notification.countDocuments({ user: me.id, readAt: null })).to.equal(0);
      expect(await Notification.countDocuments({ user: other.id, readAt: null }), 'another user\u2019s stay unread').to.equal(1);
    }
  });

  it('refuses to mark read without the form\u2019s CSRF token', async () => {
    const me = await createUser('supplier');
    await tell(me, 'Still unread', '/supplier');
    const agent = await signIn(t, me);
    const res = await agent.post('/notifications/read-all').type('form').send({});
    expect(res.status).to.equal(403);
    expect(await Notification.countDocuments({ user: me.id, readAt: null })).to.equal(1);
  });

  it('never renders a link that leaves the service', async () => {
    const me = await createUser('supplier');
    await tell(me, 'External link', 'https://evil.example/phish');
    await tell(me, 'Protocol-relative link', '//evil.example/phish');
    await tell(me, 'Script link', 'javascript:alert(1)');
    await tell(me, 'Backslash link', '/\\evil.example');
    await tell(me, 'Newline link', '/\n/evil.example');
    await tell(me, 'No link');
    await tell(me, 'Good link', '/supplier/opportunities');
    const $ = cheerio.load((await (await signIn(t, me)).get('/notifications')).text);
    const titles = $('#notifications h2').map((_, h) => $(h).text().replace('New', '').trim()).get();
    expect(titles).to.deep.equal(['Good link', 'No link', 'Newline link', 'Backslash link', 'Script link', 'Protocol-relative link', 'External link']);
    const links = $('#notifications h2 a').map((_, a) => $(a).attr('href')).get();
    expect(links).to.deep.equal(['/supplier/opportunities']);
    expect($('a[href*="evil"], a[href^="javascript"]')).to.have.length(0);
  });

  it('has an empty state', async () => {
    const $ = cheerio.load((await (await signIn(t, await createUser('buyer'))).get('/notifications')).text);
    expect($('#no-notifications').text()).to.contain('You have no notifications yet');
    expect($('#notifications')).to.have.length(0);
    expect(navLink($).text().trim()).to.equal('Notifications');
  });

  it('pages through many notifications with the GOV.UK pagination', async () => {
    const me = await createUser('supplier');
    for (let n = 1; n <= 27; n++) await tell(me, `Message ${n}`, '/supplier');
    const agent = await signIn(t, me);
    const one = cheerio.load((await agent.get('/notifications')).text);
    expect(one('#notifications > li')).to.have.length(25);
    expect(one('#notifications h2').first().text()).to.contain('Message 27');
    expect(one('.govuk-pagination__next a').attr('href')).to.equal('/notifications?page=2');
    const two = cheerio.load((await agent.get('/notifications?page=2')).text);
    expect(two('#notifications h2').map((_, h) => two(h).text().replace('New', '').trim()).get()).to.deep.equal(['Message 2', 'Message 1']);
    expect(two('.govuk-pagination__prev a').attr('href')).to.equal('/notifications');
    expect((await agent.get('/notifications?page=3')).status).to.equal(404);
    expect((await agent.get('/notifications?page=two')).status).to.equal(400);
  });
});
