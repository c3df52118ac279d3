/**
 * How `aws:lambda:function` functions go away and are found: the delete of a destroy or of a
 * compensation that undoes a create, and a tag scan's find described from the function itself
 * (its code's S3 location from the `mgraph:code` tag, either form; an inline zip or a hashed source
 * found as an empty zip, a delete needing the name alone).
 */
import { DeleteFunctionCommand, GetFunctionCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import type { FoundResource, NodeTarget } from '../resource-type';
import { awsOrNull } from './errors';
import { foundCode } from './lambda-code';
import { s3SourceOf } from './lambda-code-identity';
import { call, CODE_TAG, type LambdaFunctionProperties } from './lambda-function-state';

type Target = NodeTarget<LambdaFunctionProperties>;

export async function deleteFunction(lambda: LambdaClient, target: Target): Promise<void> {
  await awsOrNull(call(target, 'delete the function'), () =>
    lambda.send(new DeleteFunctionCommand({ FunctionName: target.properties.function_name })),
  );
}

/** A tag scan's find, described from the function itself (the tagging API's tags may lag behind a tag change). */
export async function describeFound(lambda: LambdaClient, arn: string, region: string): Promise<FoundResource | null> {
  const got = await awsOrNull({ action: 'read a tagged function', target: arn }, () =>
    lambda.send(new GetFunctionCommand({ FunctionName: arn })),
  );
  const c = got?.Configuration;
  if (!got || !c) return null;
  const tags = got.Tags ?? {};
  const properties = {
    function_name: c.FunctionName,
    runtime: c.Runtime,
    handler: c.Handler,
    role_arn: c.Role,
    ...foundCode(s3SourceOf(tags[CODE_TAG])),
  };
  return { type: 'aws:lambda:function', arn, region, tags, properties };
}
