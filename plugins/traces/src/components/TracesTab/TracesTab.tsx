import {
  MissingAnnotationEmptyState,
  useEntity,
} from '@backstage/plugin-catalog-react';
import {
  isTracesAvailable,
  TRACES_SERVICE_NAME_ANNOTATION,
} from '@backstage-traces/plugin-traces-common';
import { TracesTabContent } from './TracesTabContent';

/** The entity's Traces tab. Shows how to annotate the entity when it names no service. */
export function TracesTab() {
  const { entity } = useEntity();
  if (!isTracesAvailable(entity)) {
    return (
      <MissingAnnotationEmptyState
        annotation={TRACES_SERVICE_NAME_ANNOTATION}
      />
    );
  }
  return <TracesTabContent entity={entity} />;
}
