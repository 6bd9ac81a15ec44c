// The e-mail outbox: what the service has sent, newest first, when mail is written to files rather than sent by SMTP.
import { Router } from 'express';
import { servicesOf } from '../../server/app';
import { formatDateTime, pageParam, paging } from './helpers';

export const OUTBOX_PAGE_SIZE = 25;

export function outboxRouter(): Router {
  const router = Router();

  // GET /admin/outbox
  router.get('/outbox', async (req, res) => {
    const { mailer } = servicesOf(req);
    const page = pageParam(req);
    const all = await mailer.list();
    const pager = paging('/admin/outbox', page, all.length, OUTBOX_PAGE_SIZE);
    const emails = all.slice((page - 1) * OUTBOX_PAGE_SIZE, page * OUTBOX_PAGE_SIZE).map((m) => ({
      subject: m.subject,
      text: m.text,
      summary: [
        { key: { text: 'To' }, value: { text: m.to } },
        { key: { text: 'Sent' }, value: { text: formatDateTime(m.sentAt) } },
      ],
    }));
    res.render('admin/outbox', { pageTitle: 'Email outbox', emails, pager, smtp: mailer.kind === 'smtp' });
  });

  return router;
}
