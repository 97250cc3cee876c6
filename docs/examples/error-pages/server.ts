// `npx tsx docs/examples/error-pages/server.ts`, then open http://127.0.0.1:3000/pay (NODE_ENV=production for the plain page).
import { createShopApp } from './app.js'

const app = await createShopApp(process.env.NODE_ENV === 'production' ? 'production' : 'development')
const server = await app.listen()
console.log(`error-pages example on ${server.url}: try /pay, /wrapped, /admin, /nowhere`)
process.once('SIGINT', () => void app.close().then(() => process.exit(0)))
