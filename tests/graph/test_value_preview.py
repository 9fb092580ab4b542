"""A value preview cut to fit a node ends after a whole number, never inside one."""
import re

import numpy as np
import pytest

from explorer.graph.build import PREVIEW_CHARACTERS, preview_values

ARRAYS = [np.arange(12.0) * 1.23456, np.ones((3, 3)) * 0.123456, np.arange(1000.0),
          np.array([123456.789, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0]), np.ones((2, 2, 2, 2)),
          np.linspace(-1, 1, 7) * 1e-7]


@pytest.mark.parametrize("values", ARRAYS, ids=range(len(ARRAYS)))
def test_every_number_shown_is_a_number_of_the_values(values):
    text = preview_values(values)
    assert len(text) <= PREVIEW_CHARACTERS
    shown = [float(token) for token in re.findall(r"[-+0-9.e]+", text.replace("...", ""))
             if token not in ("", ".")]
    flat = np.asarray(values, dtype=float).ravel()
    # np.array2string rounds to 4 digits: each number shown is one of the values, so rounded.
    for number in shown:
        assert np.isclose(flat, number, rtol=1e-3, atol=1e-4 * max(1.0, abs(number))).any(), (text, number)


def test_a_cut_preview_says_so_once():
    text = preview_values(np.arange(12.0) * 1.23456)
    assert text.endswith(", …") and "..." not in text
