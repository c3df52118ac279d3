/** An offload thread (pool.ts starts it): runs each job it is posted (jobs.ts), answers it or its error. */
import { parentPort } from 'node:worker_threads';
import { runJob, type JobMessage } from './jobs';

const port = parentPort;
if (!port) throw new Error('src/api/offload/thread runs as a worker thread only');

port.on('message', (message: JobMessage) => {
  runJob(message).then(
    (answer) => port.postMessage({ answer }),
    (err: unknown) => port.postMessage({ error: err instanceof Error ? err.message : String(err) }),
  );
});
