/**
 * Every patch marker the workflows use has its row in docs/explanation/determinism-and-versioning.md, which says
 * what changed and how histories from before replay (three had gone missing from it).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as patches from '../../src/workflows/patches';

const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'explanation', 'determinism-and-versioning.md'), 'utf8');
const documented = new Set([...doc.matchAll(/^\| `([a-z-]+)` \|/gm)].map((m) => m[1]));

describe('patch markers', () => {
  it('are each documented, and the document names no other', () => {
    expect([...documented].sort()).toEqual(Object.values(patches).sort());
  });
});
