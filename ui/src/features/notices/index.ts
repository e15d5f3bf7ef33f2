// What other features may use of the notices.
export { NoticesTab } from './NoticesTab';
export { TemplatesPage } from './TemplatesPage';
export { OrganisationCard } from './OrganisationCard';
export { SmtpCard } from './SmtpCard';
