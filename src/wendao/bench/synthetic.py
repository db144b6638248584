"""Moved to :mod:`wendao.synthetic` (runtime code — the peer averages and the demo — uses the generator, and
runtime must not import benchmarks). Kept for one merge so branches written before the move still import;
import from ``wendao.synthetic``."""

from wendao.synthetic import GOAL_POOL, INDUSTRY_WEIGHTS, PAIN_POOL, pain_phrases, synthetic_profile

__all__ = ["GOAL_POOL", "INDUSTRY_WEIGHTS", "PAIN_POOL", "pain_phrases", "synthetic_profile"]
