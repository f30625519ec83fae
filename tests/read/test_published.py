from datetime import date

import pytest

from communique.read.published import find_dateline, is_metadata_line


@pytest.mark.parametrize(
    "line,expected",
    [
        ("Posted on : 2024-06-19 16:31 KST Modified on : 2024-06-19 16:31 KST", date(2024, 6, 19)),
        ("Posted June. 14, 2024 07:38", date(2024, 6, 14)),
        ("July 26, 2024 SEOUL - Foreign ministers met on Friday.", date(2024, 7, 26)),
        ("SEOUL, June 19, 2024 - Putin arrived.", date(2024, 6, 19)),
        ("Published: 13 September 2023", date(2023, 9, 13)),
        ("MOSCOW, Sept. 19, 2023 - Wang Yi met Lavrov.", date(2023, 9, 19)),
    ],
)
def test_datelines(line, expected):
    found = find_dateline([line])
    assert found is not None and found[1] == expected


def test_no_dateline_in_plain_prose():
    assert find_dateline(["The summit was held on June 18, 2024 in Seoul, officials said."]) is None


def test_metadata_line_is_not_prose():
    assert is_metadata_line("Posted on : 2024-06-19 16:31 KST Modified on : 2024-06-19 16:31 KST")
    assert not is_metadata_line("Putin arrived on Wednesday.")
