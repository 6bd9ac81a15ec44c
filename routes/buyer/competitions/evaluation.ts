// Evaluating opened bids: the panel, conflict declarations, individual scores, moderation, results. (to be built)
import { Router } from 'express';

export function evaluationRouter(): Router {
  const router = Router();
  return router;
}
