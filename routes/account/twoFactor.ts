// Placeholder router: filled in by its feature.
import { Router } from 'express';

export function twoFactorRouter(): Router {
  return Router();
}
