"""A script nothing points at yet (the catalog reports it as unlinked, at information level)."""


def convert(amount: float, rate: float) -> float:
    return amount * rate
