// Admins: competitions awaiting opening, where a network admin can be the second person. (to be built)
import { Router } from 'express';

export function adminCompetitionsRouter(): Router {
  const router = Router();
  return router;
}
