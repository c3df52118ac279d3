import { join } from 'node:path';

/** Where the test run keeps its server log and workflow bundle (git-ignored). */
export const RUNTIME_DIR = join(__dirname, '..', '..', '.tools', 'test-runtime');
