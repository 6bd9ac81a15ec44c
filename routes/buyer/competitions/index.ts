// A council buyer's competitions, mounted at /buyer/competitions: drafting and publishing, changes after
// publication (clarifications, deadline, cancellation), and the sealed tender box.
import { Router } from 'express';
import { changesRouter } from './changes';
import { draftingRouter } from './drafting';
import { tenderBoxRouter } from './tenderBox';

export function competitionsRouter(): Router {
  const router = Router();
  router.use(draftingRouter());
  router.use(changesRouter());
  router.use(tenderBoxRouter());
  return router;
}
