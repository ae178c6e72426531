# "6 грудня 2026 р., 13:44": Django's own pads the day ("06 грудня") and names months in
# the nominative where a day precedes them.
DATE_FORMAT = "j E Y р."
DATETIME_FORMAT = "j E Y р., H:i"
MONTH_DAY_FORMAT = "j E"
SHORT_DATETIME_FORMAT = "d.m.Y, H:i"
