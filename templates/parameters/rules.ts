/**
 * Rules: combinations of parameter values CloudFormation checks before it creates anything,
 * each with a message that says what to give instead. Rules may use only Ref and the rule
 * functions (And, Contains, EachMemberEquals, EachMemberIn, Equals, Not, Or, RefAll, ValueOf,
 * ValueOfAll; https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-rules.html):
 * no Fn::Join, no arithmetic. test/policy/checks/rulesUseOnlyRuleFunctions.ts enforces it.
 */
import { and, contains, equals, isEmpty, not, or, ref } from '../core/cfn';
import { Param, type ParamId } from '../core/ids';
import type { TemplateRule } from '../core/template';
import { MAX_SERVER_MAX_REPLICAS, MAX_SERVER_REPLICAS } from '../server/constants';
import { DB_CLASS_MEMORY_GIB, maxApiTasksFor } from '../server/database';
import { MAX_MIN_WORKERS } from './options';

type Rules = Record<string, TemplateRule>;

const given = (parameter: Parameters<typeof isEmpty>[0]) => not(isEmpty(parameter));
const numbersUpTo = (n: number) => Array.from({ length: n + 1 }, (_, i) => String(i));

/** With a credential, exactly one of the secret ARN and the value; without, neither. */
export function connectionRules(): Rules {
  const authMode = ref(Param.PrefectAuthMode);
  const secretArnGiven = given(Param.PrefectAuthSecretArn);
  const valueGiven = given(Param.PrefectAuthValue);
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

/**
 * low <= high for two whole-number parameters. Rules cannot compare numbers, so the comparison
 * is spelled out: low takes one of 0..maxLow (AllowedValues, or fewer) and high is a canonical
 * decimal (AllowedPattern, no leading zero), so only a high below maxLow can be exceeded, and for
 * each such value one assertion lists the values of low it admits.
 */
function atMost(low: ParamId, high: ParamId, maxLow: number, description: (max: string) => string): TemplateRule {
  const highValue = ref(high);
  const small = numbersUpTo(maxLow - 1).slice(1);
  return {
    RuleCondition: contains(small, highValue),
    Assertions: small.map((max) => ({
      Assert: or(not(equals(highValue, max)), contains(numbersUpTo(Number(max)), ref(low))),
      AssertDescription: description(max),
    })),
  };
}

/** MinWorkers <= MaxWorkers (MinWorkers is one of 0..MAX_MIN_WORKERS). */
export function scalingRules(): Rules {
  return {
    MinWorkersAtMostMaxWorkers: atMost(Param.MinWorkers, Param.MaxWorkers, MAX_MIN_WORKERS, (max) => `MaxWorkers is ${max}: MinWorkers must be ${max} or less.`),
  };
}

/** Without a manifest stored in the stack, watching repositories needs the SSM parameter that holds one. */
export function registrarNeedsManifest(): Rules {
  return {
    RegistrarNeedsManifest: {
      RuleCondition: or(given(Param.WatchedRepositories), given(Param.EcrRepositoryName)),
      Assertions: [
        {
          Assert: given(Param.ManifestParameterName),
          AssertDescription:
            'The registrar is on (WatchedRepositories or EcrRepositoryName is set): give ManifestParameterName, the SSM parameter that holds your prefect.yaml with ecr_triggers.',
        },
      ],
    },
  };
}

/**
 * In HA mode, ServerMaxReplicas API tasks fit the database's connection budget (database.ts:
 * max_connections of the class against the peak connections of a rollout). Only classes that cap
 * below MAX_SERVER_MAX_REPLICAS get an assertion; each lists the values it admits (no arithmetic
 * in Rules).
 */
function databaseFitRule(): TemplateRule {
  const capped = Object.entries(DB_CLASS_MEMORY_GIB)
    .map(([dbClass, gib]) => [dbClass, maxApiTasksFor(gib, MAX_SERVER_MAX_REPLICAS)] as const)
    .filter(([, max]) => max < MAX_SERVER_MAX_REPLICAS);
  return {
    RuleCondition: not(equals(ref(Param.ServerReplicas), '1')),
    Assertions: capped.map(([dbClass, max]) => ({
      Assert: or(not(equals(ref(Param.DbInstanceClass), dbClass)), contains(numbersUpTo(max).slice(1), ref(Param.ServerMaxReplicas))),
      AssertDescription: `With ${dbClass}, ServerMaxReplicas must be ${max} or less: more API tasks would open more database connections than it accepts. Choose a larger DbInstanceClass or lower ServerMaxReplicas.`,
    })),
  };
}

/** ServerReplicas <= ServerMaxReplicas (ServerReplicas is one of 1..MAX_SERVER_REPLICAS), and the database holds ServerMaxReplicas. */
function serverReplicaRules(): Rules {
  return {
    ServerMaxReplicasFitDatabase: databaseFitRule(),
    ServerReplicasAtMostMax: atMost(
      Param.ServerReplicas,
      Param.ServerMaxReplicas,
      MAX_SERVER_REPLICAS,
      (max) => `ServerMaxReplicas is ${max}: ServerReplicas must be ${max} or less (or raise ServerMaxReplicas).`,
    ),
  };
}

/**
 * The manifest stored in the stack names a work pool: WorkPoolName, a deploy-time parameter, must
 * be that pool wherever the stored manifest is the one read (no ManifestParameterName) and the
 * registrar is on; otherwise every deployment naming it would fail at registration.
 */
export function manifestWorkPool(pool: string): Rules {
  return {
    ManifestWorkPool: {
      RuleCondition: and(not(given(Param.ManifestParameterName)), or(given(Param.WatchedRepositories), given(Param.EcrRepositoryName))),
      Assertions: [
        {
          Assert: equals(ref(Param.WorkPoolName), pool),
          AssertDescription: `The registrar manifest stored in this template registers its deployments into work pool "${pool}": set WorkPoolName to ${pool}, or give ManifestParameterName, or change work_pool.name and synthesize again.`,
        },
      ],
    },
  };
}

/** Combinations of the server stack's network, load balancer, HTTPS and replica settings. */
export function serverRules(): Rules {
  const existingVpc = given(Param.VpcId);
  const internetFacing = equals(ref(Param.LoadBalancerScheme), 'internet-facing');
  return {
    ...serverReplicaRules(),
    ExistingVpcNeedsSubnets: {
      RuleCondition: existingVpc,
      Assertions: [{ Assert: given(Param.PrivateSubnetIds), AssertDescription: 'With VpcId, give PrivateSubnetIds (two or more, in different zones).' }],
    },
    SubnetsOnlyWithVpc: {
      RuleCondition: isEmpty(Param.VpcId),
      Assertions: [{ Assert: isEmpty(Param.PrivateSubnetIds), AssertDescription: 'PrivateSubnetIds belong to an existing VPC: give VpcId too, or leave them empty to create a VPC.' }],
    },
    // The stack's workers, flow runs and Lambdas reach an internet-facing load balancer through
    // NAT, from its public address: only a VPC the stack creates has NAT addresses it can admit.
    InternetFacingNeedsOwnVpcWithNat: {
      RuleCondition: internetFacing,
      Assertions: [
        { Assert: isEmpty(Param.VpcId), AssertDescription: 'An internet-facing load balancer needs the VPC the stack creates (its NAT addresses are admitted): leave VpcId empty, or use LoadBalancerScheme internal.' },
        {
          Assert: not(equals(ref(Param.NetworkMode), 'vpc-endpoints')),
          AssertDescription: 'An internet-facing load balancer is unreachable from a VPC without internet (vpc-endpoints): use nat-gateways or single-nat-gateway, or LoadBalancerScheme internal.',
        },
      ],
    },
    InternetFacingNeedsHttps: {
      RuleCondition: internetFacing,
      Assertions: [{ Assert: given(Param.CertificateArn), AssertDescription: 'An internet-facing load balancer would send the Prefect auth string in clear text: give CertificateArn (with ServerDomainName and HostedZoneId).' }],
    },
    HttpsNeedsDomainAndZone: {
      RuleCondition: given(Param.CertificateArn),
      Assertions: [
        { Assert: given(Param.ServerDomainName), AssertDescription: 'With CertificateArn, give ServerDomainName (the name the certificate covers).' },
        { Assert: given(Param.HostedZoneId), AssertDescription: 'With CertificateArn, give HostedZoneId: the stack points ServerDomainName at the load balancer in that Route 53 zone.' },
      ],
    },
    DomainAndZoneOnlyWithHttps: {
      RuleCondition: or(given(Param.ServerDomainName), given(Param.HostedZoneId)),
      Assertions: [{ Assert: given(Param.CertificateArn), AssertDescription: 'ServerDomainName and HostedZoneId are for HTTPS: give CertificateArn too, or leave them empty.' }],
    },
  };
}
