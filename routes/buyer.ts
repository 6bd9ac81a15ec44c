// Council buyer area: the dashboard and the council's competitions.
import { Router } from 'express';
import { Organisation } from '../models/Organisation';
import { currentUser } from '../server/auth/guards';
import { competitionsRouter } from './buyer/competitions';

export function buyerRouter(): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const council = await Organisation.findById(currentUser(req)!.organisation).lean();
    res.render('buyer/dashboard', { council });
  });
  router.use('/competitions', competitionsRouter());
  return router;
}
