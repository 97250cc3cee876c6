export { auth, auth as default, authOptions, type AuthOptions } from './component.js'
export {
  attemptLogin,
  currentUser,
  login,
  logout,
  safeRedirect,
  UserLoader,
  type AuthSettings,
  type AuthUser,
} from './auth-runtime.js'
export { requirePermission, requireRole, requireUser, type Guard } from './guards.js'
export { sessionSecurity } from './openapi.js'
export { defaultScryptParams, hashPassword, needsRehash, verifyPassword, type ScryptParams } from './password.js'
export { LoginAttempts, MemoryLoginAttempts, RedisLoginAttempts, type RedisLike, type RedisMultiLike } from './login-attempts.js'
export { AuthBadHash, AuthForbidden, AuthNoMiddleware, AuthNoUserLoader, AuthRateLimited, AuthUnauthenticated, errorCodes } from './errors.js'
