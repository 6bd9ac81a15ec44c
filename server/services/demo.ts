// Demo data for `npm start` on an empty database outside production: the network, lots, councils, suppliers,
// and one account per role with random passwords printed once.
import { randomBytes } from 'node:crypto';
import { Lot } from '../../models/Lot';
import { Organisation } from '../../models/Organisation';
import { User } from '../../models/User';
import { hashPassword } from '../auth/passwords';
import { newTotpSecret } from '../auth/totp';
import { Clock } from '../clock';
import { recordAudit } from './audit';

export const DEMO_LOTS = [
  { number: 1, title: 'Policy development and research', description: 'Research, evidence reviews and co-operative policy development with councils and communities.' },
  { number: 2, title: 'Prototypes and implementation', description: 'Designing, prototyping and implementing new services, from policy prototypes to live pilots.' },
  { number: 3, title: 'Capacity building and training', description: 'Training, coaching and peer learning that grow councils\u2019 and communities\u2019 co-operative capacity.' },
  { number: 4, title: 'Evaluation and social value measurement', description: 'Independent evaluation and the measurement of social, economic and environmental value.' },
];

export const DEMO_COUNCILS = [
  { name: 'Oldham Council', councilType: 'unitary', nation: 'England', membership: 'full' },
  { name: 'Lambeth Council', councilType: 'borough', nation: 'England', membership: 'full' },
  { name: 'Kirklees Council', councilType: 'unitary', nation: 'England', membership: 'full' },
  { name: 'Cardiff Council', councilType: 'unitary', nation: 'Wales', membership: 'full' },
  { name: 'Greater Manchester Combined Authority', councilType: 'combined authority', nation: 'England', membership: 'full' },
  { name: 'Stroud District Council', councilType: 'district', nation: 'England', membership: 'associate' },
];

export const DEMO_SUPPLIERS = ['Co-operative Futures Ltd', 'Community Wealth Partners CIC', 'Open Policy Co-op', 'Social Value Lab'];

export interface DemoAccount {
  role: string;
  email: string;
  password: string;
  totpSecret?: string;
}

function demoPassword(): string {
  return randomBytes(12).toString('base64url');
}

/** Seeds once: does nothing if any organisation exists. */
export async function seedDemoIfEmpty(clock: Clock): Promise<{ accounts: DemoAccount[] } | undefined> {
  if (await Organisation.exists({})) return undefined;
  const network = await Organisation.create({ kind: 'network', name: "Co-operative Councils' Innovation Network" });
  await Lot.insertMany(DEMO_LOTS.map((l) => ({ ...l, active: true })));
  const councils = await Organisation.insertMany(DEMO_COUNCILS.map((c) => ({ kind: 'council', status: 'active', ...c })));
  const suppliers = await Organisation.insertMany(DEMO_SUPPLIERS.map((name) => ({ kind: 'supplier', name })));

  const accounts: Array<DemoAccount & { role: 'admin' | 'buyer' | 'supplier' }> = [
    { role: 'admin', email: 'admin@demo.coopinnovation.example', password: demoPassword(), totpSecret: newTotpSecret() },
    { role: 'buyer', email: 'buyer@oldham.demo.example', password: demoPassword(), totpSecret: newTotpSecret() },
    { role: 'supplier', email: 'supplier@cooperativefutures.demo.example', password: demoPassword() },
  ];
  const orgFor: Record<string, any> = { admin: network._id, buyer: councils[0]._id, supplier: suppliers[0]._id };
  const names: Record<string, string> = { admin: 'Demo Admin', buyer: 'Demo Buyer', supplier: 'Demo Supplier' };
  for (const a of accounts) {
    await User.create({
      email: a.email,
      name: names[a.role],
      role: a.role,
      organisation: orgFor[a.role],
      passwordHash: await hashPassword(a.password),
      mfa: a.totpSecret ? { secret: a.totpSecret, enabled: true, recoveryCodes: [], lastStep: 0 } : undefined,
    });
  }
  await recordAudit(clock, { action: 'demo.seeded', details: { councils: councils.length, suppliers: suppliers.length, lots: DEMO_LOTS.length } });
  return { accounts };
}
