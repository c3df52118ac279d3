/**
 * Resource ids as configs write them. Without zod, so the workflow bundle (references.ts parses
 * them) does not evaluate the config's schemas in every workflow.
 */

/** A resource id, unanchored: references embed it. */
export const RESOURCE_ID_BODY = '[a-z0-9][a-z0-9_-]{0,62}';
export const RESOURCE_ID = new RegExp(`^${RESOURCE_ID_BODY}$`);
