import type { NoticeStatus, TemplateKind } from '../../lib/ipc/bindings';

export const NOTICE_STATUS_LABEL: Record<NoticeStatus, string> = { draft: 'Draft', approved: 'Approved', sent: 'Sent', confirmed: 'Confirmed' };

export const TEMPLATE_KIND_LABEL: Record<TemplateKind, string> = {
  individual: 'Letter to a person',
  regulator: 'Regulator',
  media: 'Media',
  substitute: 'Substitute notice',
  b2b: 'Business partner',
  investor: 'Investors and board',
  internal: 'Internal',
  part: 'Shared part',
};
