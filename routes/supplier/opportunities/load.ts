// The competition a supplier's route is about: one the supplier's organisation was invited to, else 404
// (a competition they were not invited to is indistinguishable from a missing one).
import { Request } from 'express';
import createError from 'http-errors';
import { currentUser } from '../../../server/auth/guards';
import { CompetitionRecord, findInvited } from '../../../server/services/competitions';
import { idParam } from '../../admin/helpers';

export async function loadInvited(req: Request): Promise<CompetitionRecord> {
  const competition = await findInvited(currentUser(req)!, idParam(req));
  if (!competition) throw createError(404);
  return competition;
}
