"""Quality measures against gold data: ``marsad eval …`` and the benchmarks call these."""

from marsad.evaluate.extraction import evaluate_extraction, evaluate_fixtures, format_table

__all__ = ["evaluate_extraction", "evaluate_fixtures", "format_table"]
