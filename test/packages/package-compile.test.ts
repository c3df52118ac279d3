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

  it('reports a package that throws while loading', () => {
    const files = { 'index.ts': `throw new Error('no config file');\nexport {};\n` };
    expect(problems(compilePackage('throws', files))).toEqual([
      { file: '', line: null, message: expect.stringContaining('failed to load: no config file') },
    ]);
  });
});
