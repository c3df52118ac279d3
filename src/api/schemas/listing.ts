/** Run summaries for history and list pages (from visibility: search attributes and memo). */
import { z } from 'zod';
import { pageQuery } from './common';
import { RUN_PHASES } from '../../model/run-types';

export const runSummarySchema = z
  .object({
    deployment_id: z.string(),
    workflow_id: z.string(),
    run_id: z.string(),
    status: z.string().meta({
      description:
        'Run phase (running, paused, completed, failed, …); terminated / timed_out / canceled when Temporal ended the run',
    }),
    execution_status: z.string(),
    action: z.string().nullable(),
    mode: z.string().nullable(),
    version: z.string().nullable(),
    graph_id: z.string().nullable(),
    started_at: z.string().meta({ format: 'date-time' }),
    closed_at: z.string().meta({ format: 'date-time' }).nullable(),
    web_ui_url: z.string(),
    history_expired: z.boolean().optional().meta({
      description:
        'History lists only: the run’s own history was deleted by retention (RUN_RETENTION); its record remains',
    }),
  })
  .meta({ id: 'RunSummary' });

const nextPage = z
  .string()
  .nullable()
  .meta({ description: 'Pass as page_token for the next page; null on the last page' });

export const historyResponseSchema = z
  .object({
    deployment_id: z.string(),
    runs: z.array(runSummarySchema).meta({ description: 'Newest first; the record keeps the latest 100' }),
    runs_total: z.number().int().meta({ description: 'Every run the deployment has had' }),
    next_page_token: nextPage,
  })
  .meta({ id: 'DeploymentHistory' });

export const listQuerySchema = pageQuery.extend({
  status: z
    .enum([...RUN_PHASES, 'terminated', 'timed_out', 'canceled'])
    .optional()
    .meta({ description: 'Only deployments whose latest run has this status' }),
});

export const listResponseSchema = z
  .object({
    deployments: z.array(runSummarySchema).meta({ description: 'The latest run of each deployment, newest first' }),
    next_page_token: nextPage,
  })
  .meta({ id: 'DeploymentList' });
