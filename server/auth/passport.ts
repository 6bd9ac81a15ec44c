// Passport's local strategy: e-mail and password, the same answer for an unknown e-mail as a wrong password.
import passport from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import { User } from '../../models/User';
import { dummyPasswordHash, verifyPassword } from './passwords';
import { SessionUser } from './guards';

export function configurePassport(): passport.PassportStatic {
  passport.use(
    new LocalStrategy({ usernameField: 'email', passwordField: 'password' }, async (email, password, done) => {
      try {
        if (typeof email !== 'string' || typeof password !== 'string') return done(null, false);
        const user = await User.findOne({ email: email.trim().toLowerCase() }).lean();
        const ok = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), password);
        if (!user || !ok || user.status !== 'active') return done(null, false);
        return done(null, toSessionUser(user));
      } catch (err) {
        return done(err);
      }
    }),
  );
  passport.serializeUser((user, done) => done(null, (user as SessionUser)._id));
  passport.deserializeUser(async (id: string, done) => {
    try {
      const user = await User.findById(id).lean();
      done(null, user && user.status === 'active' ? toSessionUser(user) : false);
    } catch (err) {
      done(err);
    }
  });
  return passport;
}

export function toSessionUser(user: any): SessionUser {
  return {
    _id: String(user._id),
    email: user.email,
    name: user.name,
    role: user.role,
    organisation: String(user.organisation),
    mfa: { enabled: user.mfa?.enabled === true },
  };
}
