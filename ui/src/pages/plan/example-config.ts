/** The config the editor starts from: a small build-then-release deployment with no credentials. */
export function exampleConfig(deploymentId = 'my-app'): string {
  const config = {
    deployment_id: deploymentId,
    version: 'v1',
    resources: {
      build: {
        type: 'core:delay',
        properties: { duration_ms: 1000, outputs: { artifact: 'app-1.0.0.zip' } },
      },
      release: {
        type: 'core:delay',
        depends_on: ['build'],
        properties: { duration_ms: 1000 },
        references: { artifact: 'build.artifact' },
      },
    },
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}
