// The vetting queue: submitted applications soonest due first (the extended date counts), filters by
// status and lot validated from the query, pagination, overdue in red as the clock moves, and the empty state.
import { expect } from 'chai';
import request from 'supertest';
import * as cheerio from 'cheerio';
import { Application } from '../../models/Application';
import { createUser, resetDatabase, signIn, testApp, TestApp } from '../support/app';
import { createSubmittedApplication, uniqueLot } from '../support/vetting';

type Row = { reference: string; cells: string[]; overdueTag: boolean };

function rowsOf(html: string): Row[] {
  const $ = cheerio.load(html);
  return $('#queue tbody tr').map((_i, tr) => {
    const cells = $(tr).find('td, th').map((_j, td) => $(td).text().trim().replace(/\s+/g, ' ')).get();
    return { reference: cells[0], cells, overdueTag: $(tr).find('.govuk-tag--red').length > 0 };
  }).get();
}

describe('vetting: the queue', function () {
  this.timeout(60_000);
  let t: TestApp;
  let admin: request.Agent;
  let adminUser: Awaited<ReturnType<typeof createUser>>;
  let moves = 0;
  /** Moves the clock and signs in again (a long jump ends the session; each sign-in needs a fresh TOTP step). */
  async function at(when: string): Promise<void> {
    t.clock.set(new Date(Date.parse(when) + ++moves * 60_000));
    admin = await signIn(t, adminUser);
  }
  let lotA: Awaited<ReturnType<typeof uniqueLot>>;
  let lotB: Awaited<ReturnType<typeof uniqueLot>>;
  const refs: Record<string, string> = {};

  before(async () => {
    t = await testApp();
    await resetDatabase();
    adminUser = await createUser('admin');
    await at('2026-11-24T10:00:00Z');
    lotA = await uniqueLot('Policy research');
    lotB = await uniqueLot('Prototypes');
    // Received on different days: late (due 8 Dec), early (due 2 Dec), middle (due 4 Dec) but extended (to 9 Dec),
    // a Scottish one received with the early one (St Andrew's Day pushes it to 3 Dec), one decided, one withdrawn.
    refs.late = (await createSubmittedApplication({ lots: [lotA], submittedAt: new Date('2026-11-24T09:00:00Z'), legalName: 'Late Co-op' })).reference;
    refs.early = (await createSubmittedApplication({ lots: [lotB], submittedAt: new Date('2026-11-18T09:00:00Z'), legalName: 'Early Co-op' })).reference;
    const mid = await createSubmittedApplication({ lots: [lotA, lotB], submittedAt: new Date('2026-11-20T09:00:00Z'), legalName: 'Extended Co-op' });
    refs.mid = mid.reference;
    await Application.updateOne({ _id: mid.id }, { $set: { extendedDueBy: new Date('2026-12-09T23:59:59.999Z'), extensionReason: 'References' } });
    refs.scot = (await createSubmittedApplication({ lots: [lotA], submittedAt: new Date('2026-11-18T09:00:00Z'), nation: 'Scotland', legalName: 'Scottish Co-op' })).reference;
    const decided = await createSubmittedApplication({ lots: [lotA], submittedAt: new Date('2026-11-17T09:00:00Z'), legalName: 'Decided Co-op' });
    refs.decided = decided.reference;
    await Application.updateOne({ _id: decided.id }, { $set: { status: 'decided' } });
    const withdrawn = await createSubmittedApplication({ lots: [lotB], submittedAt: new Date('2026-11-19T09:00:00Z'), legalName: 'Withdrawn Co-op' });
    refs.withdrawn = withdrawn.reference;
    await Application.updateOne({ _id: withdrawn.id }, { $set: { status: 'withdrawn', withdrawnAt: new Date('2026-11-20T09:00:00Z') } });
    // A draft is never in the queue.
    await Application.create({ supplier: (await createUser('supplier')).organisation, createdBy: mid.supplier, status: 'draft', lots: [lotA.id] });
  });

  it('lists applications awaiting a decision, soonest effective due date first, with their columns', async () => {
    const res = await admin.get('/admin/applications');
    expect(res.status).to.equal(200);
    const rows = rowsOf(res.text);
    expect(rows.map((r) => r.reference)).to.deep.equal([refs.early, refs.scot, refs.late, refs.mid]);
    const early = rows[0].cells;
    expect(early.slice(1)).to.deep.equal(['Early Co-op', `Lot ${lotB.number}`, '18 November 2026', '2 December 2026', '6 working days left', 'Awaiting decision']);
    expect(rows[1].cells[4]).to.equal('3 December 2026');
    expect(rows[3].cells[2]).to.equal(`Lot ${Math.min(lotA.number, lotB.number)}, Lot ${Math.max(lotA.number, lotB.number)}`);
    expect(rows[3].cells[4]).to.equal('9 December 2026 (extended)');
    const $ = cheerio.load(res.text);
    expect($('#queue tbody tr a').first().attr('href')).to.match(/^\/admin\/applications\/[0-9a-f]{24}$/);
    expect($('.app-table-container[role=region][tabindex="0"]')).to.have.length(1);
    expect($('title').text()).to.match(/^Applications/);
    expect($('.govuk-service-navigation__item--active').text()).to.contain('Applications');
  });

  it('shows overdue applications in red with an Overdue tag as the clock moves past the due day', async () => {
    await at('2026-12-03T10:00:00Z');
    let rows = rowsOf((await admin.get('/admin/applications')).text);
    expect(rows[0]).to.deep.include({ reference: refs.early, overdueTag: true });
    expect(rows[0].cells.slice(5)).to.deep.equal(['Overdue by 1 working day', 'Overdue']);
    expect(rows[1]).to.deep.include({ reference: refs.scot, overdueTag: false });
    expect(rows[1].cells[5]).to.equal('Due today');
    expect(rowsOf((await admin.get('/admin/applications?status=overdue')).text).map((r) => r.reference)).to.deep.equal([refs.early]);
    await at('2026-12-09T10:00:00Z');
    rows = rowsOf((await admin.get('/admin/applications')).text);
    expect(rows.filter((r) => r.overdueTag).map((r) => r.reference)).to.deep.equal([refs.early, refs.scot, refs.late]);
    expect(rows[3]).to.deep.include({ reference: refs.mid, overdueTag: false });
    expect(rows[3].cells[5]).to.equal('Due today');
  });

  it('filters by status and by lot, keeping the filters in the form', async () => {
    const decided = await admin.get('/admin/applications?status=decided');
    expect(rowsOf(decided.text).map((r) => r.reference)).to.deep.equal([refs.decided]);
    expect(rowsOf(decided.text)[0].cells[6]).to.equal('Decided');
    expect(rowsOf((await admin.get('/admin/applications?status=withdrawn')).text).map((r) => r.reference)).to.deep.equal([refs.withdrawn]);
    const all = rowsOf((await admin.get('/admin/applications?status=all')).text).map((r) => r.reference);
    expect(all).to.have.members(Object.values(refs));
    expect(all).to.have.length(6);
    const lotOnly = await admin.get(`/admin/applications?lot=${lotB.id}`);
    expect(rowsOf(lotOnly.text).map((r) => r.reference)).to.deep.equal([refs.early, refs.mid]);
    const $ = cheerio.load(lotOnly.text);
    expect($('#lot option[selected]').val()).to.equal(lotB.id);
    const both = await admin.get(`/admin/applications?status=all&lot=${lotB.id}`);
    expect(rowsOf(both.text).map((r) => r.reference)).to.deep.equal([refs.early, refs.withdrawn, refs.mid]);
    expect(cheerio.load(both.text)('#status option[selected]').val()).to.equal('all');
  });

  it('refuses malformed filters with 400', async () => {
    for (const q of ['status=nonsense', 'lot=123', 'status=all&status=decided', 'lot=xxxxxxxxxxxxxxxxxxxxxxxx', 'page=0', 'page=abc']) {
      const res = await admin.get(`/admin/applications?${q}`);
      expect(res.status, q).to.equal(400);
    }
  });

  it('shows an empty state when nothing matches', async () => {
    const lotC = await uniqueLot('Empty');
    const res = await admin.get(`/admin/applications?lot=${lotC.id}`);
    expect(res.status).to.equal(200);
    const $ = cheerio.load(res.text);
    expect($('#no-applications').text()).to.contain('no applications');
    expect($('#queue')).to.have.length(0);
  });

  it('pages through a long queue, keeping the filters in the page links', async () => {
    const lotP = await uniqueLot('Paged');
    const made: string[] = [];
    for (let i = 0; i < 27; i++) {
      made.push((await createSubmittedApplication({ lots: [lotP], submittedAt: new Date(Date.UTC(2026, 10, 2 + (i % 20), 9, i)) })).reference);
    }
    const first = await admin.get(`/admin/applications?status=all&lot=${lotP.id}`);
    const $ = cheerio.load(first.text);
    expect(rowsOf(first.text)).to.have.length(25);
    expect($('.govuk-table__caption').text()).to.contain('Showing 1 to 25 of 27 applications');
    const next = $('.govuk-pagination__next a').attr('href');
    expect(next).to.equal(`/admin/applications?status=all&lot=${lotP.id}&page=2`);
    const second = await admin.get(next!);
    expect(rowsOf(second.text)).to.have.length(2);
    const seen = [...rowsOf(first.text), ...rowsOf(second.text)].map((r) => r.reference);
    expect(seen).to.have.members(made);
    expect((await admin.get(`/admin/applications?status=all&lot=${lotP.id}&page=3`)).status).to.equal(404);
  });
});
