#!/usr/bin/env node
// deployctl: the command-line client of the REST API (src/cli), run from its TypeScript through tsx.
import { createRequire } from 'node:module';
import { register } from 'tsx/cjs/api';

register();
const { main } = createRequire(import.meta.url)('../src/cli/main.ts');
await main(process.argv);
