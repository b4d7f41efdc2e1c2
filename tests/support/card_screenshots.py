"""Screenshots of the forms at a phone's width (320 px), as Microsoft's Adaptive Cards renderer
with a Teams host config draws them, from the cards' snapshot data: `make screenshots`
(or `python -m tests.support.card_screenshots [--width 440] [--out DIR] [name ...]`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tests.cards.test_card_snapshots import BUILDERS
from tests.support.card_render import REPO_ROOT, card_renderer, missing_prerequisite

FORMS = (
    "lone_work.form.da",
    "lone_work.form-errors.da",
    "lone_work.approval.da",
    "near_miss.form-errors.da",
    "near_miss.follow-up.da",
    "wellbeing.dialogue-errors.da",
    "wellbeing.amd.da",
    "wellbeing.items.da",
    "precursors.home.da",
    "precursors.entry-purchase.da",
    "admin.roles-errors.da",
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("names", nargs="*", default=list(FORMS), help="snapshot card names")
    parser.add_argument("--width", type=int, default=320)
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "docs" / "screenshots")
    args = parser.parse_args(argv)
    reason = missing_prerequisite()
    if reason is not None:
        print(reason, file=sys.stderr)
        return 1
    unknown = sorted(set(args.names) - set(BUILDERS))
    if unknown:
        print(f"no such card: {', '.join(unknown)}", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    problems = 0
    with card_renderer() as renderer:
        for name in args.names:
            path = args.out / f"card-{name.replace('.', '-')}-{args.width}.png"
            rendered = renderer.screenshot(BUILDERS[name](), args.width, path)
            print(f"{path}: {rendered.height} px high")
            for problem in rendered.problems:
                problems += 1
                print(f"  {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
