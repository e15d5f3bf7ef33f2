/**
 * Offers `text` as a file download: a Blob behind a temporary <a download> link. The UTF-8 byte
 * order mark lets spreadsheet programs read non-ASCII text right.
 */
export function downloadText(fileName: string, text: string, type = 'text/csv;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob(['\uFEFF', text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  // The download has started from the link by now; the URL is only needed until then.
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
