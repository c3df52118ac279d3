/**
 * The one place that reaches into the Temporal SDK's internal modules (`@temporalio/*\/lib/*`,
 * which lint bans elsewhere): what the public API lacks, named for what we use it for. An SDK
 * upgrade that moves one of these breaks here, and only here.
 */
export { executionInfoFromRaw } from '@temporalio/client/lib/helpers';
export { decodeFromPayloadsAtIndex } from '@temporalio/common/lib/internal-non-workflow';
export { msToTs } from '@temporalio/common/lib/time';
