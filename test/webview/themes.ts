/**
 * A subset of the `--vscode-*` variables VS Code injects into webviews, for four built-in themes
 * (Light Modern, Dark Modern, High Contrast, High Contrast Light), so screenshots show what users see.
 * Colours VS Code derives (`editor.inactiveSelectionBackground` = selection at 70 % in high contrast)
 * are written out as it resolves them.
 */
export type ThemeName = 'light' | 'dark' | 'high-contrast' | 'high-contrast-light';

export const THEME_NAMES: ThemeName[] = ['light', 'dark', 'high-contrast', 'high-contrast-light'];

const common = { 'font-family': 'system-ui, "Segoe UI", Ubuntu, sans-serif', 'font-size': '13px', 'editor-font-family': 'monospace' };

export const THEMES: Record<ThemeName, { bodyClass: string; vars: Record<string, string> }> = {
  light: {
    bodyClass: 'vscode-light',
    vars: {
      ...common, foreground: '#3b3b3b', 'editor-background': '#ffffff', 'descriptionForeground': '#717171',
      'editorWidget-background': '#f8f8f8', 'widget-border': '#e5e5e5', 'focusBorder': '#005fb8',
      'charts-blue': '#1a85ff', 'charts-orange': '#d18616', 'charts-green': '#388a34', 'charts-purple': '#652d90',
      'charts-red': '#e51400', 'charts-yellow': '#bf8803', 'charts-foreground': '#616161', 'charts-lines': 'rgba(97,97,97,0.3)',
      'badge-background': '#cccccc', 'badge-foreground': '#3b3b3b', 'textLink-foreground': '#005fb8', 'errorForeground': '#f85149',
      'editorError-foreground': '#e51400', 'inputValidation-errorBackground': '#f2dede', 'sideBar-background': '#f8f8f8',
      'textCodeBlock-background': '#f2f2f2', 'editor-inactiveSelectionBackground': '#e5ebf1', 'editor-selectionBackground': '#add6ff',
      'button-background': '#005fb8', 'button-foreground': '#ffffff', 'button-hoverBackground': '#0258a8',
      'button-secondaryBackground': '#e5e5e5', 'button-secondaryForeground': '#3b3b3b', 'input-background': '#ffffff',
      'input-foreground': '#3b3b3b', 'input-border': '#cecece', 'checkbox-background': '#f8f8f8', 'checkbox-border': '#cecece',
      'checkbox-foreground': '#3b3b3b',
    },
  },
  dark: {
    bodyClass: 'vscode-dark',
    vars: {
      ...common, foreground: '#cccccc', 'editor-background': '#1f1f1f', 'descriptionForeground': '#9d9d9d',
      'editorWidget-background': '#202020', 'widget-border': '#313131', 'focusBorder': '#0078d4',
      'charts-blue': '#3794ff', 'charts-orange': '#d18616', 'charts-green': '#89d185', 'charts-purple': '#b180d7',
      'charts-red': '#f14c4c', 'charts-yellow': '#cca700', 'charts-foreground': '#cccccc', 'charts-lines': 'rgba(204,204,204,0.3)',
      'badge-background': '#616161', 'badge-foreground': '#f8f8f8', 'textLink-foreground': '#4daafc', 'errorForeground': '#f85149',
      'editorError-foreground': '#f14c4c', 'inputValidation-errorBackground': '#5a1d1d', 'sideBar-background': '#181818',
      'textCodeBlock-background': '#2b2b2b', 'editor-inactiveSelectionBackground': '#3a3d41', 'editor-selectionBackground': '#264f78',
      'button-background': '#0078d4', 'button-foreground': '#ffffff', 'button-hoverBackground': '#026ec1',
      'button-secondaryBackground': '#313131', 'button-secondaryForeground': '#cccccc', 'input-background': '#313131',
      'input-foreground': '#cccccc', 'input-border': '#3c3c3c', 'checkbox-background': '#313131', 'checkbox-border': '#3c3c3c',
      'checkbox-foreground': '#cccccc',
    },
  },
  'high-contrast': {
    bodyClass: 'vscode-high-contrast',
    vars: {
      ...common, foreground: '#ffffff', 'editor-background': '#000000', 'descriptionForeground': '#ffffffb3',
      'editorWidget-background': '#0c141f', 'widget-border': '#6fc3df', 'contrastBorder': '#6fc3df', 'focusBorder': '#f38518',
      'charts-blue': '#3794ff', 'charts-orange': '#d18616', 'charts-green': '#89d185', 'charts-purple': '#b180d7',
      'charts-red': '#f14c4c', 'charts-yellow': '#cca700', 'charts-foreground': '#ffffff', 'charts-lines': 'rgba(255,255,255,0.5)',
      'badge-background': '#000000', 'badge-foreground': '#ffffff', 'textLink-foreground': '#21a6ff', 'errorForeground': '#f48771',
      'editorError-foreground': '#f48771', 'inputValidation-errorBackground': '#000000', 'sideBar-background': '#000000',
      'textCodeBlock-background': '#000000', 'editor-inactiveSelectionBackground': '#ffffffb3', 'editor-selectionBackground': '#ffffff',
      'button-background': '#000000', 'button-foreground': '#ffffff', 'button-border': '#6fc3df',
      'button-secondaryBackground': '#000000', 'button-secondaryForeground': '#ffffff', 'input-background': '#000000',
      'input-foreground': '#ffffff', 'input-border': '#6fc3df', 'checkbox-background': '#000000', 'checkbox-border': '#6fc3df',
      'checkbox-foreground': '#ffffff',
    },
  },  'high-contrast-light': {
    bodyClass: 'vscode-high-contrast-light',
    vars: {
      ...common, foreground: '#292929', 'editor-background': '#ffffff', 'descriptionForeground': '#292929b3',
      'editorWidget-background': '#ffffff', 'widget-border': '#0f4a85', 'contrastBorder': '#0f4a85', 'focusBorder': '#006bbd',
      'charts-blue': '#292929', 'charts-orange': '#0f4a85', 'charts-green': '#374e06', 'charts-purple': '#652d90',
      'charts-red': '#b5200d', 'charts-yellow': '#895503', 'charts-foreground': '#292929', 'charts-lines': 'rgba(41,41,41,0.5)',
      'badge-background': '#0f4a85', 'badge-foreground': '#ffffff', 'textLink-foreground': '#0f4a85', 'errorForeground': '#b5200d',
      'editorError-foreground': '#b5200d', 'inputValidation-errorBackground': '#ffffff', 'sideBar-background': '#ffffff',
      'textCodeBlock-background': '#f2f2f2', 'editor-inactiveSelectionBackground': '#0f4a8580', 'editor-selectionBackground': '#0f4a85',
      'button-background': '#0f4a85', 'button-foreground': '#ffffff', 'button-border': '#0f4a85',
      'button-secondaryBackground': '#ffffff', 'button-secondaryForeground': '#292929', 'input-background': '#ffffff',
      'input-foreground': '#292929', 'input-border': '#0f4a85', 'checkbox-background': '#ffffff', 'checkbox-border': '#0f4a85',
      'checkbox-foreground': '#292929',
    },
  },
};
