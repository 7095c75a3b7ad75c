import { ModelSpecSchema } from './schema';

/**
 * The JSON Schema (draft-07) text of `*.rnn.json`, as committed in `schemas/rnn-spec.schema.json`.
 * TypeBox schemas are plain JSON Schema objects; its symbol-keyed markers vanish in `JSON.stringify`.
 */
export function specJsonSchemaText(): string {
  return JSON.stringify({ $schema: 'http://json-schema.org/draft-07/schema#', ...ModelSpecSchema }, null, 2) + '\n';
}
