// Admin journeys for member councils: the paginated list, adding and editing, the council page.
import { expect } from 'chai';
import request from 'supertest';
import * as cheerio from 'cheerio';
import { AuditEvent } from '../../models/AuditEvent';
import { Organisation } from '../../models/Organisation';
import { createUser, freshAdmin, submit } from '../support/app';

const valid = { name: 'Oldham Council', councilType: 'borough', nation: 'England', membership: 'full', status: 'active' } as const;

describe('admin: member councils', function () {
  this.timeout(30_000);
  let admin: request.Agent;

  before(async () => {
    ({ admin } = await freshAdmin());
  });

  it('shows an empty state when there are no councils', async () => {
    await Organisation.deleteMany({ kind: 'council' });
    const res = await admin.get('/admin/councils');
    expect(res.status).to.equal(200);
    const $ = cheerio.load(res.text);
    expect($('h1').text()).to.equal('Member councils');
    expect($('#no-councils').text()).to.contain('no member councils');
    expect($('table')).to.have.length(0);
  });

  it('adds a council, writes an audit event and shows it in the list', async () => {
    const res = await submit(admin, '/admin/councils/new', valid);
    expect(res.status).to.equal(303);
    const council = await Organisation.findOne({ kind: 'council', name: 'Oldham Council' }).lean();
    expect(council).to.include({ councilType: 'borough', nation: 'England', membership: 'full', status: 'active' });
    expect(res.headers.location).to.equal(`/admin/councils/${council!._id}`);
    expect(await AuditEvent.exists({ action: 'council.added', targetId: String(council!._id) })).to.not.equal(null);
    const page = cheerio.load((await admin.get(res.headers.location)).text);
    expect(page('.govuk-notification-banner--success').text()).to.contain('Oldham Council added');
    const list = cheerio.load((await admin.get('/admin/councils')).text);
    const cells = list('table tbody tr').first().find('td').map((_i, el) => list(el).text().trim()).get();
    expect(cells).to.deep.equal(['Oldham Council', 'Borough', 'England', 'Full', 'Active']);
    expect(list('table tbody tr a').attr('href')).to.equal(`/admin/councils/${council!._id}`);
  });

  it('answers bad council input with the error summary, status 400, answers kept and nothing written', async () => {
    const before = await Organisation.countDocuments({ kind: 'council' });
    const res = await submit(admin, '/admin/councils/new', { name: '  ', councilType: 'parish', nation: 'Wales', membership: 'associate' });
    expect(res.status).to.equal(400);
    const $ = cheerio.load(res.text);
    expect($('title').text()).to.match(/^Error: /);
    expect($('.govuk-error-summary a[href="#name"]').text()).to.contain('Enter the council');
    expect($('.govuk-error-summary a[href="#councilType"]').text()).to.contain('Select the kind of council');
    expect($('.govuk-error-summary a[href="#status"]').text()).to.contain('Select whether');
    expect($('.govuk-error-summary a[href="#nation"]')).to.have.length(0);
    // each summary link lands on a real field
    expect($('#councilType').attr('type')).to.equal('radio');
    expect($('#status').attr('type')).to.equal('radio');
    expect($('input[name=nation][value=Wales]').is(':checked')).to.equal(true);
    expect($('input[name=membership][value=associate]').is(':checked')).to.equal(true);
    expect($('#councilType-error').text()).to.contain('Select the kind of council');
    expect(await Organisation.countDocuments({ kind: 'council' })).to.equal(before);
  });

  it('refuses an array where one value is expected', async () => {
    const res = await submit(admin, '/admin/councils/new', { ...valid, name: ['A', 'B'] });
    expect(res.status).to.equal(400);
    expect(await Organisation.exists({ name: 'A' })).to.equal(null);
  });

  it('edits a council, and keeps answers with errors when the edit is bad', async () => {
    const id = String((await Organisation.create({ kind: 'council', ...valid, name: 'Preston City Council' }))._id);
    const form = cheerio.load((await admin.get(`/admin/councils/${id}/edit`)).text);
    expect(form('#name').val()).to.equal('Preston City Council');
    expect(form('input[name=councilType][value=borough]').is(':checked')).to.equal(true);

    const bad = await submit(admin, `/admin/councils/${id}/edit`, { ...valid, name: 'Preston', nation: 'Atlantis' }, `/admin/councils/${id}/edit`);
    expect(bad.status).to.equal(400);
    const $ = cheerio.load(bad.text);
    expect($('.govuk-error-summary a[href="#nation"]').text()).to.contain('Select the nation');
    expect($('#name').val()).to.equal('Preston');
    expect((await Organisation.findById(id).lean())!.name).to.equal('Preston City Council');

    const ok = await submit(admin, `/admin/councils/${id}/edit`, { ...valid, name: 'Preston City Council', status: 'lapsed', nation: 'England' });
    expect(ok.status).to.equal(303);
    expect(ok.headers.location).to.equal(`/admin/councils/${id}`);
    expect((await Organisation.findById(id).lean())!.status).to.equal('lapsed');
    expect(await AuditEvent.exists({ action: 'council.updated', targetId: id })).to.not.equal(null);
  });

  it('ignores posted fields outside the form (mass assignment)', async () => {
    const res = await submit(admin, '/admin/councils/new', { ...valid, name: 'Mass Assigned', kind: 'supplier', createdAt: '2000-01-01' });
    expect(res.status).to.equal(303);
    const c = await Organisation.findOne({ name: 'Mass Assigned' }).lean();
    expect(c!.kind).to.equal('council');
    expect(c!.createdAt!.getFullYear()).to.not.equal(2000);
  });

  it('shows a council page with its buyers and, for an unknown or malformed id, a 404', async () => {
    const id = String((await Organisation.create({ kind: 'council', ...valid, name: 'Sunderland City Council' }))._id);
    const buyer = await createUser('buyer', { organisation: id });
    const res = await admin.get(`/admin/councils/${id}`);
    expect(res.status).to.equal(200);
    const $ = cheerio.load(res.text);
    expect($('h1').text()).to.equal('Sunderland City Council');
    expect($('.govuk-summary-list').text()).to.contain('Borough');
    expect($('table').first().text()).to.contain(buyer.email);
    expect($('#no-invitations')).to.have.length(1);
    expect((await admin.get('/admin/councils/0123456789abcdef01234567')).status).to.equal(404);
    expect((await admin.get('/admin/councils/not-an-id')).status).to.equal(404);
    expect((await admin.get('/admin/councils/0123456789abcdef01234567/edit')).status).to.equal(404);
  });

  it('escapes a council name that holds markup', async () => {
    const nasty = '<script>alert(1)</script>"><img src=x onerror=alert(1)>';
    const res = await submit(admin, '/admin/councils/new', { ...valid, name: nasty });
    expect(res.status).to.equal(303);
    for (const path of ['/admin/councils', res.headers.location, `${res.headers.location}/edit`]) {
      const html = (await admin.get(path)).text;
      expect(html).to.not.contain('<script>alert(1)');
      expect(html).to.not.contain('<img src=x');
      expect(html).to.contain('&lt;script&gt;alert(1)&lt;/script&gt;');
    }
  });

  it('paginates the list 25 a page with the GOV.UK pagination component', async () => {
    await Organisation.deleteMany({ kind: 'council' });
    await Organisation.insertMany(Array.from({ length: 60 }, (_x, i) => ({ kind: 'council', ...valid, name: `Council ${String(i + 1).padStart(2, '0')}` })));
    const first = cheerio.load((await admin.get('/admin/councils')).text);
    expect(first('table tbody tr')).to.have.length(25);
    expect(first('table tbody tr').first().find('td').first().text()).to.equal('Council 01');
    expect(first('table caption').text()).to.contain('Showing 1 to 25 of 60');
    expect(first('.govuk-pagination__prev')).to.have.length(0);
    expect(first('.govuk-pagination__next a').attr('href')).to.equal('/admin/councils?page=2');
    expect(first('.govuk-pagination__item--current').text().trim()).to.equal('1');

    const second = cheerio.load((await admin.get('/admin/councils?page=2')).text);
    expect(second('table tbody tr').first().find('td').first().text()).to.equal('Council 26');
    expect(second('.govuk-pagination__prev a').attr('href')).to.equal('/admin/councils');
    expect(second('.govuk-pagination__item--current').text().trim()).to.equal('2');

    const last = cheerio.load((await admin.get('/admin/councils?page=3')).text);
    expect(last('table tbody tr')).to.have.length(10);
    expect(last('table tbody tr').last().find('td').first().text()).to.equal('Council 60');
    expect(last('.govuk-pagination__next')).to.have.length(0);

    expect((await admin.get('/admin/councils?page=4')).status).to.equal(404);
    expect((await admin.get('/admin/councils?page=0')).status).to.equal(400);
    expect((await admin.get('/admin/councils?page=abc')).status).to.equal(400);
    expect((await admin.get('/admin/councils?page=1&page=2')).status).to.equal(400);
  });
});
