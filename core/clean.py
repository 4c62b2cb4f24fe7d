"""Cleaning of canonical order lines with a row-accounting report.

Every input row is either kept or counted under exactly one drop reason, so
``input_rows == kept_rows + sum(dropped.values())`` always holds. Steps run in the order of ``DROP_REASONS``;
a row is counted under the first reason that drops it. All steps are vectorised and depend on values only
(not on row order), except that exact duplicates keep one of several identical rows, which are equal anyway.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from core.codes import remember, sorted_codes, taken_codes
from core.io import MISALIGNED
from core.settings import CleaningPolicy

DROP_REASONS: dict[str, str] = {
    "misaligned_line": "More values than the header has columns (a separator inside an unquoted value)",
    "missing_customer": "Customer id is empty",
    "missing_order": "Order id is empty",
    "unparseable_date": "Date is empty or not a date",
    "invalid_quantity": "Quantity is not a finite number",
    "invalid_price": "Price is not a finite number",
    "cancelled_status": "Order cancelled or refunded (status column)",
    "return_or_cancellation": "Return or cancellation (negative quantity or order id starting with C)",
    "return_without_purchase": "Return of a customer with no purchase left (returns netted)",
    "zero_quantity": "Quantity is zero",
    "non_positive_price": "Price is zero or negative",
    "exact_duplicate": "Exact duplicate of another line",
    "duplicate_order_line": "Same customer, order and product again (the latest line is kept)",
    "shared_order": "Order id used by several customers",
    "quantity_limit": "Quantity at or above the limit",
}


_VALUE_COLUMNS = ("date", "quantity", "price")  # the columns that are not ids or text
_LINE_KEY = ("customer_id", "order_id", "product")  # an order line
_MAX_RUNS = 64  # kept runs put together without copying (more chunks would slow later takes on the text)


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
    Every id and text column is coded once (``core.codes.sorted_codes``) and every step works on integer codes over
    the rows still kept; the frame itself is filtered once at the end (see :func:`_kept_lines`), and the codes of
    its text columns are handed on to the next stages (``core.codes.remember``).
    """
    lines = canonical.reset_index(drop=True)
    misaligned = lines.pop(MISALIGNED).to_numpy(dtype=bool) if MISALIGNED in lines else None
    coded = {column: sorted_codes(lines[column]) for column in lines.columns if column not in _VALUE_COLUMNS}
    codes = {column: column_codes for column, (column_codes, _) in coded.items()}
    filled = _fill_from_order(lines, codes, coded["customer_id"][1]) if policy.fill_from_order else 0
    date = lines["date"].to_numpy(dtype="datetime64[ns]")
    quantity = lines["quantity"].to_numpy(dtype=float, na_value=np.nan)
    price = lines["price"].to_numpy(dtype=float, na_value=np.nan)
    kept = np.ones(len(lines), dtype=bool)
    dropped = dict.fromkeys(DROP_REASONS, 0)

    def drop(reason: str, mask: np.ndarray) -> None:
        mask = mask & kept
        dropped[reason] += int(mask.sum())
        kept[mask] = False

    if misaligned is not None:
        drop("misaligned_line", misaligned)
    drop("missing_customer", codes["customer_id"] < 0)
    drop("missing_order", codes["order_id"] < 0)
    drop("unparseable_date", np.isnat(date))
    drop("invalid_quantity", ~np.isfinite(quantity))
    drop("invalid_price", ~np.isfinite(price))
    if "status" in coded:
        drop("cancelled_status", _cancelled_by_status(*coded["status"], codes["order_id"]))
    is_return = (quantity < 0) | _cancelled_orders(coded["order_id"][1], codes["order_id"])
    if policy.returns == "drop":
        drop("return_or_cancellation", is_return)
        is_return[:] = False
    drop("zero_quantity", quantity == 0)
    drop("non_positive_price", price <= 0)
    if policy.drop_exact_duplicates or policy.dedupe_order_lines:
        line = pd.factorize(_combined_codes([codes[name] for name in _LINE_KEY]))[0]  # (customer, order, product)
    if policy.drop_exact_duplicates:
        # Identical lines share the fate of every earlier (value-based) step, so duplicates can be found
        # over all lines and then restricted to the kept ones.
        drop("exact_duplicate", _exact_duplicates(line, codes, [date.view("i8"), quantity, price]))
    if policy.dedupe_order_lines:
        drop("duplicate_order_line", _superseded_order_lines(line, is_return, date, quantity, price, kept))
    if policy.drop_shared_orders:
        drop("shared_order", _shared_orders(codes["order_id"], codes["customer_id"], kept))
    if policy.quantity_limit is not None:
        drop("quantity_limit", quantity >= policy.quantity_limit)
    if policy.returns == "net":
        customer = codes["customer_id"]
        buyers = np.bincount(customer[kept & ~is_return], minlength=customer.max(initial=-1) + 1) > 0
        buyers = np.append(buyers, False)  # code -1 (no customer) reads the appended False
        drop("return_without_purchase", is_return & ~buyers[customer])

    signed_quantity = np.where(is_return, -np.abs(quantity), quantity)
    lines = _kept_lines(lines.assign(quantity=signed_quantity, is_return=is_return), kept)
    lines = lines.assign(revenue=lines["quantity"] * lines["price"])
    rows = np.flatnonzero(kept)
    for column, (_, ids) in coded.items():
        remember(lines[column], *taken_codes(codes[column], ids, rows))
    report = CleaningReport(input_rows=len(kept), kept_rows=len(lines), dropped=dropped,
                            filled_from_order=filled, returns_kept=int(lines["is_return"].sum()))
    return CleanResult(lines=lines, report=report)


def _kept_lines(lines: pd.DataFrame, kept: np.ndarray) -> pd.DataFrame:
    """``lines[kept]``. When the kept lines are a few runs of consecutive lines (a file with few lines dropped),
    the runs are put together instead: the Arrow text columns then share the input's memory as one chunk per run
    rather than being copied."""
    edges = np.flatnonzero(np.diff(kept.astype(np.int8), prepend=0, append=0))
    starts, ends = edges[::2], edges[1::2]
    if not 0 < len(starts) <= _MAX_RUNS:
        return lines[kept]
    return pd.concat([lines.iloc[start:end] for start, end in zip(starts, ends)]) if len(starts) > 1 else \
        lines.iloc[starts[0]:ends[0]]


def _fill_from_order(lines: pd.DataFrame, codes: dict[str, np.ndarray], customer_ids: pd.Index) -> int:
    """Fill empty customer ids and dates from the other lines of the same order, in place (``lines`` and the
    customer codes; ``customer_ids`` are the values of those codes).

    Only orders with exactly one distinct non-empty value are filled. Returns the number of lines changed.
    """
    order, customer = codes["order_id"], codes["customer_id"]
    rows, values = _values_from_order(customer, customer < 0, order)
    if len(rows):
        customer[rows] = values
        lines.loc[rows, "customer_id"] = customer_ids.take(values).to_numpy()
    stamps = lines["date"].to_numpy()
    date_rows, date_values = _values_from_order(stamps.view(np.int64), np.isnat(stamps), order)
    if len(date_rows):
        stamps = stamps.copy()
        stamps[date_rows] = date_values.view(stamps.dtype)
        lines["date"] = stamps
    return len(np.union1d(rows, date_rows))


def _values_from_order(values: np.ndarray, missing: np.ndarray, order: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The rows with a ``missing`` value whose order (code; -1 = none) has exactly one distinct known value, and
    that value (int64 arrays)."""
    targets = np.flatnonzero(missing & (order >= 0))
    if not len(targets):
        return targets, values[:0]
    wanted = np.zeros(order.max() + 1, dtype=bool)
    wanted[order[targets]] = True
    donors = np.flatnonzero(~missing & (order >= 0) & wanted[np.maximum(order, 0)])
    pair_order, pair_value = np.unique(np.stack([order[donors], values[donors]]), axis=1)
    distinct_values = np.bincount(pair_order, minlength=len(wanted))
    value_of = np.zeros(len(wanted), dtype=values.dtype)
    value_of[pair_order] = pair_value
    fillable = distinct_values[order[targets]] == 1
    return targets[fillable], value_of[order[targets[fillable]]]


CANCELLED_STATUS = re.compile(  # casefolded, ё as е, "_" and "-" as spaces; a status that starts so cancels
    r"^(?:cancel|refunded|void|returned|rejected|declined|отмен|возврат|возвращ|аннулир|отказ)")


def is_cancelled_status(status: str) -> bool:
    """Whether an order status says the order did not happen or was paid back in full: ``cancelled``,
    ``Refunded``, ``voided``, ``Отменён клиентом``, ``Возврат``; not ``paid``, ``partially_refunded``, ``Выполнен``."""
    text = " ".join(status.casefold().replace("ё", "е").replace("_", " ").replace("-", " ").split())
    return bool(CANCELLED_STATUS.match(text))


def _cancelled_by_status(status_codes: np.ndarray, statuses: pd.Index, order_codes: np.ndarray) -> np.ndarray:
    """Lines cancelled by their status: their own status cancels, or it is empty and another line of the same order
    has a cancelling status (Shopify writes the status on an order's first line only). Each distinct status is
    judged once (``statuses``: the distinct texts, ``status_codes``: each line's position in them, -1 = empty)."""
    cancelling = np.append(np.array([is_cancelled_status(text) for text in statuses], dtype=bool), False)
    own = cancelling[status_codes]
    cancelled_orders = np.zeros(order_codes.max(initial=-1) + 2, dtype=bool)  # the last slot: no order id
    cancelled_orders[order_codes[own & (order_codes >= 0)]] = True
    return own | ((status_codes < 0) & cancelled_orders[order_codes])


def _cancelled_orders(order_ids: pd.Index, order_codes: np.ndarray) -> np.ndarray:
    """Lines of cancellation invoices: an order id of the form ``C<digits>`` (UCI), checked once per distinct id
    (``order_ids``: the distinct ids, ``order_codes``: each line's position in them, -1 = none)."""
    cancelled = pd.Series(order_ids).str.match(r"^[Cc]\d").to_numpy(dtype=bool, na_value=False)
    return np.append(cancelled, False)[order_codes]  # code -1 (no order id) reads the appended False


def _exact_duplicates(line: np.ndarray, codes: dict[str, np.ndarray], values: list[np.ndarray]) -> np.ndarray:
    """Mask of lines identical to an earlier line in every column (``codes`` of the id and text columns, the other
    columns' ``values``). Identical lines are the same order line (``line``: codes of (customer, order, product)),
    so only the lines whose order line occurs more than once have their values compared."""
    rows = np.flatnonzero(np.bincount(line)[line] > 1)
    others = [column_codes[rows] for name, column_codes in codes.items() if name not in _LINE_KEY]
    key = _combined_codes([line[rows], *others, *(pd.factorize(column[rows])[0] for column in values)])
    mask = np.zeros(len(line), dtype=bool)
    mask[rows[pd.Series(key).duplicated(keep="first").to_numpy()]] = True
    return mask


def _combined_codes(columns: list[np.ndarray]) -> np.ndarray:
    """One int64 code per distinct combination of the code columns (each >= -1), equal rows equal codes."""
    combined, size = np.zeros(len(columns[0]), dtype=np.int64), 1
    for column in columns:
        width = int(column.max(initial=-1)) + 2
        if size * width >= 2**62:  # renumber the combinations so far before the product can overflow
            combined = pd.factorize(combined)[0]
            size = int(combined.max(initial=0)) + 1
        combined = combined * width + (column + 1)
        size *= width
    return combined


def _superseded_order_lines(line: np.ndarray, is_return: np.ndarray, date: np.ndarray, quantity: np.ndarray,
                            price: np.ndarray, kept: np.ndarray) -> np.ndarray:
    """Mask of kept lines repeated later for the same order line (``line``: codes of (customer, order, product)),
    purchase or return: the latest timestamp is kept, so a return kept under ``net`` never replaces the purchase
    it returns.

    Ties in timestamp are broken by quantity and price (values, not row order), so shuffled input keeps the
    same line. Only lines whose key occurs more than once among the kept lines are sorted.
    """
    rows = np.flatnonzero(kept)
    key = line[rows] * 2 + is_return[rows]
    repeated = np.bincount(key)[key] > 1
    rows, key = rows[repeated], key[repeated]
    order = np.lexsort((price[rows], quantity[rows], date[rows]))
    mask = np.zeros(len(kept), dtype=bool)
    mask[rows[order]] = pd.Series(key[order]).duplicated(keep="last").to_numpy()
    return mask


def _shared_orders(order: np.ndarray, customer: np.ndarray, kept: np.ndarray) -> np.ndarray:
    """Mask of kept lines whose order id belongs to more than one customer among the kept lines."""
    rows = kept & (order >= 0)
    if not rows.any():  # also guards the all-missing columns, whose max code is -1
        return np.zeros(len(kept), dtype=bool)
    some_customer = np.full(order.max() + 1, -1)
    some_customer[order[rows]] = customer[rows]
    shared = np.zeros(order.max() + 1, dtype=bool)
    shared[order[rows & (customer != some_customer[np.maximum(order, 0)])]] = True
    return (order >= 0) & shared[np.maximum(order, 0)]
