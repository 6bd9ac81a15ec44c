// Long answers: the answers form takes a body well over the app's usual 100 kB limit, so an answer far over its word
// limit comes back as a 400 (too long) with the text kept (not a 413 that loses what the supplier typed). Other forms keep 100 kB.
import { expect } from 'chai';
import * as cheerio from 'cheerio';
import { resetDatabase, signIn, submit, testApp, TestApp } from '../support/app';
import { competitionFixture } from '../support/competitions';
import { answerFields, bidUrl } from '../support/bids';

describe('Bids: long answers', function () {
  this.timeout(60_000);
  let t: TestApp;
  before(async () => {
    t = await testApp();
    await resetDatabase();
  });

  it('answers a 150 kB answers form with the word-limit message and the text kept', async () => {
    const f = await competitionFixture(t);
    const agent = await signIn(t, f.suppliers[0]);
    const [first, second] = await answerFields(agent, f.id);
    const long = Array.from({ length: 20_000 }, (_, i) => `word${i}`).join(' ');
    expect(long.length).to.be.greaterThan(150_000);
    const res = await submit(agent, bidUrl(f.id, '/answers'), { [first]: 'A short first answer.', [second]: long });
    expect(res.status).to.equal(400);
    const $ = cheerio.load(res.text);
    expect($('.govuk-error-summary').text()).to.match(/must be 50,000 characters or fewer/);
    expect($(`textarea[name="${second}"]`).text()).to.equal(long);
  });

  it('still refuses a body over 100 kB on other forms with 413', async () => {
    const f = await competitionFixture(t);
    const agent = await signIn(t, f.suppliers[0]);
    const res = await submit(agent, `/supplier/opportunities/${f.id}/questions/new`, { question: 'x'.repeat(150_000) });
    expect(res.status).to.equal(413);
  });
});
