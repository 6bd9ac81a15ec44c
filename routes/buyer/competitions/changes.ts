// After publication: clarifications and updates, deadline changes, cancellation. Mounted at /buyer/competitions
// behind requireRole('buyer'); another council's competition is a 404 (loadOwned).
//   GET       /:id/clarifications                    questions awaiting an answer, and what is published
//   GET/POST  /:id/clarifications/:cid/answer        answer a question and publish it to every invited supplier
//   GET       /:id/clarifications/:cid/published     what went out, and a deadline extension when one is due
//   GET/POST  /:id/updates/new                       a general update to every invited supplier
//   GET/POST  /:id/deadline                          change the submission (and clarification) deadline
//   GET/POST  /:id/cancel                            cancel the competition
import { Router } from 'express';
import { cancelRouter } from './changes-cancel';
import { clarificationsRouter } from './changes-clarifications';
import { deadlineRouter } from './changes-deadline';
import { updatesRouter } from './changes-updates';

export function changesRouter(): Router {
  const router = Router();
  router.use(clarificationsRouter());
  router.use(updatesRouter());
  router.use(deadlineRouter());
  router.use(cancelRouter());
  return router;
}
