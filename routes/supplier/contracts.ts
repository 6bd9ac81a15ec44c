// The supplier's contracts: commitments and delivery reports. (to be built)
import { Router } from 'express';

export function supplierContractsRouter(): Router {
  const router = Router();
  return router;
}
