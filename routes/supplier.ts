// Supplier area.
import { Router } from 'express';
import { Organisation } from '../models/Organisation';
import { currentUser } from '../server/auth/guards';

export function supplierRouter(): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const organisation = await Organisation.findById(currentUser(req)!.organisation).lean();
    res.render('supplier/dashboard', { organisation });
  });
  return router;
}
