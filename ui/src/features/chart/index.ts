export { DeadlineChart } from './DeadlineChart';
