import type { CellState, Column, WaitingKind } from '../../lib/ipc/bindings';

/** Column headings, in the board's order. */
export const COLUMN_LABEL: Record<Column, string> = {
  regulators: 'Regulators',
  individuals: 'Individuals',
  media: 'Media',
  partners: 'Customers & partners',
  investors: 'Investors',
  board: 'Board',
};

export const STATE_LABEL: Record<CellState, string> = {
  overdue: 'Overdue',
  due_soon: 'Due < 24 h',
  to_do: 'To do',
  draft: 'Draft',
  approved: 'Approved',
  sent: 'Sent',
  confirmed: 'Confirmed',
  not_required: 'Not required',
};

export const WAITING_LABEL: Record<WaitingKind, string> = {
  approval: 'Approve',
  decision: 'Decide',
  update: 'Update due',
};
