export { transaction, transaction as default, transactionOptions, type TransactionOptions } from './component.js'
export { toHttpConflict } from './conflict.js'
