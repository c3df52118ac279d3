/** Typed search attribute keys (names in messages.ts SEARCH_ATTRIBUTES), for the workflow and its starters. */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { SEARCH_ATTRIBUTES } from './messages';

export const deploymentIdKey = defineSearchAttributeKey(SEARCH_ATTRIBUTES.deploymentId, SearchAttributeType.KEYWORD);
export const deploymentStatusKey = defineSearchAttributeKey(
  SEARCH_ATTRIBUTES.deploymentStatus,
  SearchAttributeType.KEYWORD,
);
export const deploymentTenantKey = defineSearchAttributeKey(SEARCH_ATTRIBUTES.tenant, SearchAttributeType.KEYWORD);
export const deploymentGraphIdKey = defineSearchAttributeKey(SEARCH_ATTRIBUTES.graphId, SearchAttributeType.KEYWORD);
