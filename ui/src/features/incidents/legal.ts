// The legal timestamps of an incident, in the order they are shown, with what each one means.

export const LEGAL_TIMESTAMPS = [
  {
    field: 'detected_at',
    label: 'Detected',
    hint: 'First alert or report that something was wrong.',
  },
  {
    field: 'occurred_at',
    label: 'Occurred',
    hint: 'When the breach itself happened, if known. Often learned later.',
  },
  {
    field: 'discovered_at',
    label: 'Discovered',
    hint: 'When the organisation knew, or should have known. HIPAA and most US state clocks start here.',
  },
  {
    field: 'aware_at',
    label: 'GDPR awareness',
    hint: 'Reasonable certainty that a personal-data breach occurred. The 72-hour GDPR clock starts here.',
  },
  {
    field: 'determined_at',
    label: 'Determined (materiality)',
    hint: 'When the incident was determined to be material or a notifiable breach.',
  },
] as const;

export type LegalField = (typeof LEGAL_TIMESTAMPS)[number]['field'];
