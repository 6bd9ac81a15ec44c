// The council's contracts: entering a contract after standstill, KPIs, social value delivery and its verification. (to be built)
import { Router } from 'express';

export function buyerContractsRouter(): Router {
  const router = Router();
  return router;
}
