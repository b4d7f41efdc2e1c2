"""The Teams app package: manifest template, localization, icons and the zip builder."""

from manifest.build import build_package, render_manifest

__all__ = ["build_package", "render_manifest"]
