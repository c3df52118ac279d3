/**
 * Deployment templates (docs/reference/templates.md): the list, one template with its input schema
 * and its config with placeholders, and the bodies that plan or apply it with inputs.
 */
import { z } from 'zod';
import { credentialsSchema } from '../../model/config-schema';
import { modeSchema, planEnvelope } from './plan';
import { waitSchema } from './runs';

export const templateParamsSchema = z.object({
  id: z.string().min(1).max(200).meta({ description: 'A template id', example: 'approval-release' }),
});

export const templateSummarySchema = z
  .object({
    id: z.string().meta({ example: 'approval-release' }),
    title: z.string().meta({ example: 'Build, approve, release' }),
    description: z.string(),
    source: z.enum(['built-in', 'operator']).meta({
      description: "built-in: shipped with the service (templates/); operator: a file in the operator's TEMPLATES_DIR",
    }),
  })
  .meta({ id: 'TemplateSummary' });

export const templateListSchema = z
  .object({
    templates: z
      .array(templateSummarySchema)
      .meta({ description: 'Built-in ones first, then the operator’s, each group by file name' }),
  })
  .meta({ id: 'Templates' });

export const templateSchema = templateSummarySchema
  .extend({
    inputs: z.record(z.string(), z.unknown()).meta({
      description:
        'JSON Schema (2020-12) of the inputs: an object whose properties have types, descriptions, defaults, enums; `required` lists the inputs without which it cannot render. Render a form from it',
      example: {
        type: 'object',
        properties: {
          app: { type: 'string', description: "The application's name", pattern: '^[a-z0-9-]+$' },
          on_timeout: { type: 'string', enum: ['fail', 'continue'], default: 'fail' },
        },
        required: ['app'],
        additionalProperties: false,
      },
    }),
    config: z.record(z.string(), z.unknown()).meta({
      description:
        'The deployment config it renders, with {{inputs.<name>}} placeholders: a string that is one placeholder takes the input’s typed value, a longer string its text',
      example: { deployment_id: 'release-{{inputs.app}}', resources: { '…': {} } },
    }),
  })
  .meta({ id: 'Template' });

const inputsSchema = z
  .record(z.string(), z.unknown())
  .default({})
  .meta({
    description:
      "Values of the template's inputs, checked against its input schema (defaults apply). Not secret: they are part of the config, which the run's workflow history keeps; send secrets sealed in `credentials`",
    example: { app: 'billing', version: 'v2.0.1', approval_timeout: '4h' },
  });

const templateCredentialsSchema = credentialsSchema.optional().meta({
  description:
    "Sealed credentials (as a config's `credentials`: GET /keys/public), put on the rendered config; a template carries none itself",
});

export const templatePlanRequestSchema = planEnvelope
  .extend({ inputs: inputsSchema, credentials: templateCredentialsSchema })
  .strict()
  .meta({
    id: 'TemplatePlanRequest',
    description: 'Render the template with these inputs, then plan it as POST /deploy/plan plans a config',
    example: { inputs: { app: 'billing' }, mode: 'FULL' },
  });

export const templateApplyRequestSchema = z
  .object({
    inputs: inputsSchema,
    credentials: templateCredentialsSchema,
    mode: modeSchema.optional(),
    wait: waitSchema.optional(),
  })
  .strict()
  .meta({
    id: 'TemplateApplyRequest',
    description: 'Render the template with these inputs, then start a run of it as POST /deploy/apply does',
    example: { inputs: { app: 'billing', version: 'v2.0.1' }, wait: 60 },
  });

export type TemplatePlanRequest = z.output<typeof templatePlanRequestSchema>;
export type TemplateApplyRequest = z.output<typeof templateApplyRequestSchema>;
