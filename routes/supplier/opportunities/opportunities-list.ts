// GET /supplier/opportunities: the competitions the supplier's organisation was invited to, newest deadline first.
import { Router } from 'express';
import { servicesOf } from '../../../server/app';
import { currentUser } from '../../../server/auth/guards';
import { pageParam } from '../../admin/helpers';
import { opportunityList } from './opportunities-view';

export function opportunityListRouter(): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const list = await opportunityList(currentUser(req)!.organisation, pageParam(req), servicesOf(req).clock.now());
    res.render('supplier/opportunities/list', { pageTitle: 'Opportunities', ...list });
  });
  return router;
}
