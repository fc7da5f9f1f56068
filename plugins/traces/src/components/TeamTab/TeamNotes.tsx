import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  TRACES_SERVICE_NAME_ANNOTATION,
  type TeamTracesResponse,
} from '@backstage-traces/plugin-traces-common';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import { Fragment, type ReactNode } from 'react';

function refList(items: Array<{ entityRef: string; title?: string }>) {
  return items.map((item, index) => (
    <Fragment key={item.entityRef}>
      {index > 0 && ', '}
      <EntityRefLink entityRef={item.entityRef} title={item.title} />
    </Fragment>
  ));
}

const plural = (count: number, one: string, many = `${one}s`) =>
  `${count} ${count === 1 ? one : many}`;

/**
 * What the table does not show and why: components without traces in the range, without the
 * annotation, or hidden by permissions, and a cut group tree.
 */
export function TeamNotes(props: { team: TeamTracesResponse }) {
  const { team } = props;
  const silent = team.components.filter(c => c.spanCount === 0);
  const notes: Array<{
    key: string;
    severity: 'info' | 'warning';
    text: ReactNode;
  }> = [];
  if (silent.length > 0) {
    notes.push({
      key: 'silent',
      severity: 'warning',
      text: (
        <>
          {plural(silent.length, 'component has', 'components have')} no traces
          in this range: {refList(silent)}. Widen the range, or check that the
          service names in their <code>{TRACES_SERVICE_NAME_ANNOTATION}</code>{' '}
          annotation are the <code>service.name</code> their SDKs send (each
          component's Traces tab lists the closest names the store knows).
        </>
      ),
    });
  }
  if (team.unannotated.length > 0) {
    notes.push({
      key: 'unannotated',
      severity: 'info',
      text: (
        <>
          {plural(team.unannotated.length, 'component has', 'components have')}{' '}
          no <code>{TRACES_SERVICE_NAME_ANNOTATION}</code> annotation and{' '}
          {team.unannotated.length === 1 ? 'is' : 'are'} not shown:{' '}
          {refList(team.unannotated)}.
        </>
      ),
    });
  }
  if (team.deniedCount > 0) {
    notes.push({
      key: 'denied',
      severity: 'info',
      text: `${plural(
        team.deniedCount,
        'component is',
        'components are',
      )} not shown: you may not read ${
        team.deniedCount === 1 ? 'its' : 'their'
      } traces.`,
    });
  }
  if (team.groupsTruncated) {
    notes.push({
      key: 'truncated',
      severity: 'info',
      text: `The team has more child groups than are searched; the components of the first ${team.groups.length} groups are shown.`,
    });
  }
  if (notes.length === 0) return null;
  return (
    <Box sx={{ display: 'grid', gap: 1 }}>
      {notes.map(note => (
        <Alert key={note.key} severity={note.severity}>
          {note.text}
        </Alert>
      ))}
    </Box>
  );
}
