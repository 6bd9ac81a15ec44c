// Supplier area: the dashboard, the application journey under /supplier/applications, and keeping organisation
// details and policies current under /supplier/organisation, and renewed self-declarations under /supplier/declarations.
import { Router } from 'express';
import { Organisation } from '../models/Organisation';
import { currentUser } from '../server/auth/guards';
import { listApplications } from '../server/services/applications';
import { applicationsRouter } from './supplier/applications';
import { statusTag } from './supplier/applicationViews';
import { organisationRouter } from './supplier/organisation';
import { canKeepCurrent } from '../server/services/organisationProfile';
import { declarationsFor } from '../server/services/selfDeclarations';
import { declarationsRouter, DECLARATION_TAGS } from './supplier/declarations';
import { formatReceiptTime } from './supplier/applicationViews';
import { servicesOf } from '../server/app';
import { supplierOpportunitiesRouter } from './supplier/opportunities';
import { supplierContractsRouter } from './supplier/contracts';
import { openInvitationCount } from '../server/services/competitions';

export function supplierRouter(): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const organisationId = currentUser(req)!.organisation;
    const now = servicesOf(req).clock.now();
    const [organisation, applications, keepCurrent, openInvitations] = await Promise.all([Organisation.findById(organisationId).lean(), listApplications(organisationId), canKeepCurrent(organisationId), openInvitationCount(organisationId, now)]);
    const latest = applications[0];
    const application = latest ? { id: String(latest._id), reference: latest.reference, status: latest.status, tag: statusTag(latest.status) } : undefined;
    // renewed self-declarations still to answer, with their due dates (overdue in red)
    const declarations = (await declarationsFor(organisationId, now))
      .filter((d) => d.status !== 'submitted')
      .map((d) => ({ id: d.id, dueBy: formatReceiptTime(d.dueBy), tag: DECLARATION_TAGS[d.status] }));
    res.render('supplier/dashboard', { organisation, application, keepCurrent, declarations, openInvitations });
  });
  router.use('/applications', applicationsRouter());
  router.use('/organisation', organisationRouter());
  router.use('/declarations', declarationsRouter());
  router.use('/opportunities', supplierOpportunitiesRouter());
  router.use('/contracts', supplierContractsRouter());
  return router;
}
