"""Categories: keyword rules that sort products into categories, with live coverage, gaps and conflicts."""
import hashlib

import pandas as pd
import streamlit as st

from core import categories as cat
from core import charts
from core.errors import InputError
from core.formatting import format_money, format_number, format_percent
from core.i18n import segment_name
from ui import state
from ui.state import t, tn
from ui.widgets import chart_with_download, seed_widget

lang = state.start_page("pages/1_Categories.py")
state.require_data()

PAGE = "categories_page"     # page-local bookkeeping: editor version, a notice and the figures before a change
LANGUAGES = {code: t(f"categories.ruleset.{code}") for code in cat.LANGUAGES}
NEW_CATEGORY = "➕"           # the "new category" choice (shown as "➕ New category…")
page = st.session_state.setdefault(PAGE, {"version": 0, "notice": None, "before": None})
settings, rules, lines, language = state.settings(), state.rules(), state.lines(), state.language()
version = page["version"]
figures = cat.coverage(lines)
COVERAGE = {f"coverage_{part}": t(f"categories.coverage_{part}") for part in ("rows", "revenue", "names")}
money = state.currency()


def save(notice: str | None = None, **changes) -> None:
    """Store new settings (rules, language), start a fresh editor and rerun; the next run shows the change."""
    state.update_settings(**changes)
    page.update(version=version + 1, notice=notice, before={key: figures[key] for key in COVERAGE})
    st.rerun()


@st.cache_resource(max_entries=4, show_spinner=False)
def conflicts(names_key: str, rules_key: str, _names: pd.Series, _rules: tuple) -> pd.DataFrame:
    return cat.matching_rules(_names, _rules)


names = pd.Series(lines["product"].unique())
names_key = hashlib.sha256(pd.util.hash_pandas_object(names, index=False).to_numpy().tobytes()).hexdigest()
with st.spinner(t("categories.spinner_conflicts")):
    found = cat.explain_conflicts(
        conflicts(names_key, hashlib.sha256(cat.rules_to_csv(rules)).hexdigest(), names, rules), rules, lines)
uncat = cat.uncategorised(lines)

if page["notice"]:
    st.success(page["notice"])
before, page["notice"], page["before"] = page["before"], None, None
for cell, (key, label) in zip(st.columns(3), COVERAGE.items()):
    change = round((figures[key] - before[key]) * 100, 1) if before else 0
    sign = "+" if change > 0 else "-" if change < 0 else ""
    delta = t("categories.delta_pp", change=sign + format_number(abs(change), 1, lang)) if change else None
    cell.metric(label, format_percent(figures[key], 1, lang), delta, help=t("categories.coverage_help"))
used = list(dict.fromkeys(rule.category for rule in rules))
source = (t("categories.source_edited") if settings.rules is not None
          else t("categories.source_default", ruleset=LANGUAGES[language]))
enabled = format_number(sum(rule.enabled for rule in rules), lang=lang)
st.caption(t("categories.in_force", source=source, rules=tn("count.rules", len(rules)), enabled=enabled,
             categories=tn("count.categories", len(used))))

tabs = st.tabs([t("categories.tab_rules"), t("categories.tab_uncategorised", n=format_number(len(uncat), lang=lang)),
                t("categories.tab_conflicts", n=format_number(len(found), lang=lang)), t("categories.tab_by_category"),
                t("categories.tab_files")])

with tabs[0]:
    st.markdown(t("categories.rules_help"))
    edited = st.data_editor(
        cat.rules_to_editor_frame(rules), key=f"rules_editor_{version}", num_rows="dynamic", hide_index=True,
        width="stretch", height=460,
        column_config={
            "priority": st.column_config.NumberColumn(
                t("categories.priority"), help=t("categories.priority_help"), min_value=1, step=1, format="%d",
                width="small"),
            "keyword": st.column_config.TextColumn(t("categories.keyword"), help=t("categories.keyword_help"),
                                                   max_chars=cat.MAX_KEYWORD_LENGTH),
            "category": st.column_config.TextColumn(t("common.category"), help=t("categories.category_help"),
                                                    max_chars=cat.MAX_CATEGORY_LENGTH),
            "mode": st.column_config.SelectboxColumn(
                t("categories.match"), options=cat.MATCH_MODES, default="contains", required=True,
                help=t("categories.match_help")),
            "enabled": st.column_config.CheckboxColumn(t("categories.on"), default=True, help=t("categories.on_help")),
        })
    st.caption(t("categories.used", categories=" · ".join(used)) if used else t("categories.no_rules"))
    try:
        new_rules = cat.rules_from_editor(edited)
    except InputError as exc:
        st.error(t("categories.editor_error", error=exc))
        if st.button(t("categories.discard")):
            save()
    else:
        if new_rules != rules:
            save(rules=new_rules)

with tabs[1]:
    if uncat.empty:
        st.success(t("categories.all_categorised"))
    else:
        st.markdown(t("categories.uncategorised", names=format_number(len(uncat), lang=lang),
                      rows=format_number(uncat["rows"].sum(), lang=lang),
                      revenue=format_money(uncat["revenue"].sum(), money, lang=lang)))
        left, right = st.columns([3, 2])
        left.dataframe(uncat, hide_index=True, width="stretch", height=420, column_config={
            "product": t("common.product"),
            "rows": st.column_config.NumberColumn(t("common.lines"), format="localized"),
            "revenue": st.column_config.NumberColumn(t("common.revenue"), format="localized")})
        words = cat.frequent_words(uncat["product"], revenue=uncat["revenue"])
        with right:
            st.markdown(t("categories.add_from_word"))
            if words.empty:
                st.info(t("categories.no_words"))
            else:
                counts = words.set_index("word")
                options = {w: t("categories.word_option", word=w,
                                names=format_number(counts.loc[w, "names"], lang=lang),
                                revenue=format_money(counts.loc[w, "revenue"], money, lang=lang))
                           for w in counts.index}
                word = st.selectbox(t("categories.word"), counts.index, key=f"add_word_{version}",
                                    format_func=options.get)
                keyword = st.text_input(t("categories.keyword"), value=word, key=f"add_keyword_{version}_{word}",
                                        help=t("categories.stem_help"))
                mode = st.selectbox(t("categories.match"), cat.MATCH_MODES,
                                    index=cat.MATCH_MODES.index("starts with"), key=f"add_mode_{version}")
                new_label = t("categories.new_category")
                category = st.selectbox(t("common.category"), [*used, NEW_CATEGORY], key=f"add_category_{version}",
                                        format_func=lambda c: new_label if c == NEW_CATEGORY else c)
                if category == NEW_CATEGORY:
                    category = st.text_input(t("categories.new_category_name"), key=f"add_new_category_{version}")
                if st.button(t("categories.add_rule"), type="primary"):
                    try:
                        added = cat.append_rule(rules, keyword, category, mode)
                    except InputError as exc:
                        st.error(state.text(exc))
                    else:
                        save(t("categories.added", number=len(added), keyword=added[-1].keyword, mode=mode,
                               category=added[-1].category), rules=added)
                st.caption(t("categories.add_caption"))
            st.dataframe(words, hide_index=True, width="stretch", height=260, column_config={
                "word": t("categories.word_column"),
                "names": st.column_config.NumberColumn(t("categories.names_column"), format="localized"),
                "revenue": st.column_config.NumberColumn(t("common.revenue"), format="localized")}, placeholder="—")

with tabs[2]:
    if found.empty:
        st.success(t("categories.no_conflicts"))
    else:
        st.markdown(t("categories.conflicts", n=format_number(len(found), lang=lang)))
        st.dataframe(found, hide_index=True, width="stretch", height=420, column_config={
            "product": st.column_config.TextColumn(t("common.product"), width="medium"),
            "revenue": st.column_config.NumberColumn(t("common.revenue"), format="localized", width="small"),
            "category": t("categories.category_now"), "winner": t("categories.winner"),
            "others": st.column_config.TextColumn(t("categories.others"), width="large")}, placeholder="—")

with tabs[3]:
    summary = cat.category_summary(lines).reset_index()
    other = segment_name(cat.OTHER, lang)                    # the catch-all category in the interface language
    summary["category"] = summary["category"].replace(cat.OTHER, other)
    chart_with_download(charts.category_chart(summary, money, other=other), summary, "categories")

with tabs[4]:
    st.download_button(t("categories.download_rules"), cat.rules_to_csv(rules), file_name="category_rules.csv",
                       mime="text/csv", help=t("categories.download_help"))
    uploaded = st.file_uploader(t("categories.import"), type=["csv", "txt"], key=f"rules_file_{version}",
                                help=t("categories.import_help"))
    if uploaded is not None:
        try:
            imported = cat.rules_from_csv(uploaded.getvalue())
        except InputError as exc:
            st.error(state.text(exc))
        else:
            save(t("categories.imported", rules=tn("count.rules", len(imported)), name=uploaded.name), rules=imported)
    st.divider()
    rule_sets = {"auto": t("categories.auto_set"), **LANGUAGES}
    choice = st.columns([1, 2])[0].selectbox(
        t("categories.default_set"), ["auto", *LANGUAGES],
        key=seed_widget("rules_language", settings.language or "auto"), format_func=rule_sets.get)
    if (choice if choice != "auto" else None) != settings.language:
        save(language=choice if choice != "auto" else None)
    st.caption(t("categories.edited_caption") if settings.rules is not None else t("categories.default_caption"))
    if st.button(t("categories.reset", ruleset=LANGUAGES[language]), disabled=settings.rules is None):
        save(t("categories.reset_done", ruleset=LANGUAGES[language]), rules=None)
