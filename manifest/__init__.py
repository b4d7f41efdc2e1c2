"""The Teams app package: manifest template, localization, icons and the zip builder."""

from manifest.build import Links, build_package, render_manifest

__all__ = ["Links", "build_package", "render_manifest"]
