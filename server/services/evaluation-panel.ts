// The evaluation panel: the buyer names the evaluators, the lead and the scale (changeable until the first score is
// saved; the lead alone until completion), and each evaluator declares conflicts of interest before seeing a bid.
import { Evaluation } from '../../models/Evaluation';
import { Clock } from '../clock';
import { SessionUser } from '../auth/guards';
import { memberOf, panelLocked } from '../domain/evaluationRules';
import { recordAudit } from './audit';
import { CompetitionRecord } from './competitions';
import { councilBuyers, evaluatedBids, findEvaluation, panelOf, scoresSavedCount, updateMember } from './evaluation';

type Actor = Pick<SessionUser, '_id' | 'role' | 'organisation'>;

export interface PanelInput {
  evaluators: string[];
  lead: string;
  scaleMax: number;
}

export type PanelOutcome =
  | { outcome: 'saved'; created: boolean }
  | { outcome: 'invalid'; fields: Record<string, string> }
  | { outcome: 'locked' }
  | { outcome: 'completed' }
  | { outcome: 'changed' };

/** Names the panel (or changes it): evaluators among the council's active buyers, the lead among them. */
export async function setUpPanel(clock: Clock, actor: Actor, c: CompetitionRecord, input: PanelInput): Promise<PanelOutcome> {
  const buyers = new Set((await councilBuyers(c.council)).map((b) => b.id));
  const chosen = [...new Set(input.evaluators)];
  const fields: Record<string, string> = {};
  if (chosen.length === 0) fields.evaluators = 'Select at least one evaluator';
  else if (chosen.some((u) => !buyers.has(u))) fields.evaluators = 'Select evaluators from your council\u2019s buyers';
  if (!fields.evaluators && !chosen.includes(input.lead)) fields.lead = 'Select a lead evaluator who is on the panel';
  if (Object.keys(fields).length) return { outcome: 'invalid', fields };

  const now = clock.now();
  const existing = await findEvaluation(c._id);
  const audit = (action: string, details: Record<string, unknown>) => recordAudit(clock, { actor, action, targetType: 'Competition', targetId: c._id, details: { reference: c.reference, ...details } });
  if (!existing) {
    try {
      await Evaluation.create({
        competition: c._id, council: c.council, scaleMax: input.scaleMax, lead: input.lead,
        evaluators: chosen.map((user) => ({ user, addedBy: actor._id, addedAt: now })),
      });
    } catch (err: any) {
      if (err?.code === 11000) return { outcome: 'changed' };
      throw err;
    }
    await audit('evaluation.panel-set', { evaluators: chosen, lead: input.lead, scaleMax: input.scaleMax });
    return { outcome: 'saved', created: true };
  }
  if (existing.completedAt) return { outcome: 'completed' };
  const current = existing.evaluators.map((m) => String(m.user));
  const sameMembers = current.length === chosen.length && chosen.every((u) => current.includes(u)) && input.scaleMax === existing.scaleMax;
  if (!sameMembers && panelLocked(await scoresSavedCount(c._id))) return { outcome: 'locked' };
  if (sameMembers) {
    // only the lead changes, and only to someone still on the panel
    const lead = memberOf(panelOf(existing), input.lead);
    if (!lead || lead.removedAt) return { outcome: 'invalid', fields: { lead: 'Select a lead evaluator who is still on the panel' } };
  }
  const kept = existing.evaluators.filter((m) => chosen.includes(String(m.user)));
  const added = chosen.filter((u) => !current.includes(u)).map((user) => ({ user, addedBy: actor._id, addedAt: now }));
  const res = await Evaluation.updateOne(
    { _id: existing._id, __v: existing.__v, completedAt: null } as any,
    { $set: { evaluators: [...kept, ...added], lead: input.lead, scaleMax: input.scaleMax }, $inc: { __v: 1 } },
  );
  if (res.matchedCount === 0) return { outcome: 'changed' };
  await audit('evaluation.panel-changed', { from: { evaluators: current, lead: String(existing.lead), scaleMax: existing.scaleMax }, to: { evaluators: chosen, lead: input.lead, scaleMax: input.scaleMax } });
  return { outcome: 'saved', created: false };
}

export type DeclarationInput =
  | { kind: 'none' }
  | { kind: 'bids'; bids: string[]; note: string }
  | { kind: 'competition'; note: string };

export type DeclarationOutcome =
  | { outcome: 'declared'; removed: boolean }
  | { outcome: 'invalid'; fields: Record<string, string> }
  | { outcome: 'not-on-panel' }
  | { outcome: 'already-declared' };

/** Records the evaluator's declaration, once; a whole-competition conflict removes them from the panel. */
export async function declare(clock: Clock, actor: Actor, c: CompetitionRecord, input: DeclarationInput): Promise<DeclarationOutcome> {
  const e = await findEvaluation(c._id);
  const me = e && memberOf(panelOf(e), String(actor._id));
  if (!e || !me || me.removedAt) return { outcome: 'not-on-panel' };
  if (me.declaredAt) return { outcome: 'already-declared' };
  const bids = await evaluatedBids(c._id);
  let conflicts: Array<{ bid?: string; supplier?: string; note: string }> = [];
  if (input.kind === 'bids') {
    const chosen = bids.filter((b) => input.bids.includes(b.id));
    if (chosen.length === 0 || chosen.length !== new Set(input.bids).size) return { outcome: 'invalid', fields: { bids: 'Select the bidders you have a conflict of interest with' } };
    conflicts = chosen.map((b) => ({ bid: b.id, supplier: b.supplier, note: input.note }));
  } else if (input.kind === 'competition') {
    conflicts = [{ note: input.note }];
  }
  const now = clock.now();
  const removed = input.kind === 'competition';
  const patch = { declaredAt: now, conflicts, ...(removed ? { removedAt: now, removedReason: `Declared a conflict of interest with the whole competition: ${input.note}` } : {}) };
  const done = await updateMember(e._id, String(actor._id), (m) => !m.declaredAt && !m.removedAt, patch as any);
  if (!done) return { outcome: 'already-declared' };
  await recordAudit(clock, {
    actor, action: removed ? 'evaluation.evaluator-removed' : 'evaluation.declared', targetType: 'Competition', targetId: c._id,
    details: { reference: c.reference, evaluator: String(actor._id), kind: input.kind, conflicts: conflicts.map((k) => ({ bid: k.bid, supplier: k.supplier && String(k.supplier) })), note: input.kind === 'none' ? undefined : input.note },
  });
  return { outcome: 'declared', removed };
}
