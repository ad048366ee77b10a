/** What the registrar reads from Prefect: a deployment by name, block documents and variables. */
import { PrefectApiError } from '../../common/errors';
import { expectData, type PrefectClient } from '../../common/prefect/client';
import type { Json } from '../manifest/placeholders';
import { TemplateError } from '../errors';
import type { ExistingDeployment } from './desired';
import type { PrefectValues } from './templating';

/**
 * A 404 that says the object is missing: Prefect's own answer names it ("Deployment not found",
 * 3.6.28:src/prefect/server/api/deployments.py:L484-L487; "Block document not found",
 * block_types.py:L199-L202; "Variable not found.", variables.py:L37-L44). A 404 for a path the
 * server does not have (a Prefect Cloud URL without its workspace, a wrong base path) is FastAPI's
 * bare "Not Found", and a proxy's is not JSON: neither says anything about the object, so they are
 * errors (retried), never "absent", which would go on to create the deployment elsewhere.
 */
const notFound = (error: unknown, what: string) => error instanceof PrefectApiError && error.status === 404 && error.detail.toLowerCase().startsWith(`${what} not found`);

export async function readDeployment(prefect: PrefectClient, flow: string, name: string): Promise<ExistingDeployment | undefined> {
  try {
    return (await expectData(`/deployments/name/${flow}/${name}`, () =>
      prefect.GET('/deployments/name/{flow_name}/{deployment_name}', { params: { path: { flow_name: flow, deployment_name: name } } }),
    )) as ExistingDeployment;
  } catch (error) {
    if (notFound(error, 'deployment')) return undefined;
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
        if (notFound(error, 'block document')) throw new TemplateError(`the block {{ prefect.blocks.${slug}.${name} }} does not exist in Prefect`);
        throw error;
      }
    },
    async variable(name) {
      try {
        const variable = await expectData(`/variables/name/${name}`, () => prefect.GET('/variables/name/{name}', { params: { path: { name } } }));
        return variable.value as Json;
      } catch (error) {
        if (notFound(error, 'variable')) return undefined;
        throw error;
      }
    },
  };
}
