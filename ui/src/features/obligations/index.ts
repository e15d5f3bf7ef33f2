// What other features may use of the cockpit. The pure modules come first, so a feature that the
// cockpit itself imports (the chart) finds them initialised.
export { URGENCY_LABEL, type Ranked, type Urgency } from './urgency';
export { ConfidenceBadge, DueStack, KvRow, SourceLink } from './bits';
export { ObligationsTab } from './ObligationsTab';
