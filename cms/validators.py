"""Validators for identifiers editors type by hand."""

import re

from django.core.exceptions import ValidationError

_SEPARATORS = re.compile(r"[\s-]")


def normalize_isbn(value: str) -> str:
    """Strip the spaces and hyphens editors write ISBNs with ("978-2-913181-55-7")."""
    return _SEPARATORS.sub("", value or "").upper()


def isbn_check_digit_ok(isbn: str) -> bool:
    """True for a normalized ISBN-10 or ISBN-13 whose check digit is right."""
    if len(isbn) == 10 and isbn[:9].isdigit() and (isbn[9].isdigit() or isbn[9] == "X"):
        digits = [int(c) for c in isbn[:9]] + [10 if isbn[9] == "X" else int(isbn[9])]
        return sum((10 - i) * d for i, d in enumerate(digits)) % 11 == 0
    if len(isbn) == 13 and isbn.isdigit() and isbn[:3] in {"978", "979"}:
        total = sum(int(c) * (1 if i % 2 == 0 else 3) for i, c in enumerate(isbn))
        return total % 10 == 0
    return False


def validate_isbn(value: str) -> None:
    """Accept an ISBN-10 or ISBN-13 with a correct check digit, hyphens and spaces allowed."""
    isbn = normalize_isbn(value)
    if len(isbn) not in (10, 13):
        raise ValidationError(
            "An ISBN has 10 or 13 digits (hyphens and spaces allowed); this one has %(n)s.",
            code="invalid_isbn_length",
            params={"n": len(isbn)},
        )
    if not isbn_check_digit_ok(isbn):
        raise ValidationError(
            "%(value)s is not a valid ISBN: its check digit does not match. "
            "Check it against the book's imprint page.",
            code="invalid_isbn_checksum",
            params={"value": value},
        )
