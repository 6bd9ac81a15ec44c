// Supplier area: the dashboard, and the application journey under /supplier/applications.
import { Router } from 'express';
import { Organisation } from '../models/Organisation';
import { currentUser } from '../server/auth/guards';
import { listApplications } from '../server/services/applications';
import { applicationsRouter } from './supplier/applications';
import { statusTag } from './supplier/applicationViews';

export function supplierRouter(): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const organisationId = currentUser(req)!.organisation;
    const [organisation, applications] = await Promise.all([Organisation.findById(organisationId).lean(), listApplications(organisationId)]);
    const latest = applications[0];
    const application = latest ? { id: String(latest._id), reference: latest.reference, status: latest.status, tag: statusTag(latest.status) } : undefined;
    res.render('supplier/dashboard', { organisation, application });
  });
  router.use('/applications', applicationsRouter());
  return router;
}
