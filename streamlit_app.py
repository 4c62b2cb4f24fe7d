"""Home page: upload an order export, check the column mapping and cleaning, see the headline figures."""

import streamlit as st

from core import charts, customer_table
from core.errors import InputError
from core.formatting import format_money, format_number, format_period
from core.io import FIELDS, REQUIRED_FIELDS, auto_map
from core.orders import kpis, revenue_by_month
from core.settings import RETURN_POLICIES, CleaningPolicy
from ui import state
from ui.state import t
from ui.widgets import chart_with_download, seed_widget

lang = state.start_page("streamlit_app.py")


def show_figures(figures: dict, money: str) -> None:
    """The period and the four headline metrics of ``core.orders.kpis`` (or ``customer_table.kpis``)."""
    st.markdown(t("home.period", period=format_period(figures["first_date"], figures["last_date"], lang)))
    cells = st.columns(4)
    cells[0].metric(t("common.customers"), format_number(figures["customers"], lang=lang))
    cells[1].metric(t("common.orders"), format_number(figures["orders"], lang=lang))
    cells[2].metric(t("common.revenue"), format_money(figures["revenue"], money, lang=lang))
    cells[3].metric(t("common.average_order"), format_money(figures["aov"], money, decimals=2, lang=lang))


uploaded = st.file_uploader(t("home.uploader"), type=["csv", "txt", "tsv", "xlsx", "xlsm", "parquet"],
                            key="orders_file", help=t("home.uploader_help"))
if uploaded is not None:
    state.use_upload(uploaded.name, uploaded.getvalue())

state.sidebar()
source = state.source()
left, right, _ = st.columns([1, 1, 3])
if left.button(t("home.use_sample"), disabled=source is not None and source.is_sample):
    state.use_sample()
    st.rerun()
if right.button(t("home.remove_data"), disabled=source is None):
    state.use_no_data()
    st.rerun()

if source is None:
    st.info(t("home.no_data"))
    st.stop()
if source.is_sample:
    st.info(t("home.sample_note"))

if state.is_customer_table():
    try:
        loaded = state.customer_input()
    except InputError as exc:
        st.error(state.text(exc))
        st.stop()
    table, found = loaded.customers, loaded.source
    st.subheader(t("home.customer_table"))
    st.markdown(t("home.customer_table_note", name=found["file"], format=str(found["format"]).upper(),
                  columns=", ".join(f"{field} ← {column}" for field, column in found["columns"].items())))
    show_figures(customer_table.kpis(table), state.currency())
    st.info(t("home.customer_table_pages"))
    st.page_link("pages/2_Segments.py", label=t("segments.page_title"), icon="🎯")
    with st.expander(t("home.preview")):
        st.dataframe(table.head(200), hide_index=True, width="stretch", placeholder="—")
    st.stop()

sheet_key = f"sheet_{source.digest[:12]}"
try:
    raw = state.raw_table()
except InputError as exc:
    st.error(state.text(exc))
    if state.settings().sheet is not None and st.button(t("home.default_sheet")):    # a sheet without a table
        state.choose_sheet(None)
        st.session_state.pop(sheet_key, None)
        st.rerun()
    st.stop()

settings = state.settings()
st.subheader(t("home.file"))
file_facts = {t("home.file"): raw.file_name, t("home.format"): raw.format.upper(),
              t("home.rows"): format_number(raw.rows, lang=lang),
              t("home.columns"): format_number(len(raw.columns), lang=lang)}
if raw.format == "csv":
    file_facts |= {t("home.encoding"): raw.encoding,
                   t("home.delimiter"): {"\t": t("home.tab"), " ": t("home.space")}.get(raw.delimiter, raw.delimiter)}
st.markdown(" · ".join(f"{name}: **{value}**" for name, value in file_facts.items()))
for note in raw.notes:                                  # lines not UTF-8, sheets without a table skipped
    st.warning(state.text(note))
if len(raw.sheets) > 1:
    sheet = st.selectbox(t("home.sheet"), raw.sheets, key=seed_widget(sheet_key, raw.sheet))
    if sheet != raw.sheet:
        state.choose_sheet(sheet)
        st.rerun()

NOT_MAPPED = ""                                          # shown as "(not mapped)" in the interface language
columns = list(raw.columns)
proposal = {**auto_map(columns), **settings.mapping}
try:
    intake = state.intake()
    mapping_error = None
except InputError as exc:
    intake, mapping_error = None, state.text(exc)

with st.expander(t("home.mapping"), expanded=mapping_error is not None):
    st.caption(t("home.mapping_caption"))
    chosen, not_mapped = {}, t("home.not_mapped")     # format functions must not look the language up later
    widget_suffix = f"{source.digest[:12]}_{raw.sheet or ''}"       # another sheet has other columns
    for row in range(0, len(FIELDS), 4):
        for cell, field in zip(st.columns(4), FIELDS[row:row + 4]):
            options = [NOT_MAPPED, *columns]
            current = proposal.get(field) or NOT_MAPPED
            label = t(f"field.{field}") + (" *" if field in REQUIRED_FIELDS else "")
            chosen[field] = cell.selectbox(
                label, options, key=seed_widget(f"map_{field}_{widget_suffix}",
                                                current if current in options else NOT_MAPPED),
                format_func=lambda column: not_mapped if column == NOT_MAPPED else column,
                on_change=state.touch_mapping, args=(field,))
    automatic = auto_map(columns)
    touched = state.touched_mapping()
    overrides = {field: ("" if column == NOT_MAPPED else column) for field, column in chosen.items()
                 if field in touched or (column if column != NOT_MAPPED else None) != automatic.get(field)}
    if overrides != settings.mapping:
        state.update_settings(mapping=overrides)
        st.rerun()

if mapping_error:
    st.error(mapping_error)
    st.stop()

with st.expander(t("home.cleaning")):
    policy = settings.cleaning
    returns = st.radio(t("home.returns"), RETURN_POLICIES, horizontal=True,
                       format_func={"drop": t("home.returns_drop"), "net": t("home.returns_net")}.get,
                       key=seed_widget("policy_returns", policy.returns))
    drop_exact = st.checkbox(t("home.drop_exact"), key=seed_widget("policy_exact", policy.drop_exact_duplicates))
    dedupe = st.checkbox(t("home.dedupe"), key=seed_widget("policy_dedupe", policy.dedupe_order_lines))
    shared = st.checkbox(t("home.shared"), key=seed_widget("policy_shared", policy.drop_shared_orders))
    fill = st.checkbox(t("home.fill"), key=seed_widget("policy_fill", policy.fill_from_order))
    limit_on = st.checkbox(t("home.limit_on"), key=seed_widget("policy_limit_on", policy.quantity_limit is not None))
    limit = st.number_input(t("home.limit"), min_value=1, step=1, disabled=not limit_on,
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

st.subheader(t("home.quality"))
st.markdown(t("home.kept", kept=format_number(report.kept_rows, lang=lang),
              total=format_number(report.input_rows, lang=lang),
              dropped=format_number(report.input_rows - report.kept_rows, lang=lang)))
accounting = report.table()
accounting["description"] = [t(f"clean.{reason}") for reason in accounting["reason"]]
st.dataframe(accounting[accounting["rows"] > 0], hide_index=True, width="stretch", column_config={
    "reason": None, "description": st.column_config.TextColumn(t("home.reason"), width="large"),   # long reasons
    "rows": st.column_config.NumberColumn(t("common.lines"), format="localized", width="small"),
    "share": st.column_config.NumberColumn(t("common.share"), format="percent", width="small")}, placeholder="—")
if report.filled_from_order:
    st.caption(t("home.filled", n=format_number(report.filled_from_order, lang=lang)))

st.subheader(t("home.glance"))
money = state.currency()
show_figures(kpis(prepared.orders, prepared.customers), money)

monthly = revenue_by_month(prepared.orders)
chart_with_download(charts.monthly_revenue_chart(monthly, money), monthly, "revenue_by_month")

with st.expander(t("home.preview")):
    st.dataframe(prepared.lines.head(200), hide_index=True, width="stretch", placeholder="—")
