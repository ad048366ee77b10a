/**
 * "The Prefect API answers" (templates/server/readiness.ts) rests on a Ref in a wait condition
 * handle's Metadata ordering creation like DependsOn. AWS documents that only for properties; this
 * test reads what cfn-lint, AWS's linter, makes of the server template: its dependency graph
 * (cfnlint/graph.py) must lead from every API caller through the handles to each prerequisite,
 * the conditional ones included. It shows how AWS's own tool reads the template, not what the
 * CloudFormation service does (README "Self-hosted Prefect" states that risk).
 */
import { spawnSync } from 'node:child_process';
import { buildServerStack } from '../../templates/stacks/server';
import { writeTemplateFiles } from '../support/template';

const GRAPH = `
import json, sys
import cfnlint.decode, cfnlint.template
import networkx
path, questions = sys.argv[1], json.load(sys.stdin)
parsed, matches = cfnlint.decode.decode(path)
graph = cfnlint.template.Template(path, parsed, ["us-east-1"]).graph.graph
print(json.dumps({
    "metadataEdges": sorted(target for _, target, data in graph.out_edges("PrefectApiReady", data=True) if data.get("label") == "Ref"),
    "paths": {f"{a} -> {b}": networkx.has_path(graph, a, b) for a, b in questions},
}))
`;

const CALLERS = ['WorkPool', 'ScalerTriggerMapping', 'RegistrarImagePushRule', 'RegistrarManifestChangeRule'];
const PREREQUISITES = ['ServerService', 'HttpListener', 'HttpsListener', 'ServerDnsRecord', 'LoadBalancerIngress443FromLambdaSecurityGroup', 'LoadBalancerIngressFromNatGateway1', 'LoadBalancerIngressFromNatGateway2'];

describe("cfn-lint's dependency graph of the server template", () => {
  const file = writeTemplateFiles('readiness-graph', buildServerStack()).json;
  const questions = CALLERS.flatMap((caller) => PREREQUISITES.map((p) => [caller, p]));
  const run = spawnSync('python3', ['-c', GRAPH, file], { input: JSON.stringify(questions), encoding: 'utf8', maxBuffer: 10_000_000 });
  const answer = run.status === 0 ? (JSON.parse(run.stdout) as { metadataEdges: string[]; paths: Record<string, boolean> }) : undefined;

  it('counts the Refs in PrefectApiReady\'s Metadata, conditional ones included, as dependencies', () => {
    expect(run.stderr).toBe('');
    expect(answer!.metadataEdges).toEqual(expect.arrayContaining(['ServerService', 'LoadBalancerListenersReady', 'ServerDnsRecord', 'LoadBalancerIngressFromNatGateway1', 'LoadBalancerIngressFromNatGateway2']));
  });

  it('orders every caller of the Prefect API after each prerequisite: the service, both listeners, the DNS record and the ingress rules', () => {
    expect(Object.entries(answer!.paths).filter(([, reachable]) => !reachable)).toEqual([]);
  });
});
