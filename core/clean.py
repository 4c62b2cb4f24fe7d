"""Cleaning of canonical order lines with a row-accounting report.

Every input row is either kept or counted under exactly one drop reason, so
``input_rows == kept_rows + sum(dropped.values())`` always holds. Steps run in the order of ``DROP_REASONS``;
a row is counted under the first reason that drops it. All steps are vectorised and depend on values only
(not on row order), except that exact duplicates keep one of several identical rows, which are equal anyway.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from core.settings import CleaningPolicy

DROP_REASONS: dict[str, str] = {
    "missing_customer": "Customer id is empty",
    "unparseable_date": "Date is empty or not a date",
    "invalid_quantity": "Quantity is not a finite number",
    "invalid_price": "Price is not a finite number",
    "return_or_cancellation": "Return or cancellation (negative quantity or order id starting with C)",
    "return_without_purchase": "Return of a customer with no purchase left (returns netted)",
    "zero_quantity": "Quantity is zero",
    "non_positive_price": "Price is zero or negative",
    "exact_duplicate": "Exact duplicate of another line",
    "duplicate_order_line": "Same customer, order and product again (the latest line is kept)",
    "shared_order": "Order id used by several customers",
    "quantity_limit": "Quantity at or above the limit",
}


@dataclass(frozen=True)
class CleaningReport:
    """Row accounting: ``input_rows = kept_rows + sum(dropped.values())``; ``filled_from_order`` lines were kept
    after taking an empty customer id or date from the other lines of their order."""

    input_rows: int
    kept_rows: int
    dropped: dict[str, int]
    filled_from_order: int = 0
    returns_kept: int = 0

    def table(self) -> pd.DataFrame:
        """One row per reason plus the kept total: reason, description, rows, share of input (0..1)."""
        rows = [(key, DROP_REASONS[key], count) for key, count in self.dropped.items()]
        rows.append(("kept", "Kept for analysis", self.kept_rows))
        frame = pd.DataFrame(rows, columns=["reason", "description", "rows"])
        frame["share"] = frame["rows"] / self.input_rows if self.input_rows else 0.0
        return frame


@dataclass(frozen=True)
class CleanResult:
    """Clean lines (canonical columns + ``revenue`` and ``is_return``) and the report."""

    lines: pd.DataFrame
    report: CleaningReport = field(repr=False)


def clean(canonical: pd.DataFrame, policy: CleaningPolicy) -> CleanResult:
    """Apply ``policy`` to canonical lines (see ``core.io.to_canonical``) and count every dropped row.

    Adds ``revenue = quantity * price`` (negative for returns kept under ``returns="net"``) and ``is_return``.
    The index of the result is the input's positional row number, so a kept line can be traced back.
    """
    lines = canonical.reset_index(drop=True)
    input_rows = len(lines)
    dropped = dict.fromkeys(DROP_REASONS, 0)
    filled = _fill_from_order(lines) if policy.fill_from_order else 0

    def drop(reason: str, mask: pd.Series | np.ndarray) -> None:
        nonlocal lines
        mask = np.asarray(mask, dtype=bool)
        dropped[reason] += int(mask.sum())
        if mask.any():
            lines = lines[~mask]

    drop("missing_customer", lines["customer_id"].isna().to_numpy())
    drop("unparseable_date", lines["date"].isna().to_numpy())
    drop("invalid_quantity", ~np.isfinite(lines["quantity"].to_numpy(dtype=float, na_value=np.nan)))
    drop("invalid_price", ~np.isfinite(lines["price"].to_numpy(dtype=float, na_value=np.nan)))

    is_return = _return_mask(lines)
    if policy.returns == "drop":
        drop("return_or_cancellation", is_return)
        lines = lines.assign(is_return=False)
    else:
        lines = lines.assign(is_return=is_return, quantity=np.where(is_return, -lines["quantity"].abs(),
                                                                    lines["quantity"]))
    drop("zero_quantity", (lines["quantity"] == 0).to_numpy())
    drop("non_positive_price", (lines["price"] <= 0).to_numpy())
    if policy.drop_exact_duplicates:
        drop("exact_duplicate", lines.duplicated(keep="first").to_numpy())
    if policy.dedupe_order_lines:
        drop("duplicate_order_line", _superseded_order_lines(lines))
    if policy.drop_shared_orders:
        customers_per_order = lines.groupby("order_id", sort=False)["customer_id"].transform("nunique")
        drop("shared_order", (customers_per_order > 1).to_numpy())
    if policy.quantity_limit is not None:
        drop("quantity_limit", (lines["quantity"] >= policy.quantity_limit).to_numpy())
    if policy.returns == "net":
        buys = lines.loc[~lines["is_return"], "customer_id"].unique()
        drop("return_without_purchase", (lines["is_return"] & ~lines["customer_id"].isin(buys)).to_numpy())

    lines = lines.assign(revenue=lines["quantity"] * lines["price"])
    report = CleaningReport(input_rows=input_rows, kept_rows=len(lines), dropped=dropped,
                            filled_from_order=filled, returns_kept=int(lines["is_return"].sum()))
    return CleanResult(lines=lines, report=report)


def _fill_from_order(lines: pd.DataFrame) -> int:
    """Fill empty customer ids and dates from the other lines of the same order, in place.

    Only orders with exactly one distinct non-empty value are filled. Returns the number of lines changed.
    """
    changed = np.zeros(len(lines), dtype=bool)
    if "order_id" not in lines or lines["order_id"].isna().all():
        return 0
    for column in ("customer_id", "date"):
        missing = lines[column].isna() & lines["order_id"].notna()
        if not missing.any():
            continue
        known = lines.loc[lines[column].notna() & lines["order_id"].isin(lines.loc[missing, "order_id"]),
                          ["order_id", column]].drop_duplicates()
        unique_per_order = known.drop_duplicates("order_id", keep=False).set_index("order_id")[column]
        missing_orders = lines.loc[missing, "order_id"]
        fill = unique_per_order.reindex(missing_orders).set_axis(missing_orders.index).dropna()
        lines.loc[fill.index, column] = fill
        changed[fill.index] = True
    return int(changed.sum())


def _return_mask(lines: pd.DataFrame) -> np.ndarray:
    """Returns/cancellations: negative quantity, or an order id of the form ``C<digits>`` (UCI cancellations)."""
    negative = (lines["quantity"] < 0).to_numpy()
    cancelled = lines["order_id"].str.match(r"^[Cc]\d").fillna(False).to_numpy(dtype=bool)
    return negative | cancelled


def _superseded_order_lines(lines: pd.DataFrame) -> np.ndarray:
    """Mask of lines repeated later for the same (customer, order, product): the latest timestamp is kept.

    Ties in timestamp are broken by quantity and price (values, not row order), so shuffled input keeps the
    same line.
    """
    order = np.lexsort((lines["price"].to_numpy(), lines["quantity"].to_numpy(), lines["date"].to_numpy()))
    ordered = lines.iloc[order]
    superseded = ordered.duplicated(["customer_id", "order_id", "product"], keep="last").to_numpy()
    mask = np.empty(len(lines), dtype=bool)
    mask[order] = superseded
    return mask
