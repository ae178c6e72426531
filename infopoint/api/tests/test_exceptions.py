from rest_framework.exceptions import ErrorDetail

from infopoint.api.exceptions import error_body


def test_a_plain_detail_is_an_error_of_the_whole_request() -> None:
    assert error_body({"detail": ErrorDetail("Not found.")}) == {
        "errors": {"non_field_errors": ["Not found."]}
    }


def test_nested_errors_are_named_with_dots() -> None:
    detail = {
        "name": ["Enter a name."],
        "address": {"city": ["Enter a city."], "non_field_errors": ["Check the address."]},
        "items": [{}, {"slug": ["Unknown."]}],
    }
    assert error_body(detail) == {
        "errors": {
            "name": ["Enter a name."],
            "address.city": ["Enter a city."],
            "address": ["Check the address."],
            "items.1.slug": ["Unknown."],
        }
    }


def test_a_list_of_messages_belongs_to_no_field() -> None:
    assert error_body(["One.", "Two."]) == {"errors": {"non_field_errors": ["One.", "Two."]}}
