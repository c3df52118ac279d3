/**
 * What a tag scan cannot see: GitHub resources carry no tags. Each node of the deployment's last
 * apply whose type can be found by its record (`findRecorded`) is looked up by the names that apply
 * recorded (a repository named by `generate_name` also by its naming rule, `{name}__{node_id}`),
 * and is found when it is still there and the deployment's own. A find carries the node's ids as
 * the tags a tagged resource would, so it becomes the same node of the scan's destroy graph.
 */
import { resolvableReferences } from '../../model/references';
import type { SealedCredentials } from '../../model/run-types';
import { NODE_ID_TAG, RESOURCE_ID_TAG } from '../../resources/aws/tags';
import { registry } from '../../resources/registry';
import type { FoundResource, OperationContext } from '../../resources/resource-type';
import type { StoredApply } from './run-input';

/** The deployment's resources its last apply names that no tag finds; `taggedAs`: its scoped id. */
export async function recordedFinds(
  ctx: OperationContext,
  taggedAs: string,
  applied: StoredApply | null,
): Promise<FoundResource[]> {
  if (!applied) return [];
  const { graph } = applied.input;
  const finds = await Promise.all(
    graph.nodes.map(async (node): Promise<FoundResource[]> => {
      const type = registry.get(node.type);
      if (!type?.findRecorded) return [];
      const target = {
        deployment_id: taggedAs,
        graph_id: graph.graph_id,
        node,
        properties: type.properties.parse(node.properties),
        refs: resolvableReferences(node, (id) => applied.outputs[id]),
      };
      const id = await type.findRecorded(ctx, target, applied.outputs[node.node_id] ?? null);
      if (id === null) return [];
      const tags = { ...node.tags, [NODE_ID_TAG]: node.node_id, [RESOURCE_ID_TAG]: node.resource_id };
      return [{ type: node.type, arn: `${node.type}:${id}`, region: node.region, tags, properties: node.properties }];
    }),
  );
  return finds.flat();
}

/** The request's credentials, with the last apply's GitHub token when the request brings none (nothing else reaches GitHub). */
export function withRecordedGitHub(
  credentials: SealedCredentials | null,
  applied: StoredApply | null,
): SealedCredentials | null {
  const github = applied?.input.credentials?.github;
  if (!github || credentials?.github) return credentials;
  return { ...credentials, github };
}
