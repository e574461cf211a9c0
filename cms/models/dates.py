"""Catalogue dates known to the day, the month or only the year."""

from __future__ import annotations

import datetime

from django.db import models


class DatePrecision(models.TextChoices):
    DAY = "day", "Day"
    MONTH = "month", "Month"
    YEAR = "year", "Year"


def parse_partial_date(value: str | int | None) -> tuple[datetime.date | None, str]:
    """Read "2017", "2025-04" or "2024-12-05" into (date, precision); raise ValueError if bad."""
    text = str(value).strip() if value is not None else ""
    if not text:
        return None, DatePrecision.DAY
    parts = text.split("-")
    if len(parts) == 1:
        return datetime.date(int(parts[0]), 1, 1), DatePrecision.YEAR
    if len(parts) == 2:
        return datetime.date(int(parts[0]), int(parts[1]), 1), DatePrecision.MONTH
    if len(parts) == 3:
        return datetime.date.fromisoformat(text), DatePrecision.DAY
    raise ValueError(f"{text!r} is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)")
