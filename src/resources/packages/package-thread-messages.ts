/** What the worker and a step package's thread (package-thread.ts, package-threads.ts) say to each other. */
import type { PackageTarget } from '../../sdk';

export type PackageOperation = 'plan' | 'apply' | 'compensate' | 'verify' | 'destroy';

/** To the thread. */
export type ToThread =
  | { readonly kind: 'ping' }
  | { readonly kind: 'cancel'; readonly id: number }
  | {
      readonly kind: 'call';
      readonly id: number;
      readonly type: string;
      readonly operation: PackageOperation;
      readonly target: PackageTarget<unknown>;
      /** compensate's undo; verify's and destroy's outputs. */
      readonly extra: unknown;
      readonly attempt: number;
    };

/** An error as it crosses to the worker: an OperationError keeps its classification. */
export interface ThreadError {
  readonly message: string;
  readonly operationError: {
    readonly type: string;
    readonly retryable: boolean;
    readonly retryAfterMs?: number;
  } | null;
}

/** From the thread. */
export type FromThread =
  | { readonly kind: 'ready' }
  | { readonly kind: 'pong' }
  | { readonly kind: 'log'; readonly id: number; readonly message: string }
  | { readonly kind: 'heartbeat'; readonly id: number; readonly details: unknown }
  | { readonly kind: 'done'; readonly id: number; readonly value: unknown }
  | { readonly kind: 'failed'; readonly id: number; readonly error: ThreadError };
