// The sealed tender box: its state, two-person opening, reading opened bids. (to be built)
import { Router } from 'express';

export function tenderBoxRouter(): Router {
  const router = Router();
  return router;
}
