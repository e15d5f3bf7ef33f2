import { useRef, type KeyboardEvent, type ReactNode } from 'react';

export type TabDef<K extends string> = { key: K; label: ReactNode; badge?: ReactNode };

type Props<K extends string> = {
  /** Prefix of element ids (tab and panel ids derive from it). */
  id: string;
  tabs: TabDef<K>[];
  active: K;
  onSelect: (key: K) => void;
  label: string;
};

/** A WAI-ARIA tab list: arrow keys, Home and End move between tabs. */
export function TabList<K extends string>({ id, tabs, active, onSelect, label }: Props<K>) {
  const refs = useRef(new Map<K, HTMLButtonElement>());
  const move = (e: KeyboardEvent, index: number) => {
    const last = tabs.length - 1;
    const to = e.key === 'ArrowRight' ? (index === last ? 0 : index + 1) : e.key === 'ArrowLeft' ? (index === 0 ? last : index - 1) : e.key === 'Home' ? 0 : e.key === 'End' ? last : null;
    if (to === null) return;
    e.preventDefault();
    const next = tabs[to];
    if (next) {
      onSelect(next.key);
      refs.current.get(next.key)?.focus();
    }
  };
  return (
    <div className="tabs" role="tablist" aria-label={label}>
      {tabs.map((t, i) => {
        const selected = t.key === active;
        return (
          <button
            key={t.key}
            ref={(el) => {
              if (el) refs.current.set(t.key, el);
              else refs.current.delete(t.key);
            }}
            type="button"
            role="tab"
            id={`${id}-tab-${t.key}`}
            aria-selected={selected}
            aria-controls={`${id}-panel-${t.key}`}
            tabIndex={selected ? 0 : -1}
            className={selected ? 'tabs__tab tabs__tab--active' : 'tabs__tab'}
            onClick={() => onSelect(t.key)}
            onKeyDown={(e) => move(e, i)}
            data-testid={`tab-${t.key}`}
          >
            {t.label}
            {t.badge}
          </button>
        );
      })}
    </div>
  );
}

type PanelProps = { id: string; tab: string; active: boolean; children: ReactNode };

/** The panel of one tab; kept in the DOM (hidden) when its tab is not active. */
export function TabPanel({ id, tab, active, children }: PanelProps) {
  return (
    <div role="tabpanel" id={`${id}-panel-${tab}`} aria-labelledby={`${id}-tab-${tab}`} hidden={!active} className="tabpanel" data-testid={`panel-${tab}`}>
      {children}
    </div>
  );
}
