/** fast-check runs per property: 200 by default, more with FC_NUM_RUNS (e.g. FC_NUM_RUNS=5000 npx jest test/model). */
export const RUNS = Number(process.env['FC_NUM_RUNS'] ?? 200);
