#!/usr/bin/env node
// The `dovetail` executable: all of it is main(), so tests call that instead of spawning this.
import { main } from './index.js'

// `dovetail routes | head`: the reader has gone, and what it did not read was not wanted. Stop
// quietly with 0, as Unix tools do, rather than die of an unhandled EPIPE with a stack.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error
  process.exit(0)
})

process.exitCode = await main(process.argv.slice(2))
