// Drafting a competition: the list, a new draft, its sections, preview and publish. (to be built)
import { Router } from 'express';

export function draftingRouter(): Router {
  const router = Router();
  return router;
}
