import { Link } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import type { SearchDocument } from '@backstage/plugin-search-common';
import type { TracesSearchDocument } from '@backstage-traces/plugin-traces-common';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import ListItem from '@mui/material/ListItem';
import Typography from '@mui/material/Typography';
import type { ReactNode } from 'react';

const SHOWN_ROUTES = 5;

export interface TracesSearchResultListItemProps {
  result?: SearchDocument;
  icon?: ReactNode;
  rank?: number;
}

/** `12.3 req/s · 1.5 % errors` over the indexed lookback; nothing when rates were not indexed. */
export function formatRates(doc: TracesSearchDocument): string | undefined {
  if (doc.requestRate === undefined) return undefined;
  const rate = `${
    doc.requestRate >= 10
      ? Math.round(doc.requestRate)
      : Number(doc.requestRate.toPrecision(2))
  } req/s`;
  if (doc.errorRate === undefined || doc.requestRate === 0) return rate;
  const errors = (100 * doc.errorRate) / doc.requestRate;
  return `${rate} · ${Number(errors.toPrecision(2))} % errors`;
}

/** A traced service in search results: service, owning entity and owner, routes and rates. */
export function TracesSearchResultListItem(
  props: TracesSearchResultListItemProps,
) {
  const doc = props.result as TracesSearchDocument | undefined;
  if (!doc) return null;
  const rates = formatRates(doc);
  const extraRoutes = doc.httpRoutes.length - SHOWN_ROUTES;
  return (
    <ListItem alignItems="flex-start" divider sx={{ gap: 2 }}>
      {props.icon && <Box sx={{ pt: 0.5 }}>{props.icon}</Box>}
      <Box sx={{ display: 'grid', gap: 0.5, minWidth: 0 }}>
        <Typography variant="h6" component="div">
          <Link to={doc.location}>{doc.title}</Link>
        </Typography>
        <Typography variant="body2" color="text.secondary" component="div">
          Traced service of{' '}
          <EntityRefLink entityRef={doc.entityRef}>
            {doc.entityTitle}
          </EntityRefLink>
          {doc.owner && (
            <>
              {' · owner '}
              <EntityRefLink entityRef={doc.owner} defaultKind="group" />
            </>
          )}
          {rates && ` · ${rates} (last ${doc.lookbackMinutes} min)`}
        </Typography>
        {doc.httpRoutes.length > 0 && (
          <Box
            component="ul"
            aria-label="HTTP routes"
            sx={{
              display: 'flex',
              flexWrap: 'wrap',
              gap: 0.5,
              m: 0,
              p: 0,
              listStyle: 'none',
            }}
          >
            {doc.httpRoutes.slice(0, SHOWN_ROUTES).map(route => (
              <li key={route}>
                <Chip
                  size="small"
                  label={route}
                  sx={{ fontFamily: 'monospace' }}
                />
              </li>
            ))}
            {extraRoutes > 0 && (
              <li>
                <Chip
                  size="small"
                  variant="outlined"
                  label={`+${extraRoutes} more`}
                />
              </li>
            )}
          </Box>
        )}
      </Box>
    </ListItem>
  );
}
