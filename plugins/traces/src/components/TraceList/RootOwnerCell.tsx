import { Link } from '@backstage/core-components';
import { humanizeEntityRef } from '@backstage/plugin-catalog-react';
import { parseEntityRef } from '@backstage/catalog-model';
import type { ServiceOwner } from '@backstage-traces/plugin-traces-common';
import Box from '@mui/material/Box';
import Skeleton from '@mui/material/Skeleton';
import Typography from '@mui/material/Typography';
import { useEntityTracesTabLink } from '../TracesPage/useEntityTracesTabLink';
import type { RootServiceOwners } from './useRootServiceOwners';

function entityName(owner: ServiceOwner) {
  return (
    owner.title ??
    humanizeEntityRef(parseEntityRef(owner.entityRef), {
      defaultKind: 'component',
    })
  );
}

/** The entity that claims a row's root service, linking to its Traces tab. */
export function RootOwnerCell(props: {
  rootServiceName?: string;
  rootOwners: RootServiceOwners;
}) {
  const { rootServiceName, rootOwners } = props;
  const tabLink = useEntityTracesTabLink();
  const owners = rootServiceName
    ? rootOwners.byService.get(rootServiceName)
    : undefined;

  let content;
  if (!rootServiceName) {
    content = (
      <Typography variant="body2" color="text.disabled">
        –
      </Typography>
    );
  } else if (!owners) {
    content = rootOwners.loading ? (
      <Skeleton variant="text" aria-label="Looking up the owner" />
    ) : (
      <Typography variant="body2" color="text.secondary" noWrap>
        Owner not resolved
      </Typography>
    );
  } else if (owners.length === 0) {
    content = (
      <Typography
        variant="body2"
        color="text.secondary"
        noWrap
        title={`No catalog entity claims the service ${rootServiceName}`}
      >
        Unclaimed
      </Typography>
    );
  } else {
    const [first, ...others] = owners;
    content = (
      <>
        <Typography variant="body2" noWrap>
          <Link
            to={tabLink(first.entityRef)}
            // the row opens the trace; the link goes to the entity instead
            onClick={e => e.stopPropagation()}
            title={`Traces tab of ${first.entityRef}`}
          >
            {entityName(first)}
          </Link>
          {others.length > 0 && (
            <Box
              component="span"
              sx={{ color: 'text.secondary' }}
              title={others.map(o => o.entityRef).join(', ')}
            >
              {` +${others.length}`}
            </Box>
          )}
        </Typography>
        {first.owner && (
          <Typography
            variant="caption"
            color="text.secondary"
            noWrap
            component="div"
          >
            {humanizeEntityRef(parseEntityRef(first.owner), {
              defaultKind: 'group',
            })}
          </Typography>
        )}
      </>
    );
  }
  return (
    <Box role="gridcell" sx={{ minWidth: 0, pr: 1 }}>
      {content}
    </Box>
  );
}
