import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { TracesBackendGate } from '../TraceExplorer';
import { TeamTracesContent } from './TeamTracesContent';

/** The Traces tab of a Group entity: the traced components the team owns. */
export function TeamTracesTab() {
  const { entity } = useEntity();
  return (
    <TracesBackendGate>
      <TeamTracesContent entityRef={stringifyEntityRef(entity)} />
    </TracesBackendGate>
  );
}
