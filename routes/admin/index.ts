// Network admin area: dashboard, member councils and buyer invitations, lots, e-mail outbox.
// app.ts mounts this at /admin behind requireSignedIn and requireRole('admin').
import { Router } from 'express';
import { admissionsRouter } from './admissions';
import { applicationsRouter } from './applications';
import { applicationsActionsRouter } from './applicationsActions';
import { councilsRouter } from './councils';
import { dashboardRouter } from './dashboard';
import { invitationsRouter } from './invitations';
import { lotsRouter } from './lots';
import { measuresRouter } from './measures';
import { outboxRouter } from './outbox';
import { adminCompetitionsRouter } from './competitions';
import { settingsRouter } from './settings';
import { adminAwardsRouter } from './awards';

export function adminRouter(): Router {
  const router = Router();
  router.use(dashboardRouter());
  router.use(councilsRouter());
  router.use(invitationsRouter());
  router.use(lotsRouter());
  // the network's social-value measure catalogue
  router.use(measuresRouter());
  router.use(outboxRouter());
  // the network's vetting of applications, and admissions per lot
  router.use(applicationsRouter());
  router.use(applicationsActionsRouter());
  router.use(admissionsRouter());
  // competitions awaiting a second person to open the tender box; the framework's settings
  router.use(adminCompetitionsRouter());
  router.use(settingsRouter());
  router.use(adminAwardsRouter());
  return router;
}
