// What other features may use of the incidents.
export { LEGAL_TIMESTAMPS } from './legal';
export { IncidentList } from './IncidentList';
export { IncidentForm } from './IncidentForm';
export { IncidentDetailPage } from './IncidentDetailPage';
