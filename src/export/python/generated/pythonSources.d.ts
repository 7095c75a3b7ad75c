// Types of pythonSources.js, which scripts/build-python.mjs generates from ../*.py (npm run build):
// one string per source file, with the modules it inlines (`# inlined here by the build`) in place.
/** model.py with safetensors_file.py, vocabulary.py, series.py and prediction.py inlined; an export replaces its `CONFIG = {}` line. */
export declare const modelPy: string;
export declare const predictionPy: string;
export declare const safetensorsFilePy: string;
export declare const seriesPy: string;
export declare const vocabularyPy: string;
