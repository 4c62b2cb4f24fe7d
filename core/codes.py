"""Integer codes for the values of a column, so a million lines are grouped and joined on integers.

Text is hashed once (``pd.factorize``) and its distinct values sorted once: :func:`sorted_codes` remembers its
result for each Arrow text array, and a stage that derives a column from one it has codes for (a filter, a take)
hands the codes on with :func:`remember` and :func:`taken_codes` instead of letting the next stage hash the text
again. Arrow arrays are immutable, so a remembered result stays true for as long as its array lives (the entry
goes with it; a column set anew gets a new array). Codes are kept as int32 where they fit and handed out as new
int64 arrays.
"""
from __future__ import annotations

import weakref

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

_REMEMBERED: dict[int, tuple[weakref.ref, np.ndarray, pd.Index]] = {}  # id(Arrow array) -> (array, codes, ids)


def sorted_codes(values: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """``pd.factorize(values, sort=True)``: codes (int64, -1 = missing) numbered in ascending value order and the
    distinct values in that order. For Arrow text only the distinct values are sorted (pandas' ``sort=True``
    converts them to Python objects first), and the result is remembered for the array; other dtypes use pandas'
    own rule."""
    if not isinstance(values.dtype, pd.StringDtype):
        return pd.factorize(values, sort=True)
    known = _remembered(values)
    if known is not None:
        return known[0].astype(np.int64), known[1]
    codes, distinct = pd.factorize(values)
    order = distinct.argsort()
    rank = np.empty(len(order) + 1, dtype=np.int64)
    rank[order] = np.arange(len(order))
    rank[-1] = -1  # code -1 (missing) stays -1
    codes, ids = rank[codes], distinct.take(order)
    remember(values, codes, ids)
    return codes, ids


def factorized(values: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Codes (int64, -1 = missing) and distinct values of ``values`` in some order: the remembered sorted codes
    when there are, else ``pd.factorize`` (first appearance). For grouping where the order of the codes does not
    matter."""
    known = _remembered(values)
    return (known[0].astype(np.int64), known[1]) if known is not None else pd.factorize(values)


def taken_codes(codes: np.ndarray, ids: pd.Index, rows: np.ndarray) -> tuple[np.ndarray, pd.Index]:
    """The sorted codes of ``values.take(rows)`` from those of ``values`` (``codes``, ``ids``): the distinct values
    no row keeps are left out and the others renumbered, in one pass over integers."""
    taken = codes[rows]
    present = np.zeros(len(ids) + 1, dtype=bool)
    present[taken] = True                          # code -1 marks the last slot, dropped below
    present = present[:-1]
    if present.all():
        return taken, ids
    renumber = np.append(np.cumsum(present) - 1, -1)
    return renumber[taken], ids[present]


def remember(values: pd.Series, codes: np.ndarray, ids: pd.Index) -> None:
    """Record ``(codes, ids)`` as :func:`sorted_codes` of ``values`` (Arrow text; other columns are ignored). The
    caller vouches that they are exactly that: codes in ascending value order, -1 for missing, every distinct
    value present."""
    array = _arrow_array(values)
    if array is None:
        return
    kept = codes.astype(np.int32) if len(ids) < 2**31 else np.array(codes, dtype=np.int64)
    key = id(array)  # the entry leaves with its array (the dict is bound: callbacks may run at interpreter exit)
    _REMEMBERED[key] = (weakref.ref(array, lambda _, key=key, table=_REMEMBERED: table.pop(key, None)), kept, ids)


def positions(values: pd.Series, ids: pd.Series) -> np.ndarray:
    """For each of ``values`` its position in ``ids`` (unique), -1 where absent or missing. From the remembered
    codes of both when there are (a lookup of the distinct values only), else one hash pass over both instead of
    an index lookup (which hashes Python strings for Arrow text)."""
    value_codes, id_codes = _remembered(values), _remembered(ids)
    if value_codes is not None and id_codes is not None:
        if not (np.all(id_codes[0] >= 0) and len(id_codes[1]) == len(ids)):
            raise ValueError("ids must be unique and not missing")
        row_of_id = np.empty(len(ids), dtype=np.int64)
        row_of_id[id_codes[0]] = np.arange(len(ids))
        same = value_codes[1] is id_codes[1] or value_codes[1].equals(id_codes[1])
        found = np.arange(len(value_codes[1])) if same else id_codes[1].get_indexer(value_codes[1])
        at = np.append(np.where(found >= 0, row_of_id[np.maximum(found, 0)], -1), -1)  # the last slot: missing
        return at[value_codes[0]]
    codes = pd.factorize(pd.concat([pd.Series(ids, copy=False), pd.Series(values, copy=False)],
                                   ignore_index=True))[0]
    if not np.array_equal(codes[:len(ids)], np.arange(len(ids))):
        raise ValueError("ids must be unique and not missing")
    found = codes[len(ids):]
    return np.where(found < len(ids), found, -1)


def _arrow_array(values: pd.Series):
    """The immutable Arrow array behind an Arrow text column, else None."""
    if not isinstance(values.dtype, pd.StringDtype) or values.dtype.storage != "pyarrow":
        return None
    return values.array._pa_array


def _remembered(values: pd.Series) -> tuple[np.ndarray, pd.Index] | None:
    array = _arrow_array(values)
    entry = _REMEMBERED.get(id(array)) if array is not None else None
    if entry is None or entry[0]() is not array or len(entry[1]) != len(values):
        return None
    return entry[1], entry[2]


def same_ids(values: pd.Index | pd.Series, ids: pd.Series) -> bool:
    """Whether ``values`` and ``ids`` (each without repeats) hold the same ids in any order: as many, each value
    among the ids. One hash pass in Arrow (pandas' ``isin`` on Arrow text walks Python strings: seconds for
    300,000 ids)."""
    if len(values) != len(ids):
        return False
    as_text = [pa.array(pd.Series(column).astype("str").array) for column in (values, ids)]
    return bool(pc.all(pc.is_in(as_text[0], value_set=as_text[1])).as_py())
