import streamlit as st

st.title("第五页")
