"""Alice's copy of the preprocessing script: clips outliers before the split."""


def clip(values: list[float], low: float, high: float) -> list[float]:
    return [min(max(v, low), high) for v in values]
