// The competition a buyer's route is about: the :id of one of the buyer's own council's competitions, else 404
// (another council's competition is indistinguishable from a missing one).
import { Request } from 'express';
import createError from 'http-errors';
import { currentUser } from '../../../server/auth/guards';
import { CompetitionRecord, findOwned } from '../../../server/services/competitions';
import { idParam } from '../../admin/helpers';

export async function loadOwned(req: Request): Promise<CompetitionRecord> {
  const competition = await findOwned(currentUser(req)!, idParam(req));
  if (!competition) throw createError(404);
  return competition;
}
