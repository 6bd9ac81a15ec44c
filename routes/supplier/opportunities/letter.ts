// A bidder's award letter. (to be built)
import { Router } from 'express';

export function letterRouter(): Router {
  const router = Router();
  return router;
}
