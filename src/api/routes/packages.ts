/**
 * Step packages (seed 002; docs/how-to/step-packages.md): deploy a package of user-written
 * resource types (admin keys only: its code runs with the workers' permissions), its status,
 * the list, and the last deploy's logs.
 */
import { defineOperation, type Operation } from '../openapi/operation';
import {
  deployAnswerSchema,
  deployPackageSchema,
  packageListSchema,
  packageLogsSchema,
  packageParamsSchema,
  packageStatusSchema,
} from '../schemas/packages';
import type { Packages } from '../services/packages';

export function packageOperations(packages: Packages): Operation[] {
  return [
    defineOperation({
      method: 'post',
      path: '/packages/{name}/deploy',
      summary:
        'Deploy a step package: check, type-check and compile its TypeScript, store it as a new version new runs use (the same content again changes nothing)',
      tag: 'packages',
      access: 'admin',
      params: packageParamsSchema,
      body: deployPackageSchema,
      responses: {
        201: { description: 'Deployed as a new version', schema: deployAnswerSchema },
        200: { description: 'The same content is the current version already', schema: deployAnswerSchema },
      },
      // 400 invalid_package: DEPLOYMENT_FAILED, with each problem's file, line and message. 409: another tenant's name.
      errors: [400, 409],
      async handle({ params, body, principal }) {
        const answer = await packages.deploy(principal, params.name, body.files);
        return { status: answer.unchanged ? 200 : 201, body: answer };
      },
    }),
    defineOperation({
      method: 'get',
      path: '/packages',
      summary: "This tenant's step packages",
      tag: 'packages',
      access: 'read',
      responses: { 200: { description: 'The packages', schema: packageListSchema } },
      handle: ({ principal }) => Promise.resolve({ status: 200, body: packages.list(principal) }),
    }),
    defineOperation({
      method: 'get',
      path: '/packages/{name}',
      summary: 'A step package’s status: whether it is deployed, its versions and the types they define',
      tag: 'packages',
      access: 'read',
      params: packageParamsSchema,
      responses: { 200: { description: 'Its status (exists false: never deployed)', schema: packageStatusSchema } },
      handle: ({ params, principal }) =>
        Promise.resolve({ status: 200, body: packages.status(principal, params.name) }),
    }),
    defineOperation({
      method: 'get',
      path: '/packages/{name}/logs',
      summary: 'The log of a step package’s last deploy: what was checked, the compiler’s messages, the outcome',
      tag: 'packages',
      access: 'read',
      params: packageParamsSchema,
      responses: { 200: { description: 'The log', schema: packageLogsSchema } },
      errors: [404],
      handle: ({ params, principal }) => Promise.resolve({ status: 200, body: packages.logs(principal, params.name) }),
    }),
  ];
}
