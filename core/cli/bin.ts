#!/usr/bin/env node
// The `dovetail` executable: all of it is main(), so tests call that instead of spawning this.
import { main } from './index.js'

process.exitCode = await main(process.argv.slice(2))
