# "6 декабря 2026 г., 13:44".
DATETIME_FORMAT = "j E Y г., H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j E"
SHORT_DATETIME_FORMAT = "d.m.Y, H:i"
