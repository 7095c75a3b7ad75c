/**
 * The functions the panels need from other layers (docs/contracts.md). Until `src/spec` and
 * `src/engine/model.ts` land, stand-ins with the same signatures live in `./fallback/`; switching to
 * the real module is one line each:
 *   parameterShapes → `export { parameterShapes } from '../../engine/model';`
 *   validateSpec    → `export { validateSpec } from '../../spec';`
 */
export { parameterShapes } from './fallback/parameterShapes';
export { validateSpec } from './fallback/validateSpec';
