import fs from 'node:fs';
import { decideDeployment, otherDeployedDigest, supersededReason, type DeployedState } from '../../../lambdas/registrar/decide';
import { parseManifest } from '../../../lambdas/registrar/manifest';
import { planRegistration } from '../../../lambdas/registrar/plan';

const manifest = parseManifest(fs.readFileSync('test/fixtures/manifests/prefect.yaml', 'utf8'));
const digest = (c: string) => `sha256:${c.repeat(64)}`;
const PUSHED = digest('a');
const OLDER = digest('b');
const NEWER = digest('c');
const push = { account: '123456789012', region: 'eu-west-1', repository: 'flows/etl', tag: 'v1.4.0', digest: PUSHED };
const plan = planRegistration(manifest, push, 'ecs-pool')[0]!;
const repository = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/flows/etl';
const deployed = (image: string | undefined, version: string | null = 'v1.3.0-bbbbbbbbbbbb'): DeployedState => ({ id: 'dep-1', image, version });
const pushTimes = new Map([[OLDER, 1_000], [PUSHED, 2_000], [NEWER, 3_000]]);

describe('registration decisions', () => {
  it.each<[string, string | undefined, string | undefined]>([
    ['the tag still points at the pushed image', PUSHED, undefined],
    ['the tag moved on', NEWER, `superseded: flows/etl:v1.4.0 now points at ${NEWER}`],
    ['the tag is gone', undefined, 'flows/etl:v1.4.0 no longer exists'],
  ])('a push where %s', (_case, currentDigest, reason) => {
    expect(supersededReason(push, currentDigest)).toBe(reason);
  });

  it.each<[string, DeployedState | undefined, string | undefined]>([
    ['no deployment yet', undefined, undefined],
    ['a deployment without an image', deployed(undefined), undefined],
    ['the pushed image', deployed(`${repository}@${PUSHED}`), undefined],
    ['an image of another repository', deployed(`123456789012.dkr.ecr.eu-west-1.amazonaws.com/flows/other@${OLDER}`), undefined],
    ['an image of a tag, not a digest', deployed(`${repository}:v1.3.0`), undefined],
    ['another image of the repository', deployed(`${repository}@${OLDER}`), OLDER],
  ])('compares push times only for %s when it is another image of the repository', (_case, existing, other) => {
    expect(otherDeployedDigest(existing, plan, PUSHED)).toBe(other);
  });

  it.each<[string, DeployedState | undefined, ReadonlyMap<string, number> | undefined, ReturnType<typeof decideDeployment>]>([
    ['creates a deployment that does not exist', undefined, undefined, { write: true, outcome: 'created' }],
    ['leaves one already at this image and version', deployed(plan.image, plan.version), undefined, { write: false, outcome: 'unchanged', reason: 'already at this image', id: 'dep-1' }],
    ['updates one at this image with another version (the same digest pushed under a new tag)', deployed(plan.image, 'v1.3.0-aaaaaaaaaaaa'), undefined, { write: true, outcome: 'updated' }],
    ['updates one at an image pushed earlier', deployed(`${repository}@${OLDER}`), pushTimes, { write: true, outcome: 'updated' }],
    ['skips one at an image pushed later (an out-of-order event)', deployed(`${repository}@${NEWER}`), pushTimes, { write: false, outcome: 'skipped', reason: `a newer image is deployed (${NEWER})`, id: 'dep-1' }],
    ['updates one whose image ECR no longer has', deployed(`${repository}@${NEWER}`), new Map([[PUSHED, 2_000]]), { write: true, outcome: 'updated' }],
    ['updates when ECR has no push time for the pushed image', deployed(`${repository}@${OLDER}`), new Map([[OLDER, 1_000]]), { write: true, outcome: 'updated' }],
    ['updates one at an image of another repository', deployed(`123456789012.dkr.ecr.eu-west-1.amazonaws.com/flows/other@${NEWER}`), undefined, { write: true, outcome: 'updated' }],
    ['updates one whose spec names no image', deployed(undefined), undefined, { write: true, outcome: 'updated' }],
  ])('%s', (_case, existing, times, decision) => {
    expect(decideDeployment(existing, plan, PUSHED, times)).toEqual(decision);
  });
});
