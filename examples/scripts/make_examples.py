#!/usr/bin/env python3
"""Regenerates the example datasets from Debian packages (run once; the outputs are committed).

Needs: bible-kjv + bible-kjv-text, python3-sklearn, python3-statsmodels (apt-get install ...).
Run from the examples/ folder: python3 scripts/make_examples.py
"""
import json
import re
import subprocess

import statsmodels.api as sm
from sklearn.datasets import load_digits

# (a) Genesis, King James Version (1611; public domain), one verse a line, verse numbers removed.
raw = subprocess.run(['bible', '-l2000', 'Gen1:1-Gen50:26'], check=True, capture_output=True, text=True).stdout
lines = []
for line in raw.splitlines():
    line = line.strip()
    if not line:
        continue
    lines.append(re.sub(r'^\d+ ', '', line))
with open('genesis/genesis.txt', 'w', encoding='utf-8') as f:
    f.write('\n'.join(lines) + '\n')

# (b) Yearly sunspot numbers 1700-2008 (statsmodels: "This data is public domain", NOAA NGDC).
data = sm.datasets.sunspots.load_pandas().data
def write_years(path, rows):
    with open(path, 'w', encoding='utf-8') as f:
        f.write('year,sunactivity\n')
        for year, value in rows:
            f.write(f'{int(year)},{value:g}\n')
rows = list(zip(data['YEAR'], data['SUNACTIVITY']))
write_years('sunspots/sunspots-train.csv', rows[:259])   # 1700-1958
write_years('sunspots/sunspots-test.csv', rows[259:])    # 1959-2008

# (c) sklearn 8x8 digits (BSD-3-Clause), each image read row by row: 8 steps of 8 pixel values.
digits = load_digits()
def write_digits(path, start, end):
    with open(path, 'w', encoding='utf-8') as f:
        for image, label in zip(digits.images[start:end], digits.target[start:end]):
            f.write(json.dumps({'input': image.astype(int).tolist(), 'label': int(label)}, separators=(',', ':')) + '\n')
write_digits('digits/digits-train.jsonl', 0, 1438)
write_digits('digits/digits-test.jsonl', 1438, 1797)
