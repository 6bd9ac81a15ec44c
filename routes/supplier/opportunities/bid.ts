// Preparing, saving, submitting, replacing and withdrawing a sealed bid. (to be built)
import { Router } from 'express';

export function bidRouter(): Router {
  const router = Router();
  return router;
}
