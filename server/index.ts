// Start-up: configuration, database, demo data, listen; graceful shutdown on SIGTERM/SIGINT.
import { createServer } from 'node:http';
import { createApp } from './app';
import { systemClock } from './clock';
import { ConfigError, loadConfig } from './config';
import { connectDatabase } from './db';
import { createLogger } from './logger';
import { Mailer, OutboxMailer, SmtpMailer } from './mail/mailer';
import { Readiness } from '../routes/health';
import { seedDemoIfEmpty } from './services/demo';
import { ensureMeasureCatalogue } from './services/measures';
import { Keyring } from './sealing/keyring';
import { Scheduler } from './scheduler';

const SHUTDOWN_GRACE_MS = 20_000;

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);
  const readiness = new Readiness();
  const db = await connectDatabase({ mongodbUri: config.mongodbUri, dataDir: config.dataDir });
  logger.info({ embedded: db.embedded }, db.embedded ? `embedded database in ${config.dataDir}/db` : 'connected to MongoDB');
  await ensureMeasureCatalogue();
  const mailer: Mailer = config.smtp ? new SmtpMailer(config.smtp, config.mailFrom) : new OutboxMailer(config.dataDir);

  if (config.seedDemo) {
    const demo = await seedDemoIfEmpty(systemClock, { keyring: new Keyring(config.bidMasterKey), mailer, baseUrl: config.baseUrl });
    if (demo) {
      console.log('\nDemo data created. Sign in at ' + config.baseUrl + '/sign-in with:');
      for (const a of demo.accounts) console.log(`  ${a.role.padEnd(8)} ${a.email}  password: ${a.password}${a.totpSecret ? `  two-factor secret: ${a.totpSecret}` : ''}`);
      console.log('  (buyers and admins need a code from an authenticator app set up with the secret; these passwords are shown once)\n');
    }
  }

  const app = createApp({ config, clock: systemClock, logger, mailer, readiness });
  const server = createServer(app);
  // Reminders and deadline notices; SCHEDULER=off leaves them to another process.
  const scheduler = config.scheduler ? new Scheduler({ clock: systemClock, mailer, baseUrl: config.baseUrl, logger }) : undefined;
  server.listen(config.port, () => {
    readiness.ready = true;
    logger.info(`listening on ${config.baseUrl} (port ${config.port})`);
    console.log(`Co-op Councils DPS is running at ${config.baseUrl}`);
    scheduler?.start();
  });

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    readiness.ready = false;
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    const force = setTimeout(() => {
      logger.error('in-flight requests did not finish in time; exiting');
      process.exit(1);
    }, SHUTDOWN_GRACE_MS);
    force.unref();
    // Stops accepting; idle keep-alive connections are closed, busy ones finish their request.
    server.close(async () => {
      // A tick in progress finishes (its claims are written) before the database goes.
      await scheduler?.stop().catch((err) => logger.error({ err }, 'scheduler did not stop cleanly'));
      await db.close();
      logger.info('stopped');
      process.exit(0);
    });
    server.closeIdleConnections();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
