// Award letters: every item each rule-set requires, and nothing about any other losing bidder.
import { expect } from 'chai';
import { AssessedBid, AwardLetterInput, buildAwardLetter, buildAwardLetters, formatPoints, letterProblems, letterText } from '../../server/domain/awardLetters';
import { standstillEnd } from '../../server/domain/standstill';
import { RuleSet } from '../../server/domain/tenderRules';

const criteria = [
  { name: 'Approach and methodology', weight: 50 },
  { name: 'Price', weight: 30 },
  { name: 'Social value', weight: 20 },
];

// Scoring results carry more than a letter may show (prices, answers): the extras stay on the objects on purpose.
const winnerResult = {
  bidId: 'bid-w',
  supplierName: 'Riverside Workers Co-operative',
  priceInPence: 1_850_000,
  answers: { approach: 'WINNER-ANSWER-TEXT' },
  scores: [
    { criterion: 'Approach and methodology', score: 43.75, explanation: 'A co-design plan with named residents\u2019 groups' },
    { criterion: 'Price', score: 30, explanation: 'The lowest price' },
    { criterion: 'Social value', score: 15, explanation: 'Twelve local apprenticeship weeks' },
  ],
  total: 88.75,
};
const recipientResult = {
  bidId: 'bid-r',
  supplierName: 'Hilltop Research CIC',
  priceInPence: 2_220_000,
  answers: { approach: 'RECIPIENT-ANSWER-TEXT' },
  scores: [
    { criterion: 'Approach and methodology', score: 31.25, explanation: 'A sound plan with little resident involvement' },
    { criterion: 'Price', score: 25, explanation: 'Price scored against the lowest' },
    { criterion: 'Social value', score: 10, explanation: 'Volunteering hours without a delivery plan' },
  ],
  total: 66.25,
  notAwardedReason: 'Your bid scored lower on approach and social value.',
};
// A third bidder whose every detail is a sentinel that must never appear in another bidder's letter.
const thirdResult = {
  bidId: 'bid-x',
  supplierName: 'SENTINEL-THIRD-BIDDER Ltd',
  priceInPence: 987_654_321,
  answers: { approach: 'SENTINEL-THIRD-ANSWER' },
  scores: [
    { criterion: 'Approach and methodology', score: 17.77, explanation: 'SENTINEL-THIRD-EXPLANATION' },
    { criterion: 'Price', score: 3.33, explanation: 'SENTINEL-THIRD-PRICE-NOTE' },
    { criterion: 'Social value', score: 1.11, explanation: 'SENTINEL-THIRD-SV-NOTE' },
  ],
  total: 22.21,
  notAwardedReason: 'SENTINEL-THIRD-REASON',
};
const winner: AssessedBid = winnerResult;
const recipient: AssessedBid = recipientResult;
const third: AssessedBid = thirdResult;
const bids = [winner, recipient, third];

const sentAt = new Date('2026-11-06T15:00:00Z'); // a Friday: the PCR 10th day is Monday 16 November

function inputFor(ruleSet: RuleSet): AwardLetterInput {
  return {
    ruleSet,
    competitionTitle: 'Community wealth building research',
    councilName: 'Northshire Council',
    criteria,
    method: 'Quality and social value scored 0 to 4 and scaled to their weights; price: lowest price / this price x 30.',
    criteriaUrl: 'https://example.test/supplier/opportunities/abc',
    winner,
    characteristics: 'A resident-led design with the strongest local employment offer.',
    standstill: standstillEnd(ruleSet, sentAt),
    noticePublishedAt: ruleSet === 'PA2023_DYNAMIC_MARKET' ? sentAt : undefined,
    sentAt,
  };
}

const SENTINELS = ['SENTINEL', 'sentinel-third', '987654321', '9876543', '9,876,543', '17.77', '3.33', '1.11', '22.21', 'bid-x'];
const PRIVATE = ['WINNER-ANSWER-TEXT', 'RECIPIENT-ANSWER-TEXT', '1850000', '18,500', '2220000', '22,200'];

function expectNothingOf(letterData: unknown, text: string, strings: string[]) {
  const json = JSON.stringify(letterData);
  for (const s of strings) {
    expect(json, `letter data contains ${s}`).not.to.include(s);
    expect(text, `letter text contains ${s}`).not.to.include(s);
  }
}

describe('award letters: PCR 2015 award decision (reg 86)', () => {
  const letter = buildAwardLetter(inputFor('PCR2015_DPS'), recipient);
  const text = letterText(letter);

  it('gives the criteria, the recipient\u2019s and the winner\u2019s score per criterion, and the totals', () => {
    expect(letter.kind).to.equal('award-decision');
    expect(letter.won).to.equal(false);
    expect(letter.rows.map((r) => [r.criterion, r.weight, r.yourScore, r.winnerScore])).to.deep.equal([
      ['Approach and methodology', 50, 31.25, 43.75],
      ['Price', 30, 25, 30],
      ['Social value', 20, 10, 15],
    ]);
    expect(text).to.include('Approach and methodology (weight 50%)');
    expect(text).to.include('Your score: 31.25 out of 50');
    expect(text).to.include('Winning bid\u2019s score: 43.75 out of 50');
    expect(text).to.include('Your total: 66.25 out of 100');
    expect(text).to.include('Winning bid\u2019s total: 88.75 out of 100');
  });

  it('names the winner, gives the characteristics and relative advantages of the winning bid, and when standstill ends', () => {
    expect(text).to.include('award the contract to Riverside Workers Co-operative');
    expect(text).to.include('Characteristics and relative advantages of the winning bid');
    expect(text).to.include('A resident-led design with the strongest local employment offer.');
    expect(text).to.include('midnight at the end of Monday 16 November 2026 (UK time)');
    expect(text).to.match(/regulation 87/).and.match(/voluntary/);
    expect(letter.standstill.lastDay).to.equal('2026-11-16');
    expect(text).to.include('not enter into the contract before the standstill ends');
  });

  it('holds nothing of the third bidder, nor any price or answer', () => {
    expectNothingOf(letter, text, [...SENTINELS, ...PRIVATE]);
  });

  it('the winner\u2019s letter says they have won and names no other bidder', () => {
    const won = buildAwardLetter(inputFor('PCR2015_DPS'), winner);
    const wonText = letterText(won);
    expect(won.won).to.equal(true);
    expect(wonText).to.include('the council intends to award the contract to you');
    expect(wonText).to.include('Your score: 43.75 out of 50');
    expect(wonText).not.to.include('Winning bid\u2019s score');
    expectNothingOf(won, wonText, [...SENTINELS, ...PRIVATE, 'Hilltop', '31.25', '66.25']);
  });
});

describe('award letters: PA 2023 assessment summary (reg 31)', () => {
  const input = inputFor('PA2023_DYNAMIC_MARKET');
  const letter = buildAwardLetter(input, recipient);
  const text = letterText(letter);

  it('gives each criterion\u2019s score with its explanation, for the recipient and the most advantageous tender', () => {
    expect(letter.kind).to.equal('assessment-summary');
    expect(text).to.include('Assessment summary: Community wealth building research');
    expect(text).to.include('Procurement Act 2023 (dynamic market)');
    expect(text).to.include('Why: A sound plan with little resident involvement');
    expect(text).to.include('Why: Volunteering hours without a delivery plan');
    expect(text).to.include('Why: A co-design plan with named residents\u2019 groups');
    expect(text).to.include('Your score: 10 out of 20');
    expect(text).to.include('How bids were scored');
    expect(text).to.include('https://example.test/supplier/opportunities/abc');
    expect(text).to.include('Why the contract is not awarded to you');
  });

  it('says the contract award notice is published and when the 8-working-day standstill ends', () => {
    // Published Friday 6 November: working days from Monday 9th; the 8th is Wednesday 18th.
    expect(text).to.include('contract award notice is published on Friday 6 November 2026');
    expect(text).to.include('midnight at the end of Wednesday 18 November 2026 (UK time)');
    expect(text).to.match(/section 51/);
    expect(text).not.to.include('It is voluntary');
  });

  it('every letter of the round holds nothing of another losing bidder', () => {
    const letters = buildAwardLetters(input, bids);
    expect(letters.map((l) => [l.recipientName, l.won])).to.deep.equal([
      ['Riverside Workers Co-operative', true],
      ['Hilltop Research CIC', false],
      ['SENTINEL-THIRD-BIDDER Ltd', false],
    ]);
    expectNothingOf(letters[0], letterText(letters[0]), [...SENTINELS, 'Hilltop', 'RECIPIENT-ANSWER-TEXT']);
    expectNothingOf(letters[1], letterText(letters[1]), [...SENTINELS, ...PRIVATE]);
    const thirdText = letterText(letters[2]);
    expect(thirdText).to.include('Your score: 17.77 out of 50');
    expectNothingOf(letters[2], thirdText, ['Hilltop', '31.25', '66.25', 'little resident involvement', 'Your bid scored lower', ...PRIVATE]);
  });
});

describe('award letters: below threshold', () => {
  it('follows the reg 86 content as good practice with a voluntary standstill', () => {
    const letter = buildAwardLetter(inputFor('BELOW_THRESHOLD'), recipient);
    const text = letterText(letter);
    expect(letter.kind).to.equal('award-decision');
    expect(text).to.include('Below threshold');
    expect(text).to.include('Winning bid\u2019s score: 15 out of 20');
    expect(text).to.include('It is voluntary: the rules do not require one here.');
    expectNothingOf(letter, text, [...SENTINELS, ...PRIVATE]);
  });

  it('shows a criterion a bid was not assessed on as such', () => {
    const partial: AssessedBid = { bidId: 'bid-p', supplierName: 'Partial Ltd', scores: [{ criterion: 'Price', score: 12.5 }], total: 12.5 };
    const text = letterText(buildAwardLetter(inputFor('BELOW_THRESHOLD'), partial));
    expect(text).to.include('Your score: not assessed');
    expect(text).to.include('Your score: 12.5 out of 30');
  });
});

describe('award letters: what stops them going out', () => {
  it('accepts a complete round', () => {
    expect(letterProblems(inputFor('PCR2015_DPS'), bids)).to.deep.equal([]);
    expect(letterProblems(inputFor('PA2023_DYNAMIC_MARKET'), bids)).to.deep.equal([]);
  });

  it('needs the characteristics under PCR, and refuses characteristics that name another bidder', () => {
    expect(letterProblems({ ...inputFor('PCR2015_DPS'), characteristics: '  ' }, bids)).to.deep.equal(['Describe the characteristics and relative advantages of the winning bid']);
    const naming = { ...inputFor('PCR2015_DPS'), characteristics: 'Better value than hilltop research cic offered.' };
    expect(letterProblems(naming, bids)).to.deep.equal(['The characteristics of the winning bid must not name another bidder (Hilltop Research CIC)']);
  });

  it('needs an explanation for every score and the notice date under PA 2023, and a score for every criterion', () => {
    const unexplained: AssessedBid = { ...recipient, scores: recipient.scores.map((s) => (s.criterion === 'Price' ? { ...s, explanation: ' ' } : s)) };
    const input = { ...inputFor('PA2023_DYNAMIC_MARKET'), noticePublishedAt: undefined };
    expect(letterProblems(input, [winner, unexplained])).to.deep.equal([
      'Explain the score for Price of Hilltop Research CIC\u2019s bid',
      'Give the date the contract award notice is published',
    ]);
    const missing: AssessedBid = { ...recipient, scores: recipient.scores.slice(1) };
    expect(letterProblems(inputFor('PCR2015_DPS'), [winner, missing])).to.deep.equal(['Hilltop Research CIC has no score for Approach and methodology']);
    expect(letterProblems(inputFor('PCR2015_DPS'), [recipient])).to.deep.equal(['The winning bid is not among the assessed bids']);
  });

  it('writes weighted points to at most two decimals', () => {
    expect([formatPoints(43.75), formatPoints(30), formatPoints(26.666666), formatPoints(0.005)]).to.deep.equal(['43.75', '30', '26.67', '0.01']);
  });
});
