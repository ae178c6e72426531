"""Date formats where Django's own read unnaturally (FORMAT_MODULE_PATH); the rest are Django's.

Every language writes days without a leading zero and the 24-hour clock Poland uses,
and puts a comma between a date and its time, e.g. "6 грудня 2026 р., 13:44".
"""
