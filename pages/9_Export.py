"""Export: the segments workbook (Excel, with mailing lists), the customers CSV, the settings file and the PDF
report; uploading a settings file restores a saved analysis.

Session state: ``export_built`` — {"workbook" | "pdf": (basis, bytes, description)}: the last file built, kept
while its basis (data, settings, mailing lists, tests, clusters, CLV) is unchanged; ``export_restored`` — the
SHA-256 of the settings file in the uploader once applied, so it is applied once (cleared when the uploader is
emptied); the widget ``export_mailing``, seeded from the settings' ``mailing_lists``, which it writes back.
Reads ``test_results`` (Tests page, used when ``test_results_basis`` holds the current data and settings with the
same ``Settings.results_key``), ``cluster_labels`` / ``cluster_model`` (Clusters page, used when ``cluster_basis``
matches the current data and settings, ``core.clustering.export_key``) and ``clv_table`` (Forecast page, used when
``clv_basis`` matches the current data and settings, ``core.clv.export_key``; ``clv_label`` describes it).
"""
import dataclasses
import hashlib

import pandas as pd
import streamlit as st

from core import clustering, clv, export, pipeline, report
from core.codes import same_ids
from core.errors import InputError
from core.formatting import format_date, format_number
from core.settings import Settings
from ui import state
from ui.state import t
from ui.widgets import seed_widget

BUILT_KEY, RESTORED_KEY = "export_built", "export_restored"
TESTS_KEY, TESTS_BASIS_KEY = "test_results", "test_results_basis"
MODEL_KEY, CLUSTERS_BASIS_KEY = "cluster_model", "cluster_basis"
CLV_KEY, CLV_BASIS_KEY, CLV_LABEL_KEY = "clv_table", "clv_basis", "clv_label"
MAILING_WIDGET = "export_mailing"
# widgets that copy a setting and re-seed from the settings only when their key is absent (see ui.widgets)
SETTING_WIDGETS = ("policy_", "map_", "sheet_", "score_", "analysis_date_", "rules_language", "clusters_k",
                   "clusters_seed", "clusters_shares", "forecast_horizon", "forecast_unit", "forecast_discount",
                   "forecast_margin", MAILING_WIDGET)

lang = state.start_page("pages/9_Export.py")
money = state.currency()
state.require_data()


def restore(file) -> None:
    """Apply an uploaded settings file once: new settings, setting-bound widgets re-seeded, then rerun."""
    data = file.getvalue()
    digest = hashlib.sha256(data).hexdigest()
    if st.session_state.get(RESTORED_KEY) == digest:
        return
    try:
        restored = Settings.from_json(data)
    except InputError as exc:
        st.error(t("export.bad_settings", error=state.text(exc)))
        return
    st.session_state[state.SETTINGS_KEY] = restored
    for key in [k for k in st.session_state if str(k).startswith(SETTING_WIDGETS)]:
        del st.session_state[key]
    st.session_state[RESTORED_KEY] = digest
    st.session_state["export_notice"] = t("export.restored", name=file.name)
    st.rerun()


def current_analysis() -> pipeline.Analysis:
    return pipeline.Analysis(intake=state.intake(), prepared=state.prepared(), lines=state.lines(),
                             rules=state.rules(), segmentation=state.segmentation())


def test_results(settings: Settings) -> list:
    """The Tests page's results when they were computed on this data and on settings with the same figures
    (``Settings.results_key``: texts, language, currency and export choices may have changed since)."""
    results, digest = st.session_state.get(TESTS_KEY) or [], state.source().digest
    basis = st.session_state.get(TESTS_BASIS_KEY) or ""
    if not results or not basis.startswith(digest):
        return []
    try:
        held = Settings.from_json(basis.removeprefix(digest))
    except InputError:
        return []
    return list(results) if held.results_key() == settings.results_key() else []


def cluster_columns(customers: pd.DataFrame, settings: Settings) -> pd.DataFrame | None:
    """Cluster and cluster name (in the interface language) per customer (indexed by customer_id) from the
    Clusters page, when they were fitted on this data and these settings and fit these customers."""
    labels, model = st.session_state.get(clustering.LABELS_KEY), st.session_state.get(MODEL_KEY)
    basis = state.source().digest + clustering.export_key(settings, state.rules())
    if labels is None or model is None or st.session_state.get(CLUSTERS_BASIS_KEY) != basis:
        return None
    if not same_ids(labels.index, customers["customer_id"]):
        return None
    return clustering.export_columns(labels, model, lang)


def clv_columns(customers: pd.DataFrame, settings: Settings) -> pd.DataFrame | None:
    """P(alive), expected orders, expected order value and CLV per customer (indexed by customer_id) from the
    Forecast page, when they were computed on this data, these settings and forecast choices and fit these
    customers."""
    table = st.session_state.get(CLV_KEY)
    if table is None or st.session_state.get(CLV_BASIS_KEY) != state.source().digest + clv.export_key(settings):
        return None
    if not same_ids(table.index, customers["customer_id"]):
        return None
    return table


def store_mailing_lists() -> None:
    """``on_change`` of the mailing-list choice: the chosen segments go into the settings before the rerun."""
    state.update_settings(mailing_lists=tuple(st.session_state[MAILING_WIDGET]))


def built(kind: str, basis: str):
    entry = st.session_state.get(BUILT_KEY, {}).get(kind)
    return entry if entry and entry[0] == basis else None


def build(kind: str, basis: str, label: str, make) -> None:
    """Build a file inside a status box that lists the steps, and keep it for this basis."""
    with st.status(label, expanded=True) as status:
        try:
            data, description = make(status.write)
        except InputError as exc:
            status.update(label=t("export.build_failed", error=state.text(exc)), state="error")
            return
        status.update(label=t("export.ready", description=description), state="complete", expanded=False)
    st.session_state.setdefault(BUILT_KEY, {})[kind] = (basis, data, description)


if notice := st.session_state.pop("export_notice", None):
    st.success(notice)
settings = state.settings()
try:
    analysis = current_analysis()
except InputError as exc:
    st.error(t("export.analysis_failed", error=state.text(exc)))
    analysis = None

if analysis is not None:
    customers = analysis.segmentation.customers
    tests = test_results(settings)
    clusters, forecast = cluster_columns(customers, settings), clv_columns(customers, settings)
    parts = [part for part in (clusters, forecast) if part is not None]
    extra = pd.concat(parts, axis=1) if parts else None
    stem = analysis.intake.raw.file_name.rsplit(".", 1)[0] or "orders"
    digest = state.source().digest
    # the mailing lists change only the workbook: they join its basis below, so the PDF is kept
    basis = hashlib.sha256((digest + dataclasses.replace(settings, mailing_lists=()).to_json()
                            + repr([(r.question, r.test, r.p_value) for r in tests])
                            + ("" if extra is None else str(pd.util.hash_pandas_object(extra).sum()))
                            ).encode()).hexdigest()
    st.markdown(t("export.overview", customers=format_number(len(customers), lang=lang),
                  segments=format_number(customers["segment"].nunique(), lang=lang),
                  date=format_date(analysis.segmentation.analysis_date, lang)))
    extras = [text for text, present in (
        (t("export.included_tests"), bool(tests)),
        (t("export.included_clusters"), clusters is not None),
        (t("export.included_clv", label=st.session_state.get(CLV_LABEL_KEY, "")), forecast is not None),
    ) if present]
    if extras:
        st.caption(t("export.included", parts="; ".join(extras)))
    if settings.clusters is not None and clusters is None:
        st.caption(t("export.clusters_missing"))
    if settings.forecast is not None and forecast is None:
        st.caption(t("export.clv_missing"))

    st.subheader(t("export.workbook"))
    present = [str(s) for s in customers["segment"].cat.categories if (customers["segment"] == s).any()]
    chosen = st.multiselect(t("export.mailing_lists"), present, placeholder=t("export.mailing_placeholder"),
                            key=seed_widget(MAILING_WIDGET, [s for s in settings.mailing_lists if s in present]),
                            format_func=state.segment_name, on_change=store_mailing_lists)
    st.caption(t("export.sheets_with_tests" if tests else "export.sheets"))
    book_basis = basis + repr(settings.mailing_lists)
    slot = st.empty()
    if built("workbook", book_basis) is None and slot.button(t("export.create_workbook"), type="primary"):
        slot.empty()

        def make_book(say):
            data = export.workbook_bytes(analysis, settings, tests=tests or None, extra=extra,
                                         mailing_segments=chosen, progress=say, lang=lang, currency=money)
            return data, t("export.megabytes", size=format_number(len(data) / 2**20, 1, lang))
        build("workbook", book_basis, t("export.building_workbook"), make_book)
    if entry := built("workbook", book_basis):
        st.download_button(t("export.download_workbook", description=entry[2]), entry[1],
                           file_name=f"{stem}_segments.xlsx",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                           key="download_workbook", type="primary", on_click="ignore")

    st.subheader(t("export.pdf"))
    st.caption(t("export.pdf_caption_with_tests" if tests else "export.pdf_caption"))
    slot = st.empty()
    if built("pdf", basis) is None and slot.button(t("export.create_pdf")):
        slot.empty()

        def make_pdf(say):
            try:
                data = report.report_pdf(analysis, settings, tests=tests or None, progress=say, lang=lang,
                                         currency=money)
            except report.ReportError as exc:
                raise InputError(str(exc)) from None
            return data, t("export.pdf_size", pages=report.page_count(data),
                           size=format_number(len(data) / 2**10, 0, lang))
        build("pdf", basis, t("export.building_pdf"), make_pdf)
    if entry := built("pdf", basis):
        st.download_button(t("export.download_pdf", description=entry[2]), entry[1], file_name=f"{stem}_report.pdf",
                           mime="application/pdf", key="download_pdf", on_click="ignore")

    st.subheader(t("export.csv"))
    st.caption(t("export.csv_caption"))
    st.download_button(t("export.download_csv", rows=state.tn("count.rows", len(customers))),   # built on click
                       lambda: export.customers_csv(export.customers_table(analysis, extra), lang=lang),
                       file_name=f"{stem}_customers.csv", mime="text/csv", key="download_customers_csv",
                       on_click="ignore")

st.subheader(t("export.settings"))
st.caption(t("export.settings_caption"))
saved = export.settings_for_download(settings, analysis) if analysis is not None else settings
st.download_button(t("export.download_settings"), export.settings_json(saved), file_name="segment_settings.json",
                   mime="application/json", key="download_settings", on_click="ignore")
uploaded = st.file_uploader(t("export.restore"), type=["json"], key="settings_file")
if uploaded is not None:
    restore(uploaded)
else:                                       # an emptied uploader: the same file may be applied again later
    st.session_state.pop(RESTORED_KEY, None)
