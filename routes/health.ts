// Liveness (/health) and readiness (/ready: database reachable, not starting or stopping).
import { Router } from 'express';
import mongoose from 'mongoose';

export class Readiness {
  ready = false;
}

export function healthRouter(readiness: Readiness): Router {
  const router = Router();
  router.get('/health', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ status: 'ok' });
  });
  router.get('/ready', async (_req, res) => {
    res.set('Cache-Control', 'no-store');
    if (!readiness.ready || mongoose.connection.readyState !== 1) {
      res.status(503).json({ status: readiness.ready ? 'database unavailable' : 'not ready' });
      return;
    }
    try {
      await mongoose.connection.db!.admin().command({ ping: 1 }, { timeoutMS: 2000 } as any);
      res.json({ status: 'ready' });
    } catch {
      res.status(503).json({ status: 'database unavailable' });
    }
  });
  return router;
}
