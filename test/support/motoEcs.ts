/** A real ECS worker service in moto_server for the scaler to read and change. */
import { CreateClusterCommand, CreateServiceCommand, DescribeServicesCommand, ECSClient, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { motoClientConfig, type MotoServer } from './motoServer';

export async function createWorkerService(moto: MotoServer, cluster: string, service: string, desiredCount = 0): Promise<void> {
  const ecs = new ECSClient(motoClientConfig(moto));
  await ecs.send(new CreateClusterCommand({ clusterName: cluster }));
  const family = `${service}-task`;
  await ecs.send(
    new RegisterTaskDefinitionCommand({
      family,
      requiresCompatibilities: ['FARGATE'],
      networkMode: 'awsvpc',
      cpu: '512',
      memory: '1024',
      containerDefinitions: [{ name: 'prefect-worker', image: 'prefecthq/prefect-aws:0.7.7-python3.12-prefect3.6.28', memory: 1024 }],
    }),
  );
  await ecs.send(new CreateServiceCommand({ cluster, serviceName: service, taskDefinition: family, desiredCount, launchType: 'FARGATE' }));
}

export async function desiredCountOf(moto: MotoServer, cluster: string, service: string): Promise<number> {
  const ecs = new ECSClient(motoClientConfig(moto));
  const answer = await ecs.send(new DescribeServicesCommand({ cluster, services: [service] }));
  return answer.services![0]!.desiredCount!;
}

export async function createSecret(moto: MotoServer, name: string, value: string): Promise<string> {
  const sm = new SecretsManagerClient(motoClientConfig(moto));
  return (await sm.send(new CreateSecretCommand({ Name: name, SecretString: value }))).ARN!;
}
