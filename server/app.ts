// createApp(): the express app (middleware, routers, error pages). It never listens: index.ts does.
import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import express, { Express } from 'express';
import pinoHttp from 'pino-http';
import { Clock } from './clock';
import { Config } from './config';
import { Logger } from './logger';
import { Mailer } from './mail/mailer';
import { configurePassport } from './auth/passport';
import { requireRole, requireSignedIn } from './auth/guards';
import { securityHeaders } from './middleware/security';
import { sessions, sessionTimeouts } from './middleware/session';
import { csrfProtection, csrfToken } from './middleware/csrf';
import { pageLocals } from './middleware/locals';
import { errorHandler, notFound } from './middleware/errors';
import { createLoginLimiter, LoginLimiter } from './middleware/rateLimit';
import { healthRouter, Readiness } from '../routes/health';
import { publicRouter } from '../routes/public';
import { directoryRouter } from '../routes/directory';
import { signInRouter } from '../routes/account/signIn';
import { registrationRouter } from '../routes/account/register';
import { passwordResetRouter } from '../routes/account/passwordReset';
import { invitationRouter } from '../routes/account/invitation';
import { twoFactorRouter } from '../routes/account/twoFactor';
import { accountRouter } from '../routes/account/account';
import { adminRouter } from '../routes/admin';
import { buyerRouter } from '../routes/buyer';
import { supplierRouter } from '../routes/supplier';
import { documentsRouter } from '../routes/documents';
import { notificationsRouter } from '../routes/notifications';
import type { Scanner } from './services/documents';
import { Keyring } from './sealing/keyring';

export interface AppDeps {
  config: Config;
  clock: Clock;
  logger: Logger;
  mailer: Mailer;
  readiness: Readiness;
  loginLimiter?: LoginLimiter;
  /** virus scanner for uploads; none means documents are stored as 'unscanned' */
  scanner?: Scanner;
}

/** What route handlers reach through `req.app.locals.deps`. */
export type Services = AppDeps & { loginLimiter: LoginLimiter; keyring: Keyring };

const root = join(__dirname, '..', '..');
const frontend = join(dirname(require.resolve('govuk-frontend/package.json')), 'dist', 'govuk');

export function createApp(deps: AppDeps): Express {
  const app = express();
  const services: Services = { ...deps, loginLimiter: deps.loginLimiter ?? createLoginLimiter(), keyring: new Keyring(deps.config.bidMasterKey) };
  app.locals.deps = services;
  app.set('trust proxy', deps.config.trustProxy);
  app.set('view engine', 'pug');
  app.set('views', join(root, 'views'));
  app.disable('x-powered-by');

  app.use(pinoHttp({
    logger: deps.logger,
    genReqId: (req, res) => {
      const id = randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    customProps: (req) => ({ userId: (req as any).user?._id }),
    autoLogging: { ignore: (req) => req.url === '/health' || req.url === '/ready' },
  }));
  app.use(securityHeaders(deps.config.baseUrl.startsWith('https://')));

  // Static assets: GOV.UK Frontend from its package, ours from public/. Uploads are never served statically.
  const staticOptions = { maxAge: deps.config.isProduction ? '7d' : 0, index: false as const };
  app.use('/assets', express.static(join(frontend, 'assets'), staticOptions));
  app.get('/vendor/govuk-frontend.min.css', (_req, res) => res.sendFile(join(frontend, 'govuk-frontend.min.css')));
  app.get('/vendor/govuk-frontend.min.js', (_req, res) => res.type('text/javascript').sendFile(join(frontend, 'govuk-frontend.min.js')));
  app.use('/public', express.static(join(root, 'public'), staticOptions));

  app.use(healthRouter(deps.readiness));

  // A bid's answers may run to several thousand words each: that one form gets a larger body; the rest 100 kB.
  app.use('/supplier/opportunities/:id/bid/answers', express.urlencoded({ extended: false, limit: '2mb', parameterLimit: 200 }));
  app.use(express.urlencoded({ extended: false, limit: '100kb', parameterLimit: 1000 }));
  app.use(sessions(deps.config.sessionSecret, deps.config.baseUrl.startsWith('https://')));
  const passport = configurePassport();
  app.use(passport.initialize());
  app.use(passport.session());
  app.use(sessionTimeouts(deps.clock));
  app.use(csrfToken);
  app.use(csrfProtection);
  app.use(pageLocals);

  // Public: the explicit allow-list. Everything after requireSignedIn needs a full sign-in.
  app.use(publicRouter());
  app.use(directoryRouter());
  app.use(signInRouter());
  app.use(registrationRouter());
  app.use(passwordResetRouter());
  app.use(invitationRouter());
  app.use(twoFactorRouter());

  app.use(requireSignedIn);
  app.use('/account', accountRouter());
  app.use('/documents', documentsRouter());
  app.use('/notifications', notificationsRouter());
  app.use('/supplier', requireRole('supplier'), supplierRouter());
  app.use('/buyer', requireRole('buyer'), buyerRouter());
  app.use('/admin', requireRole('admin'), adminRouter());

  app.use(notFound);
  app.use(errorHandler(deps.logger));
  return app;
}

export function servicesOf(req: express.Request): Services {
  return req.app.locals.deps as Services;
}
