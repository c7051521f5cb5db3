"""The visit planner core: pure Python, no Django import anywhere below this package.

It takes and returns plain dataclasses with integer seconds and metres; the `visits`
app maps database rows to them and back. tests/test_layout.py enforces the purity.
"""
