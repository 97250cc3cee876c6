export { cookieStore, cookieStore as default, cookieStoreOptions } from './component.js'
export { CookieSessionStore, type CookieStoreOptions } from './cookie-store.js'
export { errorCodes, SessionCookieTooLarge, SessionNoSecrets } from './errors.js'
