// A competition's overview (a draft's task list, or a published competition's state and next steps) and the
// preview of what invited suppliers will see.
import { Router } from 'express';
import { servicesOf } from '../../../server/app';
import { stageOf, timeLeft } from '../../../server/domain/competitionState';
import { DraftSection, DRAFT_SECTIONS, DRAFT_SECTION_TITLES, problemPlace, sectionStates } from '../../../server/domain/competitionForms';
import { CompetitionRecord, deadlineSettingsFor, formatDeadline, publishProblems } from '../../../server/services/competitions';
import { govuk } from '../../../server/views/govuk';
import { formatDateTime } from '../../admin/helpers';
import { loadOwned } from './load';
import { BASE, sectionHref } from './drafting-shared';
import { loadCompetitionView, stageTag } from './drafting-view';

/** The buyer downloads the council's own tender documents through the documents route (owner-checked). */
export const buyerDocumentHref = (documentId: string) => `/documents/${documentId}`;

/** The task list: each section complete when publishing now would raise none of its problems. */
async function draftTasks(c: CompetitionRecord, now: Date) {
  const problems = publishProblems(c, await deadlineSettingsFor(c.council), now);
  const states = sectionStates(problems, c.documents.length);
  const firstProblem = (section: DraftSection) => Object.entries(problems).find(([k]) => problemPlace(k).section === section)?.[1];
  const items = DRAFT_SECTIONS.map((s) => ({
    title: { text: DRAFT_SECTION_TITLES[s] },
    href: sectionHref(c._id, s),
    hint: states[s] === 'incomplete' ? { text: firstProblem(s) } : s === 'documents' ? { text: 'The specification and anything else suppliers need' } : undefined,
    status: states[s] === 'incomplete' ? { tag: { text: 'Incomplete', classes: 'govuk-tag--blue' } } : states[s] === 'optional' ? { text: 'Optional' } : { text: 'Completed' },
  }));
  const required = DRAFT_SECTIONS.filter((s) => s !== 'documents');
  return { items, ready: Object.keys(problems).length === 0, completed: required.filter((s) => states[s] === 'completed').length, required: required.length };
}

/** The links that apply at a published competition's stage. */
function nextSteps(c: CompetitionRecord, stage: string) {
  const links: Array<{ href: string; text: string; hint: string }> = [];
  const at = (rest: string) => `${BASE}/${c._id}/${rest}`;
  links.push({ href: at('clarifications'), text: 'Clarifications and updates', hint: 'Answer suppliers\u2019 questions and publish updates to every invited supplier.' });
  if (stage === 'open') {
    links.push({ href: at('deadline'), text: 'Change the deadline', hint: 'Before it passes, with a reason: invited suppliers are told.' });
    links.push({ href: at('cancel'), text: 'Cancel the competition', hint: 'With a reason: invited suppliers are told.' });
  }
  if (stage === 'opened') {
    links.push({ href: at('tender-box'), text: 'Tender box', hint: 'Opened: read the bids. Every read is recorded.' });
    links.push({ href: at('evaluation'), text: 'Evaluation', hint: 'Name the evaluators, score the bids, moderate and rank them.' });
    links.push({ href: at('award'), text: 'Award', hint: 'Propose the award once the evaluation is complete; a second person approves it.' });
  } else if (stage !== 'cancelled') {
    links.push({ href: at('tender-box'), text: 'Tender box', hint: stage === 'open' ? 'Sealed until the deadline: nobody can see any bid.' : 'Open it with a second authorised person.' });
  }
  return links;
}

export function overviewRouter(): Router {
  const router = Router();

  // GET /buyer/competitions/:id: the task list for a draft; the state and next steps once published.
  router.get('/:id', async (req, res) => {
    const c = await loadOwned(req);
    const now = servicesOf(req).clock.now();
    const stage = stageOf(c, now);
    const view = await loadCompetitionView(c, now, buyerDocumentHref);
    const common = { pageTitle: c.title, id: String(c._id), c: view, stage, stageTag: stageTag(stage) };
    if (stage === 'draft') return res.render('buyer/competitions/overview', { ...common, tasks: await draftTasks(c, now) });
    const facts: Array<{ key: { text: string }; value: { text?: string; html?: string } }> = [
      { key: { text: 'Stage' }, value: { html: govuk('tag', stageTag(stage)) } },
      { key: { text: 'Published' }, value: { text: c.publishedAt ? formatDateTime(c.publishedAt) : '' } },
      { key: { text: 'Submission deadline' }, value: { text: c.deadline ? `${formatDeadline(c.deadline)} (UK time)` : '' } },
      ...(stage === 'open' && c.deadline ? [{ key: { text: 'Time left' }, value: { text: timeLeft(c.deadline, now) } }] : []),
      { key: { text: 'Suppliers invited' }, value: { text: String(c.invited.length) } },
    ];
    if (c.status === 'cancelled' && c.cancellation?.reason) facts.push({ key: { text: 'Cancelled because' }, value: { text: c.cancellation.reason } });
    res.render('buyer/competitions/overview', { ...common, facts, links: nextSteps(c, stage) });
  });

  // GET /buyer/competitions/:id/preview: exactly what invited suppliers will see.
  router.get('/:id/preview', async (req, res) => {
    const c = await loadOwned(req);
    const now = servicesOf(req).clock.now();
    res.render('buyer/competitions/draft-preview', { pageTitle: `Preview: ${c.title}`, id: String(c._id), title: c.title, draft: c.status === 'draft', c: await loadCompetitionView(c, now, buyerDocumentHref) });
  });

  return router;
}
