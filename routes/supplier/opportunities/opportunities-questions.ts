// Asking a clarification question, strictly before the clarification deadline. The council's buyers are told one
// is waiting; the answer is published to every invited supplier without the asker's name.
import { Request, Response, Router } from 'express';
import createError from 'http-errors';
import { z } from 'zod';
import { servicesOf } from '../../../server/app';
import { currentUser } from '../../../server/auth/guards';
import { canAskQuestions } from '../../../server/domain/competitionState';
import { CompetitionRecord, formatDeadline } from '../../../server/services/competitions';
import { askQuestion, QUESTION_MAX } from '../../../server/services/clarifications';
import { FormErrors, parseForm } from '../../../server/validation';
import { flash } from '../../render';
import { invitedCompetition } from './opportunities-show';

// only the question is read from the form: who asked, when and the status are the server's
const questionForm = z.object({
  question: z.string({ error: 'Enter your question' }).trim().min(1, 'Enter your question').max(QUESTION_MAX, `Your question must be ${QUESTION_MAX} characters or fewer`),
});

function renderForm(res: Response, c: CompetitionRecord, values: Record<string, unknown>, errors?: FormErrors, status = 200) {
  res.status(status).render('supplier/opportunities/ask', {
    pageTitle: 'Ask a clarification question', c, values, errors, questionMax: QUESTION_MAX,
    clarificationDeadline: formatDeadline(c.clarificationDeadline ?? c.deadline!),
  });
}

/** 410 once cancelled, 409 once the clarification deadline has passed: a page that says so. */
function renderClosed(res: Response, c: CompetitionRecord) {
  const cancelled = c.status === 'cancelled';
  res.status(cancelled ? 410 : 409).render('supplier/opportunities/ask-closed', {
    pageTitle: cancelled ? 'This competition has been cancelled' : 'The deadline for questions has passed', c, cancelled,
    clarificationDeadline: formatDeadline(c.clarificationDeadline ?? c.deadline!),
  });
}

async function competitionAcceptingQuestions(req: Request, res: Response): Promise<CompetitionRecord | undefined> {
  const c = await invitedCompetition(req);
  if (canAskQuestions(c, servicesOf(req).clock.now())) return c;
  renderClosed(res, c);
  return undefined;
}

export function opportunityQuestionsRouter(): Router {
  const router = Router();

  // GET /supplier/opportunities/:id/questions/new
  router.get('/:id/questions/new', async (req, res) => {
    const c = await competitionAcceptingQuestions(req, res);
    if (c) renderForm(res, c, {});
  });

  // POST /supplier/opportunities/:id/questions/new
  router.post('/:id/questions/new', async (req, res) => {
    const c = await competitionAcceptingQuestions(req, res);
    if (!c) return;
    const form = parseForm(questionForm, req.body);
    if (!form.ok) return renderForm(res, c, form.values, form.errors, 400);
    const { clock, mailer, config } = servicesOf(req);
    const outcome = await askQuestion(clock, mailer, config.baseUrl, currentUser(req)!, String(c._id), form.data.question);
    if (outcome.outcome === 'missing') throw createError(404);
    if (outcome.outcome === 'closed') return renderClosed(res, c);
    flash(req, 'Your question has been sent to the council. Its answer will be published here to every invited supplier, without your name.', 'Question sent');
    res.redirect(303, `/supplier/opportunities/${c._id}#questions`);
  });

  return router;
}
