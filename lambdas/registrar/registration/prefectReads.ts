/** What the registrar reads from Prefect: a deployment by name, block documents and variables. */
import { PrefectApiError } from '../../common/errors';
import { expectData, type PrefectClient } from '../../common/prefect/client';
import type { Json } from '../manifest/placeholders';
import { TemplateError } from '../errors';
import type { ExistingDeployment } from './desired';
import type { PrefectValues } from './templating';

const notFound = (error: unknown) => error instanceof PrefectApiError && error.status === 404;

export async function readDeployment(prefect: PrefectClient, flow: string, name: string): Promise<ExistingDeployment | undefined> {
  try {
    return (await expectData(`/deployments/name/${flow}/${name}`, () =>
      prefect.GET('/deployments/name/{flow_name}/{deployment_name}', { params: { path: { flow_name: flow, deployment_name: name } } }),
    )) as ExistingDeployment;
  } catch (error) {
    if (notFound(error)) return undefined;
    throw error;
  }
}

/**
 * Blocks and variables as `prefect deploy` reads them. Blocks: the client's
 * read_block_document_by_name with include_secrets=True
 * (3.6.28:src/prefect/client/orchestration/_blocks_types/client.py:L340-L380); a missing one
 * fails the deployment as ObjectNotFound fails `prefect deploy`. Variables: read_variable_by_name
 * (3.6.28:src/prefect/client/orchestration/_variables/client.py:L118-L133); 404 is "no variable".
 */
export function prefectValues(prefect: PrefectClient): PrefectValues {
  return {
    async block(slug, name) {
      const path = `/block_types/slug/${slug}/block_documents/name/${name}`;
      try {
        const document = await expectData(path, () =>
          prefect.GET('/block_types/slug/{slug}/block_documents/name/{block_document_name}', {
            params: { path: { slug, block_document_name: name }, query: { include_secrets: true } },
          }),
        );
        return (document.data ?? {}) as Record<string, Json>;
      } catch (error) {
        if (notFound(error)) throw new TemplateError(`the block {{ prefect.blocks.${slug}.${name} }} does not exist in Prefect`);
        throw error;
      }
    },
    async variable(name) {
      try {
        const variable = await expectData(`/variables/name/${name}`, () => prefect.GET('/variables/name/{name}', { params: { path: { name } } }));
        return variable.value as Json;
      } catch (error) {
        if (notFound(error)) return undefined;
        throw error;
      }
    },
  };
}
