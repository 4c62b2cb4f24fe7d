"""Home page: upload an order export, check the column mapping and cleaning, see the headline figures."""

import streamlit as st

from core import charts
from core.errors import InputError
from core.formatting import format_money, format_number, format_period
from core.io import FIELDS, REQUIRED_FIELDS, auto_map
from core.orders import kpis, revenue_by_month
from core.settings import RETURN_POLICIES, CleaningPolicy
from ui import state
from ui.widgets import chart_with_download, seed_widget

st.set_page_config(page_title="Customer segments", page_icon="🛒", layout="wide")
state.init()
st.title("Customer segments for your shop")
st.caption("Upload your order export, check how its columns were understood, and see who your customers are. "
           "The other pages build categories, RFM segments, tests and exports from it.")

uploaded = st.file_uploader("Order export (CSV or Excel)", type=["csv", "txt", "tsv", "xlsx", "xlsm"],
                            key="orders_file",
                            help="One row per order line: date, customer, order, product, quantity, price.")
if uploaded is not None:
    state.use_upload(uploaded.name, uploaded.getvalue())

state.sidebar()
source = state.source()
left, right, _ = st.columns([1, 1, 3])
if left.button("Use the sample data", disabled=source is not None and source.is_sample):
    state.use_sample()
    st.rerun()
if right.button("Remove the data", disabled=source is None):
    state.use_no_data()
    st.rerun()

if source is None:
    st.info("No data loaded. Upload an order export above or use the sample data.")
    st.stop()
if source.is_sample:
    st.info("You are looking at **synthetic sample data** of a home-goods store. "
            "Upload your own order export above to analyse your shop.")

try:
    raw = state.raw_table()
except InputError as exc:
    st.error(str(exc))
    st.stop()

settings = state.settings()
st.subheader("File")
file_facts = {"File": raw.file_name, "Format": raw.format.upper(), "Rows": format_number(len(raw.frame)),
              "Columns": format_number(len(raw.frame.columns))}
if raw.format == "csv":
    file_facts |= {"Encoding": raw.encoding, "Delimiter": {"\t": "tab", " ": "space"}.get(raw.delimiter,
                                                                                           raw.delimiter)}
st.markdown(" · ".join(f"{name}: **{value}**" for name, value in file_facts.items()))
if len(raw.sheets) > 1:
    sheet = st.selectbox("Sheet", raw.sheets, index=raw.sheets.index(raw.sheet),
                         key=seed_widget(f"sheet_{source.digest[:12]}", raw.sheet))
    if sheet != raw.sheet:
        state.update_settings(sheet=sheet, mapping={})
        st.rerun()

NOT_MAPPED = "(not mapped)"
columns = list(raw.frame.columns)
proposal = {**auto_map(columns), **settings.mapping}
try:
    intake = state.intake()
    mapping_error = None
except InputError as exc:
    intake, mapping_error = None, str(exc)

with st.expander("Column mapping", expanded=mapping_error is not None):
    st.caption("Which column of your file holds each field. Required fields are marked *.")
    chosen = {}
    for position, field in enumerate(FIELDS):
        options = [NOT_MAPPED, *columns]
        current = proposal.get(field) or NOT_MAPPED
        label = f"{field} *" if field in REQUIRED_FIELDS else field
        chosen[field] = st.columns(4)[position % 4].selectbox(
            label, options, key=seed_widget(f"map_{field}_{source.digest[:12]}",
                                            current if current in options else NOT_MAPPED))
    automatic = auto_map(columns)
    overrides = {field: ("" if column == NOT_MAPPED else column) for field, column in chosen.items()
                 if (column if column != NOT_MAPPED else None) != automatic.get(field)}
    if overrides != settings.mapping:
        state.update_settings(mapping=overrides)
        st.rerun()

if mapping_error:
    st.error(mapping_error)
    st.stop()

with st.expander("Cleaning options"):
    policy = settings.cleaning
    returns = st.radio("Returns and cancellations", RETURN_POLICIES, horizontal=True,
                       format_func={"drop": "Drop them", "net": "Net them against the customer's spend"}.get,
                       key=seed_widget("policy_returns", policy.returns))
    drop_exact = st.checkbox("Drop exact duplicate lines", key=seed_widget("policy_exact", policy.drop_exact_duplicates))
    dedupe = st.checkbox("Keep only the latest line per customer, order and product",
                         key=seed_widget("policy_dedupe", policy.dedupe_order_lines))
    shared = st.checkbox("Drop orders shared by several customers",
                         key=seed_widget("policy_shared", policy.drop_shared_orders))
    fill = st.checkbox("Fill an empty customer or date from the other lines of the order",
                       key=seed_widget("policy_fill", policy.fill_from_order))
    limit_on = st.checkbox("Drop lines with a very large quantity",
                           key=seed_widget("policy_limit_on", policy.quantity_limit is not None))
    limit = st.number_input("Quantity at or above", min_value=1, step=1, disabled=not limit_on,
                            key=seed_widget("policy_limit", int(policy.quantity_limit or 1000)))
    new_policy = CleaningPolicy(returns=returns, drop_exact_duplicates=drop_exact, dedupe_order_lines=dedupe,
                                drop_shared_orders=shared, fill_from_order=fill,
                                quantity_limit=float(limit) if limit_on else None)
    if new_policy != policy:
        state.update_settings(cleaning=new_policy)
        st.rerun()

result = state.analysis()
if result is None:
    st.stop()
intake, prepared = result
report = prepared.report

st.subheader("Data quality")
st.markdown(f"**{format_number(report.kept_rows)}** of **{format_number(report.input_rows)}** lines kept for "
            f"analysis; {format_number(report.input_rows - report.kept_rows)} dropped.")
accounting = report.table()
st.dataframe(accounting[accounting["rows"] > 0], hide_index=True, width="stretch",
             column_config={"reason": None, "description": "Reason", "rows": st.column_config.NumberColumn(
                 "Lines", format="localized"), "share": st.column_config.NumberColumn("Share", format="percent")})
if report.filled_from_order:
    st.caption(f"{format_number(report.filled_from_order)} lines took their customer or date from their order.")

st.subheader("Your shop at a glance")
figures = kpis(prepared.orders, prepared.customers)
st.markdown(f"Period: **{format_period(figures['first_date'], figures['last_date'])}**")
cells = st.columns(4)
cells[0].metric("Customers", format_number(figures["customers"]))
cells[1].metric("Orders", format_number(figures["orders"]))
cells[2].metric("Revenue", format_money(figures["revenue"]))
cells[3].metric("Average order", format_money(figures["aov"], decimals=2))

monthly = revenue_by_month(prepared.orders)
chart_with_download(charts.monthly_revenue_chart(monthly), monthly, "revenue_by_month")

with st.expander("Preview of the clean lines (first 200)"):
    st.dataframe(prepared.lines.head(200), hide_index=True, width="stretch")
