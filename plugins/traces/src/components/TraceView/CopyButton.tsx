import { useEffect, useState } from 'react';
import IconButton from '@mui/material/IconButton';
import useCopyToClipboard from 'react-use/esm/useCopyToClipboard';
import { Icon } from './Icon';

/** Copies `text`; the button's name says so for two seconds after a copy. */
export function CopyButton(props: { text: string; label: string }) {
  const [, legacyCopy] = useCopyToClipboard();
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return undefined;
    const timer = setTimeout(() => setCopied(false), 2000);
    return () => clearTimeout(timer);
  }, [copied]);

  const copy = async () => {
    // The async clipboard API needs a secure context; execCommand covers plain http.
    if (navigator.clipboard?.writeText)
      await navigator.clipboard.writeText(props.text);
    else legacyCopy(props.text);
    setCopied(true);
  };

  const label = copied ? 'Copied' : props.label;
  return (
    <IconButton size="small" aria-label={label} title={label} onClick={copy}>
      <Icon name="copy" />
    </IconButton>
  );
}
