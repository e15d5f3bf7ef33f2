/** A notice's pages as drawn for the PDF (SVG, shown as images: nothing in them runs). */
export function Pages({ pages, text, testId = 'notice-pages' }: { pages: string[]; text?: string; testId?: string }) {
  if (pages.length === 0) {
    // A notice recorded as sent: the text of the PDF that went out, line for line (its pages are
    // drawn again only while it can still change).
    return text ? (
      <div className="notice-text" data-testid={testId}>
        <p className="notice-text__caption">The text of the PDF as sent, line for line. Save the PDF to see its pages.</p>
        {text.split('\f').map((page, i) => (
          <pre key={i} className="notice-text__page">
            {page.replace(/\n+$/, '')}
          </pre>
        ))}
      </div>
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
