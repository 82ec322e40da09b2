"""Belgian date formats for the three languages (FORMAT_MODULE_PATH).

One long form (`DATE_FORMAT`, "2 december 2026") for prose and one short form
(`SHORT_DATE_FORMAT`, "02/12/2026") for dense tables, the same in every language, as
Belgian administrations write them. Templates name the format (`|date` or
`|date:"SHORT_DATETIME_FORMAT"`), never a pattern of their own.
"""
