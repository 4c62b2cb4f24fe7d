"""Shared test fixtures: paths to the repository, the bundled sample data and the shared real datasets."""
import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "datasets"
PRACTICUM_OLD = SHARED / "practicum" / "ecommerce_dataset.csv"
PRACTICUM_UPD = SHARED / "practicum" / "ecom_dataset_upd.csv"
KEYWORD_RULES = SHARED / "practicum" / "category_keyword_rules.csv"
ONLINE_RETAIL = SHARED / "online_retail_ii" / "online_retail_ii_2009-12.csv"
CDNOW = SHARED / "cdnow"


def unavailable(message: str) -> None:
    """A tool the test needs is missing: skip with ``message`` (shown by ``-ra``), or fail under CI (``CI`` set),
    where every test must run."""
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def shared_datasets() -> Path:
    """The shared real datasets folder; these tests need it (CI has it beside the repo)."""
    assert SHARED.is_dir(), f"expected the shared datasets at {SHARED}"
    return SHARED


def repeat_vs_single(analysis, names=("repeat", "single"), **options):
    """A hypothesis test result to export: spend of the repeat vs the single-order customers of ``analysis``
    (``core.stats.compare_two``; ``options`` such as metric_label, question, lang go to it)."""
    from core.stats import compare_two
    customers = analysis.segmentation.customers
    return compare_two(customers.loc[customers["frequency"] > 1, "monetary"],
                       customers.loc[customers["frequency"] == 1, "monetary"], names, **options)
