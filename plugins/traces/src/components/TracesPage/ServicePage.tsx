import {
  CodeSnippet,
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import {
  useApi,
  useAppNavigate,
  useAppSearchParams,
} from '@backstage/frontend-plugin-api';
import {
  TRACES_SERVICE_NAME_ANNOTATION,
  TRACES_SERVICE_NAMESPACE_ANNOTATION,
} from '@backstage-traces/plugin-traces-common';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { useEffect } from 'react';
import { useParams } from 'react-router-dom';
import useAsync from 'react-use/esm/useAsync';
import { errorMessage, tracesApiRef } from '../../api';
import { ServiceOwnersList } from './ServiceOwnersList';
import { useEntityTracesTabLink } from './useEntityTracesTabLink';

/** The annotations that make an entity claim a service, ready to paste into catalog-info.yaml. */
export function claimSnippet(serviceName: string, serviceNamespace?: string) {
  const lines = [
    'metadata:',
    '  annotations:',
    `    ${TRACES_SERVICE_NAME_ANNOTATION}: ${JSON.stringify(serviceName)}`,
  ];
  if (serviceNamespace) {
    lines.push(
      `    ${TRACES_SERVICE_NAMESPACE_ANNOTATION}: ${JSON.stringify(
        serviceNamespace,
      )}`,
    );
  }
  return lines.join('\n');
}

/**
 * `/traces/services/:serviceName`: where Grafana's service links land. One claimant: straight
 * on to its Traces tab; several: a choice; none: the annotation to add, service name filled in.
 * Resolved with the signed-in user's catalog access.
 */
export function ServicePage() {
  const serviceName = useParams().serviceName ?? '';
  const [searchParams] = useAppSearchParams();
  const serviceNamespace = searchParams.get('namespace') || undefined;
  const api = useApi(tracesApiRef);
  const navigate = useAppNavigate();
  const tabLink = useEntityTracesTabLink();
  const owners = useAsync(
    () => api.getServiceOwners({ serviceName, serviceNamespace }),
    [api, serviceName, serviceNamespace],
  );
  const only =
    owners.value?.owners.length === 1 ? owners.value.owners[0] : undefined;

  const target = only && tabLink(only.entityRef);
  useEffect(() => {
    if (target) navigate(target, { replace: true });
  }, [target, navigate]);

  const label = serviceNamespace
    ? `${serviceNamespace}/${serviceName}`
    : serviceName;
  if (owners.loading || only) return <Progress />;
  if (owners.error) {
    return (
      <ResponseErrorPanel
        title={`Could not look up the owners of ${label}: ${errorMessage(
          owners.error,
        )}`}
        error={owners.error}
      />
    );
  }
  const claimants = owners.value?.owners ?? [];
  if (claimants.length === 0) {
    return (
      <EmptyState
        missing="info"
        title={`No catalog entity claims the service ${label}`}
        description="Traces are shown on the entity whose annotation names the OpenTelemetry service.name. Add this to the entity that runs the service:"
        action={
          <Box sx={{ maxWidth: 560 }}>
            <CodeSnippet
              language="yaml"
              text={claimSnippet(serviceName, serviceNamespace)}
              showCopyCodeButton
            />
          </Box>
        }
      />
    );
  }
  return (
    <InfoCard title={`Several entities claim the service ${label}`}>
      <Typography variant="body2" sx={{ mb: 1 }}>
        Choose the one whose traces to open:
      </Typography>
      <ServiceOwnersList owners={claimants} />
    </InfoCard>
  );
}
