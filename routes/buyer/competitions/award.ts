// The award: propose, approve, letters, standstill, challenge, cancel. (to be built)
import { Router } from 'express';

export function awardRouter(): Router {
  const router = Router();
  return router;
}
