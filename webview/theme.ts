/**
 * Theme colours for canvas drawing. VS Code sets `--vscode-*` variables on the root element and a
 * `vscode-light` / `vscode-dark` / `vscode-high-contrast` class on the body; CSS uses the variables
 * directly, canvases (charts, heatmaps) resolve them here and redraw when the theme changes.
 */
export function themeColor(name: string, fallback: string): string {
  const value = getComputedStyle(document.documentElement).getPropertyValue(`--vscode-${name}`).trim();
  return value || fallback;
}

export interface ChartPalette {
  foreground: string;
  grid: string;
  series: string[];
  danger: string;
  font: string;
}

export function chartPalette(): ChartPalette {
  return {
    foreground: themeColor('foreground', '#888'),
    grid: themeColor('charts-lines', 'rgba(128,128,128,0.35)'),
    series: [
      themeColor('charts-blue', '#3794ff'), themeColor('charts-orange', '#d18616'), themeColor('charts-green', '#89d185'),
      themeColor('charts-purple', '#b180d7'), themeColor('charts-yellow', '#cca700'), themeColor('charts-foreground', '#ccc'),
    ],
    danger: themeColor('charts-red', '#f14c4c'),
    font: `11px ${themeColor('font-family', 'sans-serif')}`,
  };
}

/** Calls `listener` after each theme switch (a class change on the body). */
export function onThemeChange(listener: () => void): void {
  let last = document.body.className;
  new MutationObserver(() => {
    if (document.body.className === last) return;
    last = document.body.className;
    listener();
  }).observe(document.body, { attributes: true, attributeFilter: ['class'] });
}
