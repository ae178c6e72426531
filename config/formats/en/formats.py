# One style on every page, "25 Nov 2026, 13:44", with the 24-hour clock Poland uses
# (Django's own mixes "Nov. 25, 2026, 1:44 p.m." and "11/25/2026 1:44 p.m.").
DATE_FORMAT = "j M Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j M Y, H:i"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
MONTH_DAY_FORMAT = "j F"
