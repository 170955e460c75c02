"""统一社会信用代码 check digit (GB 32100), Art. 2/43: organisations are identified by it."""

import pytest

from catalog.demo import make_uscc
from core.uscc import check_char, uscc_error

# The standard's worked example and a published code of a public institution.
REAL_CODES = ["91350100M000100Y43", "12100000400010398P"]


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_codes_pass(code):
    assert uscc_error(code) is None


def test_wrong_check_digit_is_named():
    body = REAL_CODES[0][:17]
    wrong = "0" if check_char(body) != "0" else "1"
    message = uscc_error(body + wrong)
    assert message is not None and "校验位" in message and check_char(body) in message


@pytest.mark.parametrize(
    "code, fragment",
    [("", "不能为空"), ("1165000", "18 位"), ("11650000MB000000IO", "不允许的字符")],
)
def test_malformed_codes(code, fragment):
    assert fragment in uscc_error(code)


def test_make_uscc_round_trip():
    code = make_uscc("1", "1", "650102", "MB0000001")
    assert len(code) == 18 and uscc_error(code) is None
