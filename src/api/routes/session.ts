/** `GET /session`: who the presented API key is, so a client (the dashboard) shows only what its role allows. */
import { z } from 'zod';
import { API_ROLES } from '../../config/api-keys';
import { defineOperation, type Operation } from '../openapi/operation';

export const sessionResponseSchema = z
  .object({
    tenant: z.string().nullable().meta({
      description: "The key's tenant; null without API_KEYS (the single local operator, whose runs carry no tenant)",
      example: 'acme',
    }),
    role: z.enum(API_ROLES).meta({
      description:
        'read: look; operate: also plan, apply and steer runs; admin: also destroy, move, undeploy and manage schedules',
    }),
  })
  .meta({ id: 'Session' });

export function sessionOperations(): Operation[] {
  return [
    defineOperation({
      method: 'get',
      path: '/session',
      summary: "The caller's tenant and role (401 without a valid key where API_KEYS is set)",
      tag: 'keys',
      access: 'read',
      responses: { 200: { description: 'The caller', schema: sessionResponseSchema } },
      handle: ({ principal }) =>
        Promise.resolve({ status: 200, body: { tenant: principal.tenant, role: principal.role } }),
    }),
  ];
}
