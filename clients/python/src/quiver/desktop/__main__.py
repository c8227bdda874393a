"""Starts the desktop app: python -m quiver.desktop [--url URL] [--token TOKEN] [--dataset NAME]."""

from __future__ import annotations

import argparse
import os
import tkinter as tk

from quiver.desktop.app import App


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m quiver.desktop", description=__doc__)
    parser.add_argument("--url", default=os.environ.get("QUIVER_URL", "http://127.0.0.1:8080"))
    parser.add_argument("--token", default=os.environ.get("QUIVER_TOKEN", ""))
    parser.add_argument("--dataset", help="open this dataset once connected")
    parser.add_argument(
        "--no-connect", action="store_true", help="show the connect dialog instead of connecting"
    )
    arguments = parser.parse_args(argv)
    root = tk.Tk()
    app = App(root, url=arguments.url, token=arguments.token)
    if arguments.no_connect:
        app.show_connect()
    else:
        app.connect(arguments.url, arguments.token or None)
        if arguments.dataset:
            app.open_after_connect(arguments.dataset)
    root.mainloop()


if __name__ == "__main__":
    main()
