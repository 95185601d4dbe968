import streamlit as st

st.title("第二页")
