/**
 * "The Prefect API answers" as a resource: everything a client of the server stack needs before
 * its first request. Resources that call the API while the stack deploys (the work pool, the
 * rules that invoke the scaler and the registrar) depend on PrefectApiReady, through
 * WorkerContext.apiReadyDependsOn.
 *
 * Some of those prerequisites exist only under a Condition (the HTTPS listener, the DNS record,
 * the NAT ingress), and DependsOn cannot name a resource that may not exist. A wait condition
 * handle (a resource that creates nothing) refers to them through Fn::If in its Metadata, and the
 * branch of a false condition refers to nothing.
 *
 * That a Ref in Metadata orders creation like DependsOn is practice, not documentation. AWS
 * documents implicit dependencies for a resource's properties ("if the properties of resource A
 * use a !Ref to resource B", https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-dependson.html)
 * and allows intrinsic functions and Fn::If in Metadata, without saying they order anything. The
 * practice: cloudonaut.io, "Optional DependsOn with CloudFormation: Metadata to the rescue"
 * (2024-11-12, tested against CloudFormation); and cfn-lint's dependency graph
 * (cfnlint/graph.py, every Ref anywhere in a resource is an edge), which
 * test/integration/readinessGraph.test.ts reads for these handles. README "Self-hosted Prefect"
 * states the risk, and that turning HTTPS on in an existing stack (which flips the Fn::If of a
 * handle whose type "doesn't support updates") is untested: moto ignores wait condition handles.
 */
import { CloudFormation } from 'cloudform';
import { iff, noValue, ref } from '../core/cfn';
import { API_CLIENT_GROUPS, Cond, LOAD_BALANCER_PORTS, Res, ZonalRes, loadBalancerIngressId, type CondId, type ResId } from '../core/ids';
import type { TemplateFragment } from '../core/template';

const when = (condition: CondId, id: ResId) => iff(condition, ref(id), noValue());

/** A resource that exists once everything it names exists. */
const readiness = (parts: Record<string, unknown>) => {
  const handle = new CloudFormation.WaitConditionHandle({});
  handle.Metadata = { 'prefect-ecs-stack:waits-for': parts };
  return handle;
};

export function buildApiReadiness(): TemplateFragment {
  return {
    Resources: {
      // The target group must belong to the listener that forwards to it before the service registers targets.
      [Res.LoadBalancerListenersReady]: readiness({ http: ref(Res.HttpListener), https: when(Cond.UseHttps, Res.HttpsListener) }),
      [Res.PrefectApiReady]: readiness({
        // CloudFormation completes an ECS service once its task runs and passes the health check.
        service: ref(Res.ServerService),
        listeners: ref(Res.LoadBalancerListenersReady),
        // With HTTPS the API URL is https://<ServerDomainName>/api: the name must resolve first.
        dnsRecord: when(Cond.UseHttps, Res.ServerDnsRecord),
        ingress: API_CLIENT_GROUPS.flatMap((group) => LOAD_BALANCER_PORTS.map((port) => ref(loadBalancerIngressId(port, group)))),
        natIngress1: when(Cond.InternetFacingThroughNat1, ZonalRes.LoadBalancerIngressFromNat(1)),
        natIngress2: when(Cond.InternetFacingThroughNat2, ZonalRes.LoadBalancerIngressFromNat(2)),
      }),
    },
  };
}
