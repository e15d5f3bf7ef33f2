import { createContext, useContext } from 'react';
import type { Vocabulary } from '../../lib/ipc/bindings';

/** What every page of the unlocked app may need. */
export type Session = {
  userName: string | null;
  dataDir: string;
  vocabulary: Vocabulary;
};

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside of the app shell');
  return s;
}
