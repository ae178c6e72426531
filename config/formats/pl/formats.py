# "6 grudnia 2026, 13:44"; short dates with dots, as Polish offices write them.
DATETIME_FORMAT = "j E Y, H:i"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y, H:i"
