import { useState } from 'react';
import { CodeSnippet, EmptyState } from '@backstage/core-components';
import {
  TRACES_SERVICE_NAME_ANNOTATION,
  type UnknownServices as UnknownServicesInfo,
} from '@backstage-traces/plugin-traces-common';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Typography from '@mui/material/Typography';
import { useTracesHealth } from '../../api';

function quoted(names: string[]) {
  return names.map(name => `“${name}”`).join(', ');
}

/**
 * The empty search result when the entity's annotation names services the trace store (Tempo,
 * or the embedded store) does not know: the closest `service.name` values it has, and the
 * annotation line to paste.
 */
export function UnknownServices(props: {
  unknown: UnknownServicesInfo;
  /** E.g. "last hour". */
  rangeLabel: string;
  /** Further actions, e.g. widening the time range. */
  action?: JSX.Element;
}) {
  const { names, closest } = props.unknown;
  const [chosen, setChosen] = useState(closest[0]);
  const plural = names.length > 1;
  // The store the answer comes from: Tempo, the embedded store, or one a module installed.
  const storeName = useTracesHealth()?.traces.store ?? 'Tempo';
  const store =
    storeName === 'Tempo' ? 'Tempo' : `the ${storeName.toLowerCase()}`;
  const Store = store.charAt(0).toUpperCase() + store.slice(1);

  return (
    <EmptyState
      missing="data"
      title={`${Store} does not know the service${plural ? 's' : ''} ${quoted(
        names,
      )}`}
      description={`This entity’s ${TRACES_SERVICE_NAME_ANNOTATION} annotation names ${quoted(
        names,
      )}, but ${store} has no traces from ${
        plural ? 'services' : 'a service'
      } of that name in ${
        props.rangeLabel
      }. The annotation must match the service.name resource attribute that the service sends.`}
      action={
        <Box sx={{ display: 'grid', gap: 1.5, maxWidth: 640 }}>
          {closest.length > 0 ? (
            <>
              <Typography variant="body1">
                The closest <code>service.name</code> values {store} has:
              </Typography>
              <Box
                role="listbox"
                aria-label={`Service names ${store} has`}
                sx={{ display: 'flex', flexWrap: 'wrap', gap: 1 }}
              >
                {closest.map(name => (
                  <Chip
                    key={name}
                    role="option"
                    aria-selected={name === chosen}
                    label={name}
                    color={name === chosen ? 'primary' : 'default'}
                    variant={name === chosen ? 'filled' : 'outlined'}
                    onClick={() => setChosen(name)}
                  />
                ))}
              </Box>
              <Typography variant="body2">
                The line for <code>metadata.annotations</code> in the entity’s{' '}
                <code>catalog-info.yaml</code>:
              </Typography>
              <CodeSnippet
                language="yaml"
                text={`${TRACES_SERVICE_NAME_ANNOTATION}: ${chosen}`}
                showCopyCodeButton
              />
            </>
          ) : (
            <Typography variant="body1">
              {Store} has no service names at all in this range: check that the
              services send their traces to it
              {store === 'Tempo' ? (
                <>
                  , and to the tenant in <code>grafana.com/tempo-tenant</code>{' '}
                  if Tempo is multi-tenant.
                </>
              ) : (
                '.'
              )}
            </Typography>
          )}
          {props.action && <Box>{props.action}</Box>}
        </Box>
      }
    />
  );
}
