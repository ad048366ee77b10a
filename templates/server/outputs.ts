/** What a person or client needs from the server stack: the UI and API URLs, the auth secret, the endpoints. */
import { getAtt, ref, sub } from '../core/cfn';
import { Res } from '../core/ids';
import type { TemplateFragment } from '../core/template';
import { serverApiUrl, serverUiUrl } from './loadBalancer';

export function buildServerOutputs(): TemplateFragment {
  return {
    Outputs: {
      UiUrl: { Description: 'The Prefect UI (sign in with the auth string in ServerAuthSecretArn)', Value: serverUiUrl() },
      ApiUrl: { Description: 'PREFECT_API_URL for clients, CI and other workers', Value: serverApiUrl(), Export: { Name: sub('${AWS::StackName}-ApiUrl') } },
      ServerAuthSecretArn: { Description: 'Secret holding PREFECT_API_AUTH_STRING (the ARN, never the value)', Value: ref(Res.ServerAuthSecret) },
      DatabaseEndpoint: { Description: 'PostgreSQL endpoint (reachable only from the server)', Value: getAtt(Res.Database, 'Endpoint.Address') },
      LoadBalancerDnsName: { Description: 'The load balancer (with HTTPS, ServerDomainName is an alias of it)', Value: getAtt(Res.LoadBalancer, 'DNSName') },
    },
  };
}
