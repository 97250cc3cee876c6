// The error-pages example's routes. components/middleware/error-pages/error-pages.test.ts looks for these exact lines on the debug page.
import { DovetailError, HttpError, type Routes } from 'dovetailjs'

export function chargeCard(amount: number): never {
  const reason = `card declined for ${amount} <EUR>`
  throw new Error(reason) // FIXTURE-THROW-LINE
}

export function defineRoutes(r: Routes): void {
  r.get('/pay', () => chargeCard(42))
  r.get('/admin', () => {
    throw new HttpError(403, 'Admins only')
  })
  r.get('/unavailable', () => {
    throw new HttpError(503, 'database is down for maintenance')
  })
  r.get('/wrapped', () => {
    try {
      chargeCard(7)
    } catch (error) {
      throw new DovetailError('DOVETAIL_ERR_COMPONENT_START', 'payment service failed', { cause: error })
    }
  })
  r.get('/gone', (ctx) => ctx.notFound('No such invoice'))
  r.post('/items', (ctx) => ctx.json({ ok: true }))
}
