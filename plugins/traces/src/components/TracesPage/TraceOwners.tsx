import { InfoCard } from '@backstage/core-components';
import type {
  ServiceOwner,
  Trace,
} from '@backstage-traces/plugin-traces-common';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { ServiceOwnersList } from './ServiceOwnersList';

interface TraceService {
  name: string;
  namespace?: string;
  owners: ServiceOwner[];
}

/** The services of a trace, once each, with the entities that claim them. */
export function traceServices(trace: Trace): TraceService[] {
  const seen = new Map<string, TraceService>();
  for (const resource of trace.resources) {
    const key = `${resource.serviceNamespace ?? ''}\u0000${
      resource.serviceName
    }`;
    if (!seen.has(key)) {
      seen.set(key, {
        name: resource.serviceName,
        namespace: resource.serviceNamespace,
        owners: resource.owners ?? [],
      });
    }
  }
  return [...seen.values()];
}

/** Who owns each service of a trace, with links to their Traces tabs showing this trace. */
export function TraceOwners(props: { trace: Trace }) {
  const tabParams = new URLSearchParams({ traceId: props.trace.traceId });
  return (
    <InfoCard title="Services and owners" variant="gridItem">
      <Box
        component="dl"
        aria-label="Services and owners"
        sx={{
          display: 'grid',
          gridTemplateColumns: 'max-content 1fr',
          columnGap: 3,
          rowGap: 1,
          m: 0,
        }}
      >
        {traceServices(props.trace).map(service => (
          <Box
            key={`${service.namespace ?? ''}/${service.name}`}
            sx={{ display: 'contents' }}
          >
            <Box component="dt" sx={{ fontFamily: 'monospace' }}>
              {service.namespace ? `${service.namespace}/` : ''}
              {service.name}
            </Box>
            <Box component="dd" sx={{ m: 0 }}>
              {service.owners.length ? (
                <ServiceOwnersList
                  owners={service.owners}
                  tabParams={tabParams}
                />
              ) : (
                <Typography variant="body2" color="text.secondary">
                  No catalog entity claims this service
                </Typography>
              )}
            </Box>
          </Box>
        ))}
      </Box>
    </InfoCard>
  );
}
