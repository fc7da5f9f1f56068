import Box from '@mui/material/Box';
import IconButton from '@mui/material/IconButton';
import Skeleton from '@mui/material/Skeleton';
import { Progress } from '@backstage/core-components';
import { Icon } from './Icon';

/** Placeholder in the shape of the trace view while the trace loads. */
export function TraceViewSkeleton(props: {
  traceId: string;
  onClose?: () => void;
}) {
  return (
    <Box
      aria-busy="true"
      aria-label={`Loading trace ${props.traceId}`}
      role="region"
    >
      <Progress />
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, mt: 1 }}>
        <Box sx={{ flex: 1 }}>
          <Skeleton variant="text" width="45%" height={32} />
          <Skeleton variant="text" width="30%" />
        </Box>
        {props.onClose && (
          <IconButton
            aria-label="Close trace"
            onClick={props.onClose}
            size="small"
          >
            <Icon name="close" />
          </IconButton>
        )}
      </Box>
      <Box sx={{ display: 'flex', gap: 4, my: 1 }}>
        {[0, 1, 2, 3, 4].map(k => (
          <Skeleton key={k} variant="text" width={90} />
        ))}
      </Box>
      <Skeleton variant="rectangular" height={56} sx={{ my: 1.5 }} />
      {Array.from({ length: 10 }, (_, k) => (
        <Box
          key={k}
          sx={{ display: 'flex', gap: 2, alignItems: 'center', height: 28 }}
        >
          <Skeleton
            variant="text"
            width={360}
            sx={{ ml: `${Math.min(k, 5) * 14}px` }}
          />
          <Box sx={{ flex: 1, position: 'relative', height: 14 }}>
            <Skeleton
              variant="rectangular"
              height={14}
              sx={{
                position: 'absolute',
                left: `${(k * 7) % 60}%`,
                width: `${30 - ((k * 3) % 20)}%`,
              }}
            />
          </Box>
        </Box>
      ))}
    </Box>
  );
}
