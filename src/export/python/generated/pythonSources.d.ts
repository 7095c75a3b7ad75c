// Types of pythonSources.js, which scripts/build-python.mjs generates from ../*.py (npm run build).
/** model.py with vocabulary.py and series.py inlined; its `CONFIG = {}` line is replaced by an export. */
export declare const modelPy: string;
/** vocabulary.py alone (also inlined in model.py). */
export declare const vocabularyPy: string;
/** series.py alone (also inlined in model.py). */
export declare const seriesPy: string;
