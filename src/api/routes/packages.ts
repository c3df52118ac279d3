/**
 * Step packages (seed 002; docs/how-to/step-packages.md): deploy, redeploy, roll back and
 * undeploy a package of user-written resource types (admin keys only: its code runs with the
 * workers' permissions), its status, the list, and its log.
 */
import type { z } from 'zod';
import { defineOperation, type Operation } from '../openapi/operation';
import {
  deployAnswerSchema,
  deployPackageSchema,
  rollbackPackageSchema,
  packageListSchema,
  packageLogsSchema,
  packageParamsSchema,
  packageStatusSchema,
} from '../schemas/packages';
import type { Packages } from '../services/packages';

const DEPLOY_RESPONSES = {
  201: { description: 'Deployed as a new version', schema: deployAnswerSchema },
  200: { description: 'The same content is the current version already', schema: deployAnswerSchema },
};

const deployed = (answer: z.output<typeof deployAnswerSchema>) => ({
  status: answer.unchanged ? 200 : 201,
  body: answer,
});

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
      responses: DEPLOY_RESPONSES,
      // 400 invalid_package: DEPLOYMENT_FAILED, with each problem's file, line and message. 409: another tenant's name.
      errors: [400, 409],
      handle: async ({ params, body, principal }) =>
        deployed(await packages.deploy(principal, params.name, body.files)),
    }),
    defineOperation({
      method: 'post',
      path: '/packages/{name}/redeploy',
      summary: 'Deploy new sources of an existing step package as its next version (running deployments keep theirs)',
      tag: 'packages',
      access: 'admin',
      params: packageParamsSchema,
      body: deployPackageSchema,
      responses: DEPLOY_RESPONSES,
      errors: [400, 404, 409],
      handle: async ({ params, body, principal }) =>
        deployed(await packages.redeploy(principal, params.name, body.files)),
    }),
    defineOperation({
      method: 'post',
      path: '/packages/{name}/rollback',
      summary: 'Make an earlier version of a step package the one new runs use (also after an undeploy)',
      tag: 'packages',
      access: 'admin',
      params: packageParamsSchema,
      body: rollbackPackageSchema,
      responses: { 200: { description: 'That version is current', schema: deployAnswerSchema } },
      // 400: no such version. 409: one of its types is another package's now.
      errors: [400, 404, 409],
      handle: async ({ params, body, principal }) => ({
        status: 200,
        body: await packages.rollback(principal, params.name, body.version),
      }),
    }),
    defineOperation({
      method: 'post',
      path: '/packages/{name}/undeploy',
      summary:
        'Stop offering a step package’s types to new runs; refused while a running or paused deployment uses it (its versions are kept)',
      tag: 'packages',
      access: 'admin',
      params: packageParamsSchema,
      responses: { 200: { description: 'Undeployed (or it was already)', schema: deployAnswerSchema } },
      // 409 in_use: names the deployments that use it.
      errors: [404, 409, 503],
      handle: async ({ params, principal }) => ({ status: 200, body: await packages.undeploy(principal, params.name) }),
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
      handle: async ({ params, principal }) => ({ status: 200, body: await packages.status(principal, params.name) }),
    }),
    defineOperation({
      method: 'get',
      path: '/packages/{name}/logs',
      summary:
        'A step package’s log: each deploy (what was checked, the compiler’s messages, the outcome), rollback and undeploy',
      tag: 'packages',
      access: 'read',
      params: packageParamsSchema,
      responses: { 200: { description: 'The log', schema: packageLogsSchema } },
      errors: [404],
      handle: ({ params, principal }) => Promise.resolve({ status: 200, body: packages.logs(principal, params.name) }),
    }),
  ];
}
