// The framework's settings (admin): validation, audit, the effect on new drafts; and a council's own minimum days
// for below-threshold competitions in the admin council form.
import { expect } from 'chai';
import * as cheerio from 'cheerio';
import request from 'supertest';
import { AuditEvent } from '../../models/AuditEvent';
import { Competition } from '../../models/Competition';
import { FrameworkSettings } from '../../models/FrameworkSettings';
import { Organisation } from '../../models/Organisation';
import { agentsByRole, createUser, resetDatabase, signIn, submit, testApp, TestApp } from '../support/app';
import { uniqueLot } from '../support/vetting';

describe('Framework settings', function () {
  this.timeout(60_000);
  let t: TestApp;
  let admin: request.Agent;
  before(async () => {
    t = await testApp();
    await resetDatabase();
    admin = await signIn(t, await createUser('admin'));
  });

  it('shows the defaults before anything is saved, then saves, audits and shows the new values', async () => {
    await FrameworkSettings.deleteMany({});
    const $ = cheerio.load((await admin.get('/admin/settings')).text);
    expect($('h1').text()).to.equal('Framework settings');
    expect($('input[name=defaultRuleSet][value=PA2023_DYNAMIC_MARKET]').is(':checked')).to.equal(true);
    expect($('#belowThresholdMinDays').val()).to.equal('5');

    const res = await submit(admin, '/admin/settings', { defaultRuleSet: 'BELOW_THRESHOLD', belowThresholdMinDays: '12' });
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal('/admin/settings');
    const saved = await FrameworkSettings.find({ key: 'framework' }).lean();
    expect(saved).to.have.length(1);
    expect(saved[0]).to.include({ defaultRuleSet: 'BELOW_THRESHOLD', belowThresholdMinDays: 12 });
    const audit = await AuditEvent.findOne({ action: 'framework-settings.updated' }).sort({ seq: -1 }).lean();
    expect(audit!.details).to.deep.include({ to: { defaultRuleSet: 'BELOW_THRESHOLD', belowThresholdMinDays: 12 } });
    expect((audit!.details as any).from).to.deep.equal({ defaultRuleSet: 'PA2023_DYNAMIC_MARKET', belowThresholdMinDays: 5 });
    const again = cheerio.load((await admin.get('/admin/settings')).text);
    expect(again('.govuk-notification-banner--success').text()).to.contain('Framework settings saved');
    expect(again('#belowThresholdMinDays').val()).to.equal('12');

    // a second save updates the one record
    await submit(admin, '/admin/settings', { defaultRuleSet: 'PCR2015_DPS', belowThresholdMinDays: '60' });
    expect(await FrameworkSettings.countDocuments({})).to.equal(1);
  });

  for (const [name, body, field, text] of [
    ['blank', {}, 'defaultRuleSet', 'Select the rules'],
    ['an unknown rule-set', { defaultRuleSet: 'EU_2004', belowThresholdMinDays: '5' }, 'defaultRuleSet', 'Select the rules'],
    ['zero days', { defaultRuleSet: 'PCR2015_DPS', belowThresholdMinDays: '0' }, 'belowThresholdMinDays', 'whole number from 1 to 60'],
    ['61 days', { defaultRuleSet: 'PCR2015_DPS', belowThresholdMinDays: '61' }, 'belowThresholdMinDays', 'whole number from 1 to 60'],
    ['a fraction', { defaultRuleSet: 'PCR2015_DPS', belowThresholdMinDays: '2.5' }, 'belowThresholdMinDays', 'whole number from 1 to 60'],
  ] as const) {
    it(`refuses ${name} with the error summary and saves nothing`, async () => {
      await FrameworkSettings.deleteMany({});
      await FrameworkSettings.create({ key: 'framework', defaultRuleSet: 'PA2023_DYNAMIC_MARKET', belowThresholdMinDays: 9 });
      const res = await submit(admin, '/admin/settings', body as Record<string, string>);
      expect(res.status).to.equal(400);
      const $ = cheerio.load(res.text);
      expect($('title').text()).to.match(/^Error: /);
      expect($(`.govuk-error-summary a[href="#${field}"]`).text()).to.contain(text);
      expect(await FrameworkSettings.findOne({ key: 'framework' }).lean()).to.include({ defaultRuleSet: 'PA2023_DYNAMIC_MARKET', belowThresholdMinDays: 9 });
    });
  }

  it('is for admins only: buyers and suppliers get 403, anonymous users are sent to sign in', async () => {
    const agents = await agentsByRole(t);
    for (const who of ['supplier', 'buyer'] as const) {
      expect((await agents[who].get('/admin/settings')).status, who).to.equal(403);
      expect((await submit(agents[who], '/admin/settings', { defaultRuleSet: 'PCR2015_DPS', belowThresholdMinDays: '1' }, '/account')).status, who).to.equal(403);
    }
    expect((await agents.anonymous.get('/admin/settings')).status).to.equal(302);
  });

  it('new drafts start with the framework\u2019s default rule-set', async () => {
    await submit(admin, '/admin/settings', { defaultRuleSet: 'BELOW_THRESHOLD', belowThresholdMinDays: '7' });
    const lot = await uniqueLot('Settings lot');
    const buyer = await createUser('buyer');
    const agent = await signIn(t, buyer);
    const form = cheerio.load((await agent.get('/buyer/competitions/new')).text);
    expect(form('input[name=ruleSet]:checked').val()).to.equal('BELOW_THRESHOLD');
    expect(form('#ruleSet-3-item-hint').text()).to.contain('at least 7 days').and.contain('framework\u2019s default');

    await submit(admin, '/admin/settings', { defaultRuleSet: 'PCR2015_DPS', belowThresholdMinDays: '7' });
    const changed = cheerio.load((await agent.get('/buyer/competitions/new')).text);
    expect(changed('input[name=ruleSet]:checked').val()).to.equal('PCR2015_DPS');
    const res = await submit(agent, '/buyer/competitions/new', { title: 'Uses the default', lot: lot.id, ruleSet: String(changed('input[name=ruleSet]:checked').val()) });
    expect(res.status).to.equal(303);
    expect((await Competition.findOne({ council: buyer.organisation }).lean())!.ruleSet).to.equal('PCR2015_DPS');
  });

  it('keeps a council\u2019s own minimum days (optional, 1 to 60), audited, and shows which applies', async () => {
    await submit(admin, '/admin/settings', { defaultRuleSet: 'PA2023_DYNAMIC_MARKET', belowThresholdMinDays: '5' });
    const council = { name: 'Kirklees Council', councilType: 'unitary', nation: 'England', membership: 'full', status: 'active' };
    const added = await submit(admin, '/admin/councils/new', { ...council, belowThresholdMinDays: '' });
    expect(added.status).to.equal(303);
    const id = added.headers.location.split('/').pop()!;
    expect((await Organisation.findById(id).lean())!.belowThresholdMinDays ?? null).to.equal(null);
    const page = cheerio.load((await admin.get(`/admin/councils/${id}`)).text);
    expect(page('.govuk-summary-list').text()).to.contain('the framework\u2019s default of 5 days applies');

    const bad = await submit(admin, `/admin/councils/${id}/edit`, { ...council, belowThresholdMinDays: '61' });
    expect(bad.status).to.equal(400);
    expect(cheerio.load(bad.text)('.govuk-error-summary a[href="#belowThresholdMinDays"]').text()).to.contain('whole number from 1 to 60');
    expect((await Organisation.findById(id).lean())!.belowThresholdMinDays ?? null).to.equal(null);

    const ok = await submit(admin, `/admin/councils/${id}/edit`, { ...council, belowThresholdMinDays: '15' });
    expect(ok.status).to.equal(303);
    expect((await Organisation.findById(id).lean())!.belowThresholdMinDays).to.equal(15);
    const audit = await AuditEvent.findOne({ action: 'council.updated', targetId: id }).sort({ seq: -1 }).lean();
    expect((audit!.details as any).belowThresholdMinDays).to.equal(15);
    const edit = cheerio.load((await admin.get(`/admin/councils/${id}/edit`)).text);
    expect(edit('#belowThresholdMinDays').val()).to.equal('15');
    expect(cheerio.load((await admin.get(`/admin/councils/${id}`)).text)('.govuk-summary-list').text()).to.contain('15 days');

    // cleared: the framework's default applies again
    await submit(admin, `/admin/councils/${id}/edit`, { ...council, belowThresholdMinDays: ' ' });
    expect((await Organisation.findById(id).lean())!.belowThresholdMinDays ?? null).to.equal(null);
  });
});
