/**
 * The optional ECR repository the stack creates for flow images: scan on push, encryption,
 * tag mutability as chosen, and a lifecycle policy that keeps the newest N images. Its name is
 * the user's choice (a repository name is the identity people push to).
 */
import { ECR } from 'cloudform';
import { keepOnDeleteAndReplace, ref, sub } from '../core/cfn';
import type { TemplateFragment } from '../core/template';
import { Cond, Param, Res } from '../core/ids';

export function buildEcrRepository(): TemplateFragment {
  const lifecycle = {
    rules: [
      {
        rulePriority: 1,
        description: 'keep the newest images',
        selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: '${Keep}' },
        action: { type: 'expire' },
      },
    ],
  };
  return {
    Resources: {
      // Retained: deleting the stack must not delete the images deployments run.
      [Res.EcrRepository]: keepOnDeleteAndReplace(
        new ECR.Repository({
          RepositoryName: ref(Param.EcrRepositoryName),
          ImageScanningConfiguration: { ScanOnPush: true },
          ImageTagMutability: ref(Param.EcrImageTagMutability),
          EncryptionConfiguration: { EncryptionType: 'AES256' },
          LifecyclePolicy: {
            LifecyclePolicyText: sub(JSON.stringify(lifecycle).replace('"${Keep}"', '${Keep}'), { Keep: ref(Param.EcrKeepImages) }),
          },
        }).condition(Cond.CreateEcrRepository),
        'Retain',
      ),
    },
  };
}
