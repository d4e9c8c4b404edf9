"""The staging area ``.stepcat/staging/<step>/``: a step's snapshot (files, registry entry,
manifest), replaced as a whole and verified by hash whenever it is read back."""

from __future__ import annotations

import os
import shutil
import uuid

from catalog_core.base.atomic import atomic_write, make_dirs_durably
from catalog_core.base.files import read_regular, sha256
from catalog_core.integration.models import REFUSED, IntegrationError, StagedComponent


class StagingArea:
    def __init__(self, state_dir: str) -> None:
        self.folder = os.path.join(state_dir, "staging")

    def path(self, step: str) -> str:
        return os.path.join(self.folder, step)

    def write(self, component: StagedComponent, contents: dict[str, bytes]) -> None:
        """Write the snapshot to a fresh folder, then swap it in for the previous one."""
        step = component.component_id
        final = self.path(step)
        temp = os.path.join(self.folder, f".{step}.{uuid.uuid4().hex}")
        try:
            self._fill(temp, component, contents)
        except BaseException:  # refused or failed: leave no half-made snapshot behind
            shutil.rmtree(temp, ignore_errors=True)
            raise
        trash = f"{temp}.old"
        if os.path.exists(final):
            os.rename(final, trash)
        os.rename(temp, final)
        for leftover in os.listdir(self.folder):  # this one's trash, and interrupted stagings
            if leftover.startswith(f".{step}."):
                shutil.rmtree(os.path.join(self.folder, leftover), ignore_errors=True)

    def _fill(self, temp: str, component: StagedComponent, contents: dict[str, bytes]) -> None:
        make_dirs_durably(temp)
        for rel, data in contents.items():
            path = os.path.join(temp, "files", *rel.split("/"))
            make_dirs_durably(os.path.dirname(path))
            atomic_write(path, data)
        if component.registry_entry is not None:
            entry = component.registry_entry.text.encode()
            atomic_write(os.path.join(temp, "registry_entry.txt"), entry)
        manifest = component.model_dump_json(indent=2).encode()
        atomic_write(os.path.join(temp, "manifest.json"), manifest)

    def read(self, component: StagedComponent) -> dict[str, bytes]:
        """The staged bytes, verified against the hashes taken at staging."""
        folder = os.path.join(self.path(component.component_id), "files")
        contents = {}
        for staged in component.files:
            try:
                data = read_regular(os.path.join(folder, *staged.target_path.split("/")))
            except REFUSED:
                data = b""
            if sha256(data) != staged.sha256:
                raise IntegrationError(
                    f"the staged copy of {staged.target_path} is missing or altered; stage again"
                )
            contents[staged.target_path] = data
        return contents
