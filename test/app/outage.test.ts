// A database outage fails closed: pages answer 503 with a retry page, and service resumes when it is back.
import { expect } from 'chai';
import mongoose from 'mongoose';
import request from 'supertest';
import * as cheerio from 'cheerio';
import { createUser, signIn, testApp, TestApp } from '../support/app';

describe('database outage', function () {
  this.timeout(30_000);
  let t: TestApp;

  before(async () => {
    t = await testApp();
  });

  it('answers 503 with Retry-After while the database is away, then recovers', async () => {
    const user = await createUser('supplier');
    const agent = await signIn(t, user);
    const uri = mongoose.connection.getClient().options.hosts.map((h) => `mongodb://${h.toString()}/`)[0];
    const dbName = mongoose.connection.db!.databaseName;
    await mongoose.disconnect();
    try {
      for (const res of [await agent.get('/supplier'), await request(t.app).get('/')]) {
        expect(res.status).to.equal(503);
        expect(res.headers['retry-after']).to.equal('10');
        const $ = cheerio.load(res.text);
        expect($('h1').text()).to.contain('unavailable');
        expect(res.text).to.not.match(/Mongo|at .*\.js:\d+/);
      }
      expect((await request(t.app).get('/ready')).status).to.equal(503);
      expect((await request(t.app).get('/health')).status).to.equal(200);
    } finally {
      await mongoose.connect(uri, { dbName, bufferCommands: false, serverSelectionTimeoutMS: 5000 });
    }
    expect((await request(t.app).get('/')).status).to.equal(200);
  });
});
