// The bid form rules: word counts and limits, the price and its breakdown, commitments, completeness, the window.
import { expect } from 'chai';
import { emptyBidContent } from '../../server/domain/bidContent';
import { answerField, bidWindow, countWords, parseQuantity, readAnswers, readCommitment, readPrice, submissionProblems } from '../../server/domain/bidForms';

const q1 = { _id: 'a'.repeat(24), text: 'Your approach?', wordLimit: 5 };
const q2 = { _id: 'b'.repeat(24), text: 'Social value?', wordLimit: 3 };
const measure = { code: 'CCIN-C1', description: 'Volunteering', unit: 'volunteering hours', proxyValuePence: 1700, proxyYear: 2026 };

describe('bidForms', () => {
  it('counts words as the GOV.UK character count does', () => {
    expect(countWords('')).to.equal(0);
    expect(countWords('  one  two\nthree\t four ')).to.equal(4);
    expect(countWords('co-design, well-being.')).to.equal(2);
  });

  it('allows an answer at its word limit and refuses one word over, keeping the text as typed', () => {
    const ok = readAnswers([q1], { [answerField(q1)]: 'one two three four five' });
    expect(ok.errors).to.deep.equal({});
    expect(ok.answers).to.deep.equal({ [q1._id]: 'one two three four five' });
    const over = readAnswers([q1, q2], { [answerField(q1)]: ' one two three four five six ', [answerField(q2)]: '' });
    expect(over.errors).to.deep.equal({ [answerField(q1)]: 'Your answer to question 1 must be 5 words or fewer (it has 6 words)' });
    expect(over.values[answerField(q1)]).to.equal(' one two three four five six ');
    expect(over.answers).to.not.have.property(q2._id);
  });

  it('ignores a non-string posted answer (an array) rather than failing', () => {
    expect(readAnswers([q1], { [answerField(q1)]: ['a', 'b'] }).values[answerField(q1)]).to.equal('');
  });

  it('reads a price with blank breakdown lines ignored, and requires the lines to add up to the total', () => {
    const ok = readPrice({ total: '£1,000.50', 'item-1': 'Design', 'amount-1': '1000', 'item-3': 'Print', 'amount-3': '0.50' });
    expect(ok.price).to.deep.equal({ totalPence: 100_050, breakdown: [{ item: 'Design', pence: 100_000 }, { item: 'Print', pence: 50 }] });
    const off = readPrice({ total: '1000', 'item-1': 'Design', 'amount-1': '999.99' });
    expect(off.price).to.equal(undefined);
    expect(off.errors.breakdown).to.equal('The breakdown adds up to £999.99 but the total price is £1,000. Make them the same');
  });

  it('refuses a zero, negative or missing total, and half-filled lines', () => {
    expect(readPrice({ total: '0' }).errors.total).to.equal('Total price must be more than £0');
    expect(readPrice({ total: '-5' }).errors.total).to.equal('Total price must be 0 or more');
    expect(readPrice({}).errors.total).to.equal('Enter the total price');
    const half = readPrice({ total: '10', 'item-2': 'Thing', 'amount-4': '10' });
    expect(Object.keys(half.errors)).to.deep.equal(['amount-2', 'item-4']);
  });

  it('takes quantities above 0 with up to 2 decimal places', () => {
    expect(parseQuantity('1,200.5')).to.deep.equal({ quantity: 1200.5 });
    expect(parseQuantity('0')).to.have.property('error');
    expect(parseQuantity('1.234')).to.have.property('error');
    expect(parseQuantity('-1')).to.have.property('error');
    expect(parseQuantity('')).to.deep.equal({ error: 'Enter the quantity you commit to' });
  });

  it('values a commitment at quantity x proxy (whole pence) and keeps a snapshot of the measure', () => {
    const { line } = readCommitment({ measure: 'CCIN-C1', quantity: '2.55' }, [measure]);
    expect(line).to.deep.equal({ ...measure, quantity: 2.55, valuePence: 4335 });
    expect(readCommitment({ measure: 'OTHER', quantity: '1' }, [measure]).errors).to.have.property('measure');
  });

  it('lists what a bid needs before submission: every answer within its limit, and a price', () => {
    const content = emptyBidContent();
    content.answers[q1._id] = 'one two three four five six';
    const problems = submissionProblems([q1, q2], content);
    expect(problems.map((p) => [p.section, p.field])).to.deep.equal([['answers', answerField(q1)], ['answers', answerField(q2)], ['price', 'total']]);
    content.answers[q1._id] = 'fine';
    content.answers[q2._id] = 'also fine';
    content.price.totalPence = 100;
    expect(submissionProblems([q1, q2], content)).to.deep.equal([]);
  });

  it('is open strictly before the deadline, closed at it, and cancelled whatever the time', () => {
    const deadline = new Date('2026-12-10T12:00:00Z');
    const c = { status: 'published', deadline };
    expect(bidWindow(c, new Date(deadline.getTime() - 1))).to.equal('open');
    expect(bidWindow(c, deadline)).to.equal('closed');
    expect(bidWindow({ ...c, status: 'cancelled' }, new Date(0))).to.equal('cancelled');
  });
});
