// Accounts: supplier self-registration, buyer invitations, password resets, two-factor enrolment.
import { Types, trusted } from 'mongoose';
import { Organisation } from '../../models/Organisation';
import { Token } from '../../models/Token';
import { User } from '../../models/User';
import { dummyPasswordHash, hashPassword, verifyPassword } from '../auth/passwords';
import { hashLinkToken, newLinkToken } from '../auth/tokens';
import { hashCode, newRecoveryCodes } from '../auth/totp';
import { Clock } from '../clock';
import { Mailer } from '../mail/mailer';
import { recordAudit } from './audit';

export const INVITATION_DAYS = 7;
export const RESET_MINUTES = 60;

export class AccountExistsError extends Error {}

export async function registerSupplier(clock: Clock, mailer: Mailer, baseUrl: string, input: { organisationName: string; name: string; email: string; password: string }): Promise<'created' | 'exists'> {
  const existing = await User.exists({ email: input.email });
  if (existing) {
    // Say the same on the page either way; tell the owner of the address by e-mail instead.
    await mailer.send({
      to: input.email,
      subject: 'Someone tried to register with your email address',
      text: `Someone tried to register a supplier account on the Co-op Councils DPS with this email address, which already has an account.\n\nIf it was you, sign in at ${baseUrl}/sign-in or reset your password at ${baseUrl}/password-reset.\n\nIf it was not you, you can ignore this email.`,
    });
    return 'exists';
  }
  const passwordHash = await hashPassword(input.password);
  const org = await Organisation.create({ kind: 'supplier', name: input.organisationName });
  try {
    const user = await User.create({ email: input.email, name: input.name, passwordHash, role: 'supplier', organisation: org._id });
    await recordAudit(clock, { actor: { _id: user._id, role: 'supplier' }, action: 'supplier.registered', targetType: 'Organisation', targetId: org._id });
  } catch (err: any) {
    await Organisation.deleteOne({ _id: org._id });
    if (err?.code === 11000) return 'exists';
    throw err;
  }
  await mailer.send({
    to: input.email,
    subject: 'Your Co-op Councils DPS account',
    text: `Hello ${input.name},\n\nYour supplier account for ${input.organisationName} has been created. Sign in at ${baseUrl}/sign-in to apply to join the DPS.`,
  });
  return 'created';
}

export async function inviteBuyer(clock: Clock, mailer: Mailer, baseUrl: string, admin: { _id: string; role: string }, councilId: string, email: string): Promise<void> {
  const council = await Organisation.findOne({ _id: councilId, kind: 'council' }).lean();
  if (!council) throw new Error('council not found');
  const { token, hash } = newLinkToken();
  const expiresAt = new Date(clock.now().getTime() + INVITATION_DAYS * 24 * 60 * 60 * 1000);
  await Token.create({ purpose: 'invitation', tokenHash: hash, email, organisation: council._id, role: 'buyer', createdBy: admin._id, expiresAt });
  await recordAudit(clock, { actor: admin, action: 'buyer.invited', targetType: 'Organisation', targetId: council._id, details: { email } });
  await mailer.send({
    to: email,
    subject: `You are invited to buy through the Co-op Councils DPS for ${council.name}`,
    text: `You have been invited to join the Co-op Councils DPS as a buyer for ${council.name}.\n\nCreate your account at ${baseUrl}/invitations/${token}\n\nThis link works once and expires in ${INVITATION_DAYS} days.`,
  });
}

/** An invitation that can still be used, or undefined. */
export async function usableToken(clock: Clock, purpose: 'invitation' | 'password-reset', token: unknown) {
  if (typeof token !== 'string' || token.length < 20 || token.length > 100) return undefined;
  const doc = await Token.findOne({ purpose, tokenHash: hashLinkToken(token) }).lean();
  if (!doc || doc.usedAt || doc.expiresAt.getTime() <= clock.now().getTime()) return undefined;
  return doc;
}

/** Uses a token exactly once: the conditional update means two requests cannot both succeed. */
async function consumeToken(clock: Clock, id: Types.ObjectId): Promise<boolean> {
  const now = clock.now();
  // trusted(): our own operators, exempt from sanitizeFilter (which neutralises operators in user input).
  const res = await Token.updateOne({ _id: id, usedAt: trusted({ $exists: false }), expiresAt: trusted({ $gt: now }) }, { $set: { usedAt: now } });
  return res.modifiedCount === 1;
}

export async function acceptInvitation(clock: Clock, token: string, input: { name: string; password: string }): Promise<{ ok: true; userId: string } | { ok: false; reason: 'invalid' | 'exists' }> {
  const invitation = await usableToken(clock, 'invitation', token);
  if (!invitation) return { ok: false, reason: 'invalid' };
  if (await User.exists({ email: invitation.email })) return { ok: false, reason: 'exists' };
  const passwordHash = await hashPassword(input.password);
  if (!(await consumeToken(clock, invitation._id))) return { ok: false, reason: 'invalid' };
  const user = await User.create({ email: invitation.email, name: input.name, passwordHash, role: (invitation.role ?? 'buyer') as 'buyer', organisation: invitation.organisation! });
  await recordAudit(clock, { actor: { _id: user._id, role: user.role }, action: 'buyer.joined', targetType: 'Organisation', targetId: invitation.organisation });
  return { ok: true, userId: String(user._id) };
}

export async function requestPasswordReset(clock: Clock, mailer: Mailer, baseUrl: string, email: string): Promise<void> {
  const user = await User.findOne({ email, status: 'active' }).lean();
  if (!user) return; // the page says the same either way
  const { token, hash } = newLinkToken();
  const expiresAt = new Date(clock.now().getTime() + RESET_MINUTES * 60 * 1000);
  await Token.create({ purpose: 'password-reset', tokenHash: hash, email, user: user._id, expiresAt });
  await mailer.send({
    to: email,
    subject: 'Reset your Co-op Councils DPS password',
    text: `Reset your password at ${baseUrl}/password-reset/${token}\n\nThis link works once and expires in ${RESET_MINUTES} minutes. If you did not ask to reset your password, you can ignore this email.`,
  });
}

export async function resetPassword(clock: Clock, token: string, password: string): Promise<boolean> {
  const reset = await usableToken(clock, 'password-reset', token);
  if (!reset || !reset.user) return false;
  const passwordHash = await hashPassword(password);
  if (!(await consumeToken(clock, reset._id))) return false;
  await User.updateOne({ _id: reset.user }, { $set: { passwordHash } });
  await endSessionsOf(String(reset.user));
  await recordAudit(clock, { actor: { _id: reset.user, role: undefined }, action: 'password.reset', targetType: 'User', targetId: reset.user });
  return true;
}

/** Deletes every stored session of a user (password reset, account disabled). */
export async function endSessionsOf(userId: string): Promise<void> {
  const sessions = User.db.collection('sessions');
  await sessions.deleteMany({ 'session.passport.user': userId });
}

/** Enrols a TOTP secret confirmed by a code of time step `step`; undefined if the user already has two-factor. */
export async function enableTwoFactor(clock: Clock, userId: string, secret: string, step: number): Promise<string[] | undefined> {
  const codes = newRecoveryCodes();
  const res = await User.updateOne(
    { _id: userId, 'mfa.enabled': trusted({ $ne: true }) },
    { $set: { 'mfa.secret': secret, 'mfa.enabled': true, 'mfa.lastStep': step, 'mfa.recoveryCodes': codes.map(hashCode) } },
  );
  if (res.modifiedCount !== 1) return undefined;
  await recordAudit(clock, { actor: { _id: userId }, action: 'mfa.enabled', targetType: 'User', targetId: userId });
  return codes;
}

/** The secret and last used step of an enrolled user, for checking a code. */
export async function totpStateOf(userId: string): Promise<{ secret: string; lastStep: number } | undefined> {
  const user = await User.findOne({ _id: userId, status: 'active' }, { mfa: 1 }).lean();
  if (!user?.mfa?.enabled || !user.mfa.secret) return undefined;
  return { secret: user.mfa.secret, lastStep: user.mfa.lastStep ?? 0 };
}

/**
 * Records `step` as the user's last accepted TOTP time step. The conditional update means a code
 * (or an older one) is accepted once only, even by two requests at the same moment.
 */
export async function acceptTotpStep(userId: string, step: number): Promise<boolean> {
  const res = await User.updateOne({ _id: userId, 'mfa.enabled': true, 'mfa.lastStep': trusted({ $lt: step }) }, { $set: { 'mfa.lastStep': step } });
  return res.modifiedCount === 1;
}

/** Uses up a recovery code; returns how many are left, or undefined if the code is not one of the user's unused codes. */
export async function useRecoveryCode(clock: Clock, userId: string, code: string): Promise<number | undefined> {
  const hash = hashCode(code);
  const updated = await User.findOneAndUpdate(
    { _id: userId, 'mfa.enabled': true, 'mfa.recoveryCodes': hash },
    { $pull: { 'mfa.recoveryCodes': hash } },
    { returnDocument: 'after', projection: { 'mfa.recoveryCodes': 1 } },
  ).lean<{ mfa?: { recoveryCodes?: string[] } }>();
  if (!updated) return undefined;
  const left = updated.mfa?.recoveryCodes?.length ?? 0;
  await recordAudit(clock, { actor: { _id: userId }, action: 'mfa.recovery_code_used', targetType: 'User', targetId: userId, details: { left } });
  return left;
}

/** Changes a password after checking the current one; ends every stored session of the user. */
export async function changePassword(clock: Clock, userId: string, current: string, password: string): Promise<'changed' | 'wrong-current'> {
  const user = await User.findOne({ _id: userId, status: 'active' }, { passwordHash: 1, role: 1 }).lean();
  if (!user || !(await verifyPassword(user.passwordHash, current))) return 'wrong-current';
  const passwordHash = await hashPassword(password);
  await User.updateOne({ _id: user._id }, { $set: { passwordHash } });
  await endSessionsOf(String(user._id));
  await recordAudit(clock, { actor: { _id: user._id, role: user.role }, action: 'password.changed', targetType: 'User', targetId: user._id });
  return 'changed';
}

/** Whether a password is the user's current one (re-authentication before a security change). */
export async function passwordMatches(userId: string, password: string): Promise<boolean> {
  const user = await User.findOne({ _id: userId, status: 'active' }, { passwordHash: 1 }).lean();
  return verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), password).then((ok) => ok && !!user);
}
