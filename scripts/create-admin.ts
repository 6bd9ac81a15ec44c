// `npm run create-admin -- --email you@example.org --name "Your Name"`: the first network admin (there are no default accounts).
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { loadConfig } from '../server/config';
import { connectDatabase } from '../server/db';
import { hashPassword } from '../server/auth/passwords';
import { recordAudit } from '../server/services/audit';
import { systemClock } from '../server/clock';
import { Organisation } from '../models/Organisation';
import { User } from '../models/User';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { email: { type: 'string' }, name: { type: 'string' } } });
  const email = values.email?.trim().toLowerCase();
  const name = values.name?.trim();
  if (!email || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) || !name) {
    console.error('Usage: npm run create-admin -- --email name@example.org --name "Full Name"');
    process.exit(2);
  }
  const config = loadConfig();
  const db = await connectDatabase({ mongodbUri: config.mongodbUri, dataDir: config.dataDir });
  try {
    if (await User.exists({ email })) {
      console.error(`An account for ${email} already exists.`);
      process.exitCode = 1;
      return;
    }
    const network = (await Organisation.findOne({ kind: 'network' })) ?? (await Organisation.create({ kind: 'network', name: "Co-operative Councils' Innovation Network" }));
    const password = randomBytes(15).toString('base64url');
    const user = await User.create({ email, name, role: 'admin', organisation: network._id, passwordHash: await hashPassword(password) });
    await recordAudit(systemClock, { action: 'admin.created', targetType: 'User', targetId: user._id, details: { email, by: 'create-admin script' } });
    console.log(`Admin ${email} created. Temporary password (shown once): ${password}`);
    console.log('Sign in, set up two-factor authentication when asked, then change the password from "Your account".');
  } finally {
    await db.close();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
