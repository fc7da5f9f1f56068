import type { Entity } from '@backstage/catalog-model';
import { Link } from '@backstage/core-components';
import { useApiHolder } from '@backstage/frontend-plugin-api';
import { scmIntegrationsApiRef } from '@backstage/integration-react';
import {
  catalogApiRef,
  useEntityRefLink,
} from '@backstage/plugin-catalog-react';
import Box from '@mui/material/Box';
import useAsync from 'react-use/esm/useAsync';
import { summaryField } from '../summaryField';
import {
  codeLocationOf,
  repositoryPath,
  shortLocation,
  sourceLocationUrl,
  type CodeLocation,
} from './codeLocation';
import {
  describeKubernetesLocation,
  hasKubernetesTab,
  KUBERNETES_TAB_PATH,
  kubernetesLocationOf,
  type KubernetesLocation,
} from './kubernetesLocation';

export const SOURCE_LOCATION_ANNOTATION = 'backstage.io/source-location';
/**
 * Where the service's files are on the machine that runs it (e.g. `/app` in a container),
 * when that is not a checkout of the source location: cut from `code.file.path` before it is
 * resolved against the source location.
 */
export const SOURCE_PATH_PREFIX_ANNOTATION =
  'backstage-traces.io/source-path-prefix';

export interface SpanCatalogLinksProps {
  spanAttributes: Record<string, unknown>;
  resourceAttributes: Record<string, unknown>;
  /** The catalog entity claiming the span's service (its first owner), if any. */
  ownerRef?: string;
}

/**
 * The span's code location as a link to that line in the owning entity's repository, and
 * its Kubernetes workload as a link to the entity's Kubernetes tab. Nothing when the span
 * carries neither `code.*` nor `k8s.*` attributes; the owner is read from the catalog only
 * then.
 */
export function SpanCatalogLinks(props: SpanCatalogLinksProps) {
  const code = codeLocationOf(props.spanAttributes);
  const kubernetes = kubernetesLocationOf(props.resourceAttributes);
  if (!code && !kubernetes) return null;
  return (
    <OwnerLinks code={code} kubernetes={kubernetes} ownerRef={props.ownerRef} />
  );
}

function OwnerLinks(props: {
  code?: CodeLocation;
  kubernetes?: KubernetesLocation;
  ownerRef?: string;
}) {
  const { code, kubernetes, ownerRef } = props;
  const apis = useApiHolder();
  const catalog = apis.get(catalogApiRef);
  const entityLink = useEntityRefLink();
  const { value: entity } = useAsync(
    async () =>
      ownerRef && catalog ? catalog.getEntityByRef(ownerRef) : undefined,
    [catalog, ownerRef],
  );
  return (
    <Box
      component="dl"
      aria-label="Code and workload"
      sx={{
        display: 'grid',
        gridTemplateColumns: 'max-content 1fr',
        columnGap: 2,
        rowGap: 0.5,
        m: 0,
        mb: 2,
      }}
    >
      {code && summaryField('Code', <CodeLink code={code} entity={entity} />)}
      {kubernetes &&
        summaryField(
          'Kubernetes',
          <>
            {describeKubernetesLocation(kubernetes)}
            {entity && ownerRef && hasKubernetesTab(entity) && (
              <>
                {' · '}
                <Link to={`${entityLink(ownerRef)}${KUBERNETES_TAB_PATH}`}>
                  Kubernetes tab
                </Link>
              </>
            )}
          </>,
        )}
    </Box>
  );
}

function CodeLink(props: { code: CodeLocation; entity?: Entity }) {
  const { code, entity } = props;
  const scm = useApiHolder().get(scmIntegrationsApiRef);
  const label = shortLocation(code);
  const where = label ?? code.functionName;
  const annotations = entity?.metadata.annotations ?? {};
  const source = sourceLocationUrl(annotations[SOURCE_LOCATION_ANNOTATION]);
  let url: string | undefined;
  if (source && code.filePath && scm) {
    const path = repositoryPath(
      code.filePath,
      source,
      annotations[SOURCE_PATH_PREFIX_ANNOTATION],
    );
    if (path !== undefined) {
      // A directory: relative paths resolve below it, not beside it.
      const base = source.href.endsWith('/') ? source.href : `${source.href}/`;
      url = scm.resolveUrl({ url: path, base, lineNumber: code.line });
    }
  }
  return (
    <>
      {url ? (
        <Link to={url} title={code.filePath}>
          {where}
        </Link>
      ) : (
        <Box
          component="span"
          title={code.filePath}
          sx={{ fontFamily: 'monospace' }}
        >
          {where}
        </Box>
      )}
      {label && code.functionName && (
        <>
          {' in '}
          <Box component="code">{code.functionName}</Box>
        </>
      )}
    </>
  );
}
