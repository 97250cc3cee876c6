/**
 * The `fullstack` group's page: a form with a CSRF token, a session that
 * remembers the name posted, and enough text (over 1 KB) that compression
 * applies. Both servers render these templates with the same data.
 */
export const LINES: readonly string[] = Array.from({ length: 30 }, (_, i) => `Entry ${i + 1}: a guestbook line & its <text>, long enough to compress.`)
export const FORM_NAME = 'Ada'
export const SESSION_SECRET = 'bench-secret-0123456789abcdef-0123456789abcdef'
/** The hidden input both servers print (Dovetail's csrfField() markup). */
export const csrfInput = (token: string): string => `<input type="hidden" name="_csrf" value="${token}">`
