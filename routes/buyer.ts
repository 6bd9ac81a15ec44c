// Council buyer area: the dashboard and the council's competitions.
import { Router } from 'express';
import { Organisation } from '../models/Organisation';
import { currentUser } from '../server/auth/guards';
import { competitionsRouter } from './buyer/competitions';
import { buyerContractsRouter } from './buyer/contracts';
import { stageCounts } from '../server/services/competitions';
import { servicesOf } from '../server/app';

export function buyerRouter(): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const organisation = currentUser(req)!.organisation;
    const [council, stages] = await Promise.all([Organisation.findById(organisation).lean(), stageCounts(organisation, servicesOf(req).clock.now())]);
    res.render('buyer/dashboard', { council, stages });
  });
  router.use('/competitions', competitionsRouter());
  router.use('/contracts', buyerContractsRouter());
  return router;
}
