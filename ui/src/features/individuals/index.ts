export { IndividualsTab } from './IndividualsTab';
