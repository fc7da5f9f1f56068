import { Link } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import type { ServiceOwner } from '@backstage-traces/plugin-traces-common';
import Box from '@mui/material/Box';
import { useEntityTracesTabLink } from './useEntityTracesTabLink';

/** Claimants of a service: each entity, its owner and a link to its Traces tab. */
export function ServiceOwnersList(props: {
  owners: ServiceOwner[];
  /** Search parameters for the Traces tab, e.g. an open trace. */
  tabParams?: URLSearchParams;
}) {
  const tabLink = useEntityTracesTabLink();
  return (
    <Box component="ul" sx={{ m: 0, pl: 2.5 }}>
      {props.owners.map(owner => (
        <li key={owner.entityRef}>
          <EntityRefLink entityRef={owner.entityRef}>
            {owner.title}
          </EntityRefLink>
          {owner.owner && (
            <>
              {' · owner '}
              <EntityRefLink entityRef={owner.owner} defaultKind="group" />
            </>
          )}
          {' · '}
          <Link to={tabLink(owner.entityRef, props.tabParams)}>Traces tab</Link>
        </li>
      ))}
    </Box>
  );
}
