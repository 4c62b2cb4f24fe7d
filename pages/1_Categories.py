"""Categories: keyword rules that sort products into categories, with live coverage, gaps and conflicts."""
import hashlib

import pandas as pd
import streamlit as st

from core import categories as cat
from core import charts
from core.errors import InputError
from core.formatting import format_number
from ui import state
from ui.widgets import chart_with_download, seed_widget

st.set_page_config(page_title="Categories", page_icon="🏷️", layout="wide")
state.require_data()
st.title("Product categories")
st.caption("Keyword rules put every product into a category. Rules are checked from the top (priority 1) down and "
           "the first matching rule wins; products no rule matches go to “Other”.")

PAGE = "categories_page"     # page-local bookkeeping: editor version, a notice and the figures before a change
LANGUAGES = {"ru": "Russian home goods", "en": "English gift & home"}
NEW_CATEGORY = "➕ New category…"
page = st.session_state.setdefault(PAGE, {"version": 0, "notice": None, "before": None})
settings, rules, lines, language = state.settings(), state.rules(), state.lines(), state.language()
version = page["version"]
figures = cat.coverage(lines)
COVERAGE = {"coverage_rows": "Order lines categorised", "coverage_revenue": "Revenue categorised",
            "coverage_names": "Product names categorised"}


def count(number: int, one: str, many: str) -> str:
    return f"{format_number(number)} {one if number == 1 else many}"


def save(notice: str | None = None, **changes) -> None:
    """Store new settings (rules, language), start a fresh editor and rerun; the next run shows the change."""
    state.update_settings(**changes)
    page.update(version=version + 1, notice=notice, before={key: figures[key] for key in COVERAGE})
    st.rerun()


@st.cache_data(max_entries=4, show_spinner="Looking for products matched by several categories…")
def conflicts(names_key: str, rules_key: str, _names: pd.Series, _rules: tuple) -> pd.DataFrame:
    return cat.matching_rules(_names, _rules)


names = pd.Series(lines["product"].unique())
names_key = hashlib.sha256(pd.util.hash_pandas_object(names, index=False).to_numpy().tobytes()).hexdigest()
found = cat.explain_conflicts(
    conflicts(names_key, hashlib.sha256(cat.rules_to_csv(rules)).hexdigest(), names, rules), rules, lines)
uncat = cat.uncategorised(lines)

if page["notice"]:
    st.success(page["notice"])
before, page["notice"], page["before"] = page["before"], None, None
for cell, (key, label) in zip(st.columns(3), COVERAGE.items()):
    change = round((figures[key] - before[key]) * 100, 1) if before else 0
    delta = f"{change:+.1f} pp" if change else None
    cell.metric(label, f"{figures[key]:.1%}", delta, help="Share that got a category other than “Other”.")
used = list(dict.fromkeys(rule.category for rule in rules))
source = ("your edited rules" if settings.rules is not None
          else f"the default {LANGUAGES[language]} rules")
enabled = format_number(sum(rule.enabled for rule in rules))
st.caption(f"In force: {source} — {count(len(rules), 'rule', 'rules')}, {enabled} enabled, "
           f"{count(len(used), 'category', 'categories')}.")

tabs = st.tabs(["Rules", f"Uncategorised ({format_number(len(uncat))})", f"Conflicts ({format_number(len(found))})",
                "By category", "Import, export, reset"])

with tabs[0]:
    st.markdown("Edit cells directly; add a rule in the empty row at the bottom; select rows on the left and press "
                "the bin to delete them. **To move a rule, type the position you want into its Priority** "
                "(1 = checked first); the table re-sorts at once.")
    edited = st.data_editor(
        cat.rules_to_editor_frame(rules), key=f"rules_editor_{version}", num_rows="dynamic", hide_index=True,
        width="stretch", height=460,
        column_config={
            "priority": st.column_config.NumberColumn(
                "Priority", help="Position in the checking order. Type a smaller number to move the rule up, a "
                                 "larger one to move it down.", min_value=1, step=1, format="%d", width="small"),
            "keyword": st.column_config.TextColumn("Keyword", help="Text looked for in product names (letter case "
                                                   "and ё/е do not matter).", max_chars=cat.MAX_KEYWORD_LENGTH),
            "category": st.column_config.TextColumn("Category", help="An existing category (see below) or a new "
                                                    "name.", max_chars=cat.MAX_CATEGORY_LENGTH),
            "mode": st.column_config.SelectboxColumn(
                "Match", options=cat.MATCH_MODES, default="contains", required=True,
                help="contains: anywhere in the name · whole word · starts with: the start of a word · regex"),
            "enabled": st.column_config.CheckboxColumn("On", default=True, help="Untick to switch a rule off."),
        })
    st.caption("Categories: " + " · ".join(used) if used else "No rules yet: add one in the table above.")
    try:
        new_rules = cat.rules_from_editor(edited)
    except InputError as exc:
        st.error(f"{exc} Row numbers count the table's rows from the top. The last valid rules stay in force.")
        if st.button("Discard my edits"):
            save()
    else:
        if new_rules != rules:
            save(rules=new_rules)

with tabs[1]:
    if uncat.empty:
        st.success("Every product has a category.")
    else:
        st.markdown(f"**{format_number(len(uncat))}** product names with **{format_number(uncat['rows'].sum())}** "
                    f"order lines and **{format_number(uncat['revenue'].sum())}** revenue have no category.")
        left, right = st.columns([3, 2])
        left.dataframe(uncat, hide_index=True, width="stretch", height=420, column_config={
            "product": "Product", "rows": st.column_config.NumberColumn("Lines", format="localized"),
            "revenue": st.column_config.NumberColumn("Revenue", format="localized")})
        words = cat.frequent_words(uncat["product"], revenue=uncat["revenue"])
        with right:
            st.markdown("**Add a rule from a frequent word**")
            if words.empty:
                st.info("No usable words in these names; add rules in the Rules tab.")
            else:
                counts = words.set_index("word")
                word = st.selectbox("Word in uncategorised names", counts.index, key=f"add_word_{version}",
                                    format_func=lambda w: f"{w} — {format_number(counts.loc[w, 'names'])} names, "
                                                          f"{format_number(counts.loc[w, 'revenue'])} revenue")
                keyword = st.text_input("Keyword", value=word, key=f"add_keyword_{version}_{word}",
                                        help="Shorten it to a stem to catch other word forms too.")
                mode = st.selectbox("Match", cat.MATCH_MODES, index=cat.MATCH_MODES.index("starts with"),
                                    key=f"add_mode_{version}")
                category = st.selectbox("Category", [*used, NEW_CATEGORY], key=f"add_category_{version}")
                if category == NEW_CATEGORY:
                    category = st.text_input("New category name", key=f"add_new_category_{version}")
                if st.button("Add rule", type="primary"):
                    try:
                        added = cat.append_rule(rules, keyword, category, mode)
                    except InputError as exc:
                        st.error(str(exc))
                    else:
                        save(f"Added rule #{len(added)}: “{added[-1].keyword}” ({mode}) → {added[-1].category}.",
                             rules=added)
                st.caption("The rule goes to the end of the list, so it only picks up products no other rule "
                           "matches: nothing already categorised moves. Change its priority in the Rules tab.")
            st.dataframe(words, hide_index=True, width="stretch", height=260, column_config={
                "word": "Word", "names": st.column_config.NumberColumn("Names", format="localized"),
                "revenue": st.column_config.NumberColumn("Revenue", format="localized")})

with tabs[2]:
    if found.empty:
        st.success("No product is matched by rules of different categories.")
    else:
        st.markdown(f"**{format_number(len(found))}** product names match rules of more than one category. The rule "
                    "with the smallest priority number wins; to let another one win, give it a smaller number in "
                    "the Rules tab.")
        st.dataframe(found, hide_index=True, width="stretch", height=420, column_config={
            "product": st.column_config.TextColumn("Product", width="medium"),
            "revenue": st.column_config.NumberColumn("Revenue", format="localized", width="small"),
            "category": "Category now", "winner": "Winning rule",
            "others": st.column_config.TextColumn("Also matched by (other categories)", width="large")})

with tabs[3]:
    summary = cat.category_summary(lines).reset_index()
    chart_with_download(charts.category_chart(summary, other=cat.OTHER), summary, "categories")

with tabs[4]:
    st.download_button("Download the rules (CSV)", cat.rules_to_csv(rules), file_name="category_rules.csv",
                       mime="text/csv", help="Columns keyword, category, mode, enabled, in priority order.")
    uploaded = st.file_uploader("Import rules from CSV (replaces the current rules)", type=["csv", "txt"],
                                key=f"rules_file_{version}", help="UTF-8 CSV with columns keyword and category, "
                                "optionally mode and enabled; comma or semicolon separated; top row first.")
    if uploaded is not None:
        try:
            imported = cat.rules_from_csv(uploaded.getvalue())
        except InputError as exc:
            st.error(str(exc))
        else:
            save(f"Imported {count(len(imported), 'rule', 'rules')} from {uploaded.name}.", rules=imported)
    st.divider()
    choice = st.columns([1, 2])[0].selectbox(
        "Default rule set", ["auto", *LANGUAGES], key=seed_widget("rules_language", settings.language or "auto"),
        format_func=lambda code: LANGUAGES.get(code, "Automatic, from the product names"))
    if (choice if choice != "auto" else None) != settings.language:
        save(language=choice if choice != "auto" else None)
    st.caption("You have edited the rules, so the default set is not in force; reset to use it."
               if settings.rules is not None else "The default set is in force; any edit makes it your own copy.")
    if st.button(f"Reset to the default {LANGUAGES[language]} rules", disabled=settings.rules is None):
        save(f"Reset to the default {LANGUAGES[language]} rules.", rules=None)
