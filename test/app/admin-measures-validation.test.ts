// The measure forms' validation: every message, in the error summary and inline, status 400 and nothing written.
import { expect } from 'chai';
import request from 'supertest';
import * as cheerio from 'cheerio';
import { AuditEvent } from '../../models/AuditEvent';
import { SocialValueMeasure } from '../../models/SocialValueMeasure';
import { ensureMeasureCatalogue } from '../../server/services/measures';
import { freshAdmin, submit, TestApp } from '../support/app';
import { newMeasure } from './admin-measures.test';

describe('admin: social-value measure validation', function () {
  this.timeout(30_000);
  let admin: request.Agent;
  let t: TestApp;

  before(async () => {
    ({ t, admin } = await freshAdmin());
    await ensureMeasureCatalogue();
  });

  /** Posts the add form with `fields` changed; expects a 400 naming `field` with `message`, and nothing saved. */
  async function refused(fields: Record<string, string>, field: string, message: string, path = '/admin/measures/new') {
    const measures = await SocialValueMeasure.countDocuments();
    const audits = await AuditEvent.countDocuments();
    const res = await submit(admin, path, { ...newMeasure, ...fields });
    expect(res.status, `${field}: ${message}`).to.equal(400);
    const $ = cheerio.load(res.text);
    expect($('title').text()).to.match(/^Error: /);
    expect($(`.govuk-error-summary a[href="#${field}"]`).text()).to.equal(message);
    expect($(`#${field}-error`).text()).to.contain(message);
    expect(await SocialValueMeasure.countDocuments()).to.equal(measures);
    expect(await AuditEvent.countDocuments()).to.equal(audits);
    return $;
  }

  it('gives every required field its message and keeps the answers', async () => {
    const $ = await refused({ code: '', theme: '', outcome: '', description: '', unit: '', proxyValue: '', proxyYear: '' }, 'code', 'Enter the measure code');
    const summary = $('.govuk-error-summary a').map((_i, el) => $(el).text()).get();
    expect(summary).to.deep.equal([
      'Enter the measure code', 'Enter the theme', 'Enter the outcome', 'Enter a description of the measure', 'Enter the unit',
      'Enter the proxy value per unit', 'Enter the year of the proxy value',
    ]);
    const kept = await refused({ code: 'GOOD-1', theme: '' }, 'theme', 'Enter the theme');
    expect(kept('#code').val()).to.equal('GOOD-1');
    expect(kept('#outcome').val()).to.equal(newMeasure.outcome);
    expect(kept('#proxyValue').val()).to.equal(newMeasure.proxyValue);
  });

  it('checks the code: letters, digits and hyphens, at most 20', async () => {
    await refused({ code: 'CC IN/1' }, 'code', 'Code must contain only letters, numbers and hyphens');
    await refused({ code: 'A'.repeat(21) }, 'code', 'Code must be 20 characters or fewer');
  });

  it('checks the lengths of the texts', async () => {
    await refused({ theme: 'x'.repeat(201) }, 'theme', 'The theme must be 200 characters or fewer');
    await refused({ outcome: 'x'.repeat(301) }, 'outcome', 'The outcome must be 300 characters or fewer');
    await refused({ description: 'x'.repeat(2001) }, 'description', 'Description must be 2000 characters or fewer');
    await refused({ unit: 'x'.repeat(101) }, 'unit', 'The unit must be 100 characters or fewer');
  });

  it('checks the proxy value is an amount in pounds, 0 or more', async () => {
    await refused({ proxyValue: 'ten' }, 'proxyValue', 'Proxy value per unit must be an amount in pounds, like 1500 or 1500.50');
    await refused({ proxyValue: '-5' }, 'proxyValue', 'Proxy value per unit must be 0 or more');
    await refused({ proxyValue: '1.234' }, 'proxyValue', 'Proxy value per unit must be an amount in pounds, like 1500 or 1500.50');
  });

  it('checks the proxy year: a whole number from 2000 to next year by the clock', async () => {
    const next = t.clock.now().getUTCFullYear() + 1;
    await refused({ proxyYear: '2026.5' }, 'proxyYear', 'Year must be a whole number, like 2026');
    await refused({ proxyYear: 'soon' }, 'proxyYear', 'Year must be a whole number, like 2026');
    await refused({ proxyYear: '1999' }, 'proxyYear', `Year must be between 2000 and ${next}`);
    await refused({ proxyYear: String(next + 1) }, 'proxyYear', `Year must be between 2000 and ${next}`);
    const ok = await submit(admin, '/admin/measures/new', { ...newMeasure, code: 'NEXT-YEAR', proxyYear: String(next) });
    expect(ok.status).to.equal(303);
  });

  it('refuses a duplicate code, whatever its case', async () => {
    await refused({ code: 'CCIN-J1' }, 'code', 'A measure with code CCIN-J1 already exists');
    await refused({ code: 'ccin-j1' }, 'code', 'A measure with code CCIN-J1 already exists');
  });

  it('validates a change too, and leaves the measure as it was', async () => {
    const m = await SocialValueMeasure.findOne({ code: 'CCIN-E1' }).lean();
    const path = `/admin/measures/${m!._id}/edit`;
    await refused({ proxyValue: 'lots' }, 'proxyValue', 'Proxy value per unit must be an amount in pounds, like 1500 or 1500.50', path);
    await refused({ unit: '' }, 'unit', 'Enter the unit', path);
    expect(await SocialValueMeasure.findById(m!._id).lean()).to.deep.include({ unit: m!.unit, proxyValuePence: m!.proxyValuePence });
  });

  it('asks for an answer on the withdraw and reinstate confirmations', async () => {
    const active = await SocialValueMeasure.findOne({ code: 'CCIN-E2' }).lean();
    const withdrawn = await SocialValueMeasure.findOneAndUpdate({ code: 'CCIN-W3' }, { $set: { active: false } }, { returnDocument: 'after' }).lean();
    for (const [change, m] of [['withdraw', active], ['reinstate', withdrawn]] as const) {
      const res = await submit(admin, `/admin/measures/${m!._id}/${change}`, {});
      expect(res.status).to.equal(400);
      const $ = cheerio.load(res.text);
      expect($('title').text()).to.match(/^Error: /);
      expect($('.govuk-error-summary a[href="#confirm"]').text()).to.equal(`Select yes if you want to ${change} measure ${m!.code}`);
      expect($('#confirm-error').text()).to.contain('Select yes');
      expect((await SocialValueMeasure.findById(m!._id).lean())?.active).to.equal(m!.active);
    }
  });
});
