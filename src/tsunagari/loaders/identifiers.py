"""External identifiers: 法人番号 (corporate number) check digits."""

from __future__ import annotations

import re
import unicodedata

_DIGITS = re.compile(r"[0-9]{13}")


def corporate_number_check_digit(base: str) -> int:
    """The check digit of a 12-digit 基礎番号.

    法人番号の指定等に関する省令（平成二十六年財務省令第七十号）第二条: check digit =
    9 − ((Σ_{n=1..12} Pn × Qn) mod 9), where Pn is the n-th digit counting from the lowest
    (rightmost) digit of the base number and Qn is 1 when n is odd, 2 when n is even. (The
    published formula's brackets read as if the mod applied inside the sum; the National
    Tax Agency's worked example, 7123456789012 → 7, shows the mod applies to the sum.)
    """
    if len(base) != 12 or not base.isdigit():
        raise ValueError(f"a 基礎番号 has 12 digits, not {base!r}")
    total = sum(int(d) * (1 if n % 2 else 2) for n, d in enumerate(reversed(base), start=1))
    return 9 - total % 9


def normalise_corporate_number(text: str) -> str:
    """Full-width digits, spaces and hyphens as people type them → 13 ASCII digits (or as is)."""
    return "".join(c for c in unicodedata.normalize("NFKC", text) if c not in " -‐－")


def corporate_number_problem(text: str) -> str | None:
    """Why `text` is not a valid 法人番号, or None when it is."""
    number = normalise_corporate_number(text)
    if not _DIGITS.fullmatch(number):
        return f"a 法人番号 has 13 digits; {text!r} does not"
    expected = corporate_number_check_digit(number[1:])
    if int(number[0]) != expected:
        return (
            f"check digit of 法人番号 {number} is {number[0]}, but its other 12 digits give "
            f"{expected}; check the number at the 国税庁 法人番号公表サイト"
        )
    return None
