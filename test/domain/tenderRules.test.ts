// Mini-competition rules at their boundaries: minimum tender time per rule-set, criteria weights, late information.
import { expect } from 'chai';
import { checkTenderDeadline, criteriaProblems, isOpenForBids, proposedExtension } from '../../server/domain/tenderRules';

const published = new Date('2026-11-24T10:00:00Z');
const days = (n: number, ms = 0) => new Date(published.getTime() + n * 86_400_000 + ms);
const settings = { belowThresholdMinDays: 5 };

describe('tender rules', () => {
  for (const ruleSet of ['PCR2015_DPS', 'PA2023_DYNAMIC_MARKET'] as const) {
    it(`${ruleSet}: accepts exactly 10 days from publication and refuses a millisecond less, naming the rule`, () => {
      expect(checkTenderDeadline(ruleSet, published, days(10), settings).ok).to.equal(true);
      const refused = checkTenderDeadline(ruleSet, published, days(10, -1), settings);
      expect(refused.ok).to.equal(false);
      expect(refused.earliest.toISOString()).to.equal('2026-12-04T10:00:00.000Z');
      expect(refused.rule).to.match(ruleSet === 'PCR2015_DPS' ? /PCR 2015 regulation 34/ : /Procurement Act 2023 section 54/);
    });
  }

  it('PCR 2015: a shorter deadline is allowed only with the agreement of all invited suppliers recorded', () => {
    expect(checkTenderDeadline('PCR2015_DPS', published, days(3), settings, false).ok).to.equal(false);
    const agreed = checkTenderDeadline('PCR2015_DPS', published, days(3), settings, true);
    expect(agreed.ok).to.equal(true);
    expect(agreed.rule).to.contain('agreed with all invited suppliers');
    // PA 2023 has no such exception.
    expect(checkTenderDeadline('PA2023_DYNAMIC_MARKET', published, days(3), settings, true).ok).to.equal(false);
  });

  it('below threshold: the council\u2019s own minimum', () => {
    expect(checkTenderDeadline('BELOW_THRESHOLD', published, days(5), settings).ok).to.equal(true);
    expect(checkTenderDeadline('BELOW_THRESHOLD', published, days(5, -1), settings).ok).to.equal(false);
    expect(checkTenderDeadline('BELOW_THRESHOLD', published, days(5), { belowThresholdMinDays: 7 }).ok).to.equal(false);
  });

  it('criteria: weights total 100, one price criterion, social value at least 10% unless a reason is recorded', () => {
    const good = [{ name: 'Quality', kind: 'quality' as const, weight: 60 }, { name: 'Price', kind: 'price' as const, weight: 30 }, { name: 'Social value', kind: 'social-value' as const, weight: 10 }];
    expect(criteriaProblems(good)).to.deep.equal([]);
    expect(criteriaProblems([{ ...good[0], weight: 61 }, good[1], good[2]])).to.deep.equal(['The weights must total 100% (they total 101%)']);
    const lowSocial = [{ ...good[0], weight: 65 }, good[1], { ...good[2], weight: 5 }];
    expect(criteriaProblems(lowSocial)).to.deep.equal(['Social value must be weighted at least 10%, or record why not']);
    expect(criteriaProblems(lowSocial, 'A £1,500 policy prototype: social value is assessed through the quality questions')).to.deep.equal([]);
    expect(criteriaProblems([])).to.deep.equal(['Add at least one award criterion']);
    expect(criteriaProblems([{ ...good[0], weight: 40 }, good[1], { ...good[1], name: 'Price 2' }, good[2]])).to.include('Use one price criterion');
  });

  it('proposes an extension when information goes out less than 6 days before the deadline', () => {
    const deadline = days(10);
    expect(proposedExtension(deadline, days(4))).to.equal(undefined); // exactly 6 days before
    expect(proposedExtension(deadline, days(4, 1))?.toISOString()).to.equal(days(10, 1).toISOString());
    expect(proposedExtension(deadline, days(9))?.toISOString()).to.equal(days(15).toISOString());
    expect(proposedExtension(deadline, days(11))).to.equal(undefined); // after the deadline
  });

  it('is open for bids until just before the deadline: at the deadline a bid is late', () => {
    const deadline = days(10);
    expect(isOpenForBids(deadline, days(10, -1))).to.equal(true);
    expect(isOpenForBids(deadline, deadline)).to.equal(false);
  });
});
