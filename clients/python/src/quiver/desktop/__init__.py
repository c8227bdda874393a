"""Quiver's Tkinter desktop app: `python -m quiver.desktop [--url URL] [--token TOKEN]`."""

from quiver.desktop.app import App

__all__ = ["App"]
