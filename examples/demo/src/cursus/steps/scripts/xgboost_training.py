"""XGBoost training entry point."""

import json
import os


def train(hyperparameters_path: str) -> None:
    with open(hyperparameters_path) as f:
        params = json.load(f)
    print("training with", params, "in", os.getcwd())


if __name__ == "__main__":
    train("/opt/ml/input/config/hyperparameters.json")
