// `npm run seed`: demo data on an empty database (never in production).
import { loadConfig } from '../server/config';
import { connectDatabase } from '../server/db';
import { seedDemoIfEmpty } from '../server/services/demo';
import { systemClock } from '../server/clock';
import { OutboxMailer, SmtpMailer } from '../server/mail/mailer';
import { Keyring } from '../server/sealing/keyring';

async function main(): Promise<void> {
  const config = loadConfig();
  if (config.isProduction) {
    console.error('Refusing to seed demo data in production.');
    process.exit(2);
  }
  const db = await connectDatabase({ mongodbUri: config.mongodbUri, dataDir: config.dataDir });
  try {
    const mailer = config.smtp ? new SmtpMailer(config.smtp, config.mailFrom) : new OutboxMailer(config.dataDir);
    const demo = await seedDemoIfEmpty(systemClock, { keyring: new Keyring(config.bidMasterKey), mailer, baseUrl: config.baseUrl });
    if (!demo) {
      console.log('The database already has data; nothing seeded.');
      return;
    }
    console.log('Demo data created. Sign in with:');
    for (const a of demo.accounts) console.log(`  ${a.role.padEnd(8)} ${a.email}  password: ${a.password}${a.totpSecret ? `  two-factor secret: ${a.totpSecret}` : ''}`);
  } finally {
    await db.close();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
