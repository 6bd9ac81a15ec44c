// A council buyer's competitions, mounted at /buyer/competitions: drafting and publishing, changes after
// publication (clarifications, deadline, cancellation), the sealed tender box, evaluation and the award.
import { Router } from 'express';
import { changesRouter } from './changes';
import { draftingRouter } from './drafting';
import { tenderBoxRouter } from './tenderBox';
import { evaluationRouter } from './evaluation';
import { awardRouter } from './award';

export function competitionsRouter(): Router {
  const router = Router();
  router.use(draftingRouter());
  router.use(changesRouter());
  router.use(tenderBoxRouter());
  router.use(evaluationRouter());
  router.use(awardRouter());
  return router;
}
