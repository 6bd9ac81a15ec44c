// A supplier's opportunities, mounted at /supplier/opportunities: the competitions they are invited to, and
// their bid in each.
import { Router } from 'express';
import { bidRouter } from './bid';
import { opportunitiesRouter } from './opportunities';
import { letterRouter } from './letter';

export function supplierOpportunitiesRouter(): Router {
  const router = Router();
  router.use(opportunitiesRouter());
  router.use(bidRouter());
  router.use(letterRouter());
  return router;
}
