// Demo data for `npm start` on an empty database outside production: the network, lots, councils, suppliers,
// accounts (an admin, two Oldham buyers so the tender box can be opened by two people, two suppliers) with random
// passwords printed once, and Oldham's competitions (server/services/demoCompetitions.ts).
import { randomBytes } from 'node:crypto';
import { Types } from 'mongoose';
import { Lot } from '../../models/Lot';
import { Organisation } from '../../models/Organisation';
import { User } from '../../models/User';
import { hashPassword } from '../auth/passwords';
import { newTotpSecret } from '../auth/totp';
import { Clock } from '../clock';
import { Mailer } from '../mail/mailer';
import { Keyring } from '../sealing/keyring';
import { recordAudit } from './audit';
import { seedDemoCompetitions } from './demoCompetitions';
import { ensureMeasureCatalogue } from './measures';

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

export interface DemoServices {
  keyring: Keyring;
  mailer: Mailer;
  baseUrl: string;
}

/** Seeds once: does nothing if any organisation exists. */
export async function seedDemoIfEmpty(clock: Clock, services: DemoServices): Promise<{ accounts: DemoAccount[] } | undefined> {
  if (await Organisation.exists({})) return undefined;
  await ensureMeasureCatalogue();
  const network = await Organisation.create({ kind: 'network', name: "Co-operative Councils' Innovation Network" });
  const lots = await Lot.insertMany(DEMO_LOTS.map((l) => ({ ...l, active: true })));
  const councils = await Organisation.insertMany(DEMO_COUNCILS.map((c) => ({ kind: 'council', status: 'active', ...c })));
  const suppliers = await Organisation.insertMany(DEMO_SUPPLIERS.map((name) => ({ kind: 'supplier', name })));

  const accounts: Array<DemoAccount & { role: 'admin' | 'buyer' | 'supplier'; name: string; organisation: Types.ObjectId }> = [
    { role: 'admin', name: 'Demo Admin', organisation: network._id, email: 'admin@demo.coopinnovation.example', password: demoPassword(), totpSecret: newTotpSecret() },
    { role: 'buyer', name: 'Demo Buyer', organisation: councils[0]._id, email: 'buyer@oldham.demo.example', password: demoPassword(), totpSecret: newTotpSecret() },
    { role: 'buyer', name: 'Second Buyer', organisation: councils[0]._id, email: 'buyer2@oldham.demo.example', password: demoPassword(), totpSecret: newTotpSecret() },
    { role: 'supplier', name: 'Demo Supplier', organisation: suppliers[0]._id, email: 'supplier@cooperativefutures.demo.example', password: demoPassword() },
    { role: 'supplier', name: 'Second Supplier', organisation: suppliers[1]._id, email: 'supplier@communitywealth.demo.example', password: demoPassword() },
  ];
  const people: Array<{ _id: string; role: 'admin' | 'buyer' | 'supplier'; organisation: string; email: string }> = [];
  for (const a of accounts) {
    const user = await User.create({
      email: a.email,
      name: a.name,
      role: a.role,
      organisation: a.organisation,
      passwordHash: await hashPassword(a.password),
      mfa: a.totpSecret ? { secret: a.totpSecret, enabled: true, recoveryCodes: [], lastStep: 0 } : undefined,
    });
    people.push({ _id: String(user._id), role: a.role, organisation: String(a.organisation), email: a.email });
  }
  await recordAudit(clock, { action: 'demo.seeded', details: { councils: councils.length, suppliers: suppliers.length, lots: DEMO_LOTS.length } });
  await seedDemoCompetitions(clock, services.keyring, services.mailer, services.baseUrl, {
    admin: people[0],
    buyer: people[1],
    suppliers: suppliers.map((s) => ({ organisation: String(s._id), user: people.find((p) => p.role === 'supplier' && p.organisation === String(s._id)) })),
    lots: lots.map((l) => ({ _id: l._id, number: l.number })),
  });
  return { accounts: accounts.map(({ role, email, password, totpSecret }) => ({ role, email, password, totpSecret })) };
}
