import { useState } from 'react';
import type { FormEvent } from 'react';
import { useI18n } from '../i18n/i18n';

/** A serve token as `setmov serve` makes them: 32 random bytes in base64url. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** The token in what the admin pasted: the URL serve printed, or the token alone. */
export function tokenOfPasted(text: string): string | null {
  const pasted = text.trim();
  if (TOKEN.test(pasted)) return pasted;
  try {
    const token = new URL(pasted).searchParams.get('token');
    return token !== null && TOKEN.test(token) ? token : null;
  } catch {
    return null;
  }
}

/**
 * What a browser page whose token the server refuses offers: paste the URL or the token
 * serve printed, and the page trades it for its cookie (the server's token exchange at
 * /?token=), instead of the admin hunting for the terminal.
 */
export function TokenPrompt({ open }: { open: (path: string) => void }) {
  const { t } = useI18n();
  const [text, setText] = useState('');
  const [bad, setBad] = useState(false);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const token = tokenOfPasted(text);
    setBad(token === null);
    if (token !== null) open(`/?token=${encodeURIComponent(token)}`);
  };
  return (
    <form className="banner banner-warning token-prompt" role="alert" onSubmit={submit}>
      <p>{t('token.prompt')}</p>
      <label>
        <span className="visually-hidden">{t('token.field')}</span>
        <input
          type="password"
          autoComplete="off"
          spellCheck={false}
          placeholder={t('token.field')}
          value={text}
          onChange={(event) => setText(event.target.value)}
          aria-invalid={bad}
        />
      </label>
      <button type="submit" className="button-primary">
        {t('token.open')}
      </button>
      {bad && <p className="token-error">{t('token.bad')}</p>}
    </form>
  );
}
