/**
 * A duration as the CLI progress bar, the status bar, the Runs view and the dashboard show it:
 * `42s`, `1m05s`, `2h03m` (rounded to the second; negative as 0s; `—` when it is not a number).
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m}m${String(s % 60).padStart(2, '0')}s` : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}
