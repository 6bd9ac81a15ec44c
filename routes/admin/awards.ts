// Network admins approving awards as the second person. (to be built)
import { Router } from 'express';

export function adminAwardsRouter(): Router {
  const router = Router();
  return router;
}
