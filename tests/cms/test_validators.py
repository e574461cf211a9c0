"""ISBN validation: the check digit editors most often get wrong when typing by hand."""

import pytest
from django.core.exceptions import ValidationError

from cms.validators import isbn_check_digit_ok, normalize_isbn, validate_isbn
from publications.factories import PublicationPageFactory
from publications.models import PublicationIsbn


def test_valid_isbn13_is_accepted() -> None:
    validate_isbn("9782913181557")


def test_valid_isbn10_is_accepted() -> None:
    validate_isbn("2913181309")


def test_isbn10_with_x_check_digit_is_accepted() -> None:
    validate_isbn("080442957X")


def test_lowercase_x_check_digit_is_accepted() -> None:
    validate_isbn("080442957x")


def test_isbn13_with_wrong_check_digit_is_refused() -> None:
    with pytest.raises(ValidationError) as excinfo:
        validate_isbn("9782913181902")
    assert excinfo.value.code == "invalid_isbn_checksum"


def test_isbn10_with_wrong_check_digit_is_refused() -> None:
    with pytest.raises(ValidationError) as excinfo:
        validate_isbn("2913181308")
    assert excinfo.value.code == "invalid_isbn_checksum"


def test_x_is_only_a_check_digit() -> None:
    assert not isbn_check_digit_ok("08044295X7")


def test_isbn13_must_start_with_a_book_prefix() -> None:
    # 977 is the ISSN prefix: a valid EAN-13 checksum, but not a book.
    assert not isbn_check_digit_ok("9771234567003")


def test_hyphens_and_spaces_are_accepted() -> None:
    validate_isbn("978-2-913181-55-7")
    validate_isbn("2 913181 30 9")


def test_normalize_isbn_strips_separators() -> None:
    assert normalize_isbn(" 0-8044-2957-x ") == "080442957X"


@pytest.mark.parametrize("value", ["978291318155", "97829131815570", "291318130", ""])
def test_wrong_length_is_refused(value: str) -> None:
    with pytest.raises(ValidationError) as excinfo:
        validate_isbn(value)
    assert excinfo.value.code == "invalid_isbn_length"


def test_publication_isbn_with_bad_check_digit_fails_full_clean(publication_index) -> None:
    page = PublicationPageFactory(parent=publication_index)
    isbn = PublicationIsbn(page=page, isbn="978-2-913181-90-2")

    with pytest.raises(ValidationError) as excinfo:
        isbn.full_clean()

    assert "check digit" in " ".join(excinfo.value.message_dict["isbn"])
