"""Integer codes for the values of a column, so a million lines are grouped and joined on integers.

Text is hashed once per stage (``pd.factorize``); sorting then touches only the distinct values.
"""
from __future__ import annotations

import numpy as np
import pandas as pd


def sorted_codes(values: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """``pd.factorize(values, sort=True)``: codes (int64, -1 = missing) numbered in ascending value order and the
    distinct values in that order. For Arrow text only the distinct values are sorted (pandas' ``sort=True``
    converts them to Python objects first); other dtypes use pandas' own rule."""
    if not isinstance(values.dtype, pd.StringDtype):
        return pd.factorize(values, sort=True)
    codes, distinct = pd.factorize(values)
    order = distinct.argsort()
    rank = np.empty(len(order) + 1, dtype=np.int64)
    rank[order] = np.arange(len(order))
    rank[-1] = -1  # code -1 (missing) stays -1
    return rank[codes], distinct.take(order)


def positions(values: pd.Series, ids: pd.Series) -> np.ndarray:
    """For each of ``values`` its position in ``ids`` (unique), -1 where absent or missing: one hash pass over
    both instead of an index lookup (which hashes Python strings for Arrow text)."""
    codes = pd.factorize(pd.concat([pd.Series(ids, copy=False), pd.Series(values, copy=False)],
                                   ignore_index=True))[0]
    if not np.array_equal(codes[:len(ids)], np.arange(len(ids))):
        raise ValueError("ids must be unique and not missing")
    found = codes[len(ids):]
    return np.where(found < len(ids), found, -1)
