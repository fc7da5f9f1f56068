import { alpha, styled } from '@mui/material/styles';

/*
 * All waterfall styles live on one root element and target plain class names. Rows are plain
 * DOM elements with a className string and a few inline styles (position, width, colour):
 * no styled component, theme hook or Emotion serialisation per row, so a scroll frame that
 * mounts 20 new rows costs only their DOM.
 */

export const ROW_HEIGHT = 28;
export const INDENT_PX = 14;
export const RULER_HEIGHT = 30;
export const DEFAULT_NAME_WIDTH = 400;
export const MIN_NAME_WIDTH = 180;

export const WaterfallRoot = styled('div')(({ theme }) => {
  const divider = theme.palette.divider;
  return {
    position: 'relative',
    display: 'flex',
    flexDirection: 'column',
    minHeight: 0,
    fontSize: theme.typography.body2.fontSize,
    color: theme.palette.text.primary,
    '& .tv-ruler': {
      display: 'flex',
      height: RULER_HEIGHT,
      flex: `0 0 ${RULER_HEIGHT}px`,
      borderBottom: `1px solid ${divider}`,
      background: theme.palette.background.paper,
      // Same gutter as the scrolling rows below, so ticks line up with the bars.
      overflowY: 'hidden',
      scrollbarGutter: 'stable',
    },
    '& .tv-ruler-name': {
      position: 'relative',
      flex: '0 0 var(--tv-name-width)',
      display: 'flex',
      alignItems: 'center',
      paddingLeft: theme.spacing(1),
      fontWeight: theme.typography.fontWeightMedium,
      color: theme.palette.text.secondary,
      borderRight: `1px solid ${divider}`,
    },
    '& .tv-ruler-title': {
      flex: 1,
      overflow: 'hidden',
      textOverflow: 'ellipsis',
      whiteSpace: 'nowrap',
    },
    '& .tv-reset-zoom': {
      marginRight: theme.spacing(1),
      padding: '0 6px',
      height: 20,
      border: `1px solid ${theme.palette.primary.main}`,
      borderRadius: 4,
      background: 'transparent',
      color: theme.palette.primary.main,
      font: 'inherit',
      fontSize: theme.typography.caption.fontSize,
      cursor: 'pointer',
    },
    '& .tv-brush': {
      position: 'absolute',
      top: 0,
      bottom: 0,
      background: alpha(theme.palette.primary.main, 0.2),
      borderLeft: `1px solid ${theme.palette.primary.main}`,
      borderRight: `1px solid ${theme.palette.primary.main}`,
      pointerEvents: 'none',
    },
    '& .tv-resize': {
      position: 'absolute',
      top: 0,
      right: -4,
      width: 8,
      height: '100%',
      cursor: 'col-resize',
      zIndex: 2,
      '&:hover, &:focus-visible': {
        background: alpha(theme.palette.primary.main, 0.3),
        outline: 'none',
      },
    },
    '& .tv-ruler-time': {
      position: 'relative',
      flex: 1,
      overflow: 'hidden',
      cursor: 'crosshair',
      userSelect: 'none',
      touchAction: 'none',
      backgroundImage: 'var(--tv-grid)',
    },
    '& .tv-tick': {
      position: 'absolute',
      bottom: 4,
      paddingLeft: 3,
      whiteSpace: 'nowrap',
      fontSize: theme.typography.caption.fontSize,
      color: theme.palette.text.secondary,
      fontVariantNumeric: 'tabular-nums',
    },
    '& .tv-scroll': {
      position: 'relative',
      overflowY: 'auto',
      overflowX: 'hidden',
      scrollbarGutter: 'stable',
      outline: 'none',
      '&:focus-visible .tv-active': {
        outline: `2px solid ${theme.palette.primary.main}`,
        outlineOffset: -2,
      },
    },
    '& .tv-empty': {
      padding: theme.spacing(3),
      color: theme.palette.text.secondary,
      textAlign: 'center',
    },
    '& .tv-row': {
      position: 'absolute',
      top: 0,
      left: 0,
      width: '100%',
      height: ROW_HEIGHT,
      display: 'flex',
      alignItems: 'stretch',
      cursor: 'pointer',
      borderBottom: `1px solid ${divider}`,
      boxSizing: 'border-box',
      '&:hover': { background: theme.palette.action.hover },
    },
    '& .tv-row.tv-match': {
      background: alpha(theme.palette.warning.main, 0.16),
    },
    '& .tv-row.tv-current': {
      background: alpha(theme.palette.warning.main, 0.36),
    },
    '& .tv-row.tv-selected': {
      background: alpha(theme.palette.primary.main, 0.16),
      boxShadow: `inset 3px 0 0 ${theme.palette.primary.main}`,
    },
    '& .tv-row.tv-context .tv-name, & .tv-row.tv-context .tv-timeline': {
      opacity: 0.5,
    },
    '& .tv-name': {
      flex: '0 0 var(--tv-name-width)',
      display: 'flex',
      alignItems: 'center',
      gap: 4,
      minWidth: 0,
      paddingRight: theme.spacing(0.5),
      overflow: 'hidden',
      borderRight: `1px solid ${divider}`,
      boxSizing: 'border-box',
    },
    '& .tv-indent': {
      flex: 'none',
      alignSelf: 'stretch',
      // One vertical guide per level, drawn by the background: no element per level.
      backgroundImage: `repeating-linear-gradient(to right, transparent 0, transparent ${
        INDENT_PX / 2
      }px, ${divider} ${INDENT_PX / 2}px, ${divider} ${
        INDENT_PX / 2 + 1
      }px, transparent ${INDENT_PX / 2 + 1}px, transparent ${INDENT_PX}px)`,
    },
    '& .tv-toggle': {
      flex: 'none',
      display: 'inline-flex',
      alignItems: 'center',
      minWidth: 36,
      height: 20,
      padding: '0 4px 0 0',
      border: 'none',
      borderRadius: 4,
      background: 'transparent',
      color: theme.palette.text.secondary,
      font: 'inherit',
      fontSize: theme.typography.caption.fontSize,
      cursor: 'pointer',
      '&:hover': { background: theme.palette.action.selected },
      '& svg': { fontSize: 18 },
    },
    '& .tv-toggle-spacer': { flex: 'none', width: 36 },
    '& .tv-chip': {
      flex: 'none',
      width: 10,
      height: 10,
      borderRadius: 2,
    },
    '& .tv-service': {
      flex: 'none',
      maxWidth: '40%',
      overflow: 'hidden',
      textOverflow: 'ellipsis',
      whiteSpace: 'nowrap',
      color: theme.palette.text.secondary,
    },
    '& .tv-label': {
      flex: '1 1 auto',
      minWidth: 0,
      overflow: 'hidden',
      textOverflow: 'ellipsis',
      whiteSpace: 'nowrap',
    },
    '& .tv-error-icon': {
      flex: 'none',
      color: theme.palette.error.main,
      fontSize: 16,
    },
    '& .tv-hidden-errors, & .tv-orphan': {
      flex: 'none',
      padding: '0 4px',
      borderRadius: 8,
      fontSize: theme.typography.caption.fontSize,
      lineHeight: '16px',
      whiteSpace: 'nowrap',
    },
    '& .tv-hidden-errors': {
      color: theme.palette.error.contrastText,
      background: theme.palette.error.main,
    },
    '& .tv-orphan': {
      color: theme.palette.warning.contrastText,
      background: theme.palette.warning.main,
    },
    '& .tv-unloaded': {
      flex: 'none',
      height: 18,
      padding: '0 6px',
      border: `1px dashed ${theme.palette.primary.main}`,
      borderRadius: 9,
      background: 'transparent',
      color: theme.palette.primary.main,
      fontSize: theme.typography.caption.fontSize,
      lineHeight: '16px',
      whiteSpace: 'nowrap',
      cursor: 'pointer',
      '&:disabled': { cursor: 'progress', opacity: 0.7 },
    },
    '& .tv-unloaded-errors': { color: theme.palette.error.main },
    '& .tv-logs': {
      flex: 'none',
      display: 'inline-flex',
      alignItems: 'center',
      gap: 2,
      height: 18,
      padding: '0 6px',
      border: 'none',
      borderRadius: 9,
      color: theme.palette.common.white,
      font: 'inherit',
      fontSize: theme.typography.caption.fontSize,
      cursor: 'pointer',
      '& svg': { fontSize: 12 },
    },
    '& .tv-timeline': {
      position: 'relative',
      flex: 1,
      overflow: 'hidden',
      backgroundImage: 'var(--tv-grid)',
    },
    '& .tv-bar': {
      position: 'absolute',
      top: 7,
      height: ROW_HEIGHT - 15,
      minWidth: 2,
      borderRadius: 2,
    },
    '& .tv-bar-error': {
      background: `${theme.palette.error.main} !important`,
    },
    '& .tv-critical': {
      position: 'absolute',
      top: 11,
      height: 5,
      minWidth: 1,
      background: theme.palette.text.primary,
      pointerEvents: 'none',
    },
    '& .tv-duration-inside': {
      padding: '0 4px',
      lineHeight: '16px',
      top: 6,
      borderRadius: 2,
      background: alpha(theme.palette.background.paper, 0.85),
      color: theme.palette.text.primary,
    },
    '& .tv-duration': {
      position: 'absolute',
      top: 0,
      lineHeight: `${ROW_HEIGHT - 1}px`,
      fontSize: theme.typography.caption.fontSize,
      color: theme.palette.text.secondary,
      whiteSpace: 'nowrap',
      pointerEvents: 'none',
      fontVariantNumeric: 'tabular-nums',
    },
  };
});
