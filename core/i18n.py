"""The one message catalogue of the interface: every text the app shows, in English and Russian.

``MESSAGES[key] = {"en": ..., "ru": ...}``; :func:`t` looks a key up and fills ``{placeholders}`` with
``str.format``; :func:`tn` picks a plural form (a tuple of forms: English one/other, Russian one/few/many).
Keys are dotted by page (``home.title``, ``segments.map_help``); ``segment.<name>`` are the display names of
the built-in segment and group names, which stay English inside (the CLI's JSON and the settings use them).
``errors.<module>.*`` are the errors and warnings core raises or returns as :class:`Message` (:func:`join` keeps a
list of them one). ``tests/test_i18n.py`` checks that every key has both languages with the same placeholders and that every
``t("...")`` key used in the sources exists.

Languages: the interface language (``Settings.ui_language``) is separate from ``Settings.language``, which picks
the category rule set for the product names (see ``ui.state.ui_language`` for the defaults).
"""
from __future__ import annotations

import numbers
import re
import string

import pandas as pd
from collections.abc import Sequence

LANGUAGES = ("en", "ru")
DEFAULT_LANGUAGE = "en"
LANGUAGE_NAMES = {"en": "English", "ru": "Русский"}

# Month and weekday names (nominative; Monday first, as pandas' day_of_week).
MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
    "ru": ("январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь", "ноябрь",
           "декабрь"),
}
SHORT_MONTHS = {
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
    "ru": ("янв", "фев", "мар", "апр", "май", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"),
}
WEEKDAYS = {
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "ru": ("понедельник", "вторник", "среда", "четверг", "пятница", "суббота", "воскресенье"),
}
SHORT_WEEKDAYS = {
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
    "ru": ("пн", "вт", "ср", "чт", "пт", "сб", "вс"),
}

MESSAGES: dict[str, dict[str, str | tuple[str, ...]]] = {
    # --- shared -------------------------------------------------------------------------------------------------
    "common.customers": {"en": "Customers", "ru": "Клиенты"},
    "common.orders": {"en": "Orders", "ru": "Заказы"},
    "common.revenue": {"en": "Revenue", "ru": "Выручка"},
    "common.average_order": {"en": "Average order", "ru": "Средний чек"},
    "common.share": {"en": "Share", "ru": "Доля"},
    "common.segment": {"en": "Segment", "ru": "Сегмент"},
    "common.category": {"en": "Category", "ru": "Категория"},
    "common.product": {"en": "Product", "ru": "Товар"},
    "common.lines": {"en": "Lines", "ru": "Строки"},
    "common.pct_customers": {"en": "% of customers", "ru": "% клиентов"},
    "common.pct_revenue": {"en": "% of revenue", "ru": "% выручки"},
    "common.download_csv": {"en": "Download data ({rows}, CSV)", "ru": "Скачать данные ({rows}, CSV)"},
    "common.fix_on_segments": {"en": "{error}. Fix it on the Segments page.",
                               "ru": "{error}. Исправьте это на странице «Сегменты»."},
    "common.any_month": {"en": "any month", "ru": "любой месяц"},
    "common.any_day": {"en": "any day", "ru": "любой день"},
    "count.customers": {"en": ("{n} customer", "{n} customers"),
                        "ru": ("{n} клиент", "{n} клиента", "{n} клиентов")},
    "count.rules": {"en": ("{n} rule", "{n} rules"), "ru": ("{n} правило", "{n} правила", "{n} правил")},
    "count.categories": {"en": ("{n} category", "{n} categories"),
                         "ru": ("{n} категория", "{n} категории", "{n} категорий")},

    # --- sidebar and state ---------------------------------------------------------------------------------------
    "sidebar.language": {"en": "Language · Язык", "ru": "Язык · Language"},
    "sidebar.currency": {"en": "Currency", "ru": "Валюта"},
    "sidebar.currency_auto": {"en": "Auto", "ru": "Авто"},
    "sidebar.currency_none": {"en": "None", "ru": "Нет"},
    "sidebar.currency_help": {"en": "The sign shown with money amounts. Auto: ₽ when the product names are "
                                    "Russian, otherwise no sign. None: never a sign.",
                              "ru": "Знак у денежных сумм. Авто: ₽, если названия товаров на русском, иначе без "
                                    "знака. Нет: без знака всегда."},
    "sidebar.no_data": {"en": "No data loaded.", "ru": "Данные не загружены."},
    "sidebar.sample": {"en": "Showing the bundled **sample data**. Upload your own export on the home page.",
                       "ru": "Показаны встроенные **демонстрационные данные**. Загрузите свою выгрузку на "
                             "главной странице."},
    "sidebar.data": {"en": "Data: **{name}**", "ru": "Данные: **{name}**"},
    "state.no_analysable_data": {
        "en": "No analysable data in this session (a browser reload starts a new session). Open the home page to "
              "upload an order export, load the sample data or fix the column mapping.",
        "ru": "В этом сеансе нет данных для анализа (перезагрузка страницы начинает новый сеанс). Откройте главную "
              "страницу, чтобы загрузить выгрузку заказов, включить демонстрационные данные или исправить "
              "сопоставление столбцов."},
    "state.go_home": {"en": "Go to the home page", "ru": "На главную страницу"},
    "state.needs_order_lines": {
        "en": "This page needs order lines, and the data is a customer table (one row per customer). Its "
              "segments are on the Segments page; upload an order export on the home page for this page.",
        "ru": "Этой странице нужны строки заказов, а загружена таблица клиентов (по строке на клиента). Её сегменты "
              "— на странице «Сегменты»; для этой страницы загрузите выгрузку заказов на главной."},
    "state.grouping.segment": {"en": "RFM segment", "ru": "RFM-сегмент"},
    "state.grouping.lifecycle": {"en": "Single vs repeat", "ru": "Разовые и повторные"},
    "state.grouping.dominant_category": {"en": "Dominant category", "ru": "Основная категория"},
    "spinner.read": {"en": "Reading the file…", "ru": "Читаю файл…"},
    "spinner.map": {"en": "Converting dates, numbers and ids…", "ru": "Преобразую даты, числа и идентификаторы…"},
    "spinner.prepare": {"en": "Cleaning lines and building orders and customers…",
                        "ru": "Очищаю строки, собираю заказы и клиентов…"},
    "spinner.categorise": {"en": "Sorting products into categories…", "ru": "Раскладываю товары по категориям…"},
    "spinner.dominant": {"en": "Finding each customer's main category…",
                         "ru": "Определяю основную категорию каждого клиента…"},
    "spinner.segment": {"en": "Scoring customers and assigning segments…",
                        "ru": "Оцениваю клиентов и распределяю по сегментам…"},

    # --- home page -----------------------------------------------------------------------------------------------
    "home.page_title": {"en": "Customer segments", "ru": "Сегменты клиентов"},
    "home.nav": {"en": "Home", "ru": "Главная"},
    "home.customer_table": {"en": "Customer table", "ru": "Таблица клиентов"},
    "home.customer_table_note": {
        "en": "**{name}** ({format}) is a customer table, one row per customer, built elsewhere (a Spark job, a "
              "warehouse query): the app continues from scoring onward. Columns used: {columns}.",
        "ru": "**{name}** ({format}) — таблица клиентов, по строке на клиента, собранная в другом месте (задание "
              "Spark, запрос к хранилищу): приложение продолжает с оценки клиентов. Использованы столбцы: "
              "{columns}."},
    "home.customer_table_pages": {
        "en": "With a customer table the Segments page works as with order lines (scores, segment map, totals). "
              "Pages that need the order lines themselves (categories, profiles, explore, plan, tests, clusters, "
              "forecast, export) ask for an order export.",
        "ru": "С таблицей клиентов страница «Сегменты» работает так же, как со строками заказов (баллы, карта "
              "сегментов, итоги). Страницам, которым нужны сами строки заказов (категории, профили, обзор, план, "
              "проверки, кластеры, прогноз, выгрузка), нужна выгрузка заказов."},
    "home.title": {"en": "Customer segments for your shop", "ru": "Сегменты клиентов вашего магазина"},
    "home.caption": {
        "en": "Upload your order export, check how its columns were understood, and see who your customers are. "
              "The other pages build categories, RFM segments, tests and exports from it.",
        "ru": "Загрузите выгрузку заказов, проверьте, как распознаны её столбцы, и посмотрите, кто ваши клиенты. "
              "Остальные страницы строят по ней категории, RFM-сегменты, проверки гипотез и выгрузки."},
    "home.uploader": {"en": "Order export (CSV or Excel)", "ru": "Выгрузка заказов (CSV или Excel)"},
    "home.uploader_help": {"en": "One row per order line: date, customer, order, product, quantity, price.",
                           "ru": "Одна строка на позицию заказа: дата, клиент, заказ, товар, количество, цена."},
    "home.use_sample": {"en": "Use the sample data", "ru": "Демо-данные"},
    "home.remove_data": {"en": "Remove the data", "ru": "Убрать данные"},
    "home.no_data": {"en": "No data loaded. Upload an order export above or use the sample data.",
                     "ru": "Данные не загружены. Загрузите выгрузку заказов выше или включите демонстрационные "
                           "данные."},
    "home.sample_note": {
        "en": "You are looking at **synthetic sample data** of a home-goods store. Upload your own order export "
              "above to analyse your shop.",
        "ru": "Вы смотрите **синтетические демонстрационные данные** магазина товаров для дома. Загрузите выше "
              "свою выгрузку заказов, чтобы проанализировать свой магазин."},
    "home.file": {"en": "File", "ru": "Файл"},
    "home.format": {"en": "Format", "ru": "Формат"},
    "home.rows": {"en": "Rows", "ru": "Строк"},
    "home.columns": {"en": "Columns", "ru": "Столбцов"},
    "home.encoding": {"en": "Encoding", "ru": "Кодировка"},
    "home.delimiter": {"en": "Delimiter", "ru": "Разделитель"},
    "home.tab": {"en": "tab", "ru": "табуляция"},
    "home.space": {"en": "space", "ru": "пробел"},
    "home.sheet": {"en": "Sheet", "ru": "Лист"},
    "home.default_sheet": {"en": "Read the first sheet with a table", "ru": "Прочитать первый лист с таблицей"},
    "home.not_mapped": {"en": "(not mapped)", "ru": "(не выбран)"},
    "home.mapping": {"en": "Column mapping", "ru": "Сопоставление столбцов"},
    "home.mapping_caption": {"en": "Which column of your file holds each field. Required fields are marked *.",
                             "ru": "Какой столбец вашего файла содержит каждое поле. Обязательные поля отмечены *."},
    "home.cleaning": {"en": "Cleaning options", "ru": "Параметры очистки"},
    "home.returns": {"en": "Returns and cancellations", "ru": "Возвраты и отмены"},
    "home.returns_drop": {"en": "Drop them", "ru": "Исключить"},
    "home.returns_net": {"en": "Net them against the customer's spend", "ru": "Вычесть из трат клиента"},
    "home.drop_exact": {"en": "Drop exact duplicate lines", "ru": "Удалить полностью совпадающие строки"},
    "home.dedupe": {"en": "Keep only the latest line per customer, order and product",
                    "ru": "Оставить только последнюю строку на клиента, заказ и товар"},
    "home.shared": {"en": "Drop orders shared by several customers",
                    "ru": "Удалить заказы, принадлежащие нескольким клиентам"},
    "home.fill": {"en": "Fill an empty customer or date from the other lines of the order",
                  "ru": "Заполнять пустого клиента или дату из других строк заказа"},
    "home.limit_on": {"en": "Drop lines with a very large quantity",
                      "ru": "Удалить строки с очень большим количеством"},
    "home.limit": {"en": "Quantity at or above", "ru": "Количество от"},
    "home.quality": {"en": "Data quality", "ru": "Качество данных"},
    "home.kept": {"en": "**{kept}** of **{total}** lines kept for analysis; {dropped} dropped.",
                  "ru": "В анализ вошли **{kept}** из **{total}** строк; исключено {dropped}."},
    "home.reason": {"en": "Reason", "ru": "Причина"},
    "home.filled": {"en": "{n} lines took their customer or date from their order.",
                    "ru": "Строк, получивших клиента или дату из своего заказа: {n}."},
    "home.glance": {"en": "Your shop at a glance", "ru": "Ваш магазин в цифрах"},
    "home.period": {"en": "Period: **{period}**", "ru": "Период: **{period}**"},
    "home.preview": {"en": "Preview of the clean lines (first 200)", "ru": "Очищенные строки (первые 200)"},
    "field.date": {"en": "date", "ru": "дата (date)"},
    "field.customer_id": {"en": "customer_id", "ru": "клиент (customer_id)"},
    "field.order_id": {"en": "order_id", "ru": "заказ (order_id)"},
    "field.product": {"en": "product", "ru": "товар (product)"},
    "field.quantity": {"en": "quantity", "ru": "количество (quantity)"},
    "field.price": {"en": "price", "ru": "цена (price)"},
    "field.country": {"en": "country", "ru": "страна (country)"},
    "field.status": {"en": "status", "ru": "статус (status)"},
    "field.product_code": {"en": "product_code", "ru": "артикул (product_code)"},
    "clean.misaligned_line": {
        "en": "More values than the header has columns (a separator inside an unquoted value)",
        "ru": "Значений больше, чем столбцов в заголовке (разделитель внутри значения без кавычек)"},
    "clean.missing_customer": {"en": "Customer id is empty", "ru": "Пустой идентификатор клиента"},
    "clean.missing_order": {"en": "Order id is empty", "ru": "Пустой номер заказа"},
    "clean.unparseable_date": {"en": "Date is empty or not a date", "ru": "Дата пустая или не распознана"},
    "clean.invalid_quantity": {"en": "Quantity is not a finite number", "ru": "Количество — не конечное число"},
    "clean.invalid_price": {"en": "Price is not a finite number", "ru": "Цена — не конечное число"},
    "clean.cancelled_status": {
        "en": "Order cancelled or refunded (status column)",
        "ru": "Заказ отменён или возвращён (столбец статуса)"},
    "clean.return_or_cancellation": {
        "en": "Return or cancellation (negative quantity or order id starting with C)",
        "ru": "Возврат или отмена (отрицательное количество или номер заказа на C)"},
    "clean.return_without_purchase": {
        "en": "Return of a customer with no purchase left (returns netted)",
        "ru": "Возврат клиента, у которого не осталось покупок (возвраты вычитаются)"},
    "clean.zero_quantity": {"en": "Quantity is zero", "ru": "Нулевое количество"},
    "clean.non_positive_price": {"en": "Price is zero or negative", "ru": "Цена нулевая или отрицательная"},
    "clean.exact_duplicate": {"en": "Exact duplicate of another line", "ru": "Полный дубликат другой строки"},
    "clean.duplicate_order_line": {
        "en": "Same customer, order and product again (the latest line is kept)",
        "ru": "Повтор того же клиента, заказа и товара (оставлена последняя строка)"},
    "clean.shared_order": {"en": "Order id used by several customers", "ru": "Номер заказа у нескольких клиентов"},
    "clean.quantity_limit": {"en": "Quantity at or above the limit", "ru": "Количество не меньше порога"},
    "clean.kept": {"en": "Kept for analysis", "ru": "Оставлено для анализа"},

    # --- Categories page -----------------------------------------------------------------------------------------
    "categories.page_title": {"en": "Categories", "ru": "Категории"},
    "categories.title": {"en": "Product categories", "ru": "Категории товаров"},
    "categories.caption": {
        "en": "Keyword rules put every product into a category. Rules are checked from the top (priority 1) down "
              "and the first matching rule wins; products no rule matches go to “Other”.",
        "ru": "Правила с ключевыми словами относят каждый товар к категории. Правила проверяются сверху вниз "
              "(с приоритета 1), срабатывает первое подходящее; товары, не подошедшие ни под одно правило, попадают "
              "в «Other» («Прочие»)."},
    "categories.ruleset.ru": {"en": "Russian home goods", "ru": "«Товары для дома» (русский)"},
    "categories.ruleset.en": {"en": "English gift & home", "ru": "«Подарки и дом» (английский)"},
    "categories.new_category": {"en": "➕ New category…", "ru": "➕ Новая категория…"},
    "categories.coverage_rows": {"en": "Order lines categorised", "ru": "Строк с категорией"},
    "categories.coverage_revenue": {"en": "Revenue categorised", "ru": "Выручки с категорией"},
    "categories.coverage_names": {"en": "Product names categorised", "ru": "Названий с категорией"},
    "categories.delta_pp": {"en": "{change} pp", "ru": "{change} п.\u00a0п."},
    "categories.coverage_help": {"en": "Share that got a category other than “Other”.",
                                 "ru": "Доля, получившая категорию, отличную от «Other» («Прочие»)."},
    "categories.spinner_conflicts": {"en": "Looking for products matched by several categories…",
                                     "ru": "Ищу товары, подходящие под несколько категорий…"},
    "categories.source_edited": {"en": "your edited rules", "ru": "ваши изменённые правила"},
    "categories.source_default": {"en": "the default {ruleset} rules", "ru": "стандартные правила {ruleset}"},
    "categories.in_force": {"en": "In force: {source} — {rules}, {enabled} enabled, {categories}.",
                            "ru": "Действуют: {source} — {rules}, включено {enabled}, {categories}."},
    "categories.tab_rules": {"en": "Rules", "ru": "Правила"},
    "categories.tab_uncategorised": {"en": "Uncategorised ({n})", "ru": "Без категории ({n})"},
    "categories.tab_conflicts": {"en": "Conflicts ({n})", "ru": "Конфликты ({n})"},
    "categories.tab_by_category": {"en": "By category", "ru": "По категориям"},
    "categories.tab_files": {"en": "Import, export, reset", "ru": "Импорт, экспорт, сброс"},
    "categories.rules_help": {
        "en": "Edit cells directly; add a rule in the empty row at the bottom; select rows on the left and press the "
              "bin to delete them. **To move a rule, type the position you want into its Priority** (1 = checked "
              "first); the table re-sorts at once.",
        "ru": "Редактируйте ячейки прямо в таблице; новое правило — в пустой строке внизу; чтобы удалить правила, "
              "выделите строки слева и нажмите корзину. **Чтобы переместить правило, впишите нужную позицию в его "
              "Приоритет** (1 — проверяется первым); таблица сразу пересортируется."},
    "categories.priority": {"en": "Priority", "ru": "Приоритет"},
    "categories.priority_help": {
        "en": "Position in the checking order. Type a smaller number to move the rule up, a larger one to move it "
              "down.",
        "ru": "Место в порядке проверки. Меньшее число поднимает правило выше, большее — опускает ниже."},
    "categories.keyword": {"en": "Keyword", "ru": "Ключевое слово"},
    "categories.keyword_help": {"en": "Text looked for in product names (letter case and ё/е do not matter).",
                                "ru": "Текст, который ищется в названиях товаров (регистр и ё/е не важны)."},
    "categories.category_help": {"en": "An existing category (see below) or a new name.",
                                 "ru": "Существующая категория (см. ниже) или новое название."},
    "categories.match": {"en": "Match", "ru": "Совпадение"},
    "categories.match_help": {
        "en": "contains: anywhere in the name · whole word · starts with: the start of a word · regex",
        "ru": "contains: в любом месте названия · whole word: целое слово · starts with: начало слова · regex: "
              "регулярное выражение"},
    "categories.on": {"en": "On", "ru": "Вкл."},
    "categories.on_help": {"en": "Untick to switch a rule off.", "ru": "Снимите флажок, чтобы отключить правило."},
    "categories.used": {"en": "Categories: {categories}", "ru": "Категории: {categories}"},
    "categories.no_rules": {"en": "No rules yet: add one in the table above.",
                            "ru": "Правил пока нет: добавьте правило в таблице выше."},
    "categories.editor_error": {
        "en": "{error} Row numbers count the table's rows from the top. The last valid rules stay in force.",
        "ru": "{error} Номера строк считаются сверху таблицы. Действуют последние корректные правила."},
    "categories.discard": {"en": "Discard my edits", "ru": "Отменить мои изменения"},
    "categories.all_categorised": {"en": "Every product has a category.", "ru": "У каждого товара есть категория."},
    "categories.uncategorised": {
        "en": "**{names}** product names with **{rows}** order lines and **{revenue}** revenue have no category.",
        "ru": "Без категории: **{names}** названий товаров, **{rows}** строк заказов, выручка **{revenue}**."},
    "categories.add_from_word": {"en": "**Add a rule from a frequent word**",
                                 "ru": "**Добавить правило по частому слову**"},
    "categories.no_words": {"en": "No usable words in these names; add rules in the Rules tab.",
                            "ru": "В этих названиях нет подходящих слов; добавьте правила на вкладке «Правила»."},
    "categories.word": {"en": "Word in uncategorised names", "ru": "Слово в названиях без категории"},
    "categories.word_option": {"en": "{word} — {names} names, {revenue} revenue",
                               "ru": "{word} — названий: {names}, выручка {revenue}"},
    "categories.stem_help": {"en": "Shorten it to a stem to catch other word forms too.",
                             "ru": "Сократите до основы слова, чтобы ловить и другие словоформы."},
    "categories.new_category_name": {"en": "New category name", "ru": "Название новой категории"},
    "categories.add_rule": {"en": "Add rule", "ru": "Добавить правило"},
    "categories.added": {"en": "Added rule #{number}: “{keyword}” ({mode}) → {category}.",
                         "ru": "Добавлено правило №{number}: «{keyword}» ({mode}) → {category}."},
    "categories.add_caption": {
        "en": "The rule goes to the end of the list, so it only picks up products no other rule matches: nothing "
              "already categorised moves. Change its priority in the Rules tab.",
        "ru": "Правило встаёт в конец списка и подхватывает только товары, которые не подошли ни под одно другое "
              "правило: уже распределённые товары не сдвинутся. Приоритет можно изменить на вкладке «Правила»."},
    "categories.word_column": {"en": "Word", "ru": "Слово"},
    "categories.names_column": {"en": "Names", "ru": "Названий"},
    "categories.no_conflicts": {"en": "No product is matched by rules of different categories.",
                                "ru": "Ни один товар не подходит под правила разных категорий."},
    "categories.conflicts": {
        "en": "**{n}** product names match rules of more than one category. The rule with the smallest priority "
              "number wins; to let another one win, give it a smaller number in the Rules tab.",
        "ru": "**{n}** названий товаров подходят под правила нескольких категорий. Побеждает правило с наименьшим "
              "номером приоритета; чтобы победило другое, дайте ему меньший номер на вкладке «Правила»."},
    "categories.category_now": {"en": "Category now", "ru": "Категория сейчас"},
    "categories.winner": {"en": "Winning rule", "ru": "Сработавшее правило"},
    "categories.others": {"en": "Also matched by (other categories)", "ru": "Также подходят (другие категории)"},
    "categories.download_rules": {"en": "Download the rules (CSV)", "ru": "Скачать правила (CSV)"},
    "categories.download_help": {"en": "Columns keyword, category, mode, enabled, in priority order.",
                                 "ru": "Столбцы keyword, category, mode, enabled в порядке приоритета."},
    "categories.import": {"en": "Import rules from CSV (replaces the current rules)",
                          "ru": "Импорт правил из CSV (заменяет текущие правила)"},
    "categories.import_help": {
        "en": "UTF-8 CSV with columns keyword and category, optionally mode and enabled; comma or semicolon "
              "separated; top row first.",
        "ru": "CSV в UTF-8 со столбцами keyword и category, по желанию mode и enabled; разделитель — запятая или "
              "точка с запятой; первая строка проверяется первой."},
    "categories.imported": {"en": "Imported {rules} from {name}.", "ru": "Импортировано из {name}: {rules}."},
    "categories.default_set": {"en": "Default rule set", "ru": "Стандартный набор правил"},
    "categories.auto_set": {"en": "Automatic, from the product names", "ru": "Автоматически, по названиям товаров"},
    "categories.edited_caption": {
        "en": "You have edited the rules, so the default set is not in force; reset to use it.",
        "ru": "Вы изменили правила, поэтому стандартный набор не действует; сбросьте правила, чтобы вернуть его."},
    "categories.default_caption": {"en": "The default set is in force; any edit makes it your own copy.",
                                   "ru": "Действует стандартный набор; любая правка создаёт вашу собственную копию."},
    "categories.reset": {"en": "Reset to the default {ruleset} rules", "ru": "Вернуть стандартные правила {ruleset}"},
    "categories.reset_done": {"en": "Reset to the default {ruleset} rules.",
                              "ru": "Возвращены стандартные правила {ruleset}."},

    # --- Segments page ---------------------------------------------------------------------------------------------
    "segments.page_title": {"en": "Segments", "ru": "Сегменты"},
    "segments.title": {"en": "RFM segments", "ru": "RFM-сегменты"},
    "segments.caption": {
        "en": "Customers are scored on **R**ecency (days since the last order), **F**requency (orders) and "
              "**M**onetary value (revenue), then put into segments by a map of score ranges. Choose how to score, "
              "edit the map and check the result.",
        "ru": "Клиенты получают баллы за давность (**R**ecency, дни с последнего заказа), частоту (**F**requency, "
              "число заказов) и деньги (**M**onetary, выручка), а затем попадают в сегменты по карте диапазонов "
              "баллов. Выберите способ оценки, отредактируйте карту и проверьте результат."},
    "segments.analysis_date": {"en": "Analysis date", "ru": "Дата анализа"},
    "segments.analysis_date_help": {
        "en": "Recency is counted up to this date and only purchases before it count. Default: {default}, the day "
              "after the last purchase. An earlier date shows the shop as it was then.",
        "ru": "Давность считается до этой даты, и учитываются только покупки до неё. По умолчанию: {default}, "
              "следующий день после последней покупки. Более ранняя дата показывает магазин таким, каким он был "
              "тогда."},
    "segments.scores": {"en": "Scores", "ru": "Баллы"},
    "segments.scores_caption": {
        "en": "**Quantile bins** split customers into equal groups; **cut points** are your own boundaries in the "
              "metric's unit, e.g. `1, 2, 4` orders give 1 | 2 | 3–4 | 5+. Higher score = better customer.",
        "ru": "**Квантили** делят клиентов на равные группы; **границы** — ваши собственные пороги в единицах "
              "показателя, например `1, 2, 4` заказа дают 1 | 2 | 3–4 | 5+. Больше балл — лучше клиент."},
    "segments.metric.R": {"en": "Recency", "ru": "Давность"},
    "segments.metric.F": {"en": "Frequency", "ru": "Частота"},
    "segments.metric.M": {"en": "Monetary", "ru": "Деньги"},
    "segments.unit.R": {"en": "days since the last purchase", "ru": "дней с последней покупки"},
    "segments.unit.F": {"en": "orders", "ru": "заказов"},
    "segments.unit.M": {"en": "revenue", "ru": "выручка"},
    "segments.scoring": {"en": "Scoring", "ru": "Способ оценки"},
    "segments.quantile": {"en": "Quantile bins", "ru": "Квантили"},
    "segments.cuts": {"en": "Cut points", "ru": "Границы"},
    "segments.bins": {"en": "Number of bins", "ru": "Число групп"},
    "segments.cuts_placeholder": {"en": "e.g. 1, 2, 4", "ru": "например 1, 2, 4"},
    "segments.cuts_help": {
        "en": "Ascending numbers separated by commas; each is the top of a bin (right-closed).",
        "ru": "Возрастающие числа через запятую (дробные — с точкой); каждое — верхняя граница группы "
              "(включительно)."},
    "segments.cuts_error": {"en": "{error}. Still using the previous scoring.",
                            "ru": "{error}. Пока действует прежний способ оценки."},
    "segments.score": {"en": "Score", "ru": "Балл"},
    "segments.range": {"en": "Range", "ru": "Диапазон"},
    "segments.merged": {"en": "merged", "ru": "объединён"},
    "segments.note_merged": {
        "en": "{metric}: {effective} of {requested} bins, equal values cannot be split so bins merged (scores used "
              "{used})",
        "ru": "{metric}: {effective} из {requested} групп — одинаковые значения нельзя разделить, поэтому группы "
              "объединены (использованы баллы {used})"},
    "segments.note_empty": {"en": "{metric}: no customers with score {scores}",
                            "ru": "{metric}: нет клиентов с баллом {scores}"},
    "segments.map": {"en": "Segment map", "ru": "Карта сегментов"},
    "segments.map_help": {
        "en": "Rules in **priority order**: a customer gets the first rule whose score ranges contain theirs; "
              "customers matching no rule go to **Other**. Leave M min/max blank for any M. Add rows at the bottom "
              "of the table; select rows on the left to delete them.",
        "ru": "Правила в **порядке приоритета**: клиент попадает в первое правило, в диапазоны которого входят его "
              "баллы; не подошедшие ни под одно правило попадают в **Прочие**. Оставьте M min/max пустыми, если M "
              "не важен. Новые строки добавляются внизу таблицы; чтобы удалить строки, выделите их слева."},
    "segments.map_misfit": {"en": "The map does not fit the current scores: {problems}.",
                            "ru": "Карта не подходит к текущим баллам: {problems}."},
    "segments.unmatched": {"en": "{unmatched:,} of {total:,} customers match no rule and end up in {other}",
                           "ru": "{unmatched:,} из {total:,} клиентов не подходят ни под одно правило и попадают в "
                                 "«{other}»"},
    "segments.use_default_for_bins": {"en": "Use the default map for R {r} × F {f} bins",
                                      "ru": "Взять стандартную карту для R {r} × F {f} групп"},
    "segments.reset_map": {"en": "Reset to the default map", "ru": "Вернуть стандартную карту"},
    "segments.map_fitted": {
        "en": "The default map follows the scores in use ({scores}): merged bins keep their meaning, e.g. when most "
              "customers ordered once, two-order customers count as the middle F, so recent ones are Potential "
              "Loyalists.",
        "ru": "Стандартная карта подстроена под используемые баллы ({scores}): объединённые группы сохраняют смысл — "
              "например, когда большинство клиентов заказывали один раз, клиенты с двумя заказами считаются средним "
              "F, и недавние из них — потенциально лояльные."},
    "segments.map_error": {"en": "{error}. The previous map stays in force until the table is fixed.",
                           "ru": "{error}. Пока таблица не исправлена, действует прежняя карта."},
    "segments.summary": {"en": "Segments", "ru": "Сегменты"},
    "segments.customers_as_of": {"en": "{customers} customers as of **{date}**.",
                                 "ru": "Клиентов на **{date}**: {customers}."},
    # --- recommendation texts (core.profiles; the English ones are the CLI's and the exports' defaults) ---
    "template.Champions": {
        "en": "Reward, don't discount: early access and loyalty perks on {categories}; ask for reviews. Send in "
              "{months}, on {weekday}. {verdict}",
        "ru": "Поощряйте, а не давайте скидки: ранний доступ и привилегии программы лояльности в категориях "
              "{categories}; попросите оставить отзыв. Когда: {months}, день недели: {weekday}. {verdict}"},
    "template.Loyal": {
        "en": "Upsell: bundles and premium items in {categories}; invite to the loyalty programme. Send in {months}, "
              "on {weekday}. {verdict}",
        "ru": "Допродажи: наборы и премиальные товары в категориях {categories}; пригласите в программу лояльности. "
              "Когда: {months}, день недели: {weekday}. {verdict}"},
    "template.Potential Loyalists": {
        "en": "Second-order incentive on {categories} (free delivery or a time-limited discount). Send in {months}, "
              "on {weekday}. {verdict}",
        "ru": "Стимул к следующему заказу в категориях {categories} (бесплатная доставка или скидка на ограниченное "
              "время). Когда: {months}, день недели: {weekday}. {verdict}"},
    "template.New": {
        "en": "Welcome series: how-to tips and a coupon for the next order in {categories}. Send in {months}, on "
              "{weekday}. {verdict}",
        "ru": "Приветственная серия: полезные советы и купон на следующий заказ в категориях {categories}. Когда: "
              "{months}, день недели: {weekday}. {verdict}"},
    "template.Promising": {
        "en": "Build the habit: recommendations from {categories} with a small free-delivery offer. Send in {months},"
              " on {weekday}. {verdict}",
        "ru": "Формируйте привычку: рекомендации из категорий {categories} и небольшое предложение с бесплатной "
              "доставкой. Когда: {months}, день недели: {weekday}. {verdict}"},
    "template.Need Attention": {
        "en": "Limited-time offer based on their past purchases in {categories}. Send in {months}, on {weekday}. "
              "{verdict}",
        "ru": "Ограниченное по времени предложение по их прошлым покупкам в категориях {categories}. Когда: {months},"
              " день недели: {weekday}. {verdict}"},
    "template.Cannot Lose Them": {
        "en": "Win them back personally: the strongest offer and new arrivals in {categories}. Send in {months}, on "
              "{weekday}. {verdict}",
        "ru": "Верните их лично: самое сильное предложение и новинки в категориях {categories}. Когда: {months}, день"
              " недели: {weekday}. {verdict}"},
    "template.At Risk": {
        "en": "Reactivation: a personal discount on {categories} and what is new since their last order. Send in "
              "{months}, on {weekday}. {verdict}",
        "ru": "Реактивация: персональная скидка в категориях {categories} и новинки с их последнего заказа. Когда: "
              "{months}, день недели: {weekday}. {verdict}"},
    "template.Hibernating": {
        "en": "Low-cost reminder: seasonal bestsellers and discounts in {categories}. Send in {months}, on {weekday}."
              " {verdict}",
        "ru": "Недорогое напоминание: сезонные хиты и скидки в категориях {categories}. Когда: {months}, день недели:"
              " {weekday}. {verdict}"},
    "template.Lost": {
        "en": 'One last win-back offer on {categories}, then stop mailing. Send in {months}, on {weekday}. {verdict}',
        "ru": "Последнее предложение вернуться в категориях {categories}, затем прекратите рассылку. Когда: {months},"
              " день недели: {weekday}. {verdict}"},
    "template.Single order": {
        "en": 'Second-order incentive on {categories}. Send in {months}, on {weekday}. {verdict}',
        "ru": 'Стимул ко второму заказу в категориях {categories}. Когда: {months}, день недели: {weekday}. {verdict}'},
    "template.Repeat": {
        "en": 'Loyalty perks and new arrivals in {categories}. Send in {months}, on {weekday}. {verdict}',
        "ru": "Привилегии постоянным клиентам и новинки в категориях {categories}. Когда: {months}, день недели: "
              "{weekday}. {verdict}"},
    "template.Other": {
        "en": 'Offer on {categories}. Send in {months}, on {weekday}. {verdict}',
        "ru": 'Предложение в категориях {categories}. Когда: {months}, день недели: {weekday}. {verdict}'},
    "profiles.no_categories": {"en": "your bestsellers", "ru": "«хиты продаж»"},
    "profiles.reason": {"en": "median {days} days since the last order; {share_revenue} of revenue from "
                              "{share_customers} of customers",
                        "ru": "медиана {days} дн. с последнего заказа; {share_revenue} выручки от {share_customers} "
                              "клиентов"},
    "profiles.reason_skip": {"en": "lapsed over {limit} days with below-average revenue per customer: {reason}",
                             "ru": "не покупают больше {limit} дней, выручка на клиента ниже средней: {reason}"},
    "profiles.reason_chosen_skip": {"en": "skipped by your choice ({reason})", "ru": "пропуск по вашему выбору ({reason})"},
    "profiles.reason_chosen_mail": {"en": "mailed by your choice ({reason})",
                                    "ru": "рассылка по вашему выбору ({reason})"},
    "profiles.skip_after": {"en": "Skip groups lapsed over this many days", "ru": "Пропускать группы без покупок дольше, дней"},
    "profiles.skip_after_help": {
        "en": "A group is flagged 'skip' when its median customer has not ordered for longer than this and it brings "
              "less revenue per customer than the shop average. Tick or untick 'Skip' in the table to decide "
              "yourself.",
        "ru": "Группа помечается «пропустить», если её медианный клиент не заказывал дольше этого срока и она "
              "приносит меньше выручки на клиента, чем в среднем по магазину. Отметьте или снимите «Пропустить» в "
              "таблице, чтобы решить самим."},
    "profiles.reset_skip": {"en": "Back to the rule for every group", "ru": "Вернуть правило для всех групп"},
    "profiles.verdict_skip": {"en": "Skip, not worth the spend: {reason}.",
                              "ru": "Пропустить, рассылка не окупится: {reason}."},
    "profiles.verdict_mail": {"en": "Worth the spend: {reason}.", "ru": "Рассылка окупится: {reason}."},

    # --- Profiles page ---------------------------------------------------------------------------------------------
    "profiles.page_title": {"en": "Profiles", "ru": "Профили"},
    "profiles.title": {"en": "Customer profiles", "ru": "Профили клиентов"},
    "profiles.caption": {
        "en": "Who each group of customers is, what and when they buy, and what to send them. Segments come from "
              "the **Segments** page; categories from the category rules.",
        "ru": "Кто входит в каждую группу клиентов, что и когда они покупают и что им отправить. Сегменты берутся "
              "со страницы **Сегменты**, категории — из правил категорий."},
    "profiles.spinner_profiles": {"en": "Profiling the groups…", "ru": "Составляю профили групп…"},
    "profiles.spinner_migration": {"en": "Scoring customers as of the earlier date…",
                                   "ru": "Оцениваю клиентов на более раннюю дату…"},
    "profiles.group_by": {"en": "Group customers by", "ru": "Группировать клиентов по"},
    "profiles.no_values": {"en": "No customer has a value for “{grouping}” (e.g. no product matched a category rule).",
                           "ru": "Ни у одного клиента нет значения «{grouping}» (например, ни один товар не подошёл "
                                 "под правила категорий)."},
    "profiles.left_out": {"en": "{n} customers without a value for “{grouping}” are left out.",
                          "ru": "Клиенты без значения «{grouping}» не учтены: {n}."},
    "profiles.who": {"en": "**Who they are**", "ru": "**Кто они**"},
    "profiles.avg_order": {"en": "Avg order", "ru": "Средний чек"},
    "profiles.avg_order_help": {"en": "Revenue per order", "ru": "Выручка на заказ"},
    "profiles.orders_each": {"en": "Orders each", "ru": "Заказов (ср.)"},
    "profiles.orders_each_help": {"en": "Mean orders per customer", "ru": "Среднее число заказов на клиента"},
    "profiles.days_since": {"en": "Days since order", "ru": "Дней с заказа"},
    "profiles.days_since_help": {"en": "Median days since the customer's last order",
                                 "ru": "Медиана дней с последнего заказа клиента"},
    "profiles.repeat": {"en": "Repeat buyers", "ru": "Доля повторных"},
    "profiles.repeat_help": {"en": "Customers with 2 or more orders", "ru": "Клиенты с 2 и более заказами"},
    "profiles.what_when": {"en": "**What and when they buy**", "ru": "**Что и когда покупают**"},
    "profiles.top_categories": {"en": "Top categories (share of revenue)", "ru": "Главные категории (доля выручки)"},
    "profiles.busiest_months": {"en": "Busiest months", "ru": "Пиковые месяцы"},
    "profiles.busiest_weekday": {"en": "Busiest weekday", "ru": "Пиковый день недели"},
    "profiles.recommendations": {"en": "Mailing recommendations", "ru": "Рекомендации для рассылок"},
    "profiles.template_error": {"en": "{error}. Showing the default texts.",
                                "ru": "{error}. Показаны тексты по умолчанию."},
    "profiles.recommendations_caption": {
        "en": "Send a month before the group's busiest two months, on its busiest weekday. **Skip** groups whose "
              "median customer has not ordered for over a year and who bring less revenue per customer than "
              "average.",
        "ru": "Отправляйте за месяц до двух самых активных месяцев группы, в её самый активный день недели. "
              "**Пропускайте** группы, чей типичный клиент не заказывал больше года и которые приносят меньше "
              "выручки на клиента, чем в среднем."},
    "profiles.skip_warning": {"en": "**Skip {segment}**: {reason}.", "ru": "**Пропустить «{segment}»**: {reason}."},
    "profiles.badge_skip": {"en": ":red-badge[Skip]", "ru": ":red-badge[Пропустить]"},
    "profiles.badge_mail": {"en": ":green-badge[Mail]", "ru": ":green-badge[Отправить]"},
    "profiles.as_table": {"en": "Recommendations as a table", "ru": "Рекомендации таблицей"},
    "profiles.skip": {"en": "Skip", "ru": "Пропустить"},
    "profiles.recommendation": {"en": "Recommendation", "ru": "Рекомендация"},
    "profiles.send_in": {"en": "Send in", "ru": "Когда"},
    "profiles.on": {"en": "On", "ru": "День"},
    "profiles.categories": {"en": "Categories", "ru": "Категории"},
    "profiles.why": {"en": "Why", "ru": "Почему"},
    "profiles.edit_texts": {"en": "Edit the recommendation texts", "ru": "Изменить тексты рекомендаций"},
    "profiles.edit_caption": {
        "en": "One text per group; blank = the default text. Placeholders filled in per group: {placeholders}. "
              "Groups without a text use **Other**. Your texts are used in both interface languages.",
        "ru": "Один текст на группу; пусто — текст по умолчанию. Подстановки для каждой группы: {placeholders}. "
              "Группы без текста используют текст **Прочие**. Ваши тексты действуют на обоих языках интерфейса."},
    "profiles.text": {"en": "Text", "ru": "Текст"},
    "profiles.edited": {"en": "Edited", "ru": "Изменён"},
    "profiles.reset_texts": {"en": "Reset all texts to the defaults", "ru": "Вернуть все тексты по умолчанию"},
    "profiles.texts_error": {"en": "{error}. The previous texts stay in force until the table is fixed.",
                             "ru": "{error}. Пока таблица не исправлена, действуют прежние тексты."},
    "profiles.migration": {"en": "Segment migration", "ru": "Переходы между сегментами"},
    "profiles.migration_caption": {
        "en": "RFM segments now compared with the same scoring and map applied to the orders before an earlier "
              "date.",
        "ru": "RFM-сегменты сейчас в сравнении с теми же правилами оценки и картой, применёнными к заказам до более "
              "ранней даты."},
    "profiles.days_earlier": {"en": "Compare with this many days earlier",
                              "ru": "Сравнить с датой на столько дней раньше"},
    "profiles.days_earlier_help": {"en": "At most {maximum} days: the earlier date needs orders before it.",
                                   "ru": "Не больше {maximum} дн.: до ранней даты должны быть заказы."},
    "profiles.migration_too_short": {"en": "The order history is too short to compare segments at two dates.",
                                     "ru": "История заказов слишком короткая, чтобы сравнить сегменты на две даты."},
    "profiles.error": {"en": "{error}.", "ru": "{error}."},
    "profiles.moves": {
        "en": "Of **{total}** customers on {now}, **{stayed}** were in the same segment on {before}, **{moved}** moved "
              "and **{new}** had not ordered yet.",
        "ru": "Из **{total}** клиентов на {now} **{stayed}** были в том же сегменте на {before}, **{moved}** перешли "
              "в другой и **{new}** ещё не делали заказов."},
    "profiles.migration_table": {"en": "Migration table", "ru": "Таблица переходов"},

    # --- Explore page --------------------------------------------------------------------------------------------
    "explore.page_title": {"en": "Explore", "ru": "Обзор"},
    "explore.title": {"en": "Explore your orders", "ru": "Обзор заказов"},
    "explore.caption": {
        "en": "When customers order, what each category brings and how often customers come back. The filters in "
              "the sidebar apply to every chart; the findings are computed from your data.",
        "ru": "Когда клиенты заказывают, что приносит каждая категория и как часто клиенты возвращаются. Фильтры на "
              "боковой панели действуют на все графики; выводы рассчитаны по вашим данным."},
    "explore.no_orders": {"en": "The data has no purchase orders to explore (only returns).",
                          "ru": "В данных нет заказов-покупок для обзора (только возвраты)."},
    "explore.showing": {"en": "Showing {filters}", "ru": "Показано: {filters}"},
    "explore.no_match": {
        "en": "No orders match these filters. Widen the dates or clear the category or customer filters in the "
              "sidebar.",
        "ru": "Под эти фильтры не подходит ни один заказ. Расширьте даты или очистите фильтры категорий и клиентов "
              "на боковой панели."},
    "explore.tab_time": {"en": "Time patterns", "ru": "Время заказов"},
    "explore.tab_categories": {"en": "Categories", "ru": "Категории"},
    "explore.tab_cohorts": {"en": "Cohorts and repeat orders", "ru": "Когорты и повторные заказы"},
    "explore.measure": {"en": "Measure", "ru": "Показатель"},
    "explore.metric.orders": {"en": "Orders", "ru": "Заказы"},
    "explore.metric.revenue": {"en": "Revenue", "ru": "Выручка"},
    "explore.metric.customers": {"en": "Customers", "ru": "Клиенты"},
    "explore.metric.aov": {"en": "Average order", "ru": "Средний чек"},
    "explore.no_hours": {"en": "The export has dates without a time of day, so there is no pattern by hour.",
                         "ru": "В выгрузке даты без времени суток, поэтому распределения по часам нет."},
    "explore.bubbles_caption": {
        "en": "Each bubble is a category: how many orders include it (across) and how much money it brings per such "
              "order (up, a 10 % trimmed mean, so one huge order does not decide it); bubble size is its revenue. "
              "The bars beside it give the average price per unit; hover for the plain mean and the shares.",
        "ru": "Каждый круг — категория: в скольких заказах она есть (по горизонтали) и сколько денег приносит на "
              "такой заказ (по вертикали, усечённое на 10 % среднее, чтобы один огромный заказ не решал); размер "
              "круга — её выручка. Столбцы рядом — средняя цена за единицу; наведите курсор, чтобы увидеть обычное "
              "среднее и доли."},
    "explore.ordered_once": {"en": "Ordered once", "ru": "Один заказ"},
    "explore.ordered_once_help": {"en": "{n} customers with a single order in the filtered data.",
                                  "ru": "Клиентов с единственным заказом в отфильтрованных данных: {n}."},
    "explore.orders_per_customer": {"en": "Orders per customer", "ru": "Заказов на клиента"},
    "explore.median_days": {"en": "Median days to the next order", "ru": "Медиана дней между заказами"},
    "explore.no_cohorts": {"en": "No customer placed a first order in the selected dates.",
                           "ru": "Ни один клиент не сделал первый заказ в выбранные даты."},
    "explore.cohort_measure": {"en": "Cohort measure", "ru": "Показатель когорт"},
    "explore.cohort.retention": {"en": "Retention", "ru": "Удержание"},
    "explore.cohort.revenue_per_customer": {"en": "Revenue per cohort customer", "ru": "Выручка на клиента когорты"},
    "explore.cohort.revenue": {"en": "Revenue", "ru": "Выручка"},
    "explore.cohort.customers": {"en": "Active customers", "ru": "Активные клиенты"},
    "explore.cohort_caption": {
        "en": "A cohort is the customers whose first order fell in that month; orders before the selected dates "
              "still count for who is new. Retention: the share of the cohort ordering again in a later month.",
        "ru": "Когорта — клиенты, чей первый заказ пришёлся на этот месяц; заказы до выбранных дат всё равно "
              "учитываются при определении новых клиентов. Удержание — доля когорты, заказавшая снова в один из "
              "следующих месяцев."},
    "explore.gap_under_day": {"en": "under a day", "ru": "меньше дня"},
    "explore.gap_days": {"en": "{low}–{high} days", "ru": "{low}–{high} дн."},
    "explore.gap_over_year": {"en": "over a year", "ru": "больше года"},
    "explore.no_gaps": {
        "en": "No customer has two orders in the filtered data, so there are no gaps between orders to show.",
        "ru": "Ни у одного клиента нет двух заказов в отфильтрованных данных, поэтому интервалов между заказами "
              "нет."},

    # --- Plan page -----------------------------------------------------------------------------------------------
    "plan.page_title": {"en": "Campaign plan", "ru": "План рассылок"},
    "plan.title": {"en": "Campaign plan", "ru": "План рассылок"},
    "plan.caption": {
        "en": "For each group of customers: when they order most, so when to send, on which weekday, and which "
              "categories to feature, with the audience size. Based on all orders in the data.",
        "ru": "Для каждой группы клиентов: когда они заказывают больше всего, а значит, когда отправлять, в какой "
              "день недели и какие категории показать, и размер аудитории. По всем заказам в данных."},
    "plan.no_orders": {"en": "The data has no purchase orders to plan from (only returns).",
                       "ru": "В данных нет заказов-покупок для планирования (только возвраты)."},
    "plan.no_segments": {
        "en": "Customer segments are not available (check the Segments page), so the plan treats all customers as "
              "one group.",
        "ru": "Сегменты клиентов недоступны (проверьте страницу «Сегменты»), поэтому план считает всех клиентов "
              "одной группой."},
    "plan.plan_for": {"en": "Plan for", "ru": "План для"},
    "plan.plan_for_help": {"en": "Segments from the Segments page, or other ways of grouping customers.",
                           "ru": "Сегменты со страницы «Сегменты» или другие способы группировки клиентов."},
    "plan.lead": {"en": "Send ahead of the peak by", "ru": "Отправить раньше пика на"},
    "plan.lead_0": {"en": "0 (in the peak)", "ru": "0 (в пик)"},
    "plan.lead_1": {"en": "1 month", "ru": "1 месяц"},
    "plan.lead_2": {"en": "2 months", "ru": "2 месяца"},
    "plan.lead_help": {"en": "Mail before the busiest two months so the offer arrives when customers are about to "
                             "buy.",
                       "ru": "Отправляйте до двух самых активных месяцев, чтобы предложение пришло, когда клиенты "
                             "собираются покупать."},
    "plan.top": {"en": "Categories to feature", "ru": "Сколько категорий показать"},
    "plan.no_values": {"en": "No customer has a value for “{grouping}” (e.g. no product matched a category rule). "
                             "Pick another grouping.",
                       "ru": "Ни у одного клиента нет значения «{grouping}» (например, ни один товар не подошёл под "
                             "правила категорий). Выберите другую группировку."},
    "plan.note_none": {"en": "no orders: no timing", "ru": "нет заказов: сроки не определить"},
    "plan.note_few": {"en": "only {orders} orders: the timing is a rough guess",
                      "ru": "всего заказов: {orders}, сроки — грубая оценка"},
    "plan.from_peak": {"en": "peak months", "ru": "пиковые месяцы"},
    "plan.from_all": {"en": "all months", "ru": "все месяцы"},
    "plan.which": {"en": "Which group, when, which categories", "ru": "Какая группа, когда, какие категории"},
    "plan.before_hour": {"en": ", before {hour}:00", "ru": ", до {hour}:00"},
    "plan.feature": {"en": "; feature **{categories}**", "ru": "; показать **{categories}**"},
    "plan.line": {"en": "- **{group}** ({audience}, {share} of revenue): send in **{months}**, on **{weekday}s**"
                        "{hour}{featured}.",
                  "ru": "- **{group}** ({audience}, {share} выручки): отправлять в период **{months}**, день недели "
                        "— **{weekday}**{hour}{featured}."},
    "plan.skipped": {"en": " :red-badge[Skip] not worth mailing (see Profiles).",
                     "ru": " :red-badge[Пропустить] рассылка не окупится (см. «Профили»)."},
    "plan.skip_help": {"en": "Groups the Profiles page marks as not worth mailing (its rule or your choice there).",
                       "ru": "Группы, которые страница «Профили» отмечает как не стоящие рассылки (по правилу или по "
                             "вашему выбору там)."},
    "plan.recency_caption": {
        "en": "Segments defined by recency (such as New or Lost) bought mostly in recent or in old months, so their "
              "busiest months partly reflect when they bought, not only the season.",
        "ru": "Сегменты, заданные давностью (например, «Новые» или «Потерянные»), покупали в основном в последние или "
              "в давние месяцы, поэтому их самые активные месяцы отчасти отражают время покупки, а не только "
              "сезон."},
    "plan.audience": {"en": "Audience", "ru": "Аудитория"},
    "plan.audience_help": {"en": "Customers in the group", "ru": "Клиентов в группе"},
    "plan.share_customers": {"en": "Share of customers", "ru": "Доля клиентов"},
    "plan.share_revenue": {"en": "Share of revenue", "ru": "Доля выручки"},
    "plan.send_on": {"en": "Send on", "ru": "День отправки"},
    "plan.busiest_hour": {"en": "Busiest hour", "ru": "Самый активный час"},
    "plan.feature_categories": {"en": "Feature categories", "ru": "Показать категории"},
    "plan.categories_from": {"en": "Categories from", "ru": "Категории по"},
    "plan.note": {"en": "Note", "ru": "Примечание"},
    "plan.download": {"en": "Download the plan ({rows}, CSV)", "ru": "Скачать план ({rows}, CSV)"},
    "plan.calendar": {"en": "Calendar", "ru": "Календарь"},
    "plan.calendar_caption": {
        "en": "Each row is a group; colour shows how busy each calendar month is for it compared with its average "
              "month (orders per month, averaged over the years in the data). ✉ marks the months to send in.",
        "ru": "Каждая строка — группа; цвет показывает, насколько активен для неё каждый месяц по сравнению с её "
              "средним месяцем (заказы в месяц, усреднённые по годам в данных). ✉ отмечает месяцы отправки."},

    # --- Tests page ----------------------------------------------------------------------------------------------
    "tests.page_title": {"en": "Tests", "ru": "Проверки"},
    "tests.title": {"en": "Are the differences real?", "ru": "Различия настоящие?"},
    "tests.caption": {
        "en": "A hypothesis test tells whether a difference between groups of customers is bigger than chance alone "
              "would produce. Build a test, or run the store's four research questions in one click.",
        "ru": "Статистическая проверка гипотезы показывает, больше ли разница между группами клиентов, чем дала бы "
              "одна случайность. Соберите свою проверку или запустите четыре исследовательских вопроса магазина "
              "одним нажатием."},
    "tests.metric.order_value": {"en": "Order value", "ru": "Сумма заказа"},
    "tests.metric.orders_per_customer": {"en": "Orders per customer", "ru": "Заказов на клиента"},
    "tests.metric.revenue_per_customer": {"en": "Revenue per customer", "ru": "Выручка на клиента"},
    "tests.metric.revenue_per_product": {"en": "Revenue per product", "ru": "Выручка на товар"},
    "tests.metric.items_per_order": {"en": "Items per order", "ru": "Товаров в заказе"},
    "tests.metric.monthly_revenue": {"en": "Monthly revenue", "ru": "Выручка за месяц"},
    "tests.metric.repeat_rate": {"en": "Repeat rate (share of customers with 2+ orders)",
                                 "ru": "Доля повторных клиентов (2 заказа и больше)"},
    "tests.metric.grouping_mix": {"en": "Another grouping of the customers (chi-square)",
                                  "ru": "Другая группировка клиентов (хи-квадрат)"},
    "tests.metric.category_mix": {"en": "Category mix (main category of each customer or order)",
                                  "ru": "Структура категорий (основная категория клиента или заказа)"},
    "tests.test.rank_two": {
        "en": "Mann-Whitney U — compares typical values, robust to a few huge orders (recommended)",
        "ru": "U-критерий Манна — Уитни — сравнивает типичные значения, устойчив к нескольким огромным заказам "
              "(рекомендуется)"},
    "tests.test.means_two": {"en": "Welch's t-test — compares means, sensitive to outliers",
                             "ru": "t-критерий Уэлча — сравнивает средние, чувствителен к выбросам"},
    "tests.test.rank_many": {"en": "Kruskal-Wallis H, then Mann-Whitney for each pair (recommended)",
                             "ru": "H-критерий Краскела — Уоллиса, затем Манна — Уитни для каждой пары "
                                   "(рекомендуется)"},
    "tests.test.rank_paired": {
        "en": "Wilcoxon signed-rank — compares the two groups month by month, robust to a few huge months "
              "(recommended)",
        "ru": "Критерий знаковых рангов Уилкоксона — сравнивает группы месяц к месяцу, устойчив к нескольким "
              "огромным месяцам (рекомендуется)"},
    "tests.test.means_paired": {"en": "Paired t-test — compares the mean month-by-month difference, sensitive to "
                                      "outliers",
                                "ru": "Парный t-критерий — сравнивает среднюю помесячную разность, чувствителен к "
                                      "выбросам"},
    "tests.test.means_many": {"en": "One-way ANOVA, then Welch's t-test for each pair — compares means",
                              "ru": "Однофакторный дисперсионный анализ, затем t-критерий Уэлча для каждой пары — "
                                    "сравнивает средние"},
    "tests.verdict": {"en": "**At α = {alpha}:** {verdict}.", "ru": "**При α = {alpha}:** {verdict}."},
    "tests.statistic": {"en": "Statistic {symbol}", "ru": "Статистика {symbol}"},
    "tests.corrected": {"en": "corrected {p}", "ru": "с поправкой {p}"},
    "tests.p_value": {"en": "p-value", "ru": "p-значение"},
    "tests.p_value_help": {"en": "How often a difference at least this big would appear by chance if H0 were true.",
                           "ru": "Как часто разница не меньше этой появлялась бы случайно, если бы H0 была верна."},
    "tests.p_value_corrected_help": {"en": " Corrected by {method} over the four questions.",
                                     "ru": " С поправкой {method} на четыре вопроса."},
    "tests.effect_size": {"en": "Effect size ({name})", "ru": "Размер эффекта ({name})"},
    "tests.magnitude": {"en": "{magnitude} effect", "ru": "эффект: {magnitude}"},
    "tests.magnitude.negligible": {"en": "negligible", "ru": "пренебрежимый"},
    "tests.magnitude.small": {"en": "small", "ru": "малый"},
    "tests.magnitude.medium": {"en": "medium", "ru": "средний"},
    "tests.magnitude.large": {"en": "large", "ru": "большой"},
    "tests.magnitude.unknown": {"en": "unknown", "ru": "не определён"},
    "tests.effect_ci": {"en": "{level} CI of the effect", "ru": "{level} ДИ эффекта"},
    "tests.effect_ci_help": {"en": "Bootstrap interval: the effect sizes compatible with the data.",
                             "ru": "Бутстреп-интервал: размеры эффекта, совместимые с данными."},
    "tests.box_caption": {
        "en": "Box = middle half of the values, dark bar = {level} CI of the median, black tick = median, red "
              "diamond = mean, grey dots = the values (a random sample of large groups).",
        "ru": "Ящик — средняя половина значений, тёмная полоса — {level} ДИ медианы, чёрная черта — медиана, красный "
              "ромб — среднее, серые точки — значения (случайная выборка для больших групп)."},
    "tests.median": {"en": "Median", "ru": "Медиана"},
    "tests.median_ci_from": {"en": "Median {level} CI from", "ru": "{level} ДИ медианы от"},
    "tests.to": {"en": "to", "ru": "до"},
    "tests.mean": {"en": "Mean", "ru": "Среднее"},
    "tests.every_pair": {"en": "**Every pair** (p-values corrected by {method})",
                         "ru": "**Все пары** (p-значения с поправкой {method})"},
    "tests.group.category": {"en": "Category of the line", "ru": "Категория строки"},
    "tests.group.month": {"en": "Month", "ru": "Месяц"},
    "tests.group.date": {"en": "Date", "ru": "Дата"},
    "tests.group.customer_id": {"en": "Customer_id", "ru": "Клиент"},
    "tests.group.order_id": {"en": "Order_id", "ru": "Заказ"},
    "tests.group.product": {"en": "Product", "ru": "Товар"},
    "tests.group.quantity": {"en": "Quantity", "ru": "Количество"},
    "tests.group.price": {"en": "Price", "ru": "Цена"},
    "tests.group.country": {"en": "Country", "ru": "Страна"},
    "tests.group.status": {"en": "Order status", "ru": "Статус заказа"},
    "tests.group.product_code": {"en": "Product code", "ru": "Артикул"},
    "tests.what": {"en": "What to compare", "ru": "Что сравнивать"},
    "tests.groups_of": {"en": "Groups of", "ru": "Группы по"},
    "tests.spinner_samples": {"en": "Collecting the values to compare…", "ru": "Собираю значения для сравнения…"},
    "tests.one_group": {"en": "“{grouping}” has only one group in this data; choose another grouping.",
                        "ru": "У «{grouping}» в этих данных только одна группа; выберите другую группировку."},
    "tests.unit.orders": {"en": "orders", "ru": "заказов"},
    "tests.unit.customers": {"en": "customers", "ru": "клиентов"},
    "tests.unit.products": {"en": "products", "ru": "товаров"},
    "tests.unit.months": {"en": "months", "ru": "месяцев"},
    "tests.groups_to_compare": {"en": "Groups to compare (number of {unit} in brackets)",
                                "ru": "Группы для сравнения (в скобках — число {unit})"},
    "tests.pick_groups": {"en": "Pick two or more groups", "ru": "Выберите две группы или больше"},
    "tests.chi_square": {"en": "**Test:** chi-square test of independence, effect size bias-corrected Cramér's V",
                         "ru": "**Проверка:** критерий независимости хи-квадрат, размер эффекта — V Крамера с "
                               "поправкой на смещение"},
    "tests.test": {"en": "Test", "ru": "Критерий"},
    "tests.compare_with": {"en": "Compare with", "ru": "Сравнить с"},
    "tests.two_proportions": {"en": "**Test:** two-proportion z-test, effect size Cohen's h",
                              "ru": "**Проверка:** z-критерий для двух долей, размер эффекта — h Коэна"},
    "tests.mix_chart_title": {"en": "{rows} by {cols}", "ru": "{rows} по группам «{cols}»"},
    "tests.run": {"en": "Run the test", "ru": "Запустить проверку"},
    "tests.pick_two": {"en": "Pick at least two groups.", "ru": "Выберите хотя бы две группы."},
    "tests.spinner_run": {"en": "Testing and bootstrapping the effect size…",
                          "ru": "Проверяю и оцениваю размер эффекта бутстрепом…"},
    "tests.question_many": {"en": "Does {metric} differ across the {n} groups of {grouping}?",
                            "ru": "Различается ли показатель «{metric}» между {n} группами по «{grouping}»?"},
    "tests.preset_intro": {
        "en": "**Q1** order value between two segments · **Q2** category mix across all segments · **Q3** monthly "
              "revenue of repeat vs single-order customers · **Q4** revenue per product between two categories. "
              "Money is compared with rank tests (Q3 month by month: Wilcoxon signed-rank); the four p-values are "
              "corrected together.",
        "ru": "**Q1** сумма заказа в двух сегментах · **Q2** структура категорий по всем сегментам · **Q3** выручка "
              "за месяц у повторных и разовых клиентов · **Q4** выручка на товар в двух категориях. Деньги "
              "сравниваются ранговыми критериями (Q3 — по месяцам, критерием знаковых рангов Уилкоксона); поправка "
              "применяется ко всем четырём p-значениям вместе."},
    "tests.preset_unavailable": {
        "en": "The research questions need at least two segments and two categories with customers.",
        "ru": "Для исследовательских вопросов нужны хотя бы два сегмента и две категории с клиентами."},
    "tests.segments_q1": {"en": "Segments for Q1", "ru": "Сегменты для Q1"},
    "tests.categories_q4": {"en": "Categories for Q4", "ru": "Категории для Q4"},
    "tests.run_preset": {"en": "Run the store's research questions",
                         "ru": "Запустить исследовательские вопросы магазина"},
    "tests.spinner_preset": {"en": "Running the four tests and bootstrapping their effect sizes…",
                             "ru": "Выполняю четыре проверки и оцениваю размеры эффектов бутстрепом…"},
    "tests.alpha": {"en": "Significance level α", "ru": "Уровень значимости α"},
    "tests.alpha_help": {"en": "How strong the evidence must be: 0.05 accepts a 5% chance of a false alarm.",
                         "ru": "Насколько сильными должны быть доказательства: 0.05 допускает 5 % ложных тревог."},
    "tests.correction": {"en": "Correction for several comparisons", "ru": "Поправка на множественные сравнения"},
    "tests.correction_help": {
        "en": "Holm keeps the chance of any false alarm at α; Benjamini–Hochberg keeps the share of false alarms "
              "among the findings at α and so finds more.",
        "ru": "Холм удерживает вероятность хотя бы одной ложной тревоги на уровне α; Бенджамини — Хохберг удерживает "
              "на уровне α долю ложных тревог среди находок и поэтому находит больше."},
    "tests.tab_build": {"en": "Build a test", "ru": "Собрать проверку"},
    "tests.tab_preset": {"en": "The store's research questions", "ru": "Исследовательские вопросы магазина"},
    "tests.all_results": {"en": "All results of this session", "ru": "Все результаты этого сеанса"},
    "tests.none_yet": {
        "en": "No test has been run yet. Choose what to compare above and press **Run the test**, or run the "
              "store's research questions.",
        "ru": "Проверок ещё не было. Выберите выше, что сравнивать, и нажмите **Запустить проверку** или запустите "
              "исследовательские вопросы магазина."},
    "tests.download": {"en": "Download CSV ({rows})", "ru": "Скачать CSV ({rows})"},
    "tests.clear": {"en": "Clear the results", "ru": "Очистить результаты"},
    "tests.col.Question": {"en": "Question", "ru": "Вопрос"},
    "tests.col.Groups": {"en": "Groups", "ru": "Группы"},
    "tests.col.Test": {"en": "Test", "ru": "Критерий"},
    "tests.col.n": {"en": "n", "ru": "n"},
    "tests.col.Statistic": {"en": "Statistic", "ru": "Статистика"},
    "tests.col.p": {"en": "p", "ru": "p"},
    "tests.col.Corrected p": {"en": "Corrected p", "ru": "p с поправкой"},
    "tests.col.Effect size": {"en": "Effect size", "ru": "Размер эффекта"},
    "tests.col.Centres": {"en": "Centres", "ru": "Центры групп"},
    "tests.col.CI": {"en": "CI", "ru": "ДИ"},
    "tests.col.Effect (CI)": {"en": "Effect (CI)", "ru": "Эффект (ДИ)"},
    "tests.col.Magnitude": {"en": "Magnitude", "ru": "Величина эффекта"},
    "tests.col.Verdict": {"en": "Verdict", "ru": "Вывод"},
    "tests.col.Warnings": {"en": "Warnings", "ru": "Предупреждения"},
    "tests.col.Pair": {"en": "Pair", "ru": "Пара"},
    "tests.col.Effect": {"en": "Effect", "ru": "Эффект"},
    "tests.col.Higher group": {"en": "Higher group", "ru": "Выше у"},
    "count.rows": {"en": ("{n} row", "{n} rows"), "ru": ("{n} строка", "{n} строки", "{n} строк")},

    # --- Clusters page -------------------------------------------------------------------------------------------
    "clusters.page_title": {"en": "Clusters", "ru": "Кластеры"},
    "clusters.title": {"en": "Customer clusters", "ru": "Кластеры клиентов"},
    "clusters.caption": {
        "en": "Groups of similar customers found by k-means on days since the last purchase, number of orders and "
              "spend (log scale, standardised). Unlike RFM segments, the groups come from the data itself.",
        "ru": "Группы похожих клиентов, найденные методом k-средних по дням с последней покупки, числу заказов и "
              "тратам (в логарифмической шкале, стандартизованно). В отличие от RFM-сегментов, группы берутся из "
              "самих данных."},
    "clusters.too_few": {
        "en": "Clustering needs at least {minimum} customers; this data has {n}. Upload a longer order export on the "
              "home page.",
        "ru": "Для кластеризации нужно не меньше {minimum} клиентов, а в этих данных их {n}. Загрузите более "
              "длинную выгрузку заказов на главной странице."},
    "clusters.mostly": {"en": "mostly {category}", "ru": "в основном {category}"},
    "clusters.cluster_n": {"en": "cluster {n}", "ru": "кластер {n}"},
    "clusters.word.recent": {"en": "recent", "ru": "недавние"},
    "clusters.word.lapsing": {"en": "lapsing", "ru": "уходящие"},
    "clusters.word.inactive": {"en": "inactive", "ru": "неактивные"},
    "clusters.word.infrequent": {"en": "infrequent", "ru": "редкие"},
    "clusters.word.occasional": {"en": "occasional", "ru": "время от времени"},
    "clusters.word.frequent": {"en": "frequent", "ru": "частые"},
    "clusters.word.one-time": {"en": "one-time", "ru": "разовые"},
    "clusters.word.low spend": {"en": "low spend", "ru": "малые траты"},
    "clusters.word.mid spend": {"en": "mid spend", "ru": "средние траты"},
    "clusters.word.high spend": {"en": "high spend", "ru": "большие траты"},
    "clusters.seed": {"en": "Random seed", "ru": "Начальное число (seed)"},
    "clusters.seed_help": {"en": "The same seed always gives the same clusters.",
                           "ru": "Одно и то же число всегда даёт одни и те же кластеры."},
    "clusters.shares": {"en": "Also use category spend shares", "ru": "Учитывать и доли трат по категориям"},
    "clusters.shares_help": {"en": "Customers who buy in the same categories end up closer together.",
                             "ru": "Клиенты, покупающие в одних и тех же категориях, окажутся ближе друг к другу."},
    "clusters.spinner_shares": {"en": "Computing category spend shares…", "ru": "Считаю доли трат по категориям…"},
    "clusters.spinner_suggest": {"en": "Trying 2 to 8 clusters…", "ru": "Пробую от 2 до 8 кластеров…"},
    "clusters.spinner_fit": {"en": "Finding the clusters…", "ru": "Ищу кластеры…"},
    "clusters.too_alike": {
        "en": "These customers are too alike to split into clusters (too few different order histories).",
        "ru": "Эти клиенты слишком похожи, чтобы разделить их на кластеры (слишком мало разных историй заказов)."},
    "clusters.suggested": {"en": "Suggested: {k} (best silhouette)", "ru": "Предложено: {k} (лучший силуэт)"},
    "clusters.k": {"en": "Number of clusters", "ru": "Число кластеров"},
    "clusters.clusters": {"en": "Clusters", "ru": "Кластеры"},
    "clusters.silhouette": {"en": "Silhouette", "ru": "Силуэт"},
    "clusters.silhouette_help": {"en": "−1..1; above 0.5 is a clear structure, 0.25–0.5 a reasonable one, below 0.25 "
                                       "weak.",
                                 "ru": "От −1 до 1; выше 0,5 — чёткая структура, 0,25–0,5 — приемлемая, ниже 0,25 — "
                                       "слабая."},
    "clusters.how_many": {"en": "How many clusters? Silhouette and inertia for 2 to 8",
                          "ru": "Сколько кластеров? Силуэт и инерция для 2–8"},
    "clusters.profiles": {"en": "Cluster profiles", "ru": "Профили кластеров"},
    "clusters.cluster": {"en": "Cluster", "ru": "Кластер"},
    "clusters.name": {"en": "Name", "ru": "Название"},
    "clusters.days_since": {"en": "Days since purchase", "ru": "Дней с покупки"},
    "clusters.median_days": {"en": "Median days since purchase", "ru": "Медиана дней с покупки"},
    "clusters.median_orders": {"en": "Median orders", "ru": "Медиана заказов"},
    "clusters.median_spend": {"en": "Median spend", "ru": "Медиана трат"},
    "clusters.spend": {"en": "Spend", "ru": "Траты"},
    "clusters.revenue_share": {"en": "Revenue share", "ru": "Доля выручки"},
    "clusters.median_score": {"en": "Median {score}", "ru": "Медиана {score}"},
    "clusters.cluster_name": {"en": "Cluster name", "ru": "Название кластера"},
    "clusters.customer": {"en": "Customer", "ru": "Клиент"},
    "clusters.names_caption": {
        "en": "Names compare each cluster's typical customer with all customers (lower, middle or upper third).",
        "ru": "Названия сравнивают типичного клиента кластера со всеми клиентами (нижняя, средняя или верхняя "
              "треть)."},
    "clusters.download": {"en": "Download the cluster of each customer ({rows}, CSV)",
                          "ru": "Скачать кластер каждого клиента ({rows}, CSV)"},
    "clusters.recency_spend": {"en": "Recency and spend", "ru": "Давность и траты"},
    "clusters.shown": {"en": "{shown} of {total} customers shown", "ru": "Показано {shown} из {total} клиентов"},
    "clusters.hidden": {"en": "; {n} with no positive spend cannot sit on a log axis.",
                        "ru": "; {n} без положительных трат нельзя показать на логарифмической оси."},
    "clusters.sample": {"en": " (a fixed random sample).", "ru": " (фиксированная случайная выборка)."},
    "clusters.vs_segments": {"en": "Clusters and RFM segments", "ru": "Кластеры и RFM-сегменты"},
    "clusters.assign": {"en": "Assign new customers", "ru": "Отнести новых клиентов"},
    "clusters.assign_caption": {
        "en": "New customers get the nearest cluster of the model fitted above and an RFM segment under the current "
              "thresholds; nothing is refitted on them.",
        "ru": "Новые клиенты получают ближайший кластер построенной выше модели и RFM-сегмент по текущим порогам; "
              "модель на них не переобучается."},
    "clusters.tab_typed": {"en": "Type one customer", "ru": "Ввести одного клиента"},
    "clusters.tab_file": {"en": "Upload a file", "ru": "Загрузить файл"},
    "clusters.days_since_last": {"en": "Days since the last purchase", "ru": "Дней с последней покупки"},
    "clusters.typed_result": {
        "en": "Cluster **{cluster}** · RFM segment **{segment}** (R {r}, F {f}, M {m}) for {days} days, {orders}, "
              "{spend} spend.",
        "ru": "Кластер **{cluster}** · RFM-сегмент **{segment}** (R {r}, F {f}, M {m}) для {days} дн. с покупки, "
              "{orders}, траты {spend}."},
    "count.orders": {"en": ("{n} order", "{n} orders"), "ru": ("{n} заказ", "{n} заказа", "{n} заказов")},
    "clusters.typed_shares": {"en": "Category shares of a typed-in customer count as average.",
                              "ru": "Доли категорий введённого клиента считаются средними."},
    "clusters.new_file": {"en": "Order export with new customers or a new period",
                          "ru": "Выгрузка заказов с новыми клиентами или за новый период"},
    "clusters.new_file_help": {"en": "Read with the current column mapping and cleaning options.",
                               "ru": "Читается с текущим сопоставлением столбцов и параметрами очистки."},
    "clusters.assigned": {"en": "**{n}** customers assigned.", "ru": "Распределено клиентов: **{n}**."},
    "clusters.download_new": {"en": "Download the new customers' clusters (CSV)",
                              "ru": "Скачать кластеры новых клиентов (CSV)"},

    # --- Forecast page and the CLV models (pages/8_Forecast.py, core.clv) --------------------------------------
    "forecast.page_title": {"en": "Forecast", "ru": "Прогноз"},
    "forecast.title": {"en": "Forecast: who buys again and what they are worth",
                       "ru": "Прогноз: кто купит снова и сколько стоит клиент"},
    "forecast.caption": {
        "en": "Two standard models of repeat buying, fitted to your orders: BG/NBD for how often customers buy and "
              "when they stop, Gamma-Gamma for how much an order is worth. Together they give each customer's "
              "probability of still being active, expected orders and customer lifetime value (CLV) for a horizon.",
        "ru": "Две стандартные модели повторных покупок, построенные по вашим заказам: BG/NBD — как часто клиенты "
              "покупают и когда перестают, Gamma-Gamma — сколько стоит заказ. Вместе они дают для каждого клиента "
              "вероятность, что он ещё активен, ожидаемое число заказов и пожизненную ценность клиента (CLV) на "
              "выбранный срок."},
    "forecast.horizon": {"en": "Horizon", "ru": "Горизонт"},
    "spinner.forecast": {"en": "Fitting the purchase and spend models and forecasting every customer…",
                         "ru": "Строю модели покупок и трат и считаю прогноз по каждому клиенту…"},
    "spinner.holdout": {"en": "Checking the model on a holdout period…",
                        "ru": "Проверяю модель на отложенном периоде…"},
    "forecast.horizon_days": {"en": "Next {days} days", "ru": "Следующие {days} дн."},
    "forecast.time_unit": {"en": "Time unit of the models", "ru": "Единица времени моделей"},
    "forecast.time_unit_help": {"en": "Weeks fit faster and usually as well; the forecasts barely differ.",
                                "ru": "В неделях модели строятся быстрее и обычно не хуже; прогнозы почти не "
                                      "отличаются."},
    "forecast.discount": {"en": "Discount rate, % a month", "ru": "Ставка дисконтирования, % в месяц"},
    "forecast.discount_help": {"en": "Money later is worth less: 1 % a month is about 12.7 % a year. 0 sums the "
                                     "revenue as it comes.",
                               "ru": "Деньги в будущем стоят меньше: 1 % в месяц — это около 12,7 % в год. 0 — "
                                     "выручка суммируется как есть."},
    "forecast.margin": {"en": "Margin, %", "ru": "Маржа, %"},
    "forecast.margin_help": {"en": "Share of revenue you keep; 100 gives revenue CLV, your gross margin gives profit "
                                   "CLV.",
                             "ru": "Доля выручки, которая остаётся вам; 100 — CLV по выручке, ваша валовая маржа — "
                                   "CLV по прибыли."},
    "forecast.no_forecast": {"en": "No forecast for this data: {error}.", "ru": "Прогноз для этих данных невозможен: "
                                                                                "{error}."},
    "forecast.label": {"en": "next {days} days, {discount} % monthly discount, {margin} % margin",
                       "ru": "следующие {days} дн., дисконтирование {discount} % в месяц, маржа {margin} %"},
    "forecast.basis": {"en": "Orders up to **{end}** (the day before the analysis date, as for RFM); purchases on "
                             "the same day count as one. CLV: {label}.",
                       "ru": "Заказы по **{end}** включительно (день перед датой анализа, как для RFM); покупки в "
                             "один день считаются одной. CLV: {label}."},
    "forecast.repeat_buyers": {"en": "Repeat buyers", "ru": "Повторные покупатели"},
    "forecast.repeat_buyers_help": {"en": "{share} of customers bought on two or more days.",
                                    "ru": "{share} клиентов покупали в два дня и больше."},
    "forecast.p_alive_repeat": {"en": "Repeat buyers' P(alive)", "ru": "P(активен) повторных"},
    "forecast.p_alive_repeat_help": {
        "en": "Mean over repeat buyers; {likely} of them have P(alive) ≥ 50 %. One-time buyers are left out: "
              "{note}",
        "ru": "Среднее по повторным покупателям; у {likely} из них P(активен) ≥ 50 %. Разовые покупатели не "
              "учтены: {note}"},
    "forecast.expected_orders_days": {"en": "Expected orders, {days} days", "ru": "Ожидаемые заказы, {days} дн."},
    "forecast.clv_days": {"en": "CLV, {days} days", "ru": "CLV, {days} дн."},
    "forecast.clv_missing": {"en": "{n} customers have no CLV (no expected order value, see the warning above); "
                                   "the CLV sums leave them out.",
                             "ru": "У {n} клиентов нет CLV (нет ожидаемой стоимости заказа, см. предупреждение "
                                   "выше); в суммы CLV они не входят."},
    "forecast.by_group": {"en": "CLV by group, next {days} days", "ru": "CLV по группам, следующие {days} дн."},
    "forecast.group_by": {"en": "Group customers by", "ru": "Группировать клиентов по"},
    "forecast.col.customers": {"en": "Customers", "ru": "Клиенты"},
    "forecast.col.expected_orders": {"en": "Expected orders", "ru": "Ожидаемые заказы"},
    "forecast.col.clv_sum": {"en": "CLV, sum", "ru": "CLV, сумма"},
    "forecast.col.clv_mean": {"en": "CLV per customer", "ru": "CLV на клиента"},
    "forecast.col.p_alive_mean": {"en": "Mean P(alive)", "ru": "Средняя P(активен)"},
    "forecast.col.no_clv": {"en": "Without CLV", "ru": "Без CLV"},
    "forecast.group_caption": {"en": "Mean P(alive) counts every one-time buyer as 1. {note}",
                               "ru": "В средней P(активен) каждый разовый покупатель считается как 1. {note}"},
    "forecast.group_caption_missing": {
        "en": " Groups whose customers all lack an expected order value have no CLV.",
        "ru": " У групп, где ни у одного клиента нет ожидаемой стоимости заказа, CLV не считается."},
    "forecast.top": {"en": "Top {n} customers by CLV", "ru": "Топ-{n} клиентов по CLV"},
    "forecast.col.customer": {"en": "Customer", "ru": "Клиент"},
    "forecast.col.p_alive": {"en": "P(alive)", "ru": "P(активен)"},
    "forecast.col.p_alive_basis": {"en": "P(alive) basis", "ru": "Основа P(активен)"},
    "forecast.col.expected_aov": {"en": "Expected order value", "ru": "Ожидаемая стоимость заказа"},
    "forecast.col.purchases": {"en": "Purchase days", "ru": "Дней с покупками"},
    "forecast.col.monetary": {"en": "Average repeat purchase", "ru": "Средняя повторная покупка"},
    "forecast.why_one": {"en": "**Why P(alive) is 1 for one-time buyers.** {note}",
                         "ru": "**Почему P(активен) = 1 у разовых покупателей.** {note}"},
    "forecast.download": {"en": "Download the forecast for all customers ({rows}, CSV)",
                          "ru": "Скачать прогноз по всем клиентам ({rows}, CSV)"},
    "forecast.holdout": {"en": "How well does the model predict? Holdout check",
                         "ru": "Насколько точен прогноз? Проверка на отложенном периоде"},
    "forecast.history_short": {"en": "The history is shorter than {days} days, too short to hold a period back.",
                               "ru": "История короче {days} дн. — слишком мало, чтобы отложить период для "
                                     "проверки."},
    "forecast.split": {"en": "Fit on purchases up to", "ru": "Строить модель по покупкам до"},
    "forecast.split_help": {"en": "The default keeps the last {share} of the history for the check.",
                            "ru": "По умолчанию последние {share} истории откладываются для проверки."},
    "forecast.split_caption": {
        "en": "The model is fitted again on the purchases up to this day only, then predicts each customer's "
              "repeat purchases up to {end}; the bars compare them with what happened.",
        "ru": "Модель строится заново только по покупкам до этого дня и предсказывает повторные покупки каждого "
              "клиента по {end}; столбцы сравнивают прогноз с тем, что было на самом деле."},
    "forecast.holdout_failed": {"en": "The holdout check cannot run with this split: {error}.",
                                "ru": "Проверку на отложенном периоде нельзя провести с этой датой: {error}."},
    "forecast.holdout_warning": {"en": "Holdout fit: {warning}", "ru": "Модель для проверки: {warning}"},
    "forecast.holdout_period": {"en": "the {length} after {split}", "ru": "{length} после {split}"},
    "forecast.holdout_caption": {
        "en": "Bars per group of customers with the same number of repeat purchases before the split; 7+ groups "
              "the most loyal. Close pairs mean the model ranks customers well.",
        "ru": "Столбцы — группы клиентов с одинаковым числом повторных покупок до даты разбиения; 7+ — самые "
              "лояльные. Близкие пары столбцов значат, что модель хорошо ранжирует клиентов."},
    "forecast.parameters": {"en": "Model parameters", "ru": "Параметры моделей"},
    "forecast.col.model": {"en": "Model", "ru": "Модель"},
    "forecast.col.parameter": {"en": "Parameter", "ru": "Параметр"},
    "forecast.col.value": {"en": "Value", "ru": "Значение"},
    "forecast.col.meaning": {"en": "Meaning", "ru": "Смысл"},
    "forecast.fitted_on": {
        "en": "Fitted in {unit} on {customers} customers (purchase model) and {spenders} repeat buyers with "
              "positive spend (spend model). Converged: purchase model {bgnbd}, spend model {gg}.",
        "ru": "Единица времени — {unit}; модель покупок построена по {customers} клиентам, модель трат — по "
              "{spenders} повторным покупателям с положительными тратами. Сходимость: модель покупок — {bgnbd}, "
              "модель трат — {gg}."},
    "forecast.yes": {"en": "yes", "ru": "да"},
    "forecast.no": {"en": "no", "ru": "нет"},
    "clv.p_alive_note_no_repeat": {
        "en": "No repeat purchase yet: BG/NBD assumes nobody drops out before their first repeat purchase, so "
              "P(alive) is 1 by assumption, not evidence of activity.",
        "ru": "Повторной покупки ещё не было: BG/NBD предполагает, что до первой повторной покупки никто не "
              "уходит, поэтому P(активен) = 1 по допущению модели, а не как признак активности."},
    "clv.basis.assumed": {"en": "1 by assumption (no repeat purchase yet)",
                          "ru": "1 по допущению (повторных покупок ещё нет)"},
    "clv.basis.estimated": {"en": "estimated", "ru": "оценка модели"},
    "clv.unit.W": {"en": "weeks", "ru": "недели"},
    "clv.unit.D": {"en": "days", "ru": "дни"},
    "clv.unit_one.W": {"en": "week", "ru": "неделю"},
    "clv.unit_one.D": {"en": "day", "ru": "день"},
    "clv.unit_after_number.W": {"en": "{amount:,.1f} weeks", "ru": "{amount:,.1f} нед."},
    "clv.unit_after_number.D": {"en": "{amount:,.1f} days", "ru": "{amount:,.1f} дн."},
    "clv.model.bgnbd": {"en": "BG/NBD (purchases)", "ru": "BG/NBD (покупки)"},
    "clv.model.gg": {"en": "Gamma-Gamma (order value)", "ru": "Gamma-Gamma (стоимость заказа)"},
    "clv.log_likelihood": {"en": "log-likelihood", "ru": "логарифм правдоподобия"},
    "clv.mean_value_undefined": {"en": "undefined (q ≤ 1)", "ru": "не определено (q ≤ 1)"},
    "clv.meaning.r": {"en": "shape of the purchase rate across customers",
                      "ru": "форма распределения частоты покупок по клиентам"},
    "clv.meaning.alpha": {"en": "scale of the purchase rate ({unit}); mean rate r/α = {rate:.3g} purchases a {one}",
                          "ru": "масштаб частоты покупок ({unit}); средняя частота r/α = {rate:.3g} покупки в "
                                "{one}"},
    "clv.meaning.a": {"en": "drop-out chance after a purchase ~ Beta(a, b); its mean a/(a+b) = {drop:.1%}",
                      "ru": "вероятность уйти после покупки ~ Beta(a, b); её среднее a/(a+b) = {drop:.1%}"},
    "clv.meaning.b": {"en": "second shape of the drop-out probability",
                      "ru": "второй параметр формы вероятности ухода"},
    "clv.meaning.p": {"en": "shape of one order's value", "ru": "форма распределения стоимости одного заказа"},
    "clv.meaning.q": {"en": "shape of customers' typical order value",
                      "ru": "форма распределения типичной стоимости заказа клиентов"},
    "clv.meaning.v": {"en": "scale of customers' typical order value; mean order value p·v/(q−1) = {mean_value}",
                      "ru": "масштаб типичной стоимости заказа клиентов; средняя стоимость заказа p·v/(q−1) = "
                            "{mean_value}"},
    "clv.meaning.log_likelihood": {"en": "total over the customers fitted (higher = better fit)",
                                   "ru": "сумма по клиентам, на которых построена модель (больше — лучше)"},
    "clv.holdout.head": {
        "en": "Fitted on purchases up to {calibration_end}, the model expected **{predicted}** repeat purchases from "
              "its {customers} customers in the {length} up to {holdout_end}; **{actual}** happened",
        "ru": "Построенная по покупкам до {calibration_end}, модель ожидала **{predicted}** повторных покупок от "
              "своих {customers} клиентов за {length} по {holdout_end}; на деле их было **{actual}**"},
    "clv.holdout.undefined": {"en": ", so the relative error is undefined.",
                              "ru": ", поэтому относительная ошибка не определена."},
    "clv.holdout.exact": {"en": ": spot on.", "ru": ": точное попадание."},
    "clv.holdout.too_many": {"en": ": **{error} too many** ({agreement} agreement).",
                             "ru": ": **на {error} больше** ({agreement})."},
    "clv.holdout.too_few": {"en": ": **{error} too few** ({agreement} agreement).",
                            "ru": ": **на {error} меньше** ({agreement})."},
    "clv.holdout.close": {"en": "close", "ru": "хорошее совпадение"},
    "clv.holdout.fair": {"en": "fair", "ru": "приемлемое совпадение"},
    "clv.holdout.poor": {"en": "poor", "ru": "слабое совпадение"},
    "clv.warning.purchase_model": {"en": "Purchase model (BG/NBD): {warning}", "ru": "Модель покупок (BG/NBD): "
                                                                                    "{warning}"},
    "clv.warning.spend_model": {"en": "Spend model (Gamma-Gamma): {warning}", "ru": "Модель трат (Gamma-Gamma): "
                                                                                  "{warning}"},
    "clv.note.not_converged": {"en": "The fit did not converge ({reason}); treat the predictions with caution.",
                               "ru": "Подбор параметров не сошёлся ({reason}); относитесь к прогнозам осторожно."},
    "clv.note.at_bound": {
        "en": "Parameter(s) {names} ran to the edge of the allowed range (beyond 1e-5 or 1e5): the data do not pin "
              "the model down, so predictions are unreliable.",
        "ru": "Параметры {names} упёрлись в границу допустимого диапазона (меньше 1e-5 или больше 1e5): данные не "
              "определяют модель, прогнозы ненадёжны."},
    "clv.note.few_repeat": {
        "en": "Only {repeat} of {n} customers ({share:.1%}) bought more than once; a stable fit needs at least "
              "{min_buyers} repeat buyers and {min_share:.0%} of customers, so treat the predictions as rough.",
        "ru": "Больше одного раза купили только {repeat} из {n} клиентов ({share:.1%}); для устойчивой модели "
              "нужно не меньше {min_buyers} повторных покупателей и {min_share:.0%} клиентов, так что прогнозы "
              "приблизительны."},
    "clv.note.short_history": {
        "en": "The longest customer history is only {days:.0f} days (under {minimum}); drop-out cannot be estimated "
              "well from such a short period.",
        "ru": "Самая длинная история клиента — всего {days:.0f} дн. (меньше {minimum}); по такому короткому "
              "периоду уход клиентов хорошо не оценить."},
    "clv.note.non_positive_spend": {
        "en": "{n} repeat customer(s) with a mean purchase value <= 0 (refunds?) were left out of the spend model.",
        "ru": "Повторные покупатели со средней суммой покупки <= 0 (возвраты?) не вошли в модель трат: {n}."},
    "clv.note.few_spenders": {
        "en": "The spend model rests on only {n} repeat customer(s) (fewer than {minimum}); expected order values "
              "are rough.",
        "ru": "Модель трат опирается всего на {n} повторных покупателей (меньше {minimum}); ожидаемые стоимости "
              "заказов приблизительны."},
    "clv.note.spend_correlated": {
        "en": "Purchase frequency and order value are correlated (r = {corr:.2f}); the Gamma-Gamma model assumes "
              "they are independent, so expected order values may be biased.",
        "ru": "Частота покупок и стоимость заказа связаны (r = {corr:.2f}); модель Gamma-Gamma предполагает их "
              "независимость, поэтому ожидаемые стоимости заказов могут быть смещены."},
    "clv.note.implausible_mean": {
        "en": "The fitted mean order value ({mean:,.0f}) is over {ratio:.0f} times the repeat customers' mean "
              "({observed:,.0f}): the fit's tail is too heavy to trust, so one-time buyers get no expected order "
              "value.",
        "ru": "Подобранная средняя стоимость заказа ({mean:,.0f}) больше средней у повторных покупателей "
              "({observed:,.0f}) более чем в {ratio:.0f} раз: хвост распределения слишком тяжёлый, чтобы ему "
              "верить, поэтому у разовых покупателей нет ожидаемой стоимости заказа."},
    "clv.note.one_spend_level": {
        "en": "Customers' typical order values hardly differ, so the spend model treats them as one level "
              "({mean:,.0f} per order); expected order values stay usable.",
        "ru": "Типичные стоимости заказа у клиентов почти не различаются, поэтому модель трат считает их одним "
              "уровнем ({mean:,.0f} за заказ); ожидаемые стоимости заказов пригодны."},
    "clv.note.no_finite_mean": {
        "en": "The fitted spend distribution has no finite mean (q <= 1): one-time buyers get no expected order "
              "value.",
        "ru": "У подобранного распределения трат нет конечного среднего (q <= 1): у разовых покупателей нет "
              "ожидаемой стоимости заказа."},
    "clv.what.analysis_date": {"en": "analysis date", "ru": "дата анализа"},
    "clv.what.first_purchase": {"en": "first purchase", "ru": "первая покупка"},
    "clv.what.observation_end": {"en": "observation end", "ru": "конец наблюдения"},
    "clv.what.calibration_end": {"en": "calibration end", "ru": "конец периода обучения"},
    "clv.what.holdout_end": {"en": "holdout end", "ru": "конец отложенного периода"},
    "errors.clv.time_unit": {"en": "time unit must be one of {units} (days or weeks), got {value}",
                             "ru": "единица времени должна быть одной из {units} (дни или недели), получено {value}"},
    "errors.clv.not_a_date": {"en": "{what} {value} is not a date", "ru": "{what}: {value} — не дата"},
    "errors.clv.date_missing": {"en": "{what} is missing", "ru": "не задано: {what}"},
    "errors.clv.no_columns": {"en": "the transactions have no column(s) {missing}; available: {available}",
                              "ru": "в транзакциях нет столбцов {missing}; есть: {available}"},
    "errors.clv.missing_ids": {"en": "some transactions have no {customer_col} or {date_col}; drop or fill them first",
                               "ru": "у части транзакций нет {customer_col} или {date_col}; сначала удалите или "
                                     "заполните их"},
    "errors.clv.bad_dates": {"en": "column {column} has values that are not dates (expected datetimes or "
                                   "YYYY-MM-DD[ hh:mm[:ss]] text): {detail}",
                             "ru": "в столбце {column} есть значения, которые не являются датами (ожидаются даты "
                                   "или текст YYYY-MM-DD[ hh:mm[:ss]]): {detail}"},
    "errors.clv.bad_values": {"en": "column {column} has {n} missing or non-numeric values",
                              "ru": "в столбце {column} пропущенных или нечисловых значений: {n}"},
    "errors.clv.no_purchases": {"en": "no purchases on or before the observation end {end}",
                                "ru": "нет покупок до конца наблюдения {end} включительно"},
    "errors.clv.not_finite": {"en": "{name} has missing or infinite values",
                              "ru": "в {name} есть пропущенные или бесконечные значения"},
    "errors.clv.lengths_bgnbd": {"en": "x, t_x and T must have one value per customer",
                                 "ru": "у x, t_x и T должно быть по одному значению на клиента"},
    "errors.clv.lengths_gg": {"en": "x and monetary must have one value per customer",
                              "ru": "у x и monetary должно быть по одному значению на клиента"},
    "errors.clv.no_customers": {"en": "there are no customers to fit the purchase model on",
                                "ru": "нет клиентов, по которым можно построить модель покупок"},
    "errors.clv.x_whole": {"en": "x (repeat purchases) must be whole numbers >= 0",
                           "ru": "x (повторные покупки) должны быть целыми числами >= 0"},
    "errors.clv.t_x_range": {"en": "every customer needs 0 <= t_x <= T (last purchase inside the observation window)",
                             "ru": "для каждого клиента нужно 0 <= t_x <= T (последняя покупка внутри периода "
                                   "наблюдения)"},
    "errors.clv.no_repeat": {"en": "no customer has bought more than once, so repeat behaviour cannot be modelled",
                             "ru": "ни один клиент не покупал больше одного раза, поэтому повторные покупки "
                                   "смоделировать нельзя"},
    "errors.clv.no_spenders": {"en": "no repeat customer with a positive purchase value, so the spend model cannot "
                                     "be fitted",
                               "ru": "нет повторных покупателей с положительной суммой покупок, поэтому модель трат "
                                     "построить нельзя"},
    "errors.clv.summary_columns": {"en": "the customer summary has no column(s) {missing}",
                                   "ru": "в сводке по клиентам нет столбцов {missing}"},
    "errors.clv.horizon": {"en": "the CLV horizon must be a positive number of days",
                           "ru": "горизонт CLV должен быть положительным числом дней"},
    "errors.clv.discount": {"en": "the monthly discount rate must be >= 0 (e.g. 0.01 for 1 % a month)",
                            "ru": "месячная ставка дисконтирования должна быть >= 0 (например, 0.01 для 1 % в месяц)"},
    "errors.clv.margin": {"en": "the margin must be a fraction between 0 and 1",
                          "ru": "маржа должна быть долей от 0 до 1"},
    "errors.clv.max_purchases": {"en": "max_purchases (the last, open-ended group) must be at least 1",
                                 "ru": "max_purchases (последняя, открытая группа) должно быть не меньше 1"},
    "errors.clv.holdout_order": {"en": "the holdout end must be after the calibration end",
                                 "ru": "конец отложенного периода должен быть позже конца периода обучения"},
    "errors.clv.history_too_short": {"en": "the history is too short to split into a calibration and a holdout "
                                           "period",
                                     "ru": "история слишком короткая, чтобы разделить её на период обучения и "
                                           "отложенный период"},
    "errors.clv.holdout_share": {"en": "the holdout share must be between 0 and 1",
                                 "ru": "доля отложенного периода должна быть между 0 и 1"},

    # --- Export page (pages/9_Export.py) -------------------------------------------------------------------------
    "export.page_title": {"en": "Export", "ru": "Выгрузка"},
    "export.title": {"en": "Export", "ru": "Выгрузка"},
    "export.caption": {
        "en": "Take the segments with you: an Excel workbook with one sheet per mailing list, the customer table as "
              "CSV, a PDF report for the team, and the settings file that restores this exact analysis later.",
        "ru": "Заберите сегменты с собой: книга Excel с отдельным листом на каждую рассылку, таблица клиентов в CSV, "
              "PDF-отчёт для команды и файл настроек, который потом восстановит ровно этот анализ."},
    "export.bad_settings": {"en": "This settings file cannot be used: {error}",
                            "ru": "Этот файл настроек нельзя использовать: {error}"},
    "export.restored": {"en": "Restored the analysis from {name}.", "ru": "Анализ восстановлен из файла {name}."},
    "export.build_failed": {"en": "Could not build it: {error}", "ru": "Не удалось собрать файл: {error}"},
    "export.ready": {"en": "Ready: {description}", "ru": "Готово: {description}"},
    "export.analysis_failed": {"en": "{error}. Fix it on the page it names, or restore a settings file below.",
                               "ru": "{error}. Исправьте это на указанной странице или восстановите файл настроек "
                                     "ниже."},
    "export.overview": {"en": "**{customers}** customers in **{segments}** segments as of **{date}**.",
                        "ru": "Клиентов: **{customers}**, сегментов: **{segments}**, на дату **{date}**."},
    "export.included": {"en": "Included: {parts}.", "ru": "Включено: {parts}."},
    "export.included_tests": {"en": "the hypothesis tests from the Tests page",
                              "ru": "проверки гипотез со страницы «Проверки»"},
    "export.included_clusters": {"en": "the clusters from the Clusters page", "ru": "кластеры со страницы «Кластеры»"},
    "export.included_clv": {"en": "the CLV forecast from the Forecast page ({label})",
                            "ru": "прогноз CLV со страницы «Прогноз» ({label})"},
    "export.workbook": {"en": "Excel workbook", "ru": "Книга Excel"},
    "export.mailing_lists": {"en": "Mailing lists: one sheet with the customers of each chosen segment",
                             "ru": "Списки рассылки: отдельный лист с клиентами каждого выбранного сегмента"},
    "export.mailing_placeholder": {"en": "Choose segments to mail", "ru": "Выберите сегменты для рассылки"},
    "export.sheets": {
        "en": "Sheets: Summary, Customers, your mailing lists, Segments (with recommendations), Categories, Category "
              "rules, Data quality and Settings. Names that start with = + - @ stay text; very long tables continue "
              "on a second sheet.",
        "ru": "Листы: сводка, клиенты, ваши списки рассылки, сегменты (с рекомендациями), категории, правила "
              "категорий, качество данных и настройки. Названия, начинающиеся с = + - @, остаются текстом; очень "
              "длинные таблицы продолжаются на втором листе."},
    "export.sheets_with_tests": {
        "en": "Sheets: Summary, Customers, your mailing lists, Segments (with recommendations), Categories, Category "
              "rules, Tests, Data quality and Settings. Names that start with = + - @ stay text; very long tables "
              "continue on a second sheet.",
        "ru": "Листы: сводка, клиенты, ваши списки рассылки, сегменты (с рекомендациями), категории, правила "
              "категорий, проверки гипотез, качество данных и настройки. Названия, начинающиеся с = + - @, "
              "остаются текстом; очень длинные таблицы продолжаются на втором листе."},
    "export.create_workbook": {"en": "Create the workbook", "ru": "Собрать книгу Excel"},
    "export.building_workbook": {"en": "Building the workbook…", "ru": "Собираю книгу Excel…"},
    "export.megabytes": {"en": "{size} MB", "ru": "{size} МБ"},
    "export.download_workbook": {"en": "Download the workbook ({description})",
                                 "ru": "Скачать книгу Excel ({description})"},
    "export.pdf": {"en": "PDF report", "ru": "PDF-отчёт"},
    "export.pdf_caption": {
        "en": "Headline figures, sales over time, categories, segments with what to send them and a data-quality "
              "note, for people without the app.",
        "ru": "Главные цифры, продажи во времени, категории, сегменты с рекомендациями рассылок и заметка о "
              "качестве данных — для тех, у кого нет приложения."},
    "export.pdf_caption_with_tests": {
        "en": "Headline figures, sales over time, categories, segments with what to send them, the test results and "
              "a data-quality note, for people without the app.",
        "ru": "Главные цифры, продажи во времени, категории, сегменты с рекомендациями рассылок, результаты "
              "проверок и заметка о качестве данных — для тех, у кого нет приложения."},
    "export.create_pdf": {"en": "Create the PDF report", "ru": "Собрать PDF-отчёт"},
    "export.building_pdf": {"en": "Building the PDF report…", "ru": "Собираю PDF-отчёт…"},
    "export.pdf_size": {"en": "{pages} pages, {size} KB", "ru": "страниц: {pages}, {size} КБ"},
    "export.download_pdf": {"en": "Download the PDF report ({description})", "ru": "Скачать PDF-отчёт ({description})"},
    "export.csv": {"en": "Customers as CSV", "ru": "Клиенты в CSV"},
    "export.csv_caption": {
        "en": "One row per customer with scores, segment and main category. UTF-8 with BOM, so Excel shows Cyrillic "
              "correctly; text starting with = + - @ gets a leading apostrophe so Excel never runs it.",
        "ru": "Одна строка на клиента: оценки, сегмент и основная категория. UTF-8 с BOM, чтобы Excel правильно "
              "показал кириллицу; к тексту, начинающемуся с = + - @, добавляется апостроф, чтобы Excel никогда не "
              "выполнил его как формулу."},
    "export.download_csv": {"en": "Download customers ({rows}, CSV)", "ru": "Скачать клиентов ({rows}, CSV)"},
    "export.settings": {"en": "Settings", "ru": "Настройки"},
    "export.settings_caption": {
        "en": "Every choice of this analysis — column mapping, cleaning, category rules, score bins, segment map, "
              "analysis date, mailing texts — in one JSON file. Upload it here later (or pass it to `python -m core "
              "export --settings`) to get the same segments again.",
        "ru": "Все решения этого анализа — сопоставление столбцов, очистка, правила категорий, границы оценок, "
              "карта сегментов, дата анализа, тексты рассылок — в одном файле JSON. Загрузите его сюда позже (или "
              "передайте в `python -m core export --settings`), чтобы получить те же сегменты."},
    "export.download_settings": {"en": "Download the settings (JSON)", "ru": "Скачать настройки (JSON)"},
    "export.restore": {"en": "Restore an analysis from a settings file", "ru": "Восстановить анализ из файла настроек"},

    # --- hypothesis-test texts (core.stats; its warnings are in the errors section below) -----------------------
    "stats.q_two": {"en": "Does {metric} differ between {a} and {b}?",
                    "ru": "Различается ли «{metric}» у групп {a} и {b}?"},
    "stats.q_many": {"en": "Does {metric} differ across {across}?",
                     "ru": "Различается ли «{metric}» в группах: {across}?"},
    "stats.across_n": {"en": "the {n} groups", "ru": "все {n}"},
    "stats.mw_h0": {"en": "{metric} of {a} and {b} has the same distribution (neither tends to be higher)",
                    "ru": "распределение «{metric}» у {a} и {b} одинаково (ни одна группа не склонна к большим "
                          "значениям)"},
    "stats.mw_h1": {"en": "{metric} tends to be higher in one of {a} and {b}",
                    "ru": "значения «{metric}» в одной из групп {a} и {b} склонны быть выше"},
    "stats.mw_claim": {"en": "{metric} of {high} tends to be higher than of {low}",
                       "ru": "значения «{metric}» у {high} склонны быть выше, чем у {low}"},
    "stats.welch_h0": {"en": "mean {metric} is the same for {a} and {b}",
                       "ru": "среднее значение «{metric}» одинаково у {a} и {b}"},
    "stats.welch_h1": {"en": "mean {metric} differs between {a} and {b}",
                       "ru": "среднее значение «{metric}» у {a} и {b} различается"},
    "stats.welch_claim": {"en": "average {metric} of {high} is higher than of {low}",
                          "ru": "среднее значение «{metric}» у {high} выше, чем у {low}"},
    "stats.wilcoxon_h0": {
        "en": "{metric} of {a} minus {b}, {by}, is symmetric around zero (neither tends to be higher)",
        "ru": "разность «{metric}» между {a} и {b} ({by}) симметрична относительно нуля (ни одна группа не склонна "
              "быть выше)"},
    "stats.wilcoxon_h1": {"en": "{metric} tends to be higher for one of {a} and {b}, {by}",
                          "ru": "значения «{metric}» у одной из групп {a} и {b} склонны быть выше ({by})"},
    "stats.wilcoxon_claim": {"en": "{metric} of {high} tends to be higher than of {low}, {by}",
                             "ru": "значения «{metric}» у {high} склонны быть выше, чем у {low} ({by})"},
    "stats.paired_t_h0": {"en": "the mean difference in {metric} between {a} and {b}, {by}, is zero",
                          "ru": "средняя разность «{metric}» между {a} и {b} ({by}) равна нулю"},
    "stats.paired_t_h1": {"en": "the mean difference in {metric} between {a} and {b}, {by}, is not zero",
                          "ru": "средняя разность «{metric}» между {a} и {b} ({by}) не равна нулю"},
    "stats.paired_t_claim": {"en": "average {metric} of {high} is higher than of {low}, {by}",
                             "ru": "среднее значение «{metric}» у {high} выше, чем у {low} ({by})"},
    "stats.by_month": {"en": "month by month", "ru": "по месяцам"},
    "stats.by_pair": {"en": "pair by pair", "ru": "по парам"},
    "stats.versus": {"en": "{a} vs {b}", "ru": "{a} против {b}"},
    "stats.group_n": {"en": "{group}: {n:,}", "ru": "{group}: {n:,}"},
    "stats.centre_values": {"en": "{group}: median {median:,.2f}, mean {mean:,.2f}",
                            "ru": "{group}: медиана {median:,.2f}, среднее {mean:,.2f}"},
    "stats.centre_proportion": {"en": "{group}: proportion {share:.1%}", "ru": "{group}: доля {share:.1%}"},
    "stats.centre_shares": {"en": "{group}: {shares}", "ru": "{group}: {shares}"},
    "stats.centre_share": {"en": "{category} {share:.0%}", "ru": "{category} {share:.0%}"},
    "stats.pairwise_question": {"en": "{question} (pairwise)", "ru": "{question} (попарно)"},
    "stats.pair_yes": {"en": "{high} > {low}: yes, adjusted {p}", "ru": "{high} > {low}: да, с поправкой {p}"},
    "stats.pair_no": {"en": "no significant difference between {a} and {b}, adjusted {p}",
                      "ru": "значимой разницы между {a} и {b} нет, с поправкой {p}"},
    "stats.no_difference": {"en": "no difference", "ru": "нет разницы"},
    "stats.prop_h0": {"en": "{metric} is the same for {a} and {b}",
                      "ru": "показатель «{metric}» одинаков у {a} и {b}"},
    "stats.prop_h1": {"en": "{metric} differs between {a} and {b}",
                      "ru": "показатель «{metric}» у {a} и {b} различается"},
    "stats.prop_claim": {"en": "{metric} of {high} is higher than of {low}",
                         "ru": "показатель «{metric}» у {high} выше, чем у {low}"},
    "stats.prop_shares": {"en": " ({a:.1%} vs {b:.1%})", "ru": " ({a:.1%} против {b:.1%})"},
    "stats.repeat_rate": {"en": "repeat rate", "ru": "доля повторных клиентов"},
    "stats.repeat_status": {"en": "repeat status", "ru": "повторность покупок"},
    "stats.subject_two": {"en": "{metric} between {a} and {b}", "ru": "«{metric}» у {a} и {b}"},
    "stats.verdict_yes": {"en": "{claim}: yes, {p}, {size} effect", "ru": "{claim}: да, {p}, эффект {size}"},
    "stats.verdict_no": {"en": "no significant difference in {subject}: {p}",
                         "ru": "значимой разницы нет ({subject}): {p}"},
    "stats.verdict_undefined": {
        "en": "no test possible for {subject}: the test is undefined for these data (see warnings)",
        "ru": "проверка невозможна ({subject}): для этих данных критерий не определён (см. предупреждения)"},
    "stats.many_claim": {"en": "{metric} differs across {across}", "ru": "«{metric}» различается в группах: {across}"},
    "stats.subject_many": {"en": "{metric} across {across}", "ru": "«{metric}» в группах: {across}"},
    "stats.anova_h0": {"en": "mean {metric} is the same in all groups",
                       "ru": "среднее значение «{metric}» одинаково во всех группах"},
    "stats.anova_h1": {"en": "mean {metric} differs in at least one group",
                       "ru": "среднее значение «{metric}» отличается хотя бы в одной группе"},
    "stats.kw_h0": {"en": "{metric} has the same distribution in all groups",
                    "ru": "распределение «{metric}» одинаково во всех группах"},
    "stats.kw_h1": {"en": "{metric} tends to be higher or lower in at least one group",
                    "ru": "значения «{metric}» хотя бы в одной группе склонны быть выше или ниже"},
    "stats.pairs_none": {"en": "no single pair differs after {method} correction",
                         "ru": "после поправки {method} ни одна пара не различается"},
    "stats.pairs": {"en": "pairs that differ after {method} correction: {pairs}{more}",
                    "ru": "пары, различающиеся после поправки {method}: {pairs}{more}"},
    "stats.pairs_more": {"en": " and {n} more", "ru": " и ещё {n}"},
    "stats.mix_claim": {"en": "{rows} mix differs across {cols} groups",
                        "ru": "структура «{rows}» различается по группам «{cols}»"},
    "stats.mix_subject": {"en": "{rows} mix across {cols} groups", "ru": "структура «{rows}» по группам «{cols}»"},
    "stats.mix_question": {"en": "Does the {rows} mix differ across {cols} groups?",
                           "ru": "Различается ли структура «{rows}» по группам «{cols}»?"},
    "stats.mix_h0": {"en": "{rows} mix is the same in every {cols} group ({rows} and {cols} are independent)",
                     "ru": "структура «{rows}» одинакова во всех группах «{cols}» («{rows}» и «{cols}» независимы)"},
    "stats.mix_h1": {"en": "{rows} mix differs between {cols} groups",
                     "ru": "структура «{rows}» различается между группами «{cols}»"},
    "stats.deviation": {"en": "biggest difference: {row} is {direction} common in {col} ({share} vs {overall} overall)",
                        "ru": "самое большое отличие: {row} {direction} в группе {col} ({share} против {overall} в "
                              "целом)"},
    "stats.more": {"en": "more", "ru": "встречается чаще"},
    "stats.less": {"en": "less", "ru": "встречается реже"},
    "stats.mix_rows_customer": {"en": "main category of each customer", "ru": "основная категория клиента"},
    "stats.mix_rows_order": {"en": "main category of each order", "ru": "основная категория заказа"},
    "stats.mix_q_customer": {"en": "Does the category mix (customers by their main category) differ across {across}?",
                             "ru": "Различается ли структура категорий (клиенты по основной категории) в группах: "
                                   "{across}?"},
    "stats.mix_q_order": {"en": "Does the category mix (orders by their main category) differ across {across}?",
                          "ru": "Различается ли структура категорий (заказы по основной категории) в группах: "
                                "{across}?"},
    "stats.mix_across_n": {"en": "the {n} {grouping} groups", "ru": "все {n} групп «{grouping}»"},
    "stats.dominant_category": {"en": "dominant category", "ru": "основная категория"},
    "stats.segment": {"en": "segment", "ru": "сегмент"},
    "stats.q1": {"en": "Q1. Does order value differ between {a} and {b}?",
                 "ru": "Q1. Различается ли сумма заказа у {a} и {b}?"},
    "stats.q2": {"en": "Q2. Does the category mix (customers' dominant category) differ across segments?",
                 "ru": "Q2. Различается ли структура категорий (основная категория клиента) между сегментами?"},
    "stats.q3": {"en": "Q3. Does monthly revenue differ between repeat and single-order customers?",
                 "ru": "Q3. Различается ли выручка за месяц у повторных и разовых клиентов?"},
    "stats.q4": {"en": "Q4. Does revenue per product differ between {a} and {b}?",
                 "ru": "Q4. Различается ли выручка на товар в категориях {a} и {b}?"},
    "stats.preset_correction": {"en": "; after {method} correction over the {n} questions {p}: {outcome}",
                                "ru": "; после поправки {method} на {n} вопроса {p}: {outcome}"},
    "stats.still": {"en": "still significant", "ru": "по-прежнему значимо"},
    "stats.no_longer": {"en": "no longer significant", "ru": "уже не значимо"},
    "segment.repeat customers": {"en": "repeat customers", "ru": "повторные клиенты"},
    "segment.single-order customers": {"en": "single-order customers", "ru": "разовые клиенты"},

    # --- Explore and Plan: filters and caches (ui.dashboard) -----------------------------------------------------
    "dashboard.spinner_book": {"en": "Indexing the orders for the charts…", "ru": "Индексирую заказы для графиков…"},
    "dashboard.spinner_explore": {"en": "Computing the charts…", "ru": "Считаю графики…"},
    "dashboard.spinner_plan": {"en": "Planning the campaigns…", "ru": "Планирую рассылки…"},
    "dashboard.filters": {"en": "Filters", "ru": "Фильтры"},
    "dashboard.dates": {"en": "Dates", "ru": "Даты"},
    "dashboard.dates_help": {"en": "Orders placed between these days, both included.",
                             "ru": "Заказы, сделанные между этими днями включительно."},
    "dashboard.categories": {"en": "Categories", "ru": "Категории"},
    "dashboard.all_categories": {"en": "All categories", "ru": "Все категории"},
    "dashboard.categories_help": {
        "en": "Only the lines of these categories count (an order's revenue is then the revenue of its lines in "
              "them).",
        "ru": "Учитываются только строки этих категорий (выручка заказа — это тогда выручка его строк в них)."},
    "dashboard.customer_group": {"en": "Customer group", "ru": "Группа клиентов"},
    "dashboard.all_customers": {"en": "All customers", "ru": "Все клиенты"},
    "dashboard.no_groups": {"en": "Customer groups are not available: check the Segments page.",
                            "ru": "Группы клиентов недоступны: проверьте страницу «Сегменты»."},
    "dashboard.described_categories": {"en": "categories: {categories}", "ru": "категории: {categories}"},
    "dashboard.described_customers": {"en": "customers: {groups}", "ru": "клиенты: {groups}"},

    # --- findings in words (core.seasonality) --------------------------------------------------------------------
    "findings.even_weekdays": {"en": "Orders are spread evenly over the weekdays.",
                               "ru": "Заказы равномерно распределены по дням недели."},
    "findings.ratio_quietest": {"en": ", {ratio}× the quietest", "ru": ", в {ratio} раза больше, чем в самый тихий"},
    "findings.busiest_weekday": {
        "en": "Busiest weekday: **{day}** with {orders} orders on an average {day}{ratio}; quietest: **{quiet}** "
              "({low}).",
        "ru": "Самый активный день недели: **{day}**, в среднем {orders} заказа за такой день{ratio}; самый тихий: "
              "**{quiet}** ({low})."},
    "findings.largest_orders": {
        "en": "Largest orders on **{big}** (average {big_aov}), smallest on **{small}** ({small_aov}).",
        "ru": "Самые крупные заказы — **{big}** (в среднем {big_aov}), самые мелкие — **{small}** ({small_aov})."},
    "findings.peak_season": {
        "en": "Peak season: **{window}**, with {ratio}× the orders of an average month; quietest month: **{quiet}**.",
        "ru": "Пик сезона: **{window}**, заказов в {ratio} раза больше, чем в средний месяц; самый тихий месяц: "
              "**{quiet}**."},
    "findings.short_period": {
        "en": "The period covers {months} months, less than a year, so it shows no seasonal peak yet; the busiest "
              "month was **{month}** ({orders} orders).",
        "ru": "Период охватывает {months} мес. — меньше года, поэтому сезонного пика пока не видно; больше всего "
              "заказов было в месяце **{month}** (заказов: {orders})."},
    "findings.highest_revenue": {"en": "Highest revenue: **{month}** ({revenue}, {share} of the period).",
                                 "ru": "Наибольшая выручка: **{month}** ({revenue}, {share} за период)."},
    "findings.busiest_hour": {"en": "Busiest hour: **{busy}** ({busy_share} of orders); quietest: {quiet} "
                                    "({quiet_share}).",
                              "ru": "Самый активный час: **{busy}** ({busy_share} заказов); самый тихий: {quiet} "
                                    "({quiet_share})."},
    "findings.top_revenue_category": {"en": "**{category}** brings the most revenue: {revenue} ({share}).",
                                      "ru": "**{category}** приносит больше всего выручки: {revenue} ({share})."},
    "findings.frequent_and_rich": {
        "en": "**{category}** is both in the most orders ({share_orders}) and brings the most per order "
              "({per_order}; per order: a trimmed mean, without the {trim} smallest and the {trim} largest orders "
              "of each category).",
        "ru": "**{category}** есть в наибольшем числе заказов ({share_orders}) и приносит больше всего на заказ "
              "({per_order}; на заказ — усечённое среднее, без {trim} самых мелких и {trim} самых крупных заказов "
              "каждой категории)."},
    "findings.frequent_vs_rich": {
        "en": "**{frequent}** sells most often (in {frequent_share} of orders, {frequent_per_order} per order), "
              "while **{rich}** brings the most per order ({rich_per_order}, in {rich_share} of orders). Per order: "
              "a trimmed mean, without the {trim} smallest and the {trim} largest orders of each category, so a "
              "single huge order does not decide.",
        "ru": "**{frequent}** продаётся чаще всего (в {frequent_share} заказов, {frequent_per_order} на заказ), а "
              "**{rich}** приносит больше всего на заказ ({rich_per_order}, в {rich_share} заказов). На заказ — "
              "усечённое среднее, без {trim} самых мелких и {trim} самых крупных заказов каждой категории, чтобы "
              "один огромный заказ не решал исход."},
    # texts of the category contrast chart (core.charts.category_contrast_chart) that name the statistic above
    "chart.Revenue per order (trimmed mean)": {"en": "Revenue per order (trimmed mean)",
                                               "ru": "Выручка на заказ (усечённое среднее)"},
    "chart.Mean revenue per order": {"en": "Mean revenue per order", "ru": "Средняя выручка на заказ"},
    "chart.Average price per unit": {"en": "Average price per unit", "ru": "Средняя цена за штуку"},

    # --- errors raised by intake and cleaning (core.io, core.clean, core.orders) ---
    "errors.io.old_xls": {
        "en": "{file!r} is an old .xls or a password-protected workbook; save it as .xlsx without a password, or as CSV",
        "ru": "{file!r} — старая книга .xls или книга с паролем; сохраните её как .xlsx без пароля или как CSV"},
    "errors.io.not_xlsx": {
        "en": "{file!r} is not a valid .xlsx workbook; save it again from Excel or export it as CSV",
        "ru": "{file!r} — не настоящая книга .xlsx; сохраните её заново в Excel или выгрузите как CSV"},
    "errors.io.unreadable_xlsx": {
        "en": "{file!r} is a zip archive but not a readable .xlsx workbook; save it again from Excel or export CSV",
        "ru": "{file!r} — zip-архив, но не читаемая книга .xlsx; сохраните её заново в Excel или выгрузите CSV"},
    "errors.io.unknown_sheet": {"en": "sheet {sheet!r} is not in {file!r}; pick one of: {sheets}",
                                "ru": "листа {sheet!r} нет в {file!r}; выберите один из: {sheets}"},
    "errors.io.no_data_rows": {
        "en": "{file!r} has no data rows; upload an export with a header row and at least one order line",
        "ru": "в {file!r} нет строк с данными; загрузите выгрузку со строкой заголовков и хотя бы одной позицией "
              "заказа"},
    "errors.io.no_data_rows_sheet": {
        "en": "'{file}, sheet {sheet}' has no data rows; upload an export with a header row and at least one order "
              "line",
        "ru": "на листе «{sheet}» файла «{file}» нет строк с данными; загрузите выгрузку со строкой заголовков и хотя "
              "бы одной позицией заказа"},
    "errors.io.no_sheet_with_table": {
        "en": "no sheet of {file!r} holds a table (a header row and at least one line, in two or more columns); its "
              "sheets: {sheets}; upload an export with a header row and at least one order line",
        "ru": "ни на одном листе {file!r} нет таблицы (строки заголовков и хотя бы одной строки, в двух или более "
              "столбцах); листы: {sheets}; загрузите выгрузку со строкой заголовков и хотя бы одной позицией заказа"},
    "errors.io.skipped_sheet": {
        "en": "the sheet {skipped} of {file!r} holds no table, so the sheet {sheet!r} was read; choose another one "
              "under Sheet in the app, or with --sheet on the command line",
        "ru": "на листе {skipped} файла {file!r} нет таблицы, поэтому прочитан лист {sheet!r}; другой лист можно "
              "выбрать в приложении в поле «Лист», в командной строке — параметром --sheet"},
    "errors.io.skipped_sheets": {
        "en": "the sheets {skipped} of {file!r} hold no table, so the sheet {sheet!r} was read; choose another one "
              "under Sheet in the app, or with --sheet on the command line",
        "ru": "на листах {skipped} файла {file!r} нет таблицы, поэтому прочитан лист {sheet!r}; другой лист можно "
              "выбрать в приложении в поле «Лист», в командной строке — параметром --sheet"},
    "errors.io.bad_parquet": {
        "en": "could not read {file!r} as Parquet ({error}); export it again",
        "ru": "не удалось прочитать {file!r} как Parquet ({error}); выгрузите файл заново"},
    "errors.io.binary": {
        "en": "{file!r} does not look like a CSV text file (binary content or unknown encoding); upload a CSV (UTF-8 "
              "preferred) or .xlsx export",
        "ru": "{file!r} не похож на текстовый файл CSV (двоичное содержимое или неизвестная кодировка); загрузите "
              "выгрузку CSV (лучше в UTF-8) или .xlsx"},
    "errors.io.mixed_encoding": {
        "en": "{file!r} is not consistently encoded (looks like {encoding}, fails at byte {byte}); save it again as "
              "UTF-8 CSV",
        "ru": "в {file!r} смешаны кодировки (похоже на {encoding}, но байт {byte} не читается); сохраните файл "
              "заново как CSV в UTF-8"},
    "errors.io.line_not_utf8": {
        "en": "{file!r} is UTF-8 except line {lines} (of {total:,}): its bytes that are not UTF-8 are shown as "
              "\ufffd; correct that line or save the file again as UTF-8",
        "ru": "{file!r} в кодировке UTF-8, кроме строки {lines} (из {total:,}): её байты не в UTF-8 показаны как "
              "\ufffd; исправьте эту строку или сохраните файл заново в UTF-8"},
    "errors.io.lines_not_utf8": {
        "en": "{file!r} is UTF-8 except {n:,} lines (of {total:,}): {lines}; their bytes that are not UTF-8 are shown "
              "as \ufffd; correct those lines or save the file again as UTF-8",
        "ru": "{file!r} в кодировке UTF-8, кроме строк ({n:,} из {total:,}): {lines}; их байты не в UTF-8 показаны "
              "как \ufffd; исправьте эти строки или сохраните файл заново в UTF-8"},
    "errors.io.misaligned_line": {
        "en": "line {rows} of {file!r} has more values than the header has columns, probably a separator inside a "
              "value that is not in quotes; it is left out (see the data quality table): put such values in quotes, "
              "or export the file again with another separator",
        "ru": "в строке {rows} файла {file!r} значений больше, чем столбцов в заголовке, — вероятно, разделитель "
              "внутри значения без кавычек; строка не учтена (см. таблицу качества данных): заключите такие "
              "значения в кавычки или выгрузите файл с другим разделителем"},
    "errors.io.misaligned_lines": {
        "en": "{n:,} of the {total:,} lines of {file!r} have more values than the header has columns (lines {rows}), "
              "probably a separator inside a value that is not in quotes; they are left out (see the data quality "
              "table): put such values in quotes, or export the file again with another separator",
        "ru": "в {n:,} из {total:,} строк {file!r} значений больше, чем столбцов в заголовке (строки {rows}), — "
              "вероятно, разделитель внутри значения без кавычек; эти строки не учтены (см. таблицу качества "
              "данных): заключите такие значения в кавычки или выгрузите файл с другим разделителем"},
    "errors.io.unparseable": {
        "en": "could not read {file!r} as {delimiter}-separated text ({reason}); check the separators and quotes, or "
              "export the file again",
        "ru": "не удалось прочитать {file!r} как текст, разделённый {delimiter} ({reason}); проверьте разделители и "
              "кавычки или выгрузите файл заново"},
    "errors.io.delimiter.comma": {"en": "comma", "ru": "запятыми"},
    "errors.io.delimiter.semicolon": {"en": "semicolon", "ru": "точками с запятой"},
    "errors.io.delimiter.tab": {"en": "tab", "ru": "табуляцией"},
    "errors.io.delimiter.pipe": {"en": "pipe", "ru": "вертикальной чертой"},
    "errors.io.listed_more": {"en": "{listed} and {n} more", "ru": "{listed} и ещё {n}"},
    "errors.io.header_further_down": {
        "en": "no column found for {fields} in the first row of {file!r}; the column names seem to be further down, "
              "in the row starting {cells}; delete the title rows above it and upload the file again",
        "ru": "в первой строке {file!r} не найден столбец для {fields}; названия столбцов, похоже, ниже, в строке, "
              "которая начинается с {cells}; удалите строки заголовка отчёта над ней и загрузите файл снова"},
    "errors.io.single_column": {
        "en": "{file!r} has a single column ({column!r}), so it is not a table of order lines; upload the orders "
              "export as CSV (comma, semicolon or tab separated) or .xlsx",
        "ru": "в {file!r} один столбец ({column!r}), так что это не таблица позиций заказов; загрузите выгрузку "
              "заказов как CSV (с разделителями-запятыми, точками с запятой или табуляцией) или .xlsx"},
    "errors.io.no_column": {
        "en": "no column found for {fields}; the file has the columns {columns}; choose the column of each (in the "
              "app under Column mapping, on the command line with --map {field}=COLUMN)",
        "ru": "не найден столбец для {fields}; в файле есть столбцы {columns}; выберите столбец для каждого поля (в "
              "приложении в разделе «Сопоставление столбцов», в командной строке — параметром --map {field}=СТОЛБЕЦ)"},
    "errors.io.unknown_field": {
        "en": "unknown field {field!r} in the column mapping; the fields are: {fields}",
        "ru": "неизвестное поле {field!r} в сопоставлении столбцов; поля: {fields}"},
    "errors.io.column_not_in_file": {
        "en": "column {column!r} mapped to {field} is not in the file; pick one of {columns}",
        "ru": "столбца {column!r}, выбранного для {field}, нет в файле; выберите один из: {columns}"},
    "errors.io.ambiguous_header": {
        "en": "the header {header!r} for {field} appears {n} times with different values; choose one: {choices} or "
              "{last} (in the app under Column mapping, on the command line with --map {field}={example!r}; there "
              "{first!r} is the first)",
        "ru": "заголовок {header!r} для {field} есть в нескольких столбцах ({n}) с разными значениями; выберите один: "
              "{choices} "
              "или {last} (в приложении в разделе «Сопоставление столбцов», в командной строке — параметром "
              "--map {field}={example!r}; там {first!r} — первый из них)"},

    # --- errors and warnings raised by core (categories, segments, rfm, settings, customer table, clustering, profiles, stats) ---
    "errors.join.semicolon": {"en": "{head}; {tail}", "ru": "{head}; {tail}"},
    "errors.join.comma": {"en": "{head}, {tail}", "ru": "{head}, {tail}"},
    # core.categories
    "errors.categories.unknown_language": {
        "en": "Unknown rule set language {language!r}; use one of: {languages}.",
        "ru": "Неизвестный язык набора правил {language!r}; допустимые: {languages}."},
    "errors.categories.no_columns": {"en": "none", "ru": "нет"},
    "errors.categories.missing_columns": {
        "en": "The rules table needs columns keyword and category (optional: mode, enabled); found: {found}.",
        "ru": "В таблице правил нужны столбцы keyword и category (необязательные: mode, enabled); найдены: {found}."},
    "errors.categories.fix_rules": {"en": "Fix the category rules: {problems}.",
                                    "ru": "Исправьте правила категорий: {problems}."},
    "errors.categories.cannot_add": {"en": "Cannot add the rule: {problems}.",
                                     "ru": "Не удалось добавить правило: {problems}."},
    "errors.categories.not_text": {
        "en": "The rules file is not readable text (binary content or an unknown encoding); save it as CSV and upload "
              "it again.",
        "ru": "Файл правил не читается как текст (двоичное содержимое или неизвестная кодировка); сохраните его как "
              "CSV и загрузите снова."},
    "errors.categories.empty_file": {
        "en": "The rules file is empty; it needs a header row keyword,category,mode,enabled.",
        "ru": "Файл правил пуст; в нём нужна строка заголовков keyword,category,mode,enabled."},
    "errors.categories.unreadable_csv": {"en": "The rules file is not a readable CSV table: {error}",
                                         "ru": "Файл правил не читается как таблица CSV: {error}"},
    "errors.categories.row": {"en": "row {rows}{more}: {reason}", "ru": "строка {rows}{more}: {reason}"},
    "errors.categories.rows": {"en": "rows {rows}{more}: {reason}", "ru": "строки {rows}{more}: {reason}"},
    "errors.categories.row_note": {"en": "{row} ({note})", "ru": "{row} ({note})"},
    "errors.categories.more_rows": {"en": " and {n} more", "ru": " и ещё {n}"},
    "errors.categories.empty_keyword": {"en": "keyword is empty", "ru": "пустое ключевое слово"},
    "errors.categories.long_keyword": {"en": "keyword is longer than {limit} characters",
                                       "ru": "ключевое слово длиннее {limit} символов"},
    "errors.categories.bad_regex": {"en": "invalid regular expression (RE2 syntax)",
                                    "ru": "некорректное регулярное выражение (синтаксис RE2)"},
    "errors.categories.duplicate_rule": {"en": "duplicate rule (same keyword and match mode)",
                                         "ru": "правило повторяется (то же ключевое слово и тот же тип совпадения)"},
    "errors.categories.same_as_row": {"en": "same as row {row}", "ru": "как в строке {row}"},
    "errors.categories.empty_category": {"en": "category is empty", "ru": "не указана категория"},
    "errors.categories.bad_category": {
        "en": "category must be 1-{limit} characters (letters, digits, spaces and & , . ' ( ) / + -) starting with a "
              "letter or digit",
        "ru": "в названии категории должно быть от 1 до {limit} символов (буквы, цифры, пробелы и & , . ' ( ) / + -), "
              "и начинаться оно должно с буквы или цифры"},
    "errors.categories.case_differs": {"en": "category differs from another only in letter case",
                                       "ru": "категория отличается от другой только регистром букв"},
    "errors.categories.case_note": {"en": "{category!r} vs {other!r} in row {row}",
                                    "ru": "{category!r} и {other!r} в строке {row}"},
    "errors.categories.unknown_mode": {"en": "unknown match mode; use one of: {modes}",
                                       "ru": "неизвестный тип совпадения; допустимые: {modes}"},
    "errors.categories.bad_enabled": {"en": "enabled must be true or false",
                                      "ru": "в enabled должно быть true или false"},
    # core.segments
    "errors.segments.no_default_map": {
        "en": "default segment maps exist for 3, 4 or 5 bins, not {bins}; edit the map by hand",
        "ru": "стандартные карты сегментов есть для 3, 4 или 5 групп, а не для {bins}; настройте карту вручную"},
    "errors.segments.missing_columns": {"en": "segment map: missing column(s) {columns}",
                                        "ru": "карта сегментов: нет столбцов {columns}"},
    "errors.segments.bad_map": {"en": "segment map: {problems}", "ru": "карта сегментов: {problems}"},
    "errors.segments.empty_map": {"en": "the segment map is empty: add at least one rule",
                                  "ru": "карта сегментов пуста: добавьте хотя бы одно правило"},
    "errors.segments.row": {"en": "row {row}", "ru": "строка {row}"},
    "errors.segments.row_named": {"en": "row {row} ({name})", "ru": "строка {row} ({name})"},
    "errors.segments.missing_score": {"en": "{where}: {label} is missing", "ru": "{where}: не указано {label}"},
    "errors.segments.not_whole": {"en": "{where}: {label} {value} is not a whole number",
                                  "ru": "{where}: {label} {value} — не целое число"},
    "errors.segments.empty_name": {"en": "{where}: segment name is empty",
                                   "ru": "{where}: не указано название сегмента"},
    "errors.segments.reserved_name": {
        "en": "{where}: the name {other} is reserved for customers matching no rule",
        "ru": "{where}: название «{other}» зарезервировано для клиентов, не подошедших ни под одно правило"},
    "errors.segments.duplicate_name": {"en": "{where}: duplicate name, already used in row {row}",
                                       "ru": "{where}: название повторяется, оно уже есть в строке {row}"},
    "errors.segments.out_of_range": {"en": "{where}: {letter} {kind} {value} is outside 1–{top}",
                                     "ru": "{where}: {letter} {kind} {value} вне диапазона 1–{top}"},
    "errors.segments.min_above_max": {"en": "{where}: {letter} min {low} is greater than {letter} max {high}",
                                      "ru": "{where}: {letter} min {low} больше, чем {letter} max {high}"},
    "errors.segments.migration_dates": {
        "en": "migration: the earlier date ({before:date}) must be before the analysis date ({now:date})",
        "ru": "миграция: ранняя дата ({before:date}) должна быть раньше даты анализа ({now:date})"},
    # core.rfm
    "errors.rfm.unknown_method": {"en": "scoring method must be one of {methods}, not {method!r}",
                                  "ru": "способ оценки должен быть одним из: {methods}, а не {method!r}"},
    "errors.rfm.quantile_bins": {"en": "quantile scoring needs 3, 4 or 5 bins, not {bins}",
                                 "ru": "для квантилей нужно 3, 4 или 5 групп, а не {bins}"},
    "errors.rfm.cuts_count": {"en": "cut points: give 1 to {max} values, not {n}",
                              "ru": "границы: укажите от 1 до {max} значений, а не {n}"},
    "errors.rfm.cuts_order": {"en": "cut points must be numbers in strictly ascending order, got {cuts}",
                              "ru": "границы должны быть числами в строго возрастающем порядке, а указано {cuts}"},
    "errors.rfm.prefixed_cuts_count": {"en": "{prefix}: give 1 to {max} values, not {n}",
                                       "ru": "{prefix}: укажите от 1 до {max} значений, а не {n}"},
    "errors.rfm.prefixed_cuts_order": {
        "en": "{prefix}: must be numbers in strictly ascending order, got {cuts}",
        "ru": "{prefix}: нужны числа в строго возрастающем порядке, а указано {cuts}"},
    "errors.rfm.cut_points": {"en": "cut points", "ru": "границы"},
    "errors.rfm.metric_cut_points": {"en": "{metric} cut points", "ru": "{metric}, границы"},
    "errors.rfm.enter_cuts": {"en": "{prefix}: enter 1 to {max} numbers separated by commas, e.g. 1, 2, 4",
                              "ru": "{prefix}: введите от 1 до {max} чисел через запятую, например 1, 2, 4"},
    "errors.rfm.not_a_number": {
        "en": "{prefix}: {token!r} is not a number (separate numbers with commas, use . for decimals)",
        "ru": "{prefix}: {token!r} — не число (разделяйте числа запятыми, дробную часть отделяйте точкой)"},
    "errors.rfm.for_metric": {"en": "{metric}: {error}", "ru": "{metric}: {error}"},
    "errors.rfm.no_purchases": {"en": "no purchases to analyse: the data has no dated orders",
                                "ru": "нечего анализировать: в данных нет заказов с датой"},
    "errors.rfm.date_not_after_last": {
        "en": "analysis date {date:date} must be after the last purchase ({last:datetime}); pick a later date, or use the orders "
              "before it only",
        "ru": "дата анализа {date:date} должна быть позже последней покупки ({last:datetime}); выберите более позднюю дату или "
              "возьмите только заказы до неё"},
    "errors.rfm.no_orders_before": {"en": "no orders before {date:date}: choose a later analysis date",
                                    "ru": "до {date:date} нет заказов: выберите более позднюю дату анализа"},
    "errors.rfm.no_customers": {"en": "{metric}: no customers to score", "ru": "{metric}: нет клиентов для оценки"},
    "errors.rfm.missing_values": {"en": "{metric}: {n} customers have no value; check the data",
                                  "ru": "{metric}: клиентов без значения — {n}; проверьте данные"},
    # core.settings
    "errors.settings.at_path": {"en": "settings: {path}: {error}", "ru": "настройки: {path}: {error}"},
    "errors.settings.one_of": {"en": "settings: {field} must be one of {choices}, not {value!r}",
                               "ru": "настройки: поле {field} должно быть одним из: {choices}, а не {value!r}"},
    "errors.settings.one_of_or_null": {
        "en": "settings: {field} must be one of {choices} or null, not {value!r}",
        "ru": "настройки: поле {field} должно быть одним из: {choices} или null, а не {value!r}"},
    "errors.settings.currency": {
        "en": "settings: currency must be one of {choices} or empty (automatic), not {value!r}",
        "ru": "настройки: поле currency должно быть одним из: {choices} или пустым (автоматически), а не {value!r}"},
    "errors.settings.quantity_limit": {
        "en": "settings: cleaning.quantity_limit must be a positive number or null",
        "ru": "настройки: поле cleaning.quantity_limit должно быть положительным числом или null"},
    "errors.settings.analysis_date": {
        "en": "settings: analysis_date must be a date like 2024-01-31, not {value!r}",
        "ru": "настройки: поле analysis_date должно быть датой вида 2024-01-31, а не {value!r}"},
    "errors.settings.not_json": {"en": "settings: not valid JSON ({error})",
                                 "ru": "настройки: некорректный JSON ({error})"},
    "errors.settings.unknown_field": {"en": "settings: unknown field {field}",
                                      "ru": "настройки: неизвестное поле {field}"},
    "errors.settings.object": {"en": "settings: {path} must be an object",
                               "ru": "настройки: поле {path} должно быть объектом"},
    "errors.settings.text_object": {"en": "settings: {path} must be an object of text values",
                                    "ru": "настройки: поле {path} должно быть объектом с текстовыми значениями"},
    "errors.settings.list": {"en": "settings: {path} must be a list",
                             "ru": "настройки: поле {path} должно быть списком"},
    "errors.settings.bool": {"en": "settings: {path} must be true or false",
                             "ru": "настройки: поле {path} должно быть true или false"},
    "errors.settings.int": {"en": "settings: {path} must be a whole number",
                            "ru": "настройки: поле {path} должно быть целым числом"},
    "errors.settings.number": {"en": "settings: {path} must be a number",
                               "ru": "настройки: поле {path} должно быть числом"},
    "errors.settings.text": {"en": "settings: {path} must be text", "ru": "настройки: поле {path} должно быть текстом"},
    # core.customer_table
    "errors.customer_table.default_name": {"en": "the customer table", "ru": "таблица клиентов"},
    "errors.customer_table.bad_parquet": {"en": "{file!r} is not a readable Parquet file ({error})",
                                          "ru": "не удаётся прочитать {file!r} как файл Parquet ({error})"},
    "errors.customer_table.not_customer_table": {
        "en": "{file!r} is not a customer table: no column {missing}; a customer table needs {required} (optional "
              "spend_<category> columns); the file has {listed}",
        "ru": "{file!r} — не таблица клиентов: нет столбцов {missing}; в таблице клиентов нужны {required} "
              "(и по желанию столбцы spend_<category>); в файле есть {listed}"},
    "errors.customer_table.no_rows": {"en": "{file!r} has no customers: the table has a header but no rows",
                                      "ru": "{file!r}: нет клиентов — у таблицы есть заголовок, но нет строк"},
    "errors.customer_table.repeated_id": {
        "en": "customer_id {id!r} appears more than once ({rows} rows share an id); a customer table has one row per "
              "customer",
        "ru": "customer_id {id!r} встречается больше одного раза (строк с повторяющимся id: {rows}); в таблице "
              "клиентов у каждого клиента одна строка"},
    "errors.customer_table.spend_twice": {
        "en": "the spend column {column!r} appears twice; keep one column per category",
        "ru": "столбец расходов {column!r} встречается дважды; оставьте по одному столбцу на категорию"},
    "errors.customer_table.bad_values": {
        "en": "{column}: {n} row(s) where the value {problem}, e.g. row {row} ({value!r}); fix the customer table "
              "and load it again",
        "ru": "{column}: строк, где значение {problem}, — {n}, например строка {row} ({value!r}); исправьте таблицу "
              "клиентов и загрузите её снова"},
    "errors.customer_table.empty": {"en": "is empty", "ru": "пустое"},
    "errors.customer_table.not_a_date": {"en": "is not a date", "ru": "не является датой"},
    "errors.customer_table.after_last": {"en": "is after last_purchase", "ru": "позже last_purchase"},
    "errors.customer_table.bad_orders": {"en": "is not a whole number of at least 1",
                                         "ru": "не является целым числом от 1 и больше"},
    "errors.customer_table.not_a_number": {"en": "is not a number", "ru": "не является числом"},
    # core.clustering
    "errors.clustering.bad_k": {"en": "clusters: k must be a whole number of 2 or more, not {k!r}",
                                "ru": "кластеры: k должно быть целым числом не меньше 2, а не {k!r}"},
    "errors.clustering.value": {"en": "value", "ru": "значение"},
    "errors.clustering.new_value_missing": {"en": "{name}: every new customer needs a number",
                                            "ru": "{name}: у каждого нового клиента должно быть число"},
    "errors.clustering.edges_mismatch": {
        "en": "{metric}: the score edges and counts do not match",
        "ru": "{metric}: границы баллов не согласуются с числом клиентов по баллам"},
    "errors.clustering.missing_columns": {"en": "clusters: the customer table has no {columns} column",
                                          "ru": "кластеры: в таблице клиентов нет столбца {columns}"},
    "errors.clustering.no_features": {"en": "clusters: choose at least one feature",
                                      "ru": "кластеры: выберите хотя бы один признак"},
    "errors.clustering.missing_values": {
        "en": "clusters: some customers have no recency, frequency or monetary value; check the data",
        "ru": "кластеры: у некоторых клиентов нет давности, частоты или суммы покупок; проверьте данные"},
    "errors.clustering.too_few_customers": {"en": "clusters need at least {min} customers, the data has {n}",
                                            "ru": "для кластеров нужно не меньше {min} клиентов, а в данных их {n}"},
    "errors.clustering.too_few_profiles": {
        "en": "clusters: only {distinct} different customer profiles, fewer than the {k} clusters asked for; choose "
              "fewer clusters",
        "ru": "кластеры: различных профилей клиентов всего {distinct}, а кластеров запрошено {k}; выберите меньше "
              "кластеров"},
    "errors.clustering.no_label": {"en": "clusters: some customers have no cluster label; refit the clusters",
                                   "ru": "кластеры: у некоторых клиентов нет кластера; постройте кластеры заново"},
    # core.profiles
    "errors.profiles.cannot_fill": {"en": "template for {name!r} cannot be filled: {error}",
                                    "ru": "текст для {name!r} не удаётся заполнить: {error}"},
    "errors.profiles.unmatched_brace": {
        "en": "template for {name!r} has an unmatched brace; write {{{{ or }}}} for a literal brace",
        "ru": "в тексте для {name!r} есть непарная фигурная скобка; чтобы вывести саму скобку, напишите "
              "{{{{ или }}}}"},
    "errors.profiles.unknown_placeholder": {
        "en": "template for {name!r} uses unknown placeholder {{{placeholder}}}; allowed: {allowed}",
        "ru": "в тексте для {name!r} неизвестная подстановка {{{placeholder}}}; допустимые: {allowed}"},
    "errors.profiles.empty_name": {"en": "row {row}: the group name is empty",
                                   "ru": "строка {row}: не указано название группы"},
    "errors.profiles.bad_row": {"en": "row {row}: {error}", "ru": "строка {row}: {error}"},
    "errors.profiles.bad_templates": {"en": "recommendation texts: {problems}", "ru": "тексты рекомендаций: {problems}"},
    # core.stats: errors
    "errors.stats.alpha": {"en": "alpha must be between 0 and 1, got {alpha}",
                           "ru": "уровень значимости alpha должен быть между 0 и 1, а указано {alpha}"},
    "errors.stats.unknown_correction": {"en": "unknown correction {correction!r}; use 'holm' or 'bh'",
                                        "ru": "неизвестная поправка {correction!r}; используйте 'holm' или 'bh'"},
    "errors.stats.p_values": {"en": "p-values must lie between 0 and 1", "ru": "p-значения должны быть между 0 и 1"},
    "errors.stats.not_numbers": {"en": "group {group!r} must contain numbers",
                                 "ru": "в группе {group!r} должны быть числа"},
    "errors.stats.too_few_values": {
        "en": "group {group!r} has {n} value(s); each group needs at least 2 to compare",
        "ru": "в группе {group!r} значений: {n}; для сравнения в каждой группе нужно хотя бы 2"},
    "errors.stats.unknown_two_test": {
        "en": "unknown two-group test {test!r}; use 'mann-whitney' or 'welch'",
        "ru": "неизвестный критерий для двух групп {test!r}; используйте 'mann-whitney' или 'welch'"},
    "errors.stats.unknown_k_test": {
        "en": "unknown k-group test {test!r}; use 'kruskal' or 'anova'",
        "ru": "неизвестный критерий для нескольких групп {test!r}; используйте 'kruskal' или 'anova'"},
    "errors.stats.unknown_paired_test": {
        "en": "unknown paired test {test!r}; use 'wilcoxon' or 'paired-t'",
        "ru": "неизвестный парный критерий {test!r}; используйте 'wilcoxon' или 'paired-t'"},
    "errors.stats.too_few_pairs": {"en": "need at least 2 pairs with a value in both groups, got {n}",
                                   "ru": "нужны хотя бы 2 пары со значениями в обеих группах, а есть {n}"},
    "errors.stats.same_names": {"en": "the two groups need different names, both are {name!r}",
                                "ru": "у двух групп должны быть разные названия, а обе называются {name!r}"},
    "errors.stats.too_few_groups": {"en": "need at least 2 groups to compare, got {n}",
                                    "ru": "для сравнения нужно хотя бы 2 группы, а выбрано {n}"},
    "errors.stats.chi_square_input": {"en": "chi_square needs a table of counts or two Series of categories",
                                      "ru": "для chi_square нужна таблица частот или две Series с категориями"},
    "errors.stats.table_not_numbers": {"en": "the contingency table must hold counts (numbers)",
                                       "ru": "в таблице сопряжённости должны быть частоты (числа)"},
    "errors.stats.table_bad_counts": {
        "en": "the contingency table must hold non-negative counts without gaps",
        "ru": "в таблице сопряжённости должны быть неотрицательные частоты без пропусков"},
    "errors.stats.table_too_small": {
        "en": "need at least 2 categories and 2 groups with data, got a {rows} × {cols} table",
        "ru": "нужны хотя бы 2 категории и 2 группы с данными, а таблица размером {rows} × {cols}"},
    "errors.stats.proportions_input": {
        "en": "two_proportions needs two whole success counts between 0 and their group totals",
        "ru": "для two_proportions нужны два целых числа успехов, каждое от 0 до размера своей группы"},
    "errors.stats.unknown_grouping": {
        "en": "unknown grouping {grouping!r}; use 'repeat', 'month', a column of the data or a Series of labels per "
              "customer",
        "ru": "неизвестная группировка {grouping!r}; используйте 'repeat', 'month', столбец данных или Series с "
              "метками клиентов"},
    "errors.stats.unknown_metric": {"en": "unknown metric {metric!r}; choose one of {metrics}",
                                    "ru": "неизвестный показатель {metric!r}; выберите один из: {metrics}"},
    "errors.stats.month_by_month": {
        "en": "monthly revenue grouped by month has one value per group; choose another grouping",
        "ru": "при группировке по месяцам у выручки за месяц одно значение на группу; выберите другую группировку"},
    "errors.stats.missing_columns": {"en": "the order lines lack column(s) {columns}",
                                     "ru": "в строках заказов нет столбцов {columns}"},
    "errors.stats.no_lines": {"en": "there are no order lines to analyse", "ru": "нет строк заказов для анализа"},
    "errors.stats.no_group_labels": {
        "en": "no order line has a group label; check that the grouping matches the customer ids",
        "ru": "ни у одной строки заказа нет метки группы; проверьте, что группировка соответствует id клиентов"},
    "errors.stats.mix_by_itself": {
        "en": "{variable} cannot be grouped by {variable} itself; choose another grouping",
        "ru": "«{variable}» нельзя группировать по самому «{variable}»; выберите другую группировку"},
    "errors.stats.no_labelled_values": {
        "en": "no order line has both a group label and a {variable} label",
        "ru": "ни у одной строки заказа нет одновременно метки группы и значения «{variable}»"},
    "errors.stats.absent_groups": {"en": "no {label} data for group(s) {absent}; available: {available}",
                                   "ru": "нет данных ({label}) для групп: {absent}; данные есть для: {available}"},
    "errors.stats.too_few_groups_with": {
        "en": "need at least 2 groups with {label} data to compare, got {n}",
        "ru": "для сравнения нужно хотя бы 2 группы с данными ({label}), а выбрано {n}"},
    "errors.stats.data.order_value": {"en": "order value", "ru": "сумма заказа"},
    "errors.stats.data.orders_per_customer": {"en": "orders per customer", "ru": "заказов на клиента"},
    "errors.stats.data.revenue_per_customer": {"en": "revenue per customer", "ru": "выручка на клиента"},
    "errors.stats.data.revenue_per_product": {"en": "revenue per product", "ru": "выручка на товар"},
    "errors.stats.data.items_per_order": {"en": "items per order", "ru": "товаров в заказе"},
    "errors.stats.data.monthly_revenue": {"en": "monthly revenue", "ru": "выручка за месяц"},
    "errors.stats.data.category_mix": {"en": "category mix", "ru": "структура категорий"},
    "errors.stats.data.grouping_mix": {"en": "grouping", "ru": "группировка"},
    "errors.stats.data.repeat_rate": {"en": "repeat rate", "ru": "доля повторных клиентов"},
    "errors.stats.data.metric": {"en": "metric", "ru": "показатель"},
    "errors.stats.need_two_segments": {"en": "need at least 2 segments in the data, found {n}",
                                       "ru": "в данных нужно хотя бы 2 сегмента, а найдено {n}"},
    "errors.stats.need_two_categories": {"en": "need at least 2 categories in the data, found {n}",
                                         "ru": "в данных нужно хотя бы 2 категории, а найдено {n}"},
    # core.stats: warnings of a test result
    "errors.stats.group_size": {"en": "{group} ({n})", "ru": "{group} ({n})"},
    "errors.stats.dropped": {"en": "{group}: ignored {n} missing or infinite value(s)",
                             "ru": "{group}: не учтены пустые или бесконечные значения ({n})"},
    "errors.stats.small_groups_values": {
        "en": "small groups: {groups} have fewer than {min} values; the p-value and effect size are imprecise",
        "ru": "малые группы: {groups} — меньше {min} значений; p-значение и размер эффекта неточны"},
    "errors.stats.small_groups": {"en": "small groups: {groups} have fewer than {min} observations",
                                  "ru": "малые группы: {groups} — меньше {min} наблюдений"},
    "errors.stats.unpaired": {"en": "{n} unit(s) without a value in both groups left out",
                              "ru": "не учтены единицы без значения в обеих группах ({n})"},
    "errors.stats.few_pairs": {"en": "only {n} pairs (fewer than {min}); the p-value and effect size are imprecise",
                               "ru": "пар всего {n} (меньше {min}); p-значение и размер эффекта неточны"},
    "errors.stats.zero_differences": {
        "en": "{n} of {total} pairs have no difference and are left out of the signed-rank test",
        "ru": "в {n} из {total} пар разность равна нулю, критерий знаковых рангов их не учитывает"},
    "errors.stats.differences": {"en": "the differences", "ru": "разности"},
    "errors.stats.zero_variance": {"en": "{group}: all {n} values are equal (zero variance)",
                                   "ru": "{group}: все значения ({n}) одинаковы (нулевая дисперсия)"},
    "errors.stats.skewed": {
        "en": "{group}: strongly skewed (skewness {skewness:.1f}) with fewer than 100 values; the mean is driven by a few "
              "large values, prefer the rank test",
        "ru": "{group}: сильная асимметрия (коэффициент асимметрии {skewness:.1f}) при менее чем 100 значениях; среднее "
              "определяют несколько больших значений, лучше выбрать ранговый критерий"},
    "errors.stats.bootstrap_cap": {
        "en": "effect-size CI bootstrapped on a random {kept:,} of the {total:,} values, drawn proportionally from each "
              "group (speed cap {cap:,})",
        "ru": "доверительный интервал размера эффекта получен бутстрепом по случайным {kept:,} из {total:,} значений, "
              "взятым из каждой группы пропорционально её размеру (ограничение для скорости — {cap:,})"},
    "errors.stats.unequal_variances": {
        "en": "group standard deviations differ {ratio:.1f}-fold (> 2): ANOVA assumes equal variances; prefer "
              "Kruskal-Wallis",
        "ru": "стандартные отклонения групп различаются в {ratio:.1f} раза (> 2): дисперсионный анализ предполагает "
              "равные дисперсии; лучше выбрать критерий Краскела — Уоллиса"},
    "errors.stats.low_expected": {
        "en": "{low} of {cells} cells ({share:.0%}) have an expected count below {min} (smallest {smallest:.1f}); the "
              "chi-square p-value may be inaccurate, merge small categories or groups",
        "ru": "в {low} из {cells} ячеек ({share:.0%}) ожидаемая частота меньше {min} (наименьшая — {smallest:.1f}); "
              "p-значение хи-квадрат может быть неточным, объедините малые категории или группы"},
    "errors.stats.low_expected_z": {
        "en": "fewer than {min} expected successes or failures in a group; the normal approximation behind the "
              "z-test is unreliable",
        "ru": "в одной из групп ожидается меньше {min} успехов или неудач; нормальное приближение, на котором "
              "основан z-тест, ненадёжно"},

    # --- chart texts (core.charts titles, axis, legend and tooltip titles; see translate_chart_text) -----------
    "chart.Customers": {"en": "Customers", "ru": "Клиенты"},
    "chart.Orders": {"en": "Orders", "ru": "Заказы"},
    "chart.Month": {"en": "Month", "ru": "Месяц"},
    "chart.Category": {"en": "Category", "ru": "Категория"},
    "chart.Share": {"en": "Share", "ru": "Доля"},
    "chart.Share of revenue": {"en": "Share of revenue", "ru": "Доля выручки"},
    "chart.Revenue": {"en": "Revenue", "ru": "Выручка"},
    "chart.Orders with the category": {"en": "Orders with the category", "ru": "Заказов с категорией"},
    "chart.Cluster": {"en": "Cluster", "ru": "Кластер"},
    "chart.Share of the earlier segment": {"en": "Share of the earlier segment", "ru": "Доля прежнего сегмента"},
    "chart.Share of the cluster": {"en": "Share of the cluster", "ru": "Доля кластера"},
    "chart.Share of orders": {"en": "Share of orders", "ru": "Доля заказов"},
    "chart.Segment": {"en": "Segment", "ru": "Сегмент"},
    "chart.Segment now": {"en": "Segment now", "ru": "Сегмент сейчас"},
    "chart.Group": {"en": "Group", "ru": "Группа"},
    "chart.First order in": {"en": "First order in", "ru": "Первый заказ в"},
    "chart.Check": {"en": "Check", "ru": "Проверка"},
    "chart.Revenue per order": {"en": "Revenue per order", "ru": "Выручка на заказ"},
    "chart.Revenue per cohort customer": {"en": "Revenue per cohort customer", "ru": "Выручка на клиента когорты"},
    "chart.Average price": {"en": "Average price", "ru": "Средняя цена"},
    "chart.When to mail each group (✉ = send; colour = orders vs the group's average month)": {
        "en": "When to mail each group (✉ = send; colour = orders vs the group's average month)",
        "ru": 'Когда писать каждой группе (✉ — отправить; цвет — заказы относительно среднего месяца группы)'},
    "chart.Weekday": {"en": "Weekday", "ru": "День недели"},
    "chart.Vs the group's average month": {
        "en": "Vs the group's average month",
        "ru": 'Относительно среднего месяца группы'},
    "chart.Units": {"en": "Units", "ru": "Штук"},
    "chart.Spend": {"en": "Spend", "ru": "Траты"},
    "chart.Silhouette": {"en": "Silhouette", "ru": "Силуэт"},
    "chart.Share of the category's revenue": {"en": "Share of the category's revenue", "ru": 'Доля выручки категории'},
    "chart.Share of orders vs share of revenue": {
        "en": "Share of orders vs share of revenue",
        "ru": "Доля заказов и доля выручки"},
    "chart.Share of customers": {"en": "Share of customers", "ru": "Доля клиентов"},
    "chart.Share of all customers / all revenue": {
        "en": "Share of all customers / all revenue",
        "ru": "Доля всех клиентов / всей выручки"},
    "chart.Send": {"en": "Send", "ru": "Отправка"},
    "chart.Segment of each R×F cell (customers in the cell)": {
        "en": "Segment of each R×F cell (customers in the cell)",
        "ru": "Сегмент каждой ячейки R×F (клиентов в ячейке)"},
    "chart.Seasonality by category (each row: share of the category's revenue)": {
        "en": "Seasonality by category (each row: share of the category's revenue)",
        "ru": 'Сезонность по категориям (каждая строка — доля выручки категории)'},
    "chart.Rules covering the cell": {"en": "Rules covering the cell", "ru": "Правил, покрывающих ячейку"},
    "chart.Revenue by month": {"en": "Revenue by month", "ru": "Выручка по месяцам"},
    "chart.Revenue and orders by category": {
        "en": "Revenue and orders by category",
        "ru": "Выручка и заказы по категориям"},
    "chart.Retention": {"en": "Retention", "ru": "Удержание"},
    "chart.RFM segment": {"en": "RFM segment", "ru": "RFM-сегмент"},
    "chart.R score": {"en": "R score", "ru": "Балл R"},
    "chart.R score (higher = more recent)": {
        "en": "R score (higher = more recent)",
        "ru": "Балл R (больше — недавнее)"},
    "chart.Peak month": {"en": "Peak month", "ru": "Пиковый месяц"},
    "chart.Orders vs average month": {"en": "Orders vs average month", "ru": "Заказы относительно среднего месяца"},
    "chart.Orders per such month": {"en": "Orders per such month", "ru": "Заказов в такой месяц"},
    "chart.Orders per day": {"en": "Orders per day", "ru": "Заказов в день"},
    "chart.Orders (all years)": {"en": "Orders (all years)", "ru": "Заказы (все годы)"},
    "chart.Order lines": {"en": "Order lines", "ru": "Строки заказов"},
    "chart.Number of clusters": {"en": "Number of clusters", "ru": "Число кластеров"},
    "chart.Months since": {"en": "Months since", "ru": "Месяцев спустя"},
    "chart.Months since the first order": {"en": "Months since the first order", "ru": "Месяцев с первого заказа"},
    "chart.Median": {"en": "Median", "ru": "Медиана"},
    "chart.Measure": {"en": "Measure", "ru": "Показатель"},
    "chart.Mean": {"en": "Mean", "ru": "Среднее"},
    "chart.Lower quartile": {"en": "Lower quartile", "ru": "Нижний квартиль"},
    "chart.Upper quartile": {"en": "Upper quartile", "ru": "Верхний квартиль"},
    "chart.Inertia": {"en": "Inertia", "ru": "Инерция"},
    "chart.Hour": {"en": "Hour", "ru": "Час"},
    "chart.Hour of the day": {"en": "Hour of the day", "ru": "Час суток"},
    "chart.Gap": {"en": "Gap", "ru": "Интервал"},
    "chart.F score": {"en": "F score", "ru": "Балл F"},
    "chart.F score (orders, higher = more)": {
        "en": "F score (orders, higher = more)",
        "ru": "Балл F (заказы, больше — чаще)"},
    "chart.Days until the next order": {"en": "Days until the next order", "ru": "Дней до следующего заказа"},
    "chart.Repeat orders": {"en": "Repeat orders", "ru": "Повторные заказы"},
    "chart.Days since the last purchase (log scale)": {
        "en": "Days since the last purchase (log scale)",
        "ru": "Дней с последней покупки (логарифмическая шкала)"},
    "chart.Days since last purchase": {"en": "Days since last purchase", "ru": "Дней с последней покупки"},
    "chart.Days in the period": {"en": "Days in the period", "ru": "Дней в периоде"},
    "chart.Days between a customer's consecutive orders": {
        "en": "Days between a customer's consecutive orders",
        "ru": 'Дней между соседними заказами клиента'},
    "chart.Customers by recency and spend": {
        "en": "Customers by recency and spend",
        "ru": "Клиенты по давности и тратам"},
    "chart.Customer": {"en": "Customer", "ru": "Клиент"},
    "chart.Cohort customers": {"en": "Cohort customers", "ru": "Клиентов в когорте"},
    "chart.Clusters": {"en": "Clusters", "ru": "Кластеры"},
    "chart.Clusters × RFM segments": {"en": "Clusters × RFM segments", "ru": "Кластеры × RFM-сегменты"},
    "chart.Choosing the number of clusters": {"en": "Choosing the number of clusters", "ru": "Выбор числа кластеров"},
    "chart.Categories: how often they sell vs what an order brings": {
        "en": "Categories: how often they sell vs what an order brings",
        "ru": "Категории: как часто продаются и сколько приносит заказ"},
    "chart.Active customers": {"en": "Active customers", "ru": "Активные клиенты"},
    "chart.Average order": {"en": "Average order", "ru": "Средний чек"},
    "chart.Values": {"en": "Values", "ru": "Значения"},
    "chart.Value": {"en": "Value", "ru": "Значение"},
    "chart.Some customers match no rule (Other)": {
        "en": "Some customers match no rule (Other)",
        "ru": "Часть клиентов не подходит ни под одно правило (Прочие)"},
    "chart.No rule for some M, several rules for other M": {
        "en": "No rule for some M, several rules for other M",
        "ru": "Для части M нет правила, для других — несколько правил"},
    "chart.Several rules match (first wins)": {
        "en": "Several rules match (first wins)",
        "ru": "Подходят несколько правил (побеждает первое)"},
    "chart.Orders by month": {"en": "Orders by month", "ru": "Заказы по месяцам"},
    "chart.Customers by month": {"en": "Customers by month", "ru": "Клиенты по месяцам"},
    "chart.Average order by month": {"en": "Average order by month", "ru": "Средний чек по месяцам"},
    "chart.Orders by weekday": {"en": "Orders by weekday", "ru": "Заказы по дням недели"},
    "chart.Revenue by weekday": {"en": "Revenue by weekday", "ru": "Выручка по дням недели"},
    "chart.Customers by weekday": {"en": "Customers by weekday", "ru": "Клиенты по дням недели"},
    "chart.Average order by weekday": {"en": "Average order by weekday", "ru": "Средний чек по дням недели"},
    "chart.Orders by hour of the day": {"en": "Orders by hour of the day", "ru": "Заказы по часам суток"},
    "chart.Revenue by hour of the day": {"en": "Revenue by hour of the day", "ru": "Выручка по часам суток"},
    "chart.Customers by hour of the day": {"en": "Customers by hour of the day", "ru": "Клиенты по часам суток"},
    "chart.Average order by hour of the day": {
        "en": "Average order by hour of the day",
        "ru": "Средний чек по часам суток"},
    "chart.Share of customers and revenue by segment": {"en": "Share of customers and revenue by segment",
                                                        "ru": "Доли клиентов и выручки по сегментам"},
    "chart.pattern.share_by": {"en": "Share of customers and revenue by {group}",
                               "ru": "Доли клиентов и выручки: {group}"},
    "chart.pattern.moved": {"en": "Where customers moved: segment {days} days earlier → segment now",
                            "ru": "Куда перешли клиенты: сегмент {days} дн. назад → сегмент сейчас"},
    "chart.pattern.segment_then": {"en": "Segment {days} days earlier", "ru": "Сегмент {days} дн. назад"},
    "chart.pattern.cohorts": {"en": "Cohorts: {measure} by months since the first order",
                              "ru": "Когорты: {measure} по месяцам с первого заказа"},
    "chart.pattern.mix_by": {"en": "Category mix by {group}", "ru": "Структура категорий: {group}"},
    "chart.pattern.clv_over": {"en": "Customer lifetime value over the next {days} days",
                               "ru": "Пожизненная ценность клиентов (CLV) за следующие {days} дн."},
    "chart.pattern.holdout": {"en": "Repeat purchases in {period}: predicted vs actual",
                              "ru": "Повторные покупки за {period}: прогноз и факт"},
    "chart.CLV, sum": {"en": "CLV, sum", "ru": "CLV, сумма"},
    "chart.Expected orders": {"en": "Expected orders", "ru": "Ожидаемые заказы"},
    "chart.CLV per customer": {"en": "CLV per customer", "ru": "CLV на клиента"},
    "chart.Mean P(alive)": {"en": "Mean P(alive)", "ru": "Средняя P(активен)"},
    "chart.Actual": {"en": "Actual", "ru": "Факт"},
    "chart.Predicted": {"en": "Predicted", "ru": "Прогноз"},
    "chart.Repeat purchases before the split": {"en": "Repeat purchases before the split",
                                                "ru": "Повторных покупок до даты разбиения"},
    "chart.Repeat purchases per customer after the split": {"en": "Repeat purchases per customer after the split",
                                                            "ru": "Повторных покупок на клиента после разбиения"},
    "chart.Actual per customer": {"en": "Actual per customer", "ru": "Факт на клиента"},
    "chart.Predicted per customer": {"en": "Predicted per customer", "ru": "Прогноз на клиента"},

    # --- settings, CLI export and saved analysis choices ---
    "errors.settings.missing_field": {"en": "settings: {path}: missing {fields}",
                                      "ru": "настройки: {path}: не хватает полей: {fields}"},
    "errors.settings.range": {"en": "settings: {field} must be between {low} and {high}, not {value!r}",
                              "ru": "настройки: поле {field} должно быть от {low} до {high}, а не {value!r}"},
    "errors.clustering.too_alike": {
        "en": "clusters: the customers are too alike to split into clusters (too few different order histories)",
        "ru": "кластеры: клиенты слишком похожи, чтобы разделить их на кластеры (слишком мало разных историй "
              "заказов)"},
    "export.clusters_missing": {
        "en": "The settings include clusters, but the Clusters page has not computed them for this data and these "
              "settings: open it to add the cluster columns to the exports.",
        "ru": "В настройках есть кластеры, но страница «Кластеры» ещё не построила их для этих данных и настроек: "
              "откройте её, чтобы добавить столбцы кластеров в выгрузки."},
    "export.clv_missing": {
        "en": "The settings include a CLV forecast, but the Forecast page has not computed it for this data and "
              "these settings: open it to add the CLV columns to the exports.",
        "ru": "В настройках есть прогноз CLV, но страница «Прогноз» ещё не рассчитала его для этих данных и "
              "настроек: откройте её, чтобы добавить столбцы CLV в выгрузки."},

    # --- exports: Excel workbook and PDF report (core.export, core.report) ---
    "export.book_title": {"en": "Customer segments", "ru": "Сегменты клиентов"},
    "export.subject": {"en": "RFM segments of {file}", "ru": "RFM-сегменты: {file}"},
    "export.comments": {"en": "Text cells are never formulas; see the Summary sheet.",
                        "ru": "Текстовые ячейки никогда не бывают формулами; см. лист «Сводка»."},
    "export.step_prepare": {"en": "Preparing the tables", "ru": "Готовлю таблицы"},
    "export.step_write": {"en": "Writing {sheet} ({rows} rows)", "ru": "Записываю лист «{sheet}» (строк: {rows})"},
    "export.sheet.summary": {"en": "Summary", "ru": "Сводка"},
    "export.sheet.customers": {"en": "Customers", "ru": "Клиенты"},
    "export.sheet.mail": {"en": "Mail {segment}", "ru": "Рассылка {segment}"},
    "export.sheet.segments": {"en": "Segments", "ru": "Сегменты"},
    "export.sheet.categories": {"en": "Categories", "ru": "Категории"},
    "export.sheet.rules": {"en": "Category rules", "ru": "Правила категорий"},
    "export.sheet.tests": {"en": "Tests", "ru": "Проверки гипотез"},
    "export.sheet.quality": {"en": "Data quality", "ru": "Качество данных"},
    "export.sheet.settings": {"en": "Settings", "ru": "Настройки"},
    "export.verdict_mail": {"en": "mail", "ru": "рассылать"},
    "export.verdict_skip": {"en": "skip", "ru": "пропустить"},
    "export.quality_input": {"en": "Lines in the file", "ru": "Строк в файле"},
    "export.col.h0": {"en": "H0 (null hypothesis)", "ru": "H0 (нулевая гипотеза)"},
    "export.col.h1": {"en": "H1 (alternative)", "ru": "H1 (альтернатива)"},
    "export.col.customer": {"en": "Customer", "ru": "Клиент"},
    "export.col.rfm": {"en": "RFM code", "ru": "Код RFM"},
    "export.col.r": {"en": "R score", "ru": "Балл R"},
    "export.col.f": {"en": "F score", "ru": "Балл F"},
    "export.col.m": {"en": "M score", "ru": "Балл M"},
    "export.col.recency_days": {"en": "Days since last purchase", "ru": "Дней с последней покупки"},
    "export.col.spend": {"en": "Spend", "ru": "Траты"},
    "export.col.first_purchase": {"en": "First purchase", "ru": "Первая покупка"},
    "export.col.last_purchase": {"en": "Last purchase", "ru": "Последняя покупка"},
    "export.col.tenure_days": {"en": "Days since first purchase", "ru": "Дней с первой покупки"},
    "export.col.lifecycle": {"en": "Single or repeat", "ru": "Разовый или повторный"},
    "export.col.main_category": {"en": "Main category", "ru": "Основная категория"},
    "export.col.cluster": {"en": "Cluster", "ru": "Кластер"},
    "export.col.cluster_name": {"en": "Cluster name", "ru": "Название кластера"},
    "export.col.p_alive": {"en": "P(alive)", "ru": "P(активен)"},
    "export.col.p_alive_note": {"en": "P(alive) note", "ru": "Примечание к P(активен)"},
    "export.col.expected_orders": {"en": "Expected orders", "ru": "Ожидаемые заказы"},
    "export.col.expected_aov": {"en": "Expected average order", "ru": "Ожидаемый средний чек"},
    "export.col.clv": {"en": "CLV", "ru": "CLV"},
    "export.col.rule": {"en": "Rule (scores)", "ru": "Правило (баллы)"},
    "export.col.share_customers": {"en": "Share of customers", "ru": "Доля клиентов"},
    "export.col.share_revenue": {"en": "Share of revenue", "ru": "Доля выручки"},
    "export.col.mean_orders": {"en": "Orders per customer", "ru": "Заказов на клиента"},
    "export.col.median_recency_days": {"en": "Median days since last purchase",
                                       "ru": "Медиана дней с последней покупки"},
    "export.col.repeat_share": {"en": "Repeat customers", "ru": "Повторные клиенты"},
    "export.col.category_1": {"en": "Top category", "ru": "Главная категория"},
    "export.col.category_1_share": {"en": "Top category share", "ru": "Доля главной категории"},
    "export.col.category_2": {"en": "2nd category", "ru": "2-я категория"},
    "export.col.category_2_share": {"en": "2nd category share", "ru": "Доля 2-й категории"},
    "export.col.category_3": {"en": "3rd category", "ru": "3-я категория"},
    "export.col.category_3_share": {"en": "3rd category share", "ru": "Доля 3-й категории"},
    "export.col.skip": {"en": "Mail or skip", "ru": "Рассылать или нет"},
    "export.col.enabled": {"en": "Enabled", "ru": "Включено"},
    "export.col.reason_code": {"en": "Reason code", "ru": "Код причины"},
    "export.col.count": {"en": "Count", "ru": "Количество"},
    "export.col.share_of_file": {"en": "Share of the file", "ru": "Доля файла"},
    "export.col.setting": {"en": "Setting", "ru": "Параметр"},
    "export.col.value": {"en": "Value", "ru": "Значение"},
    "export.col.n_per_group": {"en": "N per group", "ru": "n по группам"},
    "export.col.centers": {"en": "Centers", "ru": "Центры групп"},
    "export.col.p_adjusted": {"en": "Adjusted p-value", "ru": "Скорректированное p-значение"},
    "export.col.effect_ci_low": {"en": "Effect CI low", "ru": "Нижняя граница ДИ эффекта"},
    "export.col.effect_ci_high": {"en": "Effect CI high", "ru": "Верхняя граница ДИ эффекта"},
    "export.col.alpha": {"en": "α", "ru": "α"},
    "export.summary.analysis_date": {"en": "Analysis date (recency counted to)",
                                     "ru": "Дата анализа (давность считается до неё)"},
    "export.summary.segments": {"en": "Segments with customers", "ru": "Сегментов с клиентами"},
    "export.summary.categorised": {"en": "Revenue in a category (not Other)",
                                   "ru": "Выручка с категорией (не «Прочие»)"},
    "export.summary.kept": {"en": "Lines kept for analysis", "ru": "Строк оставлено для анализа"},
    "export.summary.dropped": {"en": "Lines dropped", "ru": "Строк исключено"},
    "export.summary.filled": {"en": "Lines that took customer or date from their order",
                              "ru": "Строк, получивших клиента или дату из своего заказа"},
    "export.summary.tests": {"en": "Hypothesis tests included", "ru": "Проверки гипотез включены"},
    "export.summary.tests_yes": {"en": "yes", "ru": "да"},
    "export.summary.tests_no": {"en": "no (run them on the Tests page)",
                                "ru": "нет (запустите их на странице «Проверки»)"},
    "export.summary.created": {"en": "Created", "ru": "Создано"},
    "export.note.sheets": {"en": "Sheets: {sheets}.", "ru": "Листы: {sheets}."},
    "export.note.continues": {
        "en": "{sheet} has more rows than one Excel sheet holds; it continues on {sheets}.",
        "ru": "В таблице «{sheet}» больше строк, чем помещается на один лист Excel; она продолжается на листах "
              "{sheets}."},
    "export.note.text": {
        "en": "Text is stored as text: names starting with =, +, - or @ are never run as formulas.",
        "ru": "Текст хранится как текст: названия, начинающиеся с =, +, - или @, никогда не выполняются как "
              "формулы."},
    "report.title": {"en": "Customer segments: {file}", "ru": "Сегменты клиентов: {file}"},
    "report.footer": {"en": "Customer segments · {file} · as of {date}",
                      "ru": "Сегменты клиентов · {file} · на {date}"},
    "report.page": {"en": "page {page} of {pages}", "ru": "стр. {page} из {pages}"},
    "report.step_cover": {"en": "Headline figures", "ru": "Основные показатели"},
    "report.step_sales": {"en": "Drawing the sales charts", "ru": "Рисую графики продаж"},
    "report.step_categories": {"en": "Drawing the category chart", "ru": "Рисую график категорий"},
    "report.step_segments": {"en": "Drawing the segment charts", "ru": "Рисую графики сегментов"},
    "report.step_recommendations": {"en": "Writing the recommendations", "ru": "Пишу рекомендации"},
    "report.step_tests": {"en": "Writing the test results", "ru": "Пишу результаты проверок"},
    "report.heading": {"en": "Customer segments report", "ru": "Отчёт о сегментах клиентов"},
    "report.subtitle": {"en": "{file} · orders {period} · recency counted to {date} · created {today}",
                        "ru": "{file} · заказы {period} · давность считается до {date} · создан {today}"},
    "report.kpi_repeat": {"en": "Repeat customers (2+ orders)", "ru": "Повторные клиенты (2+ заказа)"},
    "report.key_findings": {"en": "Key findings", "ru": "Главное"},
    "report.how_to_read": {"en": "How to read this report", "ru": "Как читать этот отчёт"},
    "report.how_to_read_text": {
        "en": "Every customer gets three scores from 1 to 5: R (how recently they bought; 5 = most recent), F (how "
              "many orders; 5 = most) and M (how much they spent; 5 = most). Segments group customers by their R "
              "and F scores, e.g. {champions} bought recently and often, {at_risk} used to buy often but not "
              "lately. The pages that follow show when and what the shop sells, who is in each segment and what to "
              "send them. The last page explains which order lines were left out and why.",
        "ru": "Каждый клиент получает три балла от 1 до 5: R (как давно покупал; 5 — совсем недавно), F (сколько "
              "заказов; 5 — больше всего) и M (сколько потратил; 5 — больше всего). Сегменты объединяют клиентов "
              "по баллам R и F: например, «{champions}» покупали недавно и часто, а «{at_risk}» раньше покупали "
              "часто, но давно не возвращались. Дальше — когда и что продаёт магазин, кто входит в каждый сегмент "
              "и что им отправить. Последняя страница объясняет, какие строки заказов не вошли в анализ и почему."},
    "report.finding_best": {
        "en": "The {segment} segment brings the most revenue: {share_revenue} of it from {share_customers} of the "
              "customers.",
        "ru": "Больше всего выручки приносит сегмент «{segment}»: {share_revenue} от {share_customers} клиентов."},
    "report.finding_largest": {
        "en": "The largest segment is {segment}: {customers} ({share_customers}), {share_revenue} of revenue.",
        "ru": "Самый большой сегмент — «{segment}»: {customers} ({share_customers}), {share_revenue} выручки."},
    "report.finding_mail": {"en": "{mail} of {total} segments are worth mailing.",
                            "ru": "Рассылать стоит {mail} сегментам из {total}."},
    "report.finding_mail_skip": {
        "en": "{mail} of {total} segments are worth mailing; skip {skip} (lapsed over a year and below-average "
              "spend).",
        "ru": "Рассылать стоит {mail} сегментам из {total}; не рассылать: {skip} (не покупают больше года, траты "
              "ниже средних)."},
    "report.finding_single": {
        "en": "{share} of customers have ordered only once: a second-order offer is the cheapest growth.",
        "ru": "{share} клиентов сделали только один заказ: предложение на второй заказ — самый дешёвый рост."},
    "report.finding_top_category": {"en": "Top category: {category} with {share} of revenue.",
                                    "ru": "Главная категория — «{category}»: {share} выручки."},
    "report.finding_busiest_month": {"en": "Busiest month: {month} ({index}× an average month's orders).",
                                     "ru": "Самый активный месяц — {month} ({index}× заказов среднего месяца)."},
    "report.sales_heading": {"en": "When customers buy", "ru": "Когда покупают"},
    "report.sales_text": {
        "en": "Busiest months (orders per month, months covered twice counted once): {busiest}. Quietest: "
              "{quietest}. Plan mailings a few weeks before the busy months.",
        "ru": "Самые активные месяцы (заказы в месяц; месяц, попавший в период дважды, считается один раз): "
              "{busiest}. Самые тихие: {quietest}. Планируйте рассылки за несколько недель до активных месяцев."},
    "report.sales_note": {
        "en": "Revenue by month counts every kept order line; months without orders show as zero.",
        "ru": "Выручка по месяцам учитывает все оставленные строки заказов; месяцы без заказов показаны нулём."},
    "report.categories_heading": {"en": "What customers buy", "ru": "Что покупают"},
    "report.categories_note": {
        "en": "Keyword rules put {revenue} of revenue and {names} of product names into a category; the rest is "
              "'{other}'. {rules} in force.",
        "ru": "Правила по ключевым словам относят к категориям {revenue} выручки и {names} названий товаров; "
              "остальное — «{other}». В силе {rules}."},
    "report.categories_shown": {"en": "The table shows the top {top} of {total}.",
                                "ru": "В таблице первые {top} из {total}."},
    "report.segments_heading": {"en": "Segments at a glance", "ru": "Сегменты: общая картина"},
    "report.grid_note": {
        "en": "Each cell of the grid is one combination of R and F scores, labelled with its segment and number of "
              "customers.",
        "ru": "Каждая ячейка сетки — одно сочетание баллов R и F, в ней подписаны сегмент и число клиентов."},
    "report.segment_table_heading": {"en": "Who is in each segment", "ru": "Кто в каждом сегменте"},
    "report.col_rule": {"en": "Rule", "ru": "Правило"},
    "report.col_pct_customers": {"en": "% of cust.", "ru": "% клиентов"},
    "report.col_pct_revenue": {"en": "% of rev.", "ru": "% выручки"},
    "report.col_aov": {"en": "Avg order", "ru": "Средний чек"},
    "report.col_recency": {"en": "Days since last order", "ru": "Дней с последнего заказа"},
    "report.col_repeat": {"en": "Repeat", "ru": "Повторные"},
    "report.segment_table_note": {
        "en": "Days since last order: the median customer of the segment. Repeat: customers with 2 or more orders. "
              "Average order: the segment's revenue divided by its orders. Rule: the R and F scores (and M, where "
              "given) that put a customer into the segment; the first matching rule wins.",
        "ru": "Дней с последнего заказа — у медианного клиента сегмента. Повторные — клиенты с 2 и более "
              "заказами. Средний чек — выручка сегмента, делённая на число его заказов. Правило — баллы R и F (и "
              "M, где задан), по которым клиент попадает в сегмент; действует первое подходящее правило."},
    "report.scores_heading": {"en": "How the scores were cut", "ru": "Как разбиты баллы"},
    "report.col_r": {"en": "Days since last purchase (R)", "ru": "Дней с последней покупки (R)"},
    "report.col_f": {"en": "Orders (F)", "ru": "Заказы (F)"},
    "report.col_m": {"en": "Spend (M)", "ru": "Траты (M)"},
    "report.recency_to": {"en": "Recency is counted in days to {date}.", "ru": "Давность считается в днях до {date}."},
    "report.recommendations_heading": {"en": "What to send each segment", "ru": "Что отправить каждому сегменту"},
    "report.recommendations_intro": {
        "en": "One suggestion per segment, from its top categories and its busiest months and weekday. Mail a few "
              "weeks before the busy months; '{skip}' marks segments not worth the spend.",
        "ru": "По одному предложению на сегмент — по его главным категориям, самым активным месяцам и дню недели. "
              "Отправляйте за несколько недель до активных месяцев; «{skip}» — сегменты, на которые не стоит "
              "тратить бюджет."},
    "report.recommendation_heading": {"en": "{segment} · {customers} · {share} of revenue · {verdict}",
                                      "ru": "{segment} · {customers} · {share} выручки · {verdict}"},
    "report.sales_one_month": {"en": "All orders fall in one calendar month ({month}): too short to see a season.",
                               "ru": "Все заказы приходятся на один календарный месяц ({month}): слишком мало, чтобы "
                                     "увидеть сезонность."},
    "report.when": {"en": "Send in {months}, on {weekday}.", "ru": "Когда: {months}, день недели: {weekday}."},
    "report.top_categories": {"en": "Top categories: {categories}.", "ru": "Главные категории: {categories}."},
    "report.no_categories": {"en": "none", "ru": "нет"},
    "report.tests_intro": {
        "en": "Each question was checked with a hypothesis test. A p-value below the significance level (α) means "
              "the difference is unlikely to be chance; the effect size says how big it is.",
        "ru": "Каждый вопрос проверен статистическим тестом. p-значение ниже уровня значимости (α) означает, что "
              "различие вряд ли случайно; размер эффекта показывает, насколько оно велико."},
    "report.pairwise_note": {
        "en": "{n} pairwise comparisons follow from the tests with several groups; they are in the workbook's "
              "{sheet} sheet.",
        "ru": "Тесты с несколькими группами дают ещё {n} попарных сравнений; они на листе «{sheet}» книги Excel."},
    "report.quality_heading": {"en": "Data quality and method", "ru": "Качество данных и метод"},
    "report.quality_kept": {
        "en": "{kept} of {total} order lines were kept for the analysis; {dropped} were left out for the reasons "
              "below.",
        "ru": "В анализ вошли {kept} из {total} строк заказов; {dropped} исключены по причинам ниже."},
    "report.filled_note": {
        "en": "{n} lines took an empty customer or date from the other lines of their order.",
        "ru": "Строк, получивших пустого клиента или дату из других строк своего заказа: {n}."},
    "report.cleaning_heading": {"en": "Cleaning choices", "ru": "Параметры очистки"},
    "report.returns_drop": {"en": "Returns and cancellations: dropped.", "ru": "Возвраты и отмены: исключены."},
    "report.returns_net": {"en": "Returns and cancellations: netted against spend.",
                           "ru": "Возвраты и отмены: вычтены из трат клиента."},
    "report.duplicates_drop": {"en": "Exact duplicate lines: dropped.", "ru": "Полностью совпадающие строки: удалены."},
    "report.duplicates_keep": {"en": "Exact duplicate lines: kept.", "ru": "Полностью совпадающие строки: оставлены."},
    "report.repeated_latest": {"en": "Repeated customer/order/product lines: only the latest kept.",
                               "ru": "Повторы строк клиента, заказа и товара: оставлена только последняя."},
    "report.repeated_all": {"en": "Repeated customer/order/product lines: all kept.",
                            "ru": "Повторы строк клиента, заказа и товара: оставлены все."},
    "report.shared_drop": {"en": "Orders shared by several customers: dropped.",
                           "ru": "Заказы, общие для нескольких клиентов: исключены."},
    "report.shared_keep": {"en": "Orders shared by several customers: kept.",
                           "ru": "Заказы, общие для нескольких клиентов: оставлены."},
    "report.quantity_none": {"en": "Very large quantities: no limit.",
                             "ru": "Очень большие количества: без ограничения."},
    "report.quantity_limit": {"en": "Very large quantities: lines with {limit} or more dropped.",
                              "ru": "Очень большие количества: строки с количеством от {limit} исключены."},
    "report.settings_note": {
        "en": "The settings file from the Export page restores every choice of this analysis.",
        "ru": "Файл настроек со страницы «Экспорт» восстанавливает все параметры этого анализа."},

    # --- segment and group names (display only; the names inside stay English) ----------------------------------
    "segment.Champions": {"en": "Champions", "ru": "Чемпионы"},
    "segment.Loyal": {"en": "Loyal", "ru": "Лояльные"},
    "segment.Potential Loyalists": {"en": "Potential Loyalists", "ru": "Потенциально лояльные"},
    "segment.New": {"en": "New", "ru": "Новые"},
    "segment.Promising": {"en": "Promising", "ru": "Перспективные"},
    "segment.Need Attention": {"en": "Need Attention", "ru": "Требуют внимания"},
    "segment.Cannot Lose Them": {"en": "Cannot Lose Them", "ru": "Нельзя потерять"},
    "segment.At Risk": {"en": "At Risk", "ru": "Под угрозой ухода"},
    "segment.Hibernating": {"en": "Hibernating", "ru": "Спящие"},
    "segment.Lost": {"en": "Lost", "ru": "Потерянные"},
    "segment.Other": {"en": "Other", "ru": "Прочие"},
    "segment.Single order": {"en": "Single order", "ru": "Один заказ"},
    "segment.Repeat": {"en": "Repeat", "ru": "Повторные"},
    "segment.(not yet a customer)": {"en": "(not yet a customer)", "ru": "(ещё не клиент)"},
    "segment.All customers": {"en": "All customers", "ru": "Все клиенты"},
}

# Keys built at run time (``t(f"clean.{reason}")``); the test checks these families against their sources.
DYNAMIC_PREFIXES = ("clean.", "field.", "segment.", "state.grouping.", "template.", "segments.metric.",
                    "segments.unit.", "categories.ruleset.", "categories.coverage_", "explore.metric.",
                    "explore.cohort.", "tests.metric.", "tests.test.", "tests.magnitude.", "tests.group.",
                    "tests.unit.", "clusters.word.", "stats.", "tests.col.", "clv.", "profiles.reason_chosen_",
                    "errors.rfm.cuts_", "errors.rfm.prefixed_cuts_", "errors.stats.data.", "errors.stats.need_two_",
                    "errors.io.delimiter.")


def _forms(key: str, lang: str) -> str | tuple[str, ...]:
    entry = MESSAGES[key]
    return entry[lang] if lang in entry else entry[DEFAULT_LANGUAGE]


def t(key: str, lang: str, **params) -> str:
    """The message ``key`` in ``lang`` (English for an unknown language) with ``params`` filled in.

    Raises KeyError for an unknown key (a programming error, caught by the catalogue test)."""
    text = _forms(key, lang)
    if isinstance(text, tuple):
        text = text[-1]
    return _formatter(lang).format(text, **params) if params else text


class _LocaleFormatter(string.Formatter):
    """``str.format`` whose numbers with a format spec (``{share:.1%}``, ``{n:,}``) follow the language: Russian
    gets a decimal comma, a no-break space between thousands and before ``%``; ``{day:date}`` and
    ``{moment:datetime}`` write a date (and time) the language's way. Values without a spec and text are filled
    in as they are."""

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang = lang

    def format_field(self, value, format_spec: str) -> str:
        if format_spec in ("date", "datetime"):           # {day:date}: 2020-01-31 / 31.01.2020, with a time
            stamp = pd.Timestamp(value)
            day = f"{stamp:%d.%m.%Y}" if self.lang == "ru" else f"{stamp:%Y-%m-%d}"
            return day + (f" {stamp:%H:%M}" if format_spec == "datetime" else "")
        text = super().format_field(value, format_spec)
        if (self.lang == "ru" and format_spec and isinstance(value, numbers.Real)
                and not isinstance(value, bool)):
            text = text.replace(",", "\u00a0").replace(".", ",").replace("%", "\u00a0%")
        return text


_FORMATTERS = {lang: _LocaleFormatter(lang) for lang in LANGUAGES}


def _formatter(lang: str) -> _LocaleFormatter:
    return _FORMATTERS.get(lang, _FORMATTERS[DEFAULT_LANGUAGE])


def plural_index(n: float, lang: str) -> int:
    """Which plural form a count takes: English 0 one / 1 other; Russian 0 one / 1 few / 2 many."""
    if lang == "ru":
        if n != int(n):
            return 1                                 # 1,5 клиента
        n = abs(int(n))
        if n % 10 == 1 and n % 100 != 11:
            return 0
        if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
            return 1
        return 2
    return 0 if n == 1 else 1


def tn(key: str, n: float, lang: str, **params) -> str:
    """A message with a count: picks the plural form of ``n``; ``{n}`` is filled with the number formatted for
    ``lang`` unless ``params`` give ``n`` already."""
    from core.formatting import format_number
    forms = _forms(key, lang)
    if not isinstance(forms, tuple):
        forms = (forms,)
    text = forms[min(plural_index(n, lang if lang in LANGUAGES else DEFAULT_LANGUAGE), len(forms) - 1)]
    params.setdefault("n", format_number(n, 0 if n == int(n) else 1, lang))
    return _formatter(lang).format(text, **params)


class Message(str):
    """A catalogue message that core code returns or raises where it cannot know the interface language.

    It *is* the English text (a ``str``: the CLI, logs, ``InputError`` matching and equality with plain strings
    keep working) and remembers its key and parameters, so the shell can show it in another language with
    :func:`localize`. Parameters may be Messages themselves (localised too). Survives pickling (Streamlit caches).
    """

    key: str
    params: dict

    def __new__(cls, key: str, **params):
        self = super().__new__(cls, t(key, DEFAULT_LANGUAGE, **params))
        self.key, self.params = key, params
        return self

    def __getnewargs_ex__(self):
        return (self.key,), dict(self.params)

    def text(self, lang: str) -> str:
        """The message in ``lang``, parameters localised too."""
        return t(self.key, lang, **{name: localize(value, lang) for name, value in self.params.items()})


def localize(value: object, lang: str) -> object:
    """``value`` in ``lang`` when it is a :class:`Message` or an exception raised with one (e.g. ``InputError``);
    other values come back unchanged (plain English strings stay English)."""
    if isinstance(value, BaseException):
        return localize(value.args[0], lang) if len(value.args) == 1 else str(value)
    if isinstance(value, Message):
        return value.text(lang)
    return value


_JOINS = {"; ": "errors.join.semicolon", ", ": "errors.join.comma"}


def join(parts: Sequence[str], separator: str = "; ") -> str:
    """``separator.join(parts)`` (``"; "`` or ``", "``) that stays a :class:`Message` when a part is one, so
    :func:`localize` shows every part in the interface language (a list of problems, of rows, ...)."""
    parts = list(parts)
    if not any(isinstance(part, Message) for part in parts):
        return separator.join(parts)
    if len(parts) == 1:
        return parts[0]
    middle = len(parts) // 2       # halves, so a long list nests only log2(n) deep
    return Message(_JOINS[separator], head=join(parts[:middle], separator), tail=join(parts[middle:], separator))


def has(key: str) -> bool:
    return key in MESSAGES


def segment_name(name: object, lang: str) -> str:
    """The display name of a segment or group value: the catalogue's name for the built-in ones, else the value
    itself (names the user typed are shown as typed)."""
    text = str(name)
    key = f"segment.{text}"
    return t(key, lang) if key in MESSAGES else text


def segment_message(name: object) -> str:
    """A segment or group name inside a core message: a :class:`Message` for the built-in names, so it is shown as
    :func:`segment_name` would show it; other names as they are."""
    key = f"segment.{name}"
    return Message(key) if key in MESSAGES else str(name)


def segment_key(display: str, lang: str) -> str:
    """The internal name behind a display name (:func:`segment_name` reversed); other names come back as they
    are."""
    for key, entry in MESSAGES.items():
        if key.startswith("segment.") and entry.get(lang) == display:
            return key[len("segment."):]
    return display


def month_name(month: int, lang: str) -> str:
    """1..12 -> the month's name in ``lang``."""
    return MONTHS.get(lang, MONTHS[DEFAULT_LANGUAGE])[(int(month) - 1) % 12]


def weekday_name(day: int, lang: str) -> str:
    """0 (Monday)..6 -> the weekday's name in ``lang``."""
    return WEEKDAYS.get(lang, WEEKDAYS[DEFAULT_LANGUAGE])[int(day) % 7]


def translate_month(name: str, lang: str) -> str:
    """An English month name (as ``core.profiles.MONTHS``) in ``lang``; other text comes back unchanged."""
    english = MONTHS["en"]
    return month_name(english.index(name) + 1, lang) if name in english else name


def translate_weekday(name: str, lang: str) -> str:
    """An English weekday name (as ``core.profiles.WEEKDAYS``) in ``lang``; other text comes back unchanged."""
    english = WEEKDAYS["en"]
    return weekday_name(english.index(name), lang) if name in english else name


def translate_months(text: str, lang: str) -> str:
    """A month range such as ``"March–April"`` in ``lang`` (each English month name replaced)."""
    if lang == "en" or not text:
        return text
    return "–".join(translate_month(part, lang) for part in str(text).split("–"))


CHART_PATTERNS = (
    (re.compile(r"^Share of customers and revenue by (?P<group>.+)$"), "chart.pattern.share_by"),
    (re.compile(r"^Where customers moved: segment (?P<days>\d+) days earlier → segment now$"), "chart.pattern.moved"),
    (re.compile(r"^Segment (?P<days>\d+) days earlier$"), "chart.pattern.segment_then"),
    (re.compile(r"^Cohorts: (?P<measure>.+) by months since the first order$"), "chart.pattern.cohorts"),
    (re.compile(r"^Category mix by (?P<group>.+)$"), "chart.pattern.mix_by"),
    (re.compile(r"^Customer lifetime value over the next (?P<days>\d+) days$"), "chart.pattern.clv_over"),
    (re.compile(r"^Repeat purchases in (?P<period>.+): predicted vs actual$"), "chart.pattern.holdout"),
)
"""Chart titles built with values by ``core.charts`` (regex on the English title -> catalogue key)."""
_CURRENCY_SUFFIX = re.compile(r"^(?P<text>.+), (?P<sign>[₽£$€])$")


def translate_chart_text(text: str, lang: str) -> str:
    """A text of a ``core.charts`` chart (title, axis, legend or tooltip title) in ``lang``: the catalogue's
    ``chart.<English text>``, a ``CHART_PATTERNS`` title, or a translated text with its ", ₽" currency suffix;
    other texts (data values, names) come back unchanged."""
    if lang == DEFAULT_LANGUAGE or not isinstance(text, str) or not text:
        return text
    key = f"chart.{text}"
    if key in MESSAGES:
        return t(key, lang)
    if match := _CURRENCY_SUFFIX.match(text):
        return f"{translate_chart_text(match['text'], lang)}, {match['sign']}"
    for pattern, pattern_key in CHART_PATTERNS:
        if match := pattern.match(text):
            values = {name: (value if name != "measure" else translate_chart_text(value.capitalize(), lang).lower())
                      for name, value in match.groupdict().items()}
            return t(pattern_key, lang, **values)
    return text


def language_from_locale(locale: str | None) -> str | None:
    """A browser locale such as ``ru-RU`` -> ``"ru"``; ``None`` for other or unknown locales."""
    if not locale:
        return None
    code = str(locale).replace("_", "-").split("-")[0].lower()
    return code if code in LANGUAGES else None


def placeholders(text: str | tuple[str, ...]) -> set[str]:
    """The ``{names}`` a message uses (all forms of a plural message together)."""
    texts = text if isinstance(text, tuple) else (text,)
    return {name for piece in texts for _, name, _, _ in string.Formatter().parse(piece) if name}
