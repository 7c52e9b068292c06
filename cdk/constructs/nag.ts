import { Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * Renders a (possibly tokenized) string as cdk-nag names it in a finding: `Ref` becomes `<Name>`,
 * `Fn::GetAtt` becomes `<Name.Attribute>`, `Fn::Join` is joined. Finding ids are exact strings, so an
 * acknowledgement built from the same value cannot drift from the resource it speaks for.
 */
export function nagRendered(scope: IConstruct, value: string): string {
  const render = (node: unknown): string => {
    if (typeof node === 'string') return node;
    if (node && typeof node === 'object') {
      const obj = node as Record<string, unknown>;
      if ('Ref' in obj) return `<${String(obj.Ref)}>`;
      if ('Fn::GetAtt' in obj) return `<${(obj['Fn::GetAtt'] as string[]).join('.')}>`;
      if ('Fn::Join' in obj) {
        const [separator, parts] = obj['Fn::Join'] as [string, unknown[]];
        return parts.map(render).join(separator);
      }
    }
    return JSON.stringify(node);
  };
  return render(Stack.of(scope).resolve(value));
}

/** Acknowledges cdk-nag's IAM5 finding for one wildcard resource on `scope`, with the reason. */
export function acknowledgeWildcardResource(scope: IConstruct, resource: string, reason: string): void {
  Validations.of(scope).acknowledge({
    id: `AwsSolutions-IAM5[Resource::${nagRendered(scope, resource)}]`,
    reason,
  });
}
