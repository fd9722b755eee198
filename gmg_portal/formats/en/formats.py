"""English dates as UN documents write them: day, month, year ("18 December 2014"), a 24-hour clock.

Django's English defaults are American ("Dec. 18, 2014", "5:43 p.m."), which is how the admin showed
every date. Only display formats are set here; what a form accepts stays Django's (ISO dates first).
"""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
TIME_FORMAT = "H:i"
FIRST_DAY_OF_WEEK = 1  # Monday
