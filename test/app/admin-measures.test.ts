// Admin journey for the social-value measure catalogue: the list by theme, adding, re-basing a proxy,
// and withdrawing and reinstating a measure (which changes what bids are offered).
import { expect } from 'chai';
import request from 'supertest';
import * as cheerio from 'cheerio';
import { AuditEvent } from '../../models/AuditEvent';
import { SocialValueMeasure } from '../../models/SocialValueMeasure';
import { MEASURE_CATALOGUE } from '../../server/domain/measureCatalogue';
import { activeMeasures, ensureMeasureCatalogue } from '../../server/services/measures';
import { freshAdmin, submit } from '../support/app';

export const newMeasure = {
  code: 'ccin-t1', theme: 'Testing theme', outcome: 'Better tests', description: 'Hours spent writing tests with local groups',
  unit: 'test hours', proxyValue: '12.50', proxyYear: '2026',
};

let seq = 0;
/** A fresh measure of its own for a test, straight in the database. */
async function aMeasure(active = true) {
  seq += 1;
  return SocialValueMeasure.create({ code: `FIX-${seq}`, theme: 'Fixture theme', outcome: 'An outcome', description: `Fixture measure ${seq}`, unit: 'hours', proxyValuePence: 1000, proxyYear: 2025, active });
}

describe('admin: social-value measures', function () {
  this.timeout(30_000);
  let admin: request.Agent;

  before(async () => {
    ({ admin } = await freshAdmin());
    await ensureMeasureCatalogue();
  });

  it('lists the seeded catalogue grouped by theme, with the proxy value, its year and the status', async () => {
    const res = await admin.get('/admin/measures');
    expect(res.status).to.equal(200);
    const $ = cheerio.load(res.text);
    expect($('h1').text()).to.equal('Social value measures');
    expect($('a.govuk-button[href="/admin/measures/new"]').text().trim()).to.equal('Add a measure');
    const themes = new Set(MEASURE_CATALOGUE.map((m) => m.theme));
    const captions = $('table caption').map((_i, el) => $(el).text().trim()).get();
    expect(new Set(captions)).to.deep.equal(themes);
    expect(captions).to.deep.equal([...captions].sort());
    const row = $('table tbody tr').filter((_i, el) => $(el).find('td').first().text().trim() === 'CCIN-J1');
    const cells = row.find('td').map((_i, el) => $(el).text().trim()).get();
    expect(cells.slice(0, 5)).to.deep.equal(['CCIN-J1', MEASURE_CATALOGUE[0].description, 'FTE jobs', '£32,000 (2026)', 'Active']);
    expect(row.find('a').first().text()).to.equal('Change measure CCIN-J1');
    expect($('.govuk-service-navigation a[href="/admin/measures"]').text().trim()).to.equal('Measures');
  });

  it('pages the list at 50 measures', async () => {
    const extra = Array.from({ length: 50 }, (_v, i) => ({ code: `PAGE-${String(i).padStart(2, '0')}`, theme: 'Zz paging', outcome: 'o', description: 'd', unit: 'u', proxyValuePence: 0, proxyYear: 2026 }));
    await SocialValueMeasure.insertMany(extra);
    try {
      const first = cheerio.load((await admin.get('/admin/measures')).text);
      expect(first('table tbody tr')).to.have.length(50);
      expect(first('.govuk-pagination__next a').attr('href')).to.equal('/admin/measures?page=2');
      const second = cheerio.load((await admin.get('/admin/measures?page=2')).text);
      expect(second('#showing').text()).to.contain('51 to');
      expect((await admin.get('/admin/measures?page=99')).status).to.equal(404);
    } finally {
      await SocialValueMeasure.deleteMany({ theme: 'Zz paging' });
    }
  });

  it('adds a measure (code saved in capitals, value in pence), audits it and offers it to bids', async () => {
    const res = await submit(admin, '/admin/measures/new', newMeasure);
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal('/admin/measures');
    const saved = await SocialValueMeasure.findOne({ code: 'CCIN-T1' }).lean();
    expect(saved).to.include({ theme: 'Testing theme', unit: 'test hours', proxyValuePence: 1250, proxyYear: 2026, active: true });
    const event = await AuditEvent.findOne({ action: 'measure.added', targetId: String(saved!._id) }).lean();
    expect(event?.details).to.include({ code: 'CCIN-T1', proxyValuePence: 1250 });
    expect((await activeMeasures()).map((m) => m.code)).to.include('CCIN-T1');
    const $ = cheerio.load((await admin.get('/admin/measures')).text);
    expect($('.govuk-notification-banner--success').text()).to.contain('Measure CCIN-T1 added');
  });

  it('accepts a proxy value of 0', async () => {
    const res = await submit(admin, '/admin/measures/new', { ...newMeasure, code: 'ZERO-1', proxyValue: '0' });
    expect(res.status).to.equal(303);
    expect((await SocialValueMeasure.findOne({ code: 'ZERO-1' }).lean())?.proxyValuePence).to.equal(0);
  });

  it('re-bases a proxy value: the new value and year saved, the old and new in the audit', async () => {
    const m = await aMeasure();
    const form = cheerio.load((await admin.get(`/admin/measures/${m._id}/edit`)).text);
    expect(form('h1').text()).to.equal(`Change measure ${m.code}`);
    expect(form('#proxyValue').val()).to.equal('10');
    expect(form('#proxyYear').val()).to.equal('2025');
    expect(form('#proxyValue').closest('.govuk-form-group').find('.govuk-hint').text()).to.contain('keep the value and year they recorded');
    const res = await submit(admin, `/admin/measures/${m._id}/edit`, { theme: m.theme, outcome: 'A better outcome', description: m.description, unit: m.unit, proxyValue: '11.75', proxyYear: '2026' });
    expect(res.status).to.equal(303);
    const saved = await SocialValueMeasure.findById(m._id).lean();
    expect(saved).to.include({ outcome: 'A better outcome', proxyValuePence: 1175, proxyYear: 2026, code: m.code });
    const event = await AuditEvent.findOne({ action: 'measure.changed', targetId: String(m._id) }).lean();
    expect(event?.details?.old).to.deep.equal({ proxyValuePence: 1000, proxyYear: 2025 });
    expect(event?.details?.new).to.deep.equal({ proxyValuePence: 1175, proxyYear: 2026 });
  });

  it('shows the code read-only on edit and ignores a posted code', async () => {
    const m = await aMeasure();
    const form = cheerio.load((await admin.get(`/admin/measures/${m._id}/edit`)).text);
    expect(form('input[name=code]')).to.have.length(0);
    expect(form('.govuk-summary-list__value').first().text().trim()).to.equal(m.code);
    const res = await submit(admin, `/admin/measures/${m._id}/edit`, { code: 'HIJACK-1', theme: m.theme, outcome: m.outcome, description: m.description, unit: m.unit, proxyValue: '10', proxyYear: '2025' });
    expect(res.status).to.equal(303);
    expect((await SocialValueMeasure.findById(m._id).lean())?.code).to.equal(m.code);
    expect(await SocialValueMeasure.exists({ code: 'HIJACK-1' })).to.equal(null);
  });

  it('withdraws a measure after confirmation: no longer offered to bids, audited', async () => {
    const m = await aMeasure();
    const page = cheerio.load((await admin.get(`/admin/measures/${m._id}/withdraw`)).text);
    expect(page('h1').text()).to.equal(`Are you sure you want to withdraw measure ${m.code}?`);
    expect(page('.govuk-warning-text').text()).to.contain('keep it');
    const no = await submit(admin, `/admin/measures/${m._id}/withdraw`, { confirm: 'no' });
    expect(no.status).to.equal(303);
    expect((await SocialValueMeasure.findById(m._id).lean())?.active).to.equal(true);
    const yes = await submit(admin, `/admin/measures/${m._id}/withdraw`, { confirm: 'yes' });
    expect(yes.status).to.equal(303);
    expect((await SocialValueMeasure.findById(m._id).lean())?.active).to.equal(false);
    expect((await activeMeasures()).map((x) => x.code)).to.not.include(m.code);
    expect(await AuditEvent.countDocuments({ action: 'measure.withdrawn', targetId: String(m._id) })).to.equal(1);
    const list = cheerio.load((await admin.get('/admin/measures')).text);
    const row = list('table tbody tr').filter((_i, el) => list(el).find('td').first().text().trim() === m.code);
    expect(row.find('.govuk-tag').text().trim()).to.equal('Withdrawn');
    expect(row.find(`a[href="/admin/measures/${m._id}/reinstate"]`).text()).to.equal(`Reinstate measure ${m.code}`);
  });

  it('withdrawing twice changes nothing the second time (409, one audit event)', async () => {
    const m = await aMeasure(false);
    const page = cheerio.load((await admin.get(`/admin/measures/${m._id}/withdraw`)).text);
    expect(page('h1').text()).to.equal(`Measure ${m.code} is already withdrawn`);
    expect(page('form input[name=confirm]')).to.have.length(0);
    const form = cheerio.load((await admin.get(`/admin/measures/${m._id}/reinstate`)).text);
    const _csrf = form('input[name=_csrf]').val() as string;
    const res = await admin.post(`/admin/measures/${m._id}/withdraw`).type('form').send({ _csrf, confirm: 'yes' });
    expect(res.status).to.equal(409);
    expect(cheerio.load(res.text)('h1').text()).to.equal(`Measure ${m.code} is already withdrawn`);
    expect(await AuditEvent.countDocuments({ action: 'measure.withdrawn', targetId: String(m._id) })).to.equal(0);
    // an unanswered confirmation for a change already made is told so too, not asked again
    const empty = await admin.post(`/admin/measures/${m._id}/withdraw`).type('form').send({ _csrf });
    expect(empty.status).to.equal(409);
    expect(cheerio.load(empty.text)('.govuk-error-summary')).to.have.length(0);
  });

  it('reinstates a withdrawn measure after confirmation: offered to bids again, audited', async () => {
    const m = await aMeasure(false);
    expect((await activeMeasures()).map((x) => x.code)).to.not.include(m.code);
    const res = await submit(admin, `/admin/measures/${m._id}/reinstate`, { confirm: 'yes' });
    expect(res.status).to.equal(303);
    expect((await activeMeasures()).map((x) => x.code)).to.include(m.code);
    expect(await AuditEvent.countDocuments({ action: 'measure.reinstated', targetId: String(m._id) })).to.equal(1);
    const $ = cheerio.load((await admin.get('/admin/measures')).text);
    expect($('.govuk-notification-banner--success').text()).to.contain(`Measure ${m.code} reinstated`);
  });

  it('answers an unknown or malformed measure id with 404', async () => {
    expect((await admin.get('/admin/measures/0123456789abcdef01234567/edit')).status).to.equal(404);
    expect((await admin.get('/admin/measures/not-an-id/withdraw')).status).to.equal(404);
  });
});
