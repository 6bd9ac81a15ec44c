// Who may see and do what in an evaluation: declaring first, conflicts, independence, moderation by the lead.
import { expect } from 'chai';
import {
  allSubmitted, bidsToScore, handScored, mayScoreBid, maySeeOthersScores, missingScores, moderationRefusal, PanelFacts, phaseOf, scorersOf, standingOf,
} from '../../server/domain/evaluationRules';

const at = new Date('2026-03-02T10:00:00Z');
const panel = (over: Partial<PanelFacts> = {}): PanelFacts => ({
  lead: 'lead',
  scaleMax: 4,
  members: [
    { user: 'lead', declaredAt: at, conflictBids: [], submittedAt: at },
    { user: 'ann', declaredAt: at, conflictBids: ['b2'] },
    { user: 'bob', conflictBids: [] },
    { user: 'cat', declaredAt: at, conflictBids: [], removedAt: at },
  ],
  ...over,
});
const criteria = [{ id: 'q', kind: 'quality' }, { id: 'p', kind: 'price' }, { id: 's', kind: 'social-value' }];

describe('Evaluation rules', () => {
  it('says where each person stands: not on the panel, removed, must declare, scoring, submitted', () => {
    const p = panel();
    expect(['zed', 'cat', 'bob', 'ann', 'lead'].map((u) => standingOf(p, u))).to.deep.equal(['not-on-panel', 'removed', 'must-declare', 'scoring', 'submitted']);
  });

  it('lets a member score a bid only after declaring, and never a bid they are conflicted with', () => {
    const p = panel();
    const [lead, ann, bob, cat] = p.members;
    expect(mayScoreBid(lead, 'b2')).to.equal(true);
    expect(mayScoreBid(ann, 'b1')).to.equal(true);
    expect(mayScoreBid(ann, 'b2')).to.equal(false);
    expect(mayScoreBid(bob, 'b1')).to.equal(false);
    expect(mayScoreBid(cat, 'b1')).to.equal(false);
    expect(mayScoreBid(undefined, 'b1')).to.equal(false);
    expect(bidsToScore(ann, ['b1', 'b2', 'b3'])).to.deep.equal(['b1', 'b3']);
    expect(bidsToScore(cat, ['b1'])).to.deep.equal([]);
  });

  it('never scores price by hand', () => {
    expect(handScored(criteria).map((c) => c.id)).to.deep.equal(['q', 's']);
  });

  it('lists what is still to score, leaving out conflicted bids and price', () => {
    const ann = panel().members[1];
    expect(missingScores(ann, ['b1', 'b2'], criteria, new Set(['b1:q']))).to.deep.equal([{ bid: 'b1', criterion: 's' }]);
    expect(missingScores(ann, ['b1', 'b2'], criteria, new Set(['b1:q', 'b1:s']))).to.deep.equal([]);
  });

  it('shows others\u2019 scores only to a member who has submitted', () => {
    const [lead, ann, , cat] = panel().members;
    expect(maySeeOthersScores(lead)).to.equal(true);
    expect(maySeeOthersScores(ann)).to.equal(false);
    expect(maySeeOthersScores({ ...cat, submittedAt: at })).to.equal(false);
    expect(maySeeOthersScores(undefined)).to.equal(false);
  });

  it('counts a bid\u2019s scorers without the conflicted and the removed', () => {
    expect(scorersOf(panel(), 'b2').map((m) => m.user)).to.deep.equal(['lead', 'bob']);
    expect(scorersOf(panel(), 'b1').map((m) => m.user)).to.deep.equal(['lead', 'ann', 'bob']);
  });

  it('moderates only by the lead, once everyone remaining has submitted, never a bid the lead is conflicted with', () => {
    const waiting = panel();
    expect(allSubmitted(waiting)).to.equal(false);
    expect(moderationRefusal(waiting, 'lead')).to.equal('not-all-submitted');
    const done = panel({ members: panel().members.map((m) => ({ ...m, declaredAt: at, submittedAt: at })) });
    expect(allSubmitted(done)).to.equal(true);
    expect(moderationRefusal(done, 'lead')).to.equal(undefined);
    expect(moderationRefusal(done, 'ann')).to.equal('not-lead');
    expect(moderationRefusal({ ...done, lead: 'ann' }, 'ann', 'b2')).to.equal('lead-conflicted');
    expect(moderationRefusal({ ...done, completedAt: at }, 'lead')).to.equal('completed');
  });

  it('a removed member does not hold up moderation; an empty panel never counts as submitted', () => {
    const p = panel({ members: [{ user: 'lead', declaredAt: at, conflictBids: [], submittedAt: at }, { user: 'cat', conflictBids: [], removedAt: at }] });
    expect(allSubmitted(p)).to.equal(true);
    expect(allSubmitted(panel({ members: [{ user: 'cat', conflictBids: [], removedAt: at }] }))).to.equal(false);
  });

  it('names the phase', () => {
    expect(phaseOf(panel(), 1)).to.equal('declaring');
    const declared = panel({ members: panel().members.map((m) => ({ ...m, declaredAt: at })) });
    expect(phaseOf(declared, 1)).to.equal('scoring');
    const submitted = panel({ members: panel().members.map((m) => ({ ...m, declaredAt: at, submittedAt: at })) });
    expect(phaseOf(submitted, 2)).to.equal('moderating');
    expect(phaseOf(submitted, 0)).to.equal('results');
    expect(phaseOf({ ...submitted, completedAt: at }, 0)).to.equal('completed');
  });
});
