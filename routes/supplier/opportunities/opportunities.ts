// The supplier's Opportunities: the competitions their organisation was invited to, each competition's page
// (documents, Q&A, deadline), its tender documents, and asking a clarification question.
//   GET  /supplier/opportunities                          the list (opportunities-list.ts)
//   GET  /supplier/opportunities/:id                      the competition (opportunities-show.ts)
//   GET  /supplier/opportunities/:id/documents/:docId     a tender document (opportunities-show.ts)
//   GET  /supplier/opportunities/:id/questions/new        ask a question (opportunities-questions.ts)
//   POST /supplier/opportunities/:id/questions/new
// Mounted behind requireRole('supplier'); a competition the supplier was not invited to (or a draft) is a 404.
import { Router } from 'express';
import { opportunityListRouter } from './opportunities-list';
import { opportunityQuestionsRouter } from './opportunities-questions';
import { opportunityShowRouter } from './opportunities-show';

export function opportunitiesRouter(): Router {
  const router = Router();
  router.use(opportunityListRouter());
  router.use(opportunityShowRouter());
  router.use(opportunityQuestionsRouter());
  return router;
}
