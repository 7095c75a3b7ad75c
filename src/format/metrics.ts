/** Metrics on one line, as the CLI prints them and the extension logs them: `loss 1.2346  accuracy 0.5000  count 12`. */
export function formatMetrics(metrics: Record<string, number>, separator = '  '): string {
  return Object.entries(metrics).map(([name, value]) => `${name} ${Number.isInteger(value) ? value : value.toFixed(4)}`).join(separator);
}
