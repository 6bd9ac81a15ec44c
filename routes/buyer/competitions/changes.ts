// After publication: clarifications and updates, deadline changes, cancellation. (to be built)
import { Router } from 'express';

export function changesRouter(): Router {
  const router = Router();
  return router;
}
