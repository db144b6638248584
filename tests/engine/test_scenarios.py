from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from wendao.engine.scenarios import _npv_range, npv_quarterly

money = st.floats(-1e5, 1e5, allow_nan=False)


@settings(max_examples=300, deadline=None)
@given(
    st.tuples(money, money, money),
    st.tuples(money, money, money),
    st.integers(0, 14),
    st.integers(4, 40),
    st.floats(0, 0.5),
)
def test_the_one_pass_npv_range_equals_three_npv_calculations_exactly(
    one_offs: tuple[float, float, float],
    nets: tuple[float, float, float],
    duration: int,
    horizon: int,
    rate: float,
) -> None:
    expected = tuple(
        npv_quarterly(one_off, net, 0.0, duration, horizon, rate) for one_off, net in zip(one_offs, nets, strict=True)
    )
    assert _npv_range(one_offs, nets, duration, horizon, rate) == expected
