"""Pure analysis core of the customer-segmentation app.

Everything here is plain functions over pandas DataFrames and dataclasses; nothing imports streamlit, so the
Streamlit pages, the CLI (``python -m core``) and the tests all run the same code.
"""
