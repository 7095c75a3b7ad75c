/**
 * Writes `schemas/rnn-spec.schema.json` from the TypeBox definition in `src/modelSpec/schema.ts`.
 * Run by `npm run gen:schema`; a unit test fails when the committed file is stale.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { specJsonSchemaText } from '../src/modelSpec/jsonSchema';

const target = join(__dirname, '..', 'schemas', 'rnn-spec.schema.json');
writeFileSync(target, specJsonSchemaText());
console.log(`wrote ${target}`);
