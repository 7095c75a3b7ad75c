// Types of pythonSources.js, which scripts/build-python.mjs generates from ../*.py (npm run build):
// one string per source file, with the modules it inlines (`# inlined here by the build`) in place.
/** model.py with safetensors_file.py, vocabulary.py, series.py and prediction.py inlined; an export replaces its `CONFIG = {}` line. */
export declare const modelPy: string;
export declare const predictionPy: string;
export declare const safetensorsFilePy: string;
export declare const seriesPy: string;
export declare const vocabularyPy: string;
/** data.py: the run's data pipeline (readers, splits, batches, the engine's Rng). */
export declare const dataPy: string;
/** train.py: training under the spec's settings, one process or torchrun; its `SPEC_FILE = None` line is replaced by an export. */
export declare const trainPy: string;
