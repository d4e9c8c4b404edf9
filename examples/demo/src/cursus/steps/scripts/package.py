"""Package a model artifact with its inference code."""

import shutil


def package(model_dir: str, output_dir: str) -> None:
    shutil.make_archive(output_dir + "/model", "gztar", model_dir)
