// Public pages: the start page and the service's information pages.
import { Router } from 'express';
import { currentUser, homeFor, mfaPending } from '../server/auth/guards';
import { Lot } from '../models/Lot';

export function publicRouter(): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const user = currentUser(req);
    if (user && !mfaPending(req)) return res.redirect(302, homeFor(user.role));
    const lots = await Lot.find({ active: true }).sort({ number: 1 }).lean();
    res.render('public/home', { lots });
  });
  router.get('/accessibility', (_req, res) => res.render('public/accessibility'));
  router.get('/privacy', (_req, res) => res.render('public/privacy'));
  router.get('/cookies', (_req, res) => res.render('public/cookies'));
  return router;
}
