/** The pages of the unlocked app. */
export type Route = { page: 'list' } | { page: 'new' } | { page: 'detail'; id: string } | { page: 'templates' } | { page: 'settings' };

export type Navigate = (to: Route) => void;
