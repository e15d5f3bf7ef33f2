/** The pages of the unlocked app. */
export type Route = { page: 'list' } | { page: 'new' } | { page: 'detail'; id: string };

export type Navigate = (to: Route) => void;
