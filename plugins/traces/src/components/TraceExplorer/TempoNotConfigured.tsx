import { CodeSnippet, EmptyState } from '@backstage/core-components';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';

const EXAMPLE = `traces:
  tempo:
    baseUrl: http://tempo:3200`;

/** Shown when the backend reports that no Tempo is configured, instead of failing searches. */
export function TempoNotConfigured(props: { message?: string }) {
  return (
    <EmptyState
      missing="info"
      title="Tempo is not configured"
      description={
        props.message ??
        'The traces backend has no Grafana Tempo to query, so there are no traces to show yet.'
      }
      action={
        <Box sx={{ maxWidth: 520 }}>
          <Typography variant="body2" sx={{ mb: 1 }}>
            Ask your Backstage administrators to point the traces backend at
            Tempo in <code>app-config.yaml</code>:
          </Typography>
          <CodeSnippet language="yaml" text={EXAMPLE} showCopyCodeButton />
        </Box>
      }
    />
  );
}
