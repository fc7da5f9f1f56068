import { makeStyles } from '@material-ui/core/styles';

const useStyles = makeStyles({
  svg: {
    width: 28,
    height: 28,
    flexShrink: 0,
  },
  bar: {
    fill: '#7df3e1',
  },
});

/**
 * A trace waterfall: a root span and the child spans it fans out to.
 */
export const LogoIcon = () => {
  const classes = useStyles();

  return (
    <svg
      className={classes.svg}
      xmlns="http://www.w3.org/2000/svg"
      viewBox="0 0 32 32"
      role="img"
      aria-label="Backstage Traces"
    >
      <rect className={classes.bar} x="2" y="4" width="28" height="5" rx="2" />
      <rect className={classes.bar} x="7" y="11" width="15" height="5" rx="2" />
      <rect className={classes.bar} x="12" y="18" width="8" height="5" rx="2" />
      <rect className={classes.bar} x="22" y="25" width="8" height="5" rx="2" />
    </svg>
  );
};
