// Admins: the framework's settings (default rule-set, below-threshold minimum days). (to be built)
import { Router } from 'express';

export function settingsRouter(): Router {
  const router = Router();
  return router;
}
