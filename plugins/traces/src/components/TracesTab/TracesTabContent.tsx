import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { TraceExplorer, TracesBackendGate } from '../TraceExplorer';

export interface TracesTabContentProps {
  entity: Entity;
}

/** The Traces tab of an annotated entity: the trace explorer scoped to its services. */
export function TracesTabContent(props: TracesTabContentProps) {
  return (
    <TracesBackendGate>
      <TraceExplorer entityRef={stringifyEntityRef(props.entity)} />
    </TracesBackendGate>
  );
}
