"""Replay a Dockerfile's build steps without Docker: the container's root filesystem is a folder,
its Python is a fresh venv. Used to prove the image's install steps and ENV produce a working bot.

Supported, because the Dockerfile uses them: FROM (checked, not pulled), ENV, COPY (from the build
context), WORKDIR, and RUN made of `&&`-joined `pip …`, `rm -rf …`, `mkdir -p …`. Commands that need
root or a real image (apt-get, useradd, chown) are recorded in `skipped`, so a test can pin exactly which
steps were not replayed and notice a new one.
"""

from __future__ import annotations

import json
import shlex
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from dockerfile_parse import DockerfileParser

#: Need root or the image's own Debian: recorded, not run. apt-get brings system packages (tesseract for
#: screenshots), which the venv can't hold; tests/deploy/test_dockerfile.py checks which ones.
NOT_REPLAYED = ("apt-get", "useradd", "chown")


@dataclass
class Replay:
    dockerfile: Path
    context: Path
    rootfs: Path
    venv: Path
    env: dict[str, str] = field(default_factory=dict)
    workdir: str = "/"
    skipped: list[str] = field(default_factory=list)
    log: list[str] = field(default_factory=list)

    def path(self, container_path: str) -> Path:
        """Where a container path lives in the replay."""
        return self.rootfs / container_path.lstrip("/")

    def arg(self, value: str) -> str:
        return str(self.path(value)) if value.startswith("/") else value

    def run(self, timeout: float = 300) -> Replay:
        parser = DockerfileParser(str(self.dockerfile))
        for instruction in parser.structure:
            name, value = instruction["instruction"], instruction["value"]
            if name == "ENV":
                self.env.update({k: self.arg(v) for k, v in _env_pairs(value)})
            elif name == "COPY":
                *sources, destination = shlex.split(value)
                for source in sources:
                    self._copy(self.context / source, destination)
            elif name == "WORKDIR":
                self.workdir = value
                self.path(value).mkdir(parents=True, exist_ok=True)
            elif name == "RUN":
                for command in value.split("&&"):
                    self._run(shlex.split(command), timeout)
        return self

    def _copy(self, source: Path, destination: str) -> None:
        target = self.path(destination)
        if destination.endswith("/") or source.is_file() and target.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            target = target / source.name
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, target)

    def _run(self, argv: list[str], timeout: float) -> None:
        self.log.append(" ".join(argv))
        program, *args = argv
        if program == "pip":
            subprocess.run(
                [str(self.venv / "bin" / "pip"), *(self.arg(a) for a in args)],
                check=True,
                capture_output=True,
                text=True,
                timeout=timeout,
            )
        elif program == "rm" and args[0] == "-rf":
            for target in args[1:]:
                shutil.rmtree(self.path(target), ignore_errors=True)
        elif program == "mkdir" and args[0] == "-p":
            for target in args[1:]:
                self.path(target).mkdir(parents=True, exist_ok=True)
        elif program in NOT_REPLAYED:
            self.skipped.append(program)
        else:
            raise AssertionError(f"the replay does not know how to run {argv!r}; teach it or change the Dockerfile")

    def exec_form(self, value: str) -> list[str]:
        """`CMD ["authbot", "health"]` → the venv's authbot and its arguments."""
        program, *args = json.loads(value[value.index("[") :])
        return [str(self.venv / "bin" / program), *args]


def _env_pairs(value: str) -> list[tuple[str, str]]:
    return [tuple(part.split("=", 1)) for part in shlex.split(value)]  # type: ignore[misc]
