// What other features may use of the facts editor.
export { ChangeList } from './ChangeList';
export { DraftLayout } from './DraftLayout';
export { useDraft } from './useDraft';
export { FactsEditor } from './FactsEditor';
