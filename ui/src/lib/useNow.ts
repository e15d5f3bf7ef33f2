import { useEffect, useRef, useState } from 'react';

/** The current time in ms, updated every `intervalMs` (aligned to the wall-clock second). */
export function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    let timer: number | undefined;
    const tick = () => {
      const t = Date.now();
      setNow(t);
      timer = window.setTimeout(tick, intervalMs - (t % Math.min(intervalMs, 1000)));
    };
    timer = window.setTimeout(tick, intervalMs - (Date.now() % Math.min(intervalMs, 1000)));
    return () => window.clearTimeout(timer);
  }, [intervalMs]);
  return now;
}

/** Calls `fn` every `ms` while mounted (the latest `fn`, without restarting the timer). */
export function useInterval(fn: () => void, ms: number): void {
  const saved = useRef(fn);
  saved.current = fn;
  useEffect(() => {
    const id = window.setInterval(() => saved.current(), ms);
    return () => window.clearInterval(id);
  }, [ms]);
}
