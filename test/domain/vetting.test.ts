// The vetting rules: due-by status and overdue, the one-off extension to 15 working days, the panel's
// scores aggregated per criterion and who may see them, decisions per lot, admission changes.
import { expect } from 'chai';
import { SCORED_CRITERIA } from '../../server/domain/applicationQuestions';
import {
  aggregateScores, allowedAdmissionActions, canSeeOthersScores, dueStatus, effectiveDueBy, extension, missingCriteria, Scores, undecidedLots,
} from '../../server/domain/vetting';
import { workingDayDeadline } from '../../server/domain/workingDays';

const received = new Date('2026-11-24T10:00:00Z'); // a Tuesday
const fullScores = (score: number): Scores => Object.fromEntries(SCORED_CRITERIA.map((c) => [c.key, { score, comment: `Comment ${score}` }]));

describe('vetting rules', () => {
  describe('due-by status', () => {
    const app = { dueBy: workingDayDeadline(received, 10, 'England'), nation: 'England' };

    it('is due at the end of the 10th working day: Tuesday 8 December 2026 in England, a day later in Scotland (St Andrew\u2019s Day)', () => {
      expect(app.dueBy.toISOString()).to.equal('2026-12-08T23:59:59.999Z');
      expect(workingDayDeadline(received, 10, 'Scotland').toISOString()).to.equal('2026-12-09T23:59:59.999Z');
    });

    it('counts working days left, skipping the weekend, then 0 on the due day, then overdue', () => {
      expect(dueStatus(app, received)).to.deep.include({ daysLeft: 10, overdue: false, daysOverdue: 0 });
      expect(dueStatus(app, new Date('2026-11-27T12:00:00Z'))!.daysLeft).to.equal(7); // Friday: Mon 30 .. Tue 8
      expect(dueStatus(app, new Date('2026-11-28T12:00:00Z'))!.daysLeft).to.equal(7); // Saturday: the weekend does not count down
      expect(dueStatus(app, new Date('2026-12-08T23:59:59.999Z'))).to.deep.include({ daysLeft: 0, overdue: false });
      expect(dueStatus(app, new Date('2026-12-09T00:00:00.000Z'))).to.deep.include({ daysLeft: 0, overdue: true, daysOverdue: 1 });
      expect(dueStatus(app, new Date('2026-12-14T09:00:00Z'))!.daysOverdue).to.equal(4);
    });

    it('uses the extended date once there is one, and has no status without a date', () => {
      const extended = new Date('2026-12-15T23:59:59.999Z');
      expect(effectiveDueBy({ ...app, extendedDueBy: extended })).to.equal(extended);
      expect(dueStatus({ ...app, extendedDueBy: extended }, new Date('2026-12-10T12:00:00Z'))).to.deep.include({ overdue: false, daysLeft: 3 });
      expect(dueStatus({}, received)).to.equal(undefined);
    });
  });

  describe('the extension', () => {
    const submitted = { status: 'submitted', submittedAt: received, nation: 'England', decisions: [] as unknown[] };

    it('runs to the end of the 15th working day from receipt, by the supplier\u2019s nation', () => {
      const ok = extension(submitted, 'Awaiting a reference');
      expect(ok).to.deep.equal({ ok: true, extendedDueBy: new Date('2026-12-15T23:59:59.999Z') });
      const scot = extension({ ...submitted, nation: 'Scotland' }, 'Awaiting a reference');
      expect(scot.ok && scot.extendedDueBy.toISOString()).to.equal('2026-12-16T23:59:59.999Z');
    });

    it('needs a reason, happens once, and only before any decision', () => {
      expect(extension(submitted, '   ')).to.deep.equal({ ok: false, refusal: 'no-reason' });
      expect(extension({ ...submitted, extendedDueBy: new Date() }, 'again')).to.deep.equal({ ok: false, refusal: 'already-extended' });
      expect(extension({ ...submitted, decisions: [{ lot: 'x' }] }, 'late')).to.deep.equal({ ok: false, refusal: 'decided' });
      expect(extension({ ...submitted, status: 'decided' }, 'late')).to.deep.equal({ ok: false, refusal: 'decided' });
      expect(extension({ ...submitted, status: 'withdrawn' }, 'late')).to.deep.equal({ ok: false, refusal: 'not-submitted' });
    });
  });

  describe('scores', () => {
    it('needs every criterion scored 0 to 4 with a comment before a review is submitted', () => {
      expect(missingCriteria(fullScores(3))).to.deep.equal([]);
      expect(SCORED_CRITERIA).to.have.length(8);
      const partial = fullScores(2);
      delete partial['concern-for-community'];
      partial.values = { score: 5, comment: 'too high' };
      partial['autonomy-independence'] = { score: 1, comment: '  ' };
      expect(missingCriteria(partial)).to.deep.equal(['autonomy-independence', 'concern-for-community', 'values']);
      expect(missingCriteria({ ...fullScores(1), values: { score: 1.5, comment: 'x' } })).to.deep.equal(['values']);
      expect(missingCriteria(undefined)).to.have.length(8);
    });

    it('aggregates submitted reviews per criterion, ignoring drafts', () => {
      const reviews = [
        { reviewer: 'a', scores: fullScores(4), submittedAt: received },
        { reviewer: 'b', scores: { ...fullScores(1), values: { score: 2, comment: 'ok' } }, submittedAt: received },
        { reviewer: 'c', scores: fullScores(0) },
      ];
      const agg = aggregateScores(reviews);
      expect(agg.reviewers).to.deep.equal(['a', 'b']);
      const values = agg.criteria.find((c) => c.key === 'values')!;
      expect(values).to.deep.include({ mean: 3, min: 2, max: 4 });
      expect(values.scores).to.deep.equal([{ reviewer: 'a', score: 4, comment: 'Comment 4' }, { reviewer: 'b', score: 2, comment: 'ok' }]);
      expect(agg.criteria[0]).to.deep.include({ mean: 2.5, min: 1, max: 4 });
      expect(agg.total).to.deep.equal({ mean: 7 * 2.5 + 3, max: 32 });
      expect(aggregateScores([]).criteria[0].mean).to.equal(undefined);
      expect(aggregateScores([]).total).to.equal(undefined);
    });

    it('lets a reviewer see others\u2019 scores only after submitting their own', () => {
      const reviews = [{ reviewer: 'a', scores: fullScores(4), submittedAt: received }, { reviewer: 'b', scores: fullScores(2) }];
      expect(canSeeOthersScores(reviews, 'a')).to.equal(true);
      expect(canSeeOthersScores(reviews, 'b')).to.equal(false);
      expect(canSeeOthersScores(reviews, 'c')).to.equal(false);
      expect(canSeeOthersScores(undefined, 'a')).to.equal(false);
    });
  });

  it('knows which lots still need a decision', () => {
    expect(undecidedLots(['l1', 'l2'], [{ lot: 'l2' }])).to.deep.equal(['l1']);
    expect(undecidedLots(['l1'], [{ lot: 'l1' }])).to.deep.equal([]);
    expect(undecidedLots(['l1'], undefined)).to.deep.equal(['l1']);
  });

  it('allows suspending or removing an active admission, reinstating or removing a suspended one, nothing once removed', () => {
    expect(allowedAdmissionActions('active')).to.deep.equal(['suspend', 'remove']);
    expect(allowedAdmissionActions('suspended')).to.deep.equal(['reinstate', 'remove']);
    expect(allowedAdmissionActions('removed')).to.deep.equal([]);
  });
});
