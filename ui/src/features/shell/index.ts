// What other features may use of the shell: the session and the routes.
export { useSession } from './session';
export type { IncidentTab, Navigate } from './routes';
