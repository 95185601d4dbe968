import streamlit as st

st.title("第三页")
