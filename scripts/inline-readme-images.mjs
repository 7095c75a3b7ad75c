#!/usr/bin/env node
/**
 * Writes dist/README.vsix.md, the README that `npm run package` puts in the .vsix: README.md with each
 * image it links by relative path (the screenshots) inlined as a data: URI. VS Code's extension page
 * renders an installed extension's README in a webview that does not resolve relative image paths
 * against the extension's folder (they point into the workbench), but it does show data: images, so
 * this is what makes the screenshots show there offline. The repository's README keeps its links.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TYPES = { '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.png': 'image/png' };

const readme = readFileSync(path.join(repo, 'README.md'), 'utf8');
let inlined = 0;
const out = readme.replace(/(!\[[^\]]*\]\()([^)\s]+)(\))/g, (whole, open, src, close) => {
  const type = TYPES[path.extname(src).toLowerCase()];
  if (!type || /^[a-z][a-z0-9+.-]*:/i.test(src)) return whole; // an URL, or no raster image
  inlined++;
  return `${open}data:${type};base64,${readFileSync(path.join(repo, src)).toString('base64')}${close}`;
});
mkdirSync(path.join(repo, 'dist'), { recursive: true });
writeFileSync(path.join(repo, 'dist', 'README.vsix.md'), out);
console.log(`dist/README.vsix.md: ${inlined} images inlined, ${(out.length / 1024).toFixed(0)} KB`);
