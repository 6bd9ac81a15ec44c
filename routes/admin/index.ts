// Network admin area: dashboard, member councils and buyer invitations, lots, e-mail outbox.
import { Router } from 'express';

export function adminRouter(): Router {
  const router = Router();
  router.get('/', (_req, res) => res.render('admin/dashboard'));
  return router;
}
