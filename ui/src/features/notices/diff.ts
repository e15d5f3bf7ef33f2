/** One line of a line-by-line diff. */
export type DiffLine = { kind: 'same' | 'added' | 'removed'; text: string };

/** The shortest line diff of `a` → `b` (longest common subsequence; templates are small). */
export function lineDiff(a: string, b: string): DiffLine[] {
  const x = a.split('\n');
  const y = b.split('\n');
  const n = x.length;
  const m = y.length;
  const w = m + 1;
  // lcs[i * w + j]: the longest common subsequence of x[i..] and y[j..].
  const lcs = new Int32Array((n + 1) * w);
  const at = (i: number, j: number) => lcs[i * w + j] ?? 0;
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * w + j] = x[i] === y[j] ? at(i + 1, j + 1) + 1 : Math.max(at(i + 1, j), at(i, j + 1));
    }
  }
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    const xi = x[i];
    const yj = y[j];
    if (xi !== undefined && yj !== undefined && xi === yj) {
      out.push({ kind: 'same', text: xi });
      i++;
      j++;
    } else if (xi !== undefined && (yj === undefined || at(i + 1, j) >= at(i, j + 1))) {
      out.push({ kind: 'removed', text: xi });
      i++;
    } else if (yj !== undefined) {
      out.push({ kind: 'added', text: yj });
      j++;
    }
  }
  return out;
}

/** A diff shown as hunks: changed lines with `context` unchanged lines around them, the rest folded. */
export type HunkLine = DiffLine | { kind: 'gap'; count: number };

export function hunks(diff: DiffLine[], context = 3): HunkLine[] {
  const near = diff.map((_, i) => diff.slice(Math.max(0, i - context), i + context + 1).some((l) => l.kind !== 'same'));
  const out: HunkLine[] = [];
  let folded = 0;
  diff.forEach((l, i) => {
    if (near[i]) {
      if (folded > 0) out.push({ kind: 'gap', count: folded });
      folded = 0;
      out.push(l);
    } else {
      folded += 1;
    }
  });
  if (folded > 0) out.push({ kind: 'gap', count: folded });
  return out;
}
