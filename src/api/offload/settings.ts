/** The offload's sizes: which bodies go to the thread pool, how many threads, how many jobs may wait. */
import { availableParallelism } from 'node:os';

/**
 * JSON bodies of this size and more, and those of unknown size (chunked or compressed), are read
 * on the pool. Below it a config expands to at most about 1,800 nodes (20 regions of tiny
 * resources), whose validation, graph and plan take a few tens of ms on the event loop.
 */
export const OFFLOAD_MIN_BYTES = 4 * 1024;

/** One thread per core but the event loop's: 1 on 2 cores; at least 1, at most 4. */
export const OFFLOAD_THREADS = Math.max(1, Math.min(4, availableParallelism() - 1));

/** Jobs waiting for a thread; one more is a 429 `busy`. A body of 1 MiB at most each. */
export const OFFLOAD_MAX_QUEUED = 16;

/** A thread idle this long stops (the next job starts one again). */
export const OFFLOAD_IDLE_MS = 60_000;
