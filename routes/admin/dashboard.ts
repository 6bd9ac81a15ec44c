// The admin dashboard: how many councils, buyers, suppliers and lots the network has.
import { Router } from 'express';
import { networkCounts } from '../../server/services/organisations';

export function dashboardRouter(): Router {
  const router = Router();

  // GET /admin
  router.get('/', async (_req, res) => {
    const counts = await networkCounts();
    res.render('admin/dashboard', { pageTitle: 'Network admin', counts });
  });

  return router;
}
