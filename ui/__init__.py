"""Streamlit glue: language, data loading and caching, the sidebar, shared widgets. The core lives in ledger/."""
