import { makeStyles } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import { LogoIcon } from './LogoIcon';

const useStyles = makeStyles({
  root: {
    display: 'flex',
    alignItems: 'center',
    gap: 10,
    whiteSpace: 'nowrap',
  },
  title: {
    color: '#ffffff',
    fontWeight: 700,
    fontSize: 20,
    lineHeight: 1,
  },
});

export const LogoFull = () => {
  const classes = useStyles();

  return (
    <span className={classes.root}>
      <LogoIcon />
      <Typography component="span" className={classes.title}>
        Traces
      </Typography>
    </span>
  );
};
