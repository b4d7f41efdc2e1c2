"""Only bot/ and dialogs/ may import the Bot Framework SDK: the lint rule must catch a leak
(services/ included; import-linter holds the same line, and the other layer rules)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RUFF = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")


def _ruff_on(filename: str, source: str) -> subprocess.CompletedProcess[str]:
    assert RUFF, "ruff is a dev dependency"
    return subprocess.run(
        [RUFF, "check", "--no-cache", "--select", "TID251", "--stdin-filename", filename, "-"],
        input=source,
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )


@pytest.mark.parametrize(
    "folder", ["domain", "cards", "storage", "services", "reports", "manifest"]
)
@pytest.mark.parametrize(
    "source",
    [
        "import botbuilder.core\n",
        "from botbuilder.schema import Activity\n",
        "import botframework\n",
    ],
)
def test_sdk_import_outside_the_fence_fails_lint(folder: str, source: str) -> None:
    result = _ruff_on(f"{folder}/leak.py", source)
    assert result.returncode != 0
    assert "TID251" in result.stdout


@pytest.mark.parametrize("folder", ["bot", "dialogs"])
def test_sdk_import_inside_the_fence_is_fine(folder: str) -> None:
    result = _ruff_on(f"{folder}/ok.py", "from botbuilder.core import TurnContext\n\nTurnContext\n")
    assert result.returncode == 0, result.stdout
