/** A notice's pages as drawn for the PDF (SVG, shown as images: nothing in them runs). */
export function Pages({ pages, text, testId = 'notice-pages' }: { pages: string[]; text?: string; testId?: string }) {
  if (pages.length === 0) {
    return text ? (
      <pre className="notice-text" data-testid={testId}>
        {text}
      </pre>
    ) : null;
  }
  return (
    <div className="pages" data-testid={testId} data-count={pages.length}>
      {pages.map((svg, i) => (
        <img
          key={i}
          className="pages__page"
          alt={`Page ${i + 1} of ${pages.length}`}
          src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`}
          data-testid="notice-page"
        />
      ))}
    </div>
  );
}
