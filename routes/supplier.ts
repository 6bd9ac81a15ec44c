// Supplier area: the dashboard, the application journey under /supplier/applications, and keeping organisation
// details and policies current under /supplier/organisation.
import { Router } from 'express';
import { Organisation } from '../models/Organisation';
import { currentUser } from '../server/auth/guards';
import { listApplications } from '../server/services/applications';
import { applicationsRouter } from './supplier/applications';
import { statusTag } from './supplier/applicationViews';
import { organisationRouter } from './supplier/organisation';
import { canKeepCurrent } from '../server/services/organisationProfile';

export function supplierRouter(): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const organisationId = currentUser(req)!.organisation;
    const [organisation, applications, keepCurrent] = await Promise.all([Organisation.findById(organisationId).lean(), listApplications(organisationId), canKeepCurrent(organisationId)]);
    const latest = applications[0];
    const application = latest ? { id: String(latest._id), reference: latest.reference, status: latest.status, tag: statusTag(latest.status) } : undefined;
    res.render('supplier/dashboard', { organisation, application, keepCurrent });
  });
  router.use('/applications', applicationsRouter());
  router.use('/organisation', organisationRouter());
  return router;
}
