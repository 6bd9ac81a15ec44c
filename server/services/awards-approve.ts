// Approving a proposed award (a different person from the proposer: a buyer of the owning council or a network
// admin), which sends every bidder's letter at once and starts the standstill (server/domain/standstill.ts).
import { Award } from '../../models/Award';
import { AwardLetter } from '../../models/AwardLetter';
import { Competition } from '../../models/Competition';
import { Organisation } from '../../models/Organisation';
import { Clock } from '../clock';
import { standstillEnd } from '../domain/standstill';
import { RuleSet } from '../domain/tenderRules';
import { UK_NATIONS, UkNation } from '../domain/workingDays';
import { Mailer } from '../mail/mailer';
import { recordAudit } from './audit';
import { Actor, awardRanking, AwardRecord, findAwardFor } from './awards';
import { lettersFor, problemsOf } from './awards-letters';
import { findEvaluation } from './evaluation';
import { notifyOrganisations } from './notifications';

export type ApproveOutcome =
  | { outcome: 'approved'; letters: number; standstillEnd: Date }
  | { outcome: 'missing' }
  | { outcome: 'same-person' }
  | { outcome: 'not-proposed'; status: string }
  | { outcome: 'letter-problems'; problems: string[] };

export function nationOf(value: unknown): UkNation {
  return (UK_NATIONS as readonly string[]).includes(String(value)) ? (value as UkNation) : 'England';
}

/** The council's name and the nation whose bank holidays count. */
export async function councilOf(councilId: unknown): Promise<{ name: string; nation: UkNation }> {
  const org = await Organisation.findById(councilId, { name: 1, nation: 1 }).lean();
  return { name: org?.name ?? 'The council', nation: nationOf(org?.nation) };
}

/** The standstill from `from`, per the award's rule-set and the council's nation. */
export async function standstillFrom(award: Pick<AwardRecord, 'ruleSet' | 'council'>, from: Date) {
  return standstillEnd(award.ruleSet as RuleSet, from, (await councilOf(award.council)).nation);
}

export async function approveAward(clock: Clock, mailer: Mailer, baseUrl: string, actor: Actor, awardId: string): Promise<ApproveOutcome> {
  const award = await findAwardFor(actor, awardId);
  if (!award) return { outcome: 'missing' };
  if (String(award.proposedBy) === String(actor._id)) return { outcome: 'same-person' };
  if (award.status !== 'proposed' || !award.live) return { outcome: 'not-proposed', status: award.status };
  const c = await Competition.findById(award.competition, { title: 1, reference: 1 }).lean();
  const ranking = await awardRanking(String(award.competition));
  if (!c || !ranking) return { outcome: 'letter-problems', problems: ['The evaluation results could not be read'] };
  const sentAt = clock.now();
  const council = await councilOf(award.council);
  const standstill = standstillEnd(award.ruleSet as RuleSet, sentAt, council.nation);
  const facts = {
    ruleSet: award.ruleSet as RuleSet, competition: { id: String(c._id), title: c.title, reference: c.reference }, councilName: council.name,
    scaleMax: (await findEvaluation(award.competition))?.scaleMax ?? 4, winningBid: String(award.bid), valuePence: award.valuePence,
    characteristics: award.characteristics, standstill, sentAt, baseUrl,
  };
  const problems = problemsOf(facts, ranking);
  if (problems.length) return { outcome: 'letter-problems', problems };
  // the conditional write: of two approvals racing, only one finds the award still proposed
  const moved = await Award.findOneAndUpdate(
    { _id: award._id, status: 'proposed', live: true, proposedBy: award.proposedBy },
    { $set: { status: 'approved', approvedBy: actor._id, approvedAt: sentAt, lettersSentAt: sentAt, standstill: { end: standstill.end, required: standstill.required, rule: standstill.rule } }, $inc: { __v: 1 } },
    { returnDocument: 'after' },
  ).lean();
  if (!moved) return { outcome: 'not-proposed', status: (await Award.findById(award._id, { status: 1 }).lean())?.status ?? 'missing' };
  const letters = lettersFor(facts, ranking);
  await AwardLetter.insertMany(letters.map((l) => ({
    award: award._id, competition: award.competition, bid: l.bid.bidId, supplier: l.bid.supplier, won: l.content.won, content: l.content, text: l.text, sentAt,
  })));
  await recordAudit(clock, {
    actor, action: 'award.approved', targetType: 'Award', targetId: award._id,
    details: { competition: String(award.competition), letters: letters.length, standstillEnd: standstill.end, standstillRequired: standstill.required },
  });
  for (const l of letters) {
    const title = `${l.content.won ? 'Your bid was successful' : 'Award decision'}: ${c.title}`;
    await notifyOrganisations(clock, mailer, baseUrl, [l.bid.supplier], { title, body: l.text, link: `/supplier/opportunities/${c._id}/letter` }, 'supplier');
  }
  return { outcome: 'approved', letters: letters.length, standstillEnd: standstill.end };
}
