/**
 * IAM policy documents: given as JSON objects in a config, sent as JSON text, and read back from
 * IAM URL-encoded (RFC 3986), so they are compared parsed, never as text.
 */
import { z } from 'zod';

export const policyDocumentSchema = z.looseObject({
  Version: z.string().optional(),
  Statement: z.union([z.array(z.record(z.string(), z.unknown())).min(1), z.record(z.string(), z.unknown())]),
});

export type PolicyDocument = z.output<typeof policyDocumentSchema>;

/** A policy document as IAM returns it (URL-encoded or not) → the parsed object. */
export function readPolicyDocument(text: string | undefined): unknown {
  if (text === undefined) return null;
  const trimmed = text.trim();
  return JSON.parse(trimmed.startsWith('{') ? trimmed : decodeURIComponent(trimmed)) as unknown;
}

export const writePolicyDocument = (document: PolicyDocument): string => JSON.stringify(document);
