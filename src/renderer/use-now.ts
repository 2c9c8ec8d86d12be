import { useEffect, useState } from 'react';

/** The time now, moved on every `everyMs`: what relative times ("3 min ago") count from. */
export function useNow(everyMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
