/** The app's mark and name (sidebar; larger on the start screens). */
export function Brand({ large = false }: { large?: boolean }) {
  return (
    <div className={large ? 'brand brand--large' : 'brand'}>
      <span className="brand__mark" aria-hidden="true">
        B
      </span>
      <span className="brand__name">Breachdesk</span>
    </div>
  );
}
