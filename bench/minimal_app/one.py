import streamlit as st

st.title("第一页")
