import type { ButtonHTMLAttributes } from 'react';

type Props = ButtonHTMLAttributes<HTMLButtonElement> & {
  variant?: 'primary' | 'secondary' | 'ghost' | 'link';
  size?: 'md' | 'sm';
  busy?: boolean;
  testId?: string;
};

export function Button({ variant = 'secondary', size = 'md', busy = false, testId, className, disabled, type = 'button', children, ...rest }: Props) {
  const classes = ['btn', `btn--${variant}`, size === 'sm' ? 'btn--sm' : '', className ?? ''].filter(Boolean).join(' ');
  return (
    <button {...rest} type={type} className={classes} disabled={disabled || busy} aria-busy={busy || undefined} data-testid={testId}>
      {children}
    </button>
  );
}
