// What this app keeps in a session.
import 'express-session';

declare module 'express-session' {
  interface SessionData {
    /** when the password step succeeded (absolute timeout) */
    authAt?: number;
    /** last request (idle timeout) */
    lastSeen?: number;
    mfaVerified?: boolean;
    /** a TOTP secret being enrolled, until the first code confirms it */
    pendingTotpSecret?: string;
    returnTo?: string;
    flash?: { heading?: string; text: string; type?: 'success' | 'important' };
    /** user id, so an admin can end all of a user's sessions */
    userId?: string;
  }
}
