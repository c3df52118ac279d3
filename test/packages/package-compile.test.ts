/**
 * A step package's sources checked and compiled (src/api/services/package-compile.ts): the
 * compiler's errors with file and line, imports outside what a package may use refused by name,
 * type names outside the built-in namespaces, and a good package's types found.
 */
import { compilePackage, type CompileAnswer } from '../../src/api/services/package-compile';
import { ACME_DNS_FILES } from './helpers/acme-dns';

const problems = (answer: CompileAnswer) => (answer.ok ? [] : answer.problems);

describe('compiling a step package', () => {
  it('finds the types of a good package and compiles every module', () => {
    const answer = compilePackage('acme-dns', ACME_DNS_FILES);
    expect(problems(answer)).toEqual([]);
    expect(answer).toMatchObject({ ok: true, types: ['acme:dns:record'] });
    if (answer.ok) expect(Object.keys(answer.modules).sort()).toEqual(['client.ts', 'index.ts', 'record.ts']);
  });

  it('reports type errors with the file and line', () => {
    const files = {
      ...ACME_DNS_FILES,
      'client.ts': `${ACME_DNS_FILES['client.ts'] ?? ''}\nexport const broken: number = 'text';\n`,
    };
    const found = problems(compilePackage('acme-dns', files));
    expect(found).toEqual([
      expect.objectContaining({
        file: 'client.ts',
        line: 12,
        message: expect.stringContaining("Type 'string' is not assignable to type 'number'"),
      }),
    ]);
  });

  it('refuses an import from outside the product, naming it, before type-checking', () => {
    const files = {
      'index.ts': `import leftPad from 'left-pad';\nimport { z } from 'zod';\nexport const x = leftPad;\n`,
    };
    expect(problems(compilePackage('pads', files))).toEqual([
      { file: 'index.ts', line: 1, message: expect.stringContaining('import "left-pad" is not allowed') },
    ]);
  });

  it('lets a package import the provider clients the service ships, type-checked against their own types', () => {
    const note = (options: string) => ({
      'index.ts': `import { S3Client, PutObjectCommand } from '@aws-sdk/client-s3';
import { Octokit } from '@octokit/rest';
import { defineResourceType, z } from 'mgraph/sdk';
export const octokitType = typeof Octokit;
export const note = defineResourceType({
  type: 'acme:s3:note',
  description: 'An S3 object',
  properties: z.object({ bucket: z.string() }),
  plan: async () => ({ action: 'create' }),
  apply: async (_ctx, node) => {
    await new S3Client(${options}).send(new PutObjectCommand({ Bucket: node.properties.bucket, Key: 'k', Body: 'v' }));
    return { outputs: {}, undo: null };
  },
  compensate: async () => 'nothing to undo',
});
`,
    });
    expect(problems(compilePackage('notes', note("{ region: 'us-east-1' }")))).toEqual([]);
    expect(problems(compilePackage('notes', note("{ regoin: 'us-east-1' }")))).toEqual([
      expect.objectContaining({ file: 'index.ts', line: 11, message: expect.stringContaining("'regoin'") }),
    ]);
  });

  it('refuses a package without types, types in a built-in namespace, and bad paths', () => {
    expect(problems(compilePackage('empty', { 'index.ts': 'export const nothing = 1;\n' }))).toEqual([
      expect.objectContaining({ file: 'index.ts', message: expect.stringContaining('exports no resource type') }),
    ]);
    const shadow = ACME_DNS_FILES['record.ts']?.replace("'acme:dns:record'", "'aws:s3:bucket'") ?? '';
    expect(problems(compilePackage('shadow', { ...ACME_DNS_FILES, 'record.ts': shadow }))).toEqual([
      expect.objectContaining({ message: 'type "aws:s3:bucket" is in the namespace of the built-in aws types' }),
    ]);
    expect(problems(compilePackage('paths', { '../index.ts': 'x' }))).toEqual([
      expect.objectContaining({ file: '../index.ts' }),
      expect.objectContaining({ message: 'a package has an index.ts' }),
    ]);
  });

  it('stops a package that hangs while loading, after its 2 s, and reports it', () => {
    const files = { 'index.ts': `for (;;) {}\nexport {};\n` };
    expect(problems(compilePackage('hangs', files))).toEqual([
      {
        file: '',
        line: null,
        message: expect.stringMatching(/failed to load: Script execution timed out after 2000ms/),
      },
    ]);
  });

  it('reports a package that throws while loading', () => {
    const files = { 'index.ts': `throw new Error('no config file');\nexport {};\n` };
    expect(problems(compilePackage('throws', files))).toEqual([
      { file: '', line: null, message: expect.stringContaining('failed to load: no config file') },
    ]);
  });
});
