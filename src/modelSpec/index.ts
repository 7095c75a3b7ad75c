/** The model spec: schema, types, validation with positions, and default filling. */
export { ModelSpecSchema, SPEC_VERSION, TASKS, FORMATS, CELLS, OPTIMIZERS, type ModelSpec } from './schema';
export { resolveSpec, validateSpec, formatFromFileName, tableRecords, targetNames, type ResolvedSpec, type DataFormat, type BpttSpec } from './resolve';
export { specJsonSchemaText } from './jsonSchema';
export { parseSpec, specTextIssues, specBaseName, specErrorAt } from './parseSpec';
export { SpecError, describeSpecIssues, formatIssue } from './specError';
export type { SpecIssue } from './schemaIssues';
export { LEGACY_DEFAULTS, withLegacyDefaults, type LegacyDefault } from './storedSpec';
