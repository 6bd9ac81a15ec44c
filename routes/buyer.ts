// Council buyer area.
import { Router } from 'express';
import { Organisation } from '../models/Organisation';
import { currentUser } from '../server/auth/guards';

export function buyerRouter(): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const council = await Organisation.findById(currentUser(req)!.organisation).lean();
    res.render('buyer/dashboard', { council });
  });
  return router;
}
