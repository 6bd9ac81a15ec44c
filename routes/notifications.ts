// Every signed-in user's notifications. (to be built)
import { Router } from 'express';

export function notificationsRouter(): Router {
  const router = Router();
  return router;
}
