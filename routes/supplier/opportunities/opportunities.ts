// The supplier's Opportunities: competitions they are invited to, documents, Q&A, asking a question. (to be built)
import { Router } from 'express';

export function opportunitiesRouter(): Router {
  const router = Router();
  return router;
}
