// Social-value totals on worked examples: units and proxy pounds per measure and in total; only accepted reports count.
import { expect } from 'chai';
import { CommitmentFigures, formatUnits, ReportFigures, socialValueTotals } from '../../server/domain/socialValueTotals';

const jobs: CommitmentFigures = { id: 'c1', code: 'NT1', description: 'Local jobs', unit: 'FTE', quantity: 1.5, proxyValuePence: 3_000_000, proxyYear: 2026 };
const hours: CommitmentFigures = { id: 'c2', code: 'NT28', description: 'Volunteering', unit: 'hours', quantity: 100, proxyValuePence: 1_700, proxyYear: 2026 };
const report = (commitment: string, quantityDelivered: number, status = 'accepted'): ReportFigures => ({ commitment, quantityDelivered, status });

describe('Social-value totals', () => {
  it('commits quantity x proxy: 1.5 FTE at £30,000 is £45,000; 100 hours at £17 is £1,700; £46,700 in all', () => {
    const t = socialValueTotals([jobs, hours], []);
    expect(t.measures.map((m) => [m.committedUnits, m.committedPence])).to.deep.equal([[1.5, 4_500_000], [100, 170_000]]);
    expect(t.committedPence).to.equal(4_670_000);
    expect(t.deliveredPence).to.equal(0);
    expect(t.percentDelivered).to.equal(0);
  });

  it('counts only accepted reports as delivered, keeps awaiting ones apart, ignores queried and rejected', () => {
    const t = socialValueTotals([jobs, hours], [
      report('c1', 0.5), report('c1', 0.25), report('c1', 9, 'rejected'), report('c1', 9, 'queried'),
      report('c2', 40), report('c2', 30, 'awaiting'),
    ]);
    const [j, h] = t.measures;
    // 0.75 FTE x £30,000 = £22,500 of £45,000: 50%
    expect([j.deliveredUnits, j.deliveredPence, j.percentDelivered, j.awaitingUnits]).to.deep.equal([0.75, 2_250_000, 50, 0]);
    // 40 hours x £17 = £680 of £1,700: 40%; 30 hours await verification
    expect([h.deliveredUnits, h.deliveredPence, h.percentDelivered, h.awaitingUnits]).to.deep.equal([40, 68_000, 40, 30]);
    expect(t.deliveredPence).to.equal(2_318_000);
    // 2,318,000 / 4,670,000 = 49.6%, floored
    expect(t.percentDelivered).to.equal(49);
  });

  it('adds decimal quantities exactly (0.1 + 0.2 is 0.3) and may pass 100%', () => {
    const t = socialValueTotals([{ ...jobs, quantity: 0.3 }], [report('c1', 0.1), report('c1', 0.2), report('c1', 0.3)]);
    expect(t.measures[0].deliveredUnits).to.equal(0.6);
    expect(t.measures[0].deliveredPence).to.equal(1_800_000);
    expect(t.measures[0].percentDelivered).to.equal(200);
  });

  it('ignores reports of another commitment, and gives 0% when nothing was committed', () => {
    const t = socialValueTotals([{ ...hours, quantity: 0 }], [report('other', 50)]);
    expect(t.measures[0].deliveredUnits).to.equal(0);
    expect(t.percentDelivered).to.equal(0);
    expect(socialValueTotals([], []).measures).to.deep.equal([]);
  });

  it('writes units as people do', () => {
    expect([formatUnits(1.5), formatUnits(1200), formatUnits(0.25)]).to.deep.equal(['1.5', '1,200', '0.25']);
  });
});
