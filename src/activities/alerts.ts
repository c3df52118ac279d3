/**
 * The run's alert to people (settings.alerts): a Slack post, through the run's own
 * `credentials.slack`: to `channel` with the bot token, else to the webhook. Sent when a failure
 * comes past a point of no return (src/workflows/point-of-no-return.ts). A retry adopts an earlier
 * post of the same alert (marked with the run and the failed node, as slack:message marks its own).
 */
import { postToChannel } from '../resources/slack/web-api';
import { postToWebhook } from '../resources/slack/webhook';
import type { NodeCall } from './node-call';
import { operationContext, type OperationDeps } from './operation-context';
import { toFailure } from './to-failure';

export interface AlertCall {
  /** The failed node's call: its run, its node and the run's credentials. */
  readonly call: NodeCall;
  /** A channel id or #name for the bot token; null: the webhook. */
  readonly channel: string | null;
  readonly text: string;
}

export function createAlertActivities(deps: OperationDeps) {
  return {
    async alertOperators({ call, channel, text }: AlertCall): Promise<void> {
      const ctx = operationContext(call, deps);
      try {
        if (channel === null) await postToWebhook(ctx, { text });
        else
          await postToChannel(
            ctx,
            { channel, text },
            { run_key: call.run_key, node_id: call.node.node_id, kind: 'alert' },
          );
      } catch (err) {
        throw toFailure(err, ctx.attempt);
      }
    },
  };
}

export type AlertActivities = ReturnType<typeof createAlertActivities>;
