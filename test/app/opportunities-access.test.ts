// Who may use the supplier's competition pages: suppliers invited to it. A supplier not invited gets 404 on each
// (and writes nothing); buyers and admins 403; anonymous visitors are sent to sign in.
import { expect } from 'chai';
import request from 'supertest';
import { Clarification } from '../../models/Clarification';
import { Competition } from '../../models/Competition';
import { storeUpload } from '../../server/services/documents';
import { createUser, csrfFrom, resetDatabase, signIn, testApp, TestApp } from '../support/app';
import { admittedSupplier, competitionFixture, CompetitionFixture } from '../support/competitions';
import * as files from '../fixtures/files';

describe('Supplier opportunity pages: access', function () {
  this.timeout(60_000);
  let t: TestApp;
  let f: CompetitionFixture;
  let gets: string[];
  const ask = (id: string) => `/supplier/opportunities/${id}/questions/new`;

  before(async () => {
    t = await testApp();
    await resetDatabase();
    f = await competitionFixture(t);
    const doc = await storeUpload(t.clock, { owner: f.buyer.organisation, uploadedBy: f.buyer.id, purpose: 'competition:document', file: { buffer: files.pdf(), originalname: 'Spec.pdf', size: 0 } });
    await Competition.updateOne({ _id: f.id }, { $set: { documents: [doc.id] } });
    gets = [`/supplier/opportunities/${f.id}`, `/supplier/opportunities/${f.id}/documents/${doc.id}`, ask(f.id)];
  });

  async function posting(agent: request.Agent, home: string) {
    const _csrf = await csrfFrom(agent, home);
    return agent.post(ask(f.id)).type('form').send({ _csrf, question: 'Can I ask?' });
  }

  it('lets an invited supplier in', async () => {
    const agent = await signIn(t, f.suppliers[0]);
    for (const path of gets) expect((await agent.get(path)).status, path).to.equal(200);
  });

  it('gives a supplier not invited (admitted to another lot, or to this one after publication) 404 on every page and the form', async () => {
    const elsewhere = await competitionFixture(t);
    const late = await admittedSupplier(f.lot.id, t.clock.now());
    for (const user of [elsewhere.suppliers[0], late]) {
      const agent = await signIn(t, user);
      for (const path of gets) expect((await agent.get(path)).status, path).to.equal(404);
      expect((await posting(agent, '/supplier')).status).to.equal(404);
    }
    expect(await Clarification.countDocuments({ competition: f.id })).to.equal(0);
  });

  it('gives buyers (even the owning council\u2019s) and admins 403, and sends anonymous visitors to sign in', async () => {
    const buyer = await signIn(t, f.buyer);
    const admin = await signIn(t, await createUser('admin'));
    for (const [agent, home] of [[buyer, '/buyer'], [admin, '/admin']] as const) {
      for (const path of [...gets, '/supplier/opportunities']) expect((await agent.get(path)).status, path).to.equal(403);
      expect((await posting(agent, home)).status).to.equal(403);
    }
    const anonymous = request.agent(t.app);
    for (const path of gets) expect((await anonymous.get(path)).headers.location, path).to.equal('/sign-in');
    expect(await Clarification.countDocuments({ competition: f.id })).to.equal(0);
  });

  it('answers 404 for a malformed competition id', async () => {
    const agent = await signIn(t, f.suppliers[1]);
    expect((await agent.get('/supplier/opportunities/not-an-id')).status).to.equal(404);
    expect((await agent.get('/supplier/opportunities/000000000000000000000000')).status).to.equal(404);
  });
});
