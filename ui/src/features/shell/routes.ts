/** An incident's tabs, for a route that opens one. */
export type IncidentTab = 'obligations' | 'facts' | 'individuals' | 'notices' | 'whatif' | 'timeline';

/** The pages of the unlocked app; an incident opens at `tab`, the notices tab at `notice`. */
export type Route =
  | { page: 'list' }
  | { page: 'board' }
  | { page: 'new' }
  | { page: 'detail'; id: string; tab?: IncidentTab | undefined; notice?: string | undefined }
  | { page: 'templates' }
  | { page: 'settings' };

export type Navigate = (to: Route) => void;
