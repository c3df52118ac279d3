/**
 * Issue 23 finding 6: a 157 KB plan of 2,000 chained S3 buckets in 20 regions (40,000 nodes) froze
 * the API for 50 s. It is now a 400 naming the node count and the limit, for plan and apply alike,
 * answered before any graph is built; a config at the limits plans (its timing is a benchmark line,
 * `npm run bench`, section 8).
 */
import { testApi, unreachableClient } from './helpers/app';

const api = testApi({ client: unreachableClient() });

const REGIONS = [
  ...['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'ca-central-1', 'sa-east-1', 'af-south-1'],
  ...['eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-central-1', 'eu-north-1', 'eu-south-1', 'me-south-1'],
  ...['ap-south-1', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-southeast-1', 'ap-southeast-2'],
];

/** `count` S3 buckets, each depending on the one before, in all 20 regions. */
function buckets(count: number): Record<string, unknown> {
  const resources: Record<string, unknown> = {};
  for (let i = 0; i < count; i += 1)
    resources[`bucket-${i}`] = {
      type: 'aws:s3:bucket',
      properties: { name: `bucket-${i}` },
      ...(i > 0 ? { depends_on: [`bucket-${i - 1}`] } : {}),
    };
  return { deployment_id: 'many-buckets', targets: [{ provider: 'aws', regions: REGIONS }], resources };
}

describe('graph size limits over the API', () => {
  const finding6 = buckets(2_000);

  it('answers the plan of finding 6 (2,000 chained buckets in 20 regions) with a 400 naming the node count and the limit', async () => {
    expect(JSON.stringify({ config: finding6 }).length).toBeGreaterThan(150_000);
    const response = await api.post('/deploy/plan', { config: finding6 });
    expect(response.status).toBe(400);
    expect(response.body.error.type).toBe('validation_error');
    expect(response.body.error.details.issues).toEqual([
      {
        path: 'config.resources',
        message:
          'the config expands to 40,000 nodes (2,000 resources, the regional ones in 20 AWS regions): the limit is 10,000 nodes',
      },
    ]);
  });

  it('refuses the same config to apply, before any graph is built or run started', async () => {
    const response = await api.post('/deploy/apply', { config: finding6 });
    expect(response.status).toBe(400);
    expect(response.body.error.details.issues.map((i: { message: string }) => i.message)).toEqual([
      'the config expands to 40,000 nodes (2,000 resources, the regional ones in 20 AWS regions): the limit is 10,000 nodes',
    ]);
  });

  it('plans a config at the node limit: 500 chained buckets in 20 regions, 10,000 nodes', async () => {
    const response = await api.post('/deploy/plan', { config: buckets(500) });
    expect(response.status).toBe(200);
    expect(response.body.nodes).toHaveLength(10_000);
    expect(response.body.counts).toEqual({ create: 10_000 });
    const last = (response.body.nodes as { resource_id: string; depends_on: unknown[] }[]).filter(
      (n) => n.resource_id === 'bucket-499',
    );
    expect(last.map((n) => n.depends_on)).toEqual(REGIONS.map(() => [expect.objectContaining({ kind: 'dependency' })]));
    expect(response.body.parallel_groups).toHaveLength(500);
  });
});
