// Placeholder router: filled in by its feature.
import { Router } from 'express';

export function accountRouter(): Router {
  return Router();
}
