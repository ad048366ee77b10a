/**
 * Rules: combinations of parameter values CloudFormation checks before it creates anything,
 * each with a message that says what to give instead.
 */
import { and, equals, listIsEmpty, not, or, ref } from '../core/cfn';
import { Param } from '../core/ids';
import type { TemplateRule } from '../core/template';

type Rules = Record<string, TemplateRule>;

/** With a credential, exactly one of the secret ARN and the value; without, neither. */
export function connectionRules(): Rules {
  const authMode = ref(Param.PrefectAuthMode);
  const secretArnGiven = not(equals(ref(Param.PrefectAuthSecretArn), ''));
  const valueGiven = not(equals(ref(Param.PrefectAuthValue), ''));
  return {
    CredentialGivenOnce: {
      RuleCondition: not(equals(authMode, 'none')),
      Assertions: [
        {
          Assert: or(secretArnGiven, valueGiven),
          AssertDescription: 'With api-key or auth-string authentication, give PrefectAuthSecretArn or PrefectAuthValue.',
        },
        {
          Assert: not(and(secretArnGiven, valueGiven)),
          AssertDescription: 'Give either PrefectAuthSecretArn or PrefectAuthValue, not both.',
        },
      ],
    },
    NoCredentialWithoutAuth: {
      RuleCondition: equals(authMode, 'none'),
      Assertions: [
        {
          Assert: and(not(secretArnGiven), not(valueGiven)),
          AssertDescription: 'PrefectAuthMode is none: leave PrefectAuthSecretArn and PrefectAuthValue empty (or pick api-key/auth-string).',
        },
      ],
    },
  };
}

/** Without a manifest stored in the stack, watching repositories needs the SSM parameter that holds one. */
export function registrarNeedsManifest(): Rules {
  return {
    RegistrarNeedsManifest: {
      RuleCondition: or(not(listIsEmpty(Param.WatchedRepositories)), not(equals(ref(Param.EcrRepositoryName), ''))),
      Assertions: [
        {
          Assert: not(equals(ref(Param.ManifestParameterName), '')),
          AssertDescription:
            'The registrar is on (WatchedRepositories or EcrRepositoryName is set): give ManifestParameterName, the SSM parameter that holds your prefect.yaml with ecr_triggers.',
        },
      ],
    },
  };
}

/** Combinations CloudFormation checks before it creates anything. */
export function serverRules(): Rules {
  const isExisting = not(equals(ref(Param.VpcId), ''));
  return {
    ExistingVpcNeedsSubnets: {
      RuleCondition: isExisting,
      Assertions: [{ Assert: not(listIsEmpty(Param.PrivateSubnetIds)), AssertDescription: 'With VpcId, give PrivateSubnetIds (two zones).' }],
    },
    SubnetsOnlyWithVpc: {
      RuleCondition: equals(ref(Param.VpcId), ''),
      Assertions: [
        { Assert: and(listIsEmpty(Param.PrivateSubnetIds), listIsEmpty(Param.PublicSubnetIds)), AssertDescription: 'Subnet IDs belong to an existing VPC: give VpcId too, or leave them empty to create a VPC.' },
      ],
    },
    InternetFacingNeedsPublicSubnets: {
      RuleCondition: and(isExisting, equals(ref(Param.LoadBalancerScheme), 'internet-facing')),
      Assertions: [{ Assert: not(listIsEmpty(Param.PublicSubnetIds)), AssertDescription: 'An internet-facing load balancer in an existing VPC needs PublicSubnetIds.' }],
    },
    CertificateNeedsDomain: {
      RuleCondition: not(equals(ref(Param.CertificateArn), '')),
      Assertions: [{ Assert: not(equals(ref(Param.ServerDomainName), '')), AssertDescription: 'With CertificateArn, give ServerDomainName (the name the certificate covers).' }],
    },
    DomainNeedsCertificate: {
      RuleCondition: not(equals(ref(Param.ServerDomainName), '')),
      Assertions: [{ Assert: not(equals(ref(Param.CertificateArn), '')), AssertDescription: 'ServerDomainName is used for HTTPS: give CertificateArn too, or leave both empty.' }],
    },
  };
}
