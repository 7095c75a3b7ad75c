"""CSV files with a header for data.py (the build inlines this file there), read as RNN Lab reads them
(src/data/csvTable.ts, timeColumn.ts, missingValues.ts):
    delimiter     data.delimiter, or the one of , ; tab that splits the first non-blank line most (, on a tie)
    rows          RFC 4180 quoting, \\n or \\r\\n records, empty lines skipped, names trimmed
    columns       data.columns, else every column whose first non-blank cell is a number (time and group apart)
    groups        data.groupBy: one series per id, in order of first appearance
    blank cells   data.missing: "error", "drop" the row, "previous" value, or "interpolate" linearly in
                  the time column's values (milliseconds of wall-clock time for dates), else in rows
    time          ISO 8601 dates (a zone offset accepted, not applied) or plain numbers, strictly ascending
"""
import csv
import datetime
import math
import re

# JavaScript's \s and String.prototype.trim's set (Python's str.strip() differs on U+001C-U+001F, U+FEFF).
JS_SPACE = "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
NUMBER = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?")
DELIMITERS = (",", ";", "\t")
EPOCH = datetime.datetime(1970, 1, 1)


class DataError(ValueError):
    """Bad data, named as RNN Lab names it: file:line:column: what was expected."""

    def __init__(self, file, line, column, message):
        super().__init__("%s:%d:%d: %s" % (file, line, column, message))


def js_trim(text):
    return text.strip(JS_SPACE)


def is_number_cell(cell):
    return NUMBER.fullmatch(js_trim(cell)) is not None


def is_blank(cell):
    return cell is None or js_trim(cell) == ""


def detect_delimiter(text):
    first = next((line for line in text.split("\n") if js_trim(line)), "")
    best = DELIMITERS[0]
    for d in DELIMITERS:
        if len(first.split(d)) > len(first.split(best)):
            best = d
    return best


def field_column(line, index, delimiter):
    """1-based character column where field `index` starts in a CSV line (quotes respected)."""
    field, quoted = 0, False
    for i, ch in enumerate(line):
        if field == index:
            return i + 1
        if ch == '"':
            quoted = not quoted
        elif ch == delimiter and not quoted:
            field += 1
    return len(line) + 1 if field == index else 1


def parse_csv_rows(text, file, delimiter=None):
    """(header, header line, [(cells, line)], delimiter, the file's lines): each record with the line it ends on."""
    delimiter = delimiter or detect_delimiter(text)
    lines = re.findall(r"[^\n]*\n|[^\n]+\Z", text)
    reader = csv.reader(lines, delimiter=delimiter, quotechar='"', doublequote=True, strict=True)
    try:
        rows = [(cells, reader.line_num) for cells in reader if cells]
    except csv.Error as e:
        raise DataError(file, reader.line_num or 1, 1, "malformed CSV: %s" % e)
    if not rows:
        raise DataError(file, 1, 1, "empty file: expected a CSV header and rows")
    (head, head_line), data = rows[0], rows[1:]
    for cells, line in data:
        if len(cells) != len(head):
            raise DataError(file, line, 1, "malformed CSV: Invalid Record Length: expect %d, got %d" % (len(head), len(cells)))
    header = [js_trim(h) for h in head]
    for i, name in enumerate(header):
        if not name:
            raise DataError(file, head_line, 1, "empty column name at position %d: expected a header row of names" % (i + 1))
        if header.index(name) != i:
            raise DataError(file, head_line, 1, 'duplicate column name "%s": expected unique names in the header' % name)
    if not data:
        raise DataError(file, head_line, 1, "no data rows: expected rows of numbers after the header")
    return header, head_line, data, delimiter, [line.rstrip("\n") for line in lines]


def time_value(cell):
    """A time cell -> (value, kind): a number, or an ISO 8601 date as milliseconds of its wall-clock time; None when neither."""
    text = js_trim(cell)
    if is_number_cell(text):
        return float(text), "number"
    try:
        return (parse_time(text) - EPOCH) // datetime.timedelta(milliseconds=1), "date"
    except ValueError:
        return None


def cell_at(row, index):
    cells = row[0]
    return cells[index] if index < len(cells) else None


def read_csv_groups(text, file, columns=None, time=None, group=None, delimiter=None, missing="error"):
    """[(series id, {"names", "values": one float list per name, "lines", "times" or None})], one per
    value of the group column (one, id "", without one), as src/data/csvTable.ts readCsvGroups."""
    header, head_line, rows, delimiter, lines = parse_csv_rows(text, file, delimiter)

    def at(row, index):
        return row[1], field_column(lines[row[1] - 1].rstrip("\r"), index, delimiter)

    def index_of(name, what):
        if name not in header:
            raise DataError(file, head_line, 1, 'no %scolumn "%s" in the header: expected one of %s' % (what, name, ", ".join('"%s"' % h for h in header)))
        return header.index(name)

    time_index = -1 if time is None else index_of(time, "time ")
    group_index = -1 if group is None else index_of(group, "series (data.groupBy) ")
    if columns is None:
        first_cell = lambda i: next((cell_at(r, i) for r in rows if not is_blank(cell_at(r, i))), "")  # noqa: E731
        columns = [h for i, h in enumerate(header) if is_number_cell(first_cell(i)) and h != time and h != group]
    names = list(columns)
    if not names:
        raise DataError(file, rows[0][1], 1, "no numeric column in the first row: expected numbers")
    indices = [index_of(name, "") for name in names]
    groups = {}
    for row in rows:
        id_ = "" if group_index < 0 else js_trim(cell_at(row, group_index) or "")
        if group_index >= 0 and not id_:
            raise DataError(file, *at(row, group_index), 'series column "%s": a blank cell: expected the id of the row\'s series (data.groupBy)' % group)
        groups.setdefault(id_, []).append(row)
    return [(id_, read_rows(file, header, names, indices, time_index, group_rows, at, missing)) for id_, group_rows in groups.items()]


def read_rows(file, header, names, indices, time_index, all_rows, at, missing):
    """One series' columns: blank cells per data.missing, numbers checked, times ascending."""
    rows = []
    for row in all_rows:
        blank = next((i for i in [time_index] + indices if i >= 0 and is_blank(cell_at(row, i))), None)
        if blank is None:
            rows.append(row)
        elif missing == "error" or blank == time_index:
            what = "time column" if blank == time_index else "column"
            expected = "a time" if blank == time_index else 'a number, or set data.missing to "drop", "previous" or "interpolate"'
            raise DataError(file, *at(row, blank), '%s "%s": a blank cell: expected %s' % (what, header[blank], expected))
        elif missing != "drop":
            rows.append(row)
    if not rows:
        raise DataError(file, all_rows[0][1], 1, 'every row has a blank cell: expected rows of numbers (data.missing "drop" dropped them all)')
    values = [[] for _ in names]
    for row in rows:
        for c, index in enumerate(indices):
            cell = cell_at(row, index) or ""
            if is_blank(cell):
                values[c].append(math.nan)
            elif not is_number_cell(cell):
                raise DataError(file, *at(row, index), 'column "%s": expected a number, got %r' % (names[c], cell))
            else:
                values[c].append(float(js_trim(cell)))
    times = None
    if time_index >= 0:
        times, kind = [], None
        for row in rows:
            parsed = time_value(cell_at(row, time_index))
            if parsed is None or (kind is not None and parsed[1] != kind) or (times and parsed[0] <= times[-1]):
                raise DataError(file, *at(row, time_index), 'time column "%s": expected ISO 8601 dates or numbers, one kind, ascending, got %r' % (header[time_index], cell_at(row, time_index)))
            kind = parsed[1]
            times.append(parsed[0])
    if missing in ("previous", "interpolate"):
        for c, column in enumerate(values):
            if all(math.isnan(v) for v in column):
                raise DataError(file, *at(rows[0], indices[c]), 'column "%s": every cell is blank: expected numbers' % names[c])
            fill_missing(column, missing, times)
    return {"names": names, "values": values, "lines": [row[1] for row in rows], "times": times}


def fill_missing(values, mode, times):
    """The NaN entries of values filled in place (src/data/missingValues.ts fillMissing)."""
    n = len(values)
    x = (lambda i: times[i]) if times is not None else (lambda i: i)  # noqa: E731
    before = -1
    r = 0
    while r < n:
        if not math.isnan(values[r]):
            before = r
            r += 1
            continue
        after = r + 1
        while after < n and math.isnan(values[after]):
            after += 1
        for k in range(r, after):
            if before < 0:
                values[k] = values[after]
            elif after >= n or mode == "previous":
                values[k] = values[before]
            else:
                w = (x(k) - x(before)) / (x(after) - x(before))
                values[k] = values[before] + w * (values[after] - values[before])
        r = after
