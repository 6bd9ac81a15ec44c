// Admin journey for lots: list, add, edit, validation and unique numbers.
import { expect } from 'chai';
import request from 'supertest';
import * as cheerio from 'cheerio';
import { AuditEvent } from '../../models/AuditEvent';
import { Lot } from '../../models/Lot';
import { freshAdmin, submit } from '../support/app';

const lot = { number: '1', title: 'Policy development and research', description: 'Research and policy work for member councils.', active: 'yes' };

describe('admin: lots', function () {
  this.timeout(30_000);
  let admin: request.Agent;

  before(async () => {
    ({ admin } = await freshAdmin());
  });

  it('shows an empty state, then adds a lot and lists it', async () => {
    const empty = cheerio.load((await admin.get('/admin/lots')).text);
    expect(empty('#no-lots')).to.have.length(1);
    const res = await submit(admin, '/admin/lots/new', lot);
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal('/admin/lots');
    const saved = await Lot.findOne({ number: 1 }).lean();
    expect(saved).to.include({ title: lot.title, description: lot.description, active: true });
    expect(await AuditEvent.exists({ action: 'lot.saved', targetId: String(saved!._id) })).to.not.equal(null);
    const $ = cheerio.load((await admin.get('/admin/lots')).text);
    expect($('.govuk-notification-banner--success').text()).to.contain('Lot 1 saved');
    const cells = $('table tbody tr').first().find('td').map((_i, el) => $(el).text().trim()).get();
    expect(cells.slice(0, 3)).to.deep.equal(['1', lot.title, 'Open']);
    expect($('table tbody tr a').attr('href')).to.equal(`/admin/lots/${saved!._id}/edit`);
  });

  it('offers a character count on the description', async () => {
    const $ = cheerio.load((await admin.get('/admin/lots/new')).text);
    expect($('.govuk-character-count[data-maxlength="2000"]')).to.have.length(1);
    expect($('textarea#description')).to.have.length(1);
  });

  it('answers bad lot input with the error summary, status 400, answers kept and nothing written', async () => {
    const before = await Lot.countDocuments();
    const res = await submit(admin, '/admin/lots/new', { number: '100', title: 'Prototypes', description: 'x'.repeat(2001) });
    expect(res.status).to.equal(400);
    const $ = cheerio.load(res.text);
    expect($('title').text()).to.match(/^Error: /);
    expect($('.govuk-error-summary a[href="#number"]').text()).to.contain('from 1 to 99');
    expect($('.govuk-error-summary a[href="#description"]').text()).to.contain('2000 characters or fewer');
    expect($('.govuk-error-summary a[href="#active"]').text()).to.contain('Select yes');
    expect($('#active').attr('type')).to.equal('radio');
    expect($('#number').val()).to.equal('100');
    expect($('#title').val()).to.equal('Prototypes');
    expect($('#description').text()).to.have.length(2001);
    expect(await Lot.countDocuments()).to.equal(before);
    for (const number of ['0', '1.5', '-3', 'seven', '']) {
      const r = await submit(admin, '/admin/lots/new', { ...lot, number });
      expect(r.status, `number ${JSON.stringify(number)}`).to.equal(400);
    }
    expect(await Lot.countDocuments()).to.equal(before);
  });

  it('refuses a duplicate lot number, on add and on edit', async () => {
    await Lot.create({ number: 2, title: 'Prototypes and implementation', description: 'Build and test.', active: true });
    const res = await submit(admin, '/admin/lots/new', { ...lot, number: '2', title: 'Another' });
    expect(res.status).to.equal(400);
    const $ = cheerio.load(res.text);
    expect($('.govuk-error-summary a[href="#number"]').text()).to.contain('Lot 2 already exists');
    expect($('#title').val()).to.equal('Another');
    expect(await Lot.countDocuments({ number: 2 })).to.equal(1);
    expect(await Lot.exists({ title: 'Another' })).to.equal(null);

    const three = await Lot.create({ number: 3, title: 'Capacity building', description: 'Training.', active: true });
    const edit = await submit(admin, `/admin/lots/${three._id}/edit`, { ...lot, number: '2', title: 'Capacity building' });
    expect(edit.status).to.equal(400);
    expect((await Lot.findById(three._id).lean())!.number).to.equal(3);
  });

  it('edits a lot: the form is filled in, and the change is saved', async () => {
    const four = await Lot.create({ number: 4, title: 'Evaluation', description: 'Measure social value.', active: true });
    const form = cheerio.load((await admin.get(`/admin/lots/${four._id}/edit`)).text);
    expect(form('#number').val()).to.equal('4');
    expect(form('#description').text()).to.equal('Measure social value.');
    expect(form('input[name=active][value=yes]').is(':checked')).to.equal(true);
    const bad = await submit(admin, `/admin/lots/${four._id}/edit`, { number: '4', title: '', description: 'Changed', active: 'no' });
    expect(bad.status).to.equal(400);
    expect(cheerio.load(bad.text)('.govuk-error-summary a[href="#title"]')).to.have.length(1);
    expect((await Lot.findById(four._id).lean())!.description).to.equal('Measure social value.');
    const res = await submit(admin, `/admin/lots/${four._id}/edit`, { number: '4', title: 'Evaluation and social value', description: 'Measure social value.', active: 'no' });
    expect(res.status).to.equal(303);
    expect(await Lot.findById(four._id).lean()).to.include({ title: 'Evaluation and social value', active: false });
    expect(cheerio.load((await admin.get('/admin/lots')).text)('table').text()).to.contain('Closed');
    expect((await admin.get('/admin/lots/0123456789abcdef01234567/edit')).status).to.equal(404);
  });
});
