"""Multi-task LightGBM training entry point."""


def train() -> None:
    print("training")
