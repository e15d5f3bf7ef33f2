// The founder's board: the only way other features reach it.
export { BoardPage } from './BoardPage';
