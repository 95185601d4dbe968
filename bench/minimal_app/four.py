import streamlit as st

st.title("第四页")
