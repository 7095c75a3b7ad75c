/**
 * `export --trainer` refuses only what data.py does not port: since CSV time series and tables are
 * ported, that is a data format the spec schema does not know yet. A format added to the schema
 * fails here until data.py reads it (or trainerUnsupported refuses it by name).
 */
import { strict as assert } from 'node:assert';
import { FORMATS } from '../../../src/modelSpec/schema';
import { dataPy } from '../../../src/export/python/generated/pythonSources';
import { TRAINER_FORMATS, trainerUnsupported } from '../../../src/export/trainerFiles';

describe('export --trainer: what it refuses', () => {
  for (const format of FORMATS) {
    for (const records of [false, true]) {
      it(`ports data.format "${format}"${records ? ' with data.records' : ''}`, () => {
        assert.deepEqual(trainerUnsupported({ task: 'many-to-one', data: { format, records } as { format: string } }), []);
      });
    }
  }

  it('refuses an unknown format by name, and data.py\'s unsupported() knows the same formats', () => {
    assert.deepEqual(trainerUnsupported({ task: 'many-to-one', data: { format: 'parquet' } }), ['data.format "parquet" (supported: "text", "jsonl", "tsv", "csv")']);
    const mirrored = /if spec\["data"\]\["format"\] in \(([^)]*)\):/.exec(dataPy);
    assert.ok(mirrored, 'data.py has no unsupported() format list');
    assert.deepEqual(mirrored[1].split(',').map((f) => f.trim().replace(/"/g, '')), [...TRAINER_FORMATS]);
  });
});
