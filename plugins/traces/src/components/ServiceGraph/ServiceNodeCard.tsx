import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import {
  EntityRefLink,
  humanizeEntityRef,
} from '@backstage/plugin-catalog-react';
import type { ServiceGraphNode } from '@backstage-traces/plugin-traces-common';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';

/** A full entity ref for an owner that may be written short (`team-a` → `group:default/team-a`). */
export function ownerRef(owner: string): string | undefined {
  try {
    return stringifyEntityRef(
      parseEntityRef(owner, {
        defaultKind: 'group',
        defaultNamespace: 'default',
      }),
    );
  } catch {
    return undefined;
  }
}

export interface ServiceNodeCardProps {
  node: ServiceGraphNode;
  width: number;
  height: number;
  /** Called when the pointer or keyboard focus enters (true) or leaves (false) the card. */
  onHighlight: (on: boolean) => void;
  /** The mark on the compared services (default "this entity"). */
  ownLabel?: string;
}

/**
 * A service in the graph: its name, the catalog entity that claims it and that entity's owner.
 * A service no entity claims says so — the gap ownership tooling exists to close.
 */
export function ServiceNodeCard(props: ServiceNodeCardProps) {
  const { node, width, height, onHighlight, ownLabel = 'this entity' } = props;
  const [first, ...others] = node.owners;
  const owner = first?.owner ? ownerRef(first.owner) : undefined;
  // A declared dependency on an entity that names no service is a node named by its ref.
  const name =
    node.declaredOnly && node.id === first?.entityRef
      ? humanizeEntityRef(parseEntityRef(node.id), {
          defaultKind: parseEntityRef(node.id).kind,
        })
      : node.id;

  return (
    <Box
      role="group"
      aria-label={`Service ${node.id}`}
      onMouseEnter={() => onHighlight(true)}
      onMouseLeave={() => onHighlight(false)}
      onFocus={() => onHighlight(true)}
      onBlur={() => onHighlight(false)}
      sx={{
        width,
        height,
        boxSizing: 'border-box',
        px: 1.25,
        py: 0.75,
        borderRadius: 1,
        border: node.isEntityService ? 2 : 1,
        borderColor: node.isEntityService ? 'primary.main' : 'divider',
        // only in the graph for a declared dependency: no calls seen
        borderStyle: node.declaredOnly ? 'dashed' : 'solid',
        bgcolor: 'background.paper',
        boxShadow: node.isEntityService ? 2 : 0,
        overflow: 'hidden',
        display: 'flex',
        flexDirection: 'column',
        justifyContent: 'center',
        gap: 0.25,
      }}
    >
      <Typography
        variant="body2"
        noWrap
        sx={{ fontWeight: 600 }}
        // Other names the same peer was seen under, folded in by a catalog claim.
        title={
          node.aliases?.length
            ? `${node.id} (also seen as ${node.aliases.join(', ')})`
            : node.id
        }
      >
        {name}
        {node.isEntityService && (
          <Typography
            component="span"
            variant="caption"
            color="primary"
            sx={{ ml: 0.75 }}
          >
            {ownLabel}
          </Typography>
        )}
      </Typography>
      {first ? (
        <>
          <Typography variant="caption" noWrap component="div">
            <EntityRefLink entityRef={first.entityRef} />
            {others.length > 0 && (
              <Box
                component="span"
                title={others.map(o => o.entityRef).join(', ')}
                sx={{ color: 'text.secondary' }}
              >
                {' '}
                +{others.length}
              </Box>
            )}
          </Typography>
          <Typography
            variant="caption"
            color="text.secondary"
            noWrap
            component="div"
          >
            {owner && (
              <>
                owned by <EntityRefLink entityRef={owner} hideIcon />
              </>
            )}
            {!owner &&
              (node.declaredOnly ? 'declared, no calls seen' : 'no owner set')}
          </Typography>
        </>
      ) : (
        <Typography
          variant="caption"
          color="warning.main"
          noWrap
          component="div"
        >
          Not claimed by any catalog entity
        </Typography>
      )}
    </Box>
  );
}
