/** The functions the panels take from other layers (docs/contracts.md), in one place. */
export { parameterShapes } from '../../engine/model';
export { resolveSpec, specTextIssues, tableRecords } from '../../modelSpec';
