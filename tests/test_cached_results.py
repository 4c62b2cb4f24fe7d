"""Cached stages hand every caller the same object (``st.cache_resource``: no copy per call), so nothing may modify
what a cached stage returned. Each value is pickled the moment it is cached; after every page has run on the
sample data (each twice), every cached value must still equal that copy."""
import dataclasses
import pickle

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from streamlit.runtime.caching.cache_resource_api import ResourceCache, _resource_caches

from tests.apptest_helpers import errors, fresh_app, page_path
from tests.test_pages_without_data import PAGE_FILES


@pytest.fixture
def as_cached(monkeypatch) -> dict:
    """(function key, value key) -> the pickled value as it was written to a resource cache."""
    written = {}
    write_result = ResourceCache.write_result

    def recording(cache, value_key, value, messages):
        written[(cache.key, value_key)] = pickle.dumps(value)
        return write_result(cache, value_key, value, messages)

    monkeypatch.setattr(ResourceCache, "write_result", recording)
    return written


def cached_values() -> dict:
    """Every value in Streamlit's resource caches, by (function key, value key), with the function's name."""
    values = {}
    for caches in _resource_caches._function_caches.values():
        for function_key, cache in caches.items():
            with cache._mem_cache_lock:
                values |= {(function_key, value_key): (cache.display_name, result.value)
                           for value_key, result in cache._mem_cache.items()}
    return values


def same(a, b) -> bool:
    """Equal content (pickles of equal frames can differ in pandas' internal block layout)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, (pd.DataFrame, pd.Series, pd.Index)):
        return a.equals(b) and (not isinstance(a, pd.DataFrame) or a.dtypes.equals(b.dtypes))
    if isinstance(a, np.ndarray):
        return a.dtype == b.dtype and np.array_equal(a, b, equal_nan=a.dtype.kind in "fc")
    if isinstance(a, (pa.Table, pa.Array, pa.ChunkedArray)):
        return a.equals(b)
    if dataclasses.is_dataclass(a):
        return all(same(getattr(a, f.name), getattr(b, f.name)) for f in dataclasses.fields(a))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[key], b[key]) for key in a)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(map(same, a, b))
    if isinstance(a, float) and np.isnan(a):
        return np.isnan(b)
    return a == b


def test_no_page_modifies_what_a_cached_stage_returned(as_cached):
    at = fresh_app(timeout=120).run()
    for page in ["streamlit_app.py", *map(page_path, PAGE_FILES)]:
        at.switch_page(page).run()
        at.run()
        assert not at.exception and not errors(at), page
    now = cached_values()
    assert len(as_cached) >= 20 and set(now) <= set(as_cached)  # reading, cleaning, scoring, profiles, ... cached
    changed = [name for key, (name, value) in now.items() if not same(value, pickle.loads(as_cached[key]))]
    assert not changed, changed
