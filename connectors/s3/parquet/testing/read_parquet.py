"""Reads Parquet files with pyarrow and prints, per file, its leaf columns' Parquet types and every
row as JSON: ints as strings (exact), decimals as plain strings, dates as epoch days, times as
millis of day, timestamps as epoch millis, bytes as hex, map entries as [key, value] pairs.
Usage: read_parquet.py FILE...   (prints one JSON object per file, one per line)"""
import datetime
import decimal
import json
import sys

import pyarrow.parquet as pq

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)


def plain(v):
    if v is None or isinstance(v, (bool, str, float)):
        return v
    if isinstance(v, int):
        return str(v)
    if isinstance(v, decimal.Decimal):
        return format(v, 'f')
    if isinstance(v, datetime.datetime):
        delta = (v if v.tzinfo else v.replace(tzinfo=datetime.timezone.utc)) - EPOCH
        return (delta.days * 86400 + delta.seconds) * 1000 + delta.microseconds // 1000
    if isinstance(v, datetime.date):
        return (v - datetime.date(1970, 1, 1)).days
    if isinstance(v, datetime.time):
        return ((v.hour * 60 + v.minute) * 60 + v.second) * 1000 + v.microsecond // 1000
    if isinstance(v, (bytes, bytearray)):
        return v.hex()
    if isinstance(v, dict):
        return {k: plain(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [plain(x) for x in v]
    raise TypeError(f'unexpected {type(v)}')


for path in sys.argv[1:]:
    f = pq.ParquetFile(path)
    columns = {}
    for i in range(f.metadata.num_columns):
        c = f.schema.column(i)
        columns[c.path] = {'physical': c.physical_type, 'logical': str(c.logical_type), 'max_def': c.max_definition_level, 'max_rep': c.max_repetition_level}
    codecs = sorted({f.metadata.row_group(g).column(i).compression for g in range(f.metadata.num_row_groups) for i in range(f.metadata.num_columns)})
    rows = f.read().to_pylist()
    print(json.dumps({'columns': columns, 'codecs': codecs, 'row_groups': f.metadata.num_row_groups, 'rows': [plain(r) for r in rows]}))
