"""CSV or TSV with a header read as records for data.py (the build inlines this file there), as
src/data/tableRecords.ts reads them (data.records; the spec's inputKey, labelKey, labelsKey and
targetKey name the columns):
    many-to-one    input cell (text) and label cell (trimmed), or a numeric target cell (regression)
    many-to-many   input cell and labels cell, both cut on whitespace, one tag per token
    seq2seq        input cell (the source) and target cell (the generated text)
CSV cells may be quoted; TSV cells are split on tabs, no quoting.
"""
import re

JS_WHITESPACE = re.compile("[\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+")


def tsv_table(text, file):
    """(header, header line, [(cells, line)]): tab-separated cells, every row as wide as the header."""
    header, header_line, rows = None, 1, []
    for number, line in enumerate(text.split("\n"), 1):
        line = line[:-1] if line.endswith("\r") else line
        if not js_trim(line):
            continue
        cells = line.split("\t")
        if header is None:
            header, header_line = [js_trim(c) for c in cells], number
        elif len(cells) != len(header):
            raise DataError(file, number, 1, "expected %d tab-separated cells as in the header, got %d" % (len(header), len(cells)))
        else:
            rows.append((cells, number))
    if header is None:
        raise DataError(file, 1, 1, "empty file: expected a header row of tab-separated column names")
    if not rows:
        raise DataError(file, header_line, 1, "no data rows: expected rows after the header")
    return header, header_line, rows


def read_table_records(text, file, spec):
    """The raw records of a table: dicts with input, and label / labels / value / output, as read_jsonl's."""
    data, task = spec["data"], spec["task"]
    if data["format"] == "csv":
        header, header_line, rows = parse_csv_rows(text, file)[:3]
    else:
        header, header_line, rows = tsv_table(text, file)

    def require(name):
        if name not in header:
            raise DataError(file, header_line, 1, 'no column "%s" in the header: expected one of %s' % (name, ", ".join('"%s"' % h for h in header)))
        return header.index(name)

    if task == "one-to-many":
        raise DataError(file, rows[0][1], 1, "one-to-many reads a conditioning vector: expected JSONL, not a table")
    source = require(data["inputKey"])
    labelled = task == "many-to-one" and data["labelKey"] in header
    second = require(data["labelsKey"] if task == "many-to-many" else data["labelKey"] if labelled else data["targetKey"])
    records = []
    for cells, line in rows:
        text_of = lambda index: cells[index] if index < len(cells) else ""  # noqa: E731
        if not text_of(source):
            raise DataError(file, line, 1, 'column "%s": empty sequence: expected at least one token' % header[source])
        if task == "many-to-many":
            tokens = [t for t in JS_WHITESPACE.split(text_of(source)) if t]
            tags = [t for t in JS_WHITESPACE.split(text_of(second)) if t]
            if not tokens:
                raise DataError(file, line, 1, 'column "%s": empty sequence: expected at least one word' % header[source])
            if len(tags) != len(tokens):
                raise DataError(file, line, 1, 'column "%s": expected %d space-separated tags (one per token), got %d' % (header[second], len(tokens), len(tags)))
            records.append({"input": tokens, "labels": tags})
        elif task == "seq2seq":
            records.append({"input": text_of(source), "output": text_of(second)})
        elif labelled:
            label = js_trim(text_of(second))
            if not label:
                raise DataError(file, line, 1, 'column "%s": expected a label (a non-empty string or a number)' % header[second])
            records.append({"input": text_of(source), "label": label})
        else:
            if not is_number_cell(text_of(second)):
                raise DataError(file, line, 1, 'column "%s": expected a number (regression target), got %r' % (header[second], text_of(second)))
            records.append({"input": text_of(source), "value": [float(js_trim(text_of(second)))]})
    return records
