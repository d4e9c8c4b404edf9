"""Scores the evaluation data with the trained model (FraudScoring's entry point)."""


def main() -> None:
    print("scoring")


if __name__ == "__main__":
    main()
