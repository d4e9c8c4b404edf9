"""Shared helper: validates contracts against scripts. Not a step component."""


def validate(contract: object) -> list[str]:
    return []
