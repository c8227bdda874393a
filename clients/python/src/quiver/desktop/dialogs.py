"""The connect dialog and the error dialog (both non-blocking Toplevels)."""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable
from tkinter import ttk

from quiver.errors import ApiError, QuiverConnectionError, QuiverTransferError


def describe_error(error: BaseException) -> tuple[str, str]:
    """A title and a readable text for any error a job raised."""
    if isinstance(error, ApiError):
        lines = [error.detail or error.title]
        lines += [f"• {field_error}" for field_error in error.errors]
        lines.append("")
        lines.append(f"HTTP {error.status} {error.title} ({error.type})")
        if error.request_id:
            lines.append(f"request id {error.request_id}")
        return f"Server error {error.status}", "\n".join(lines)
    if isinstance(error, QuiverTransferError):
        return "Transfer failed", str(error)
    if isinstance(error, QuiverConnectionError):
        return "Cannot reach the server", str(error)
    if isinstance(error, ValueError):
        return "Invalid input", str(error)
    return type(error).__name__, str(error) or repr(error)


def center_over(dialog: tk.Toplevel, master: tk.Misc) -> None:
    """Places a dialog over the middle of its main window (window managers differ)."""
    dialog.update_idletasks()
    owner = master.winfo_toplevel()
    x = owner.winfo_rootx() + (owner.winfo_width() - dialog.winfo_reqwidth()) // 2
    y = owner.winfo_rooty() + max(0, (owner.winfo_height() - dialog.winfo_reqheight()) // 3)
    dialog.geometry(f"+{max(0, x)}+{max(0, y)}")


class ErrorDialog(tk.Toplevel):
    """Shows an error; the window stays usable behind it."""

    def __init__(self, master: tk.Misc, error: BaseException) -> None:
        super().__init__(master)
        title, text = describe_error(error)
        self.title(title)
        self.transient(master.winfo_toplevel())
        self.resizable(width=True, height=False)
        frame = ttk.Frame(self, padding=12)
        frame.pack(fill="both", expand=True)
        ttk.Label(frame, text=title, font=("TkDefaultFont", 11, "bold")).pack(anchor="w")
        self.message = ttk.Label(frame, text=text, wraplength=460, justify="left")
        self.message.pack(anchor="w", pady=(6, 12))
        self.ok = ttk.Button(frame, text="OK", command=self.destroy)
        self.ok.pack(anchor="e")
        self.bind("<Return>", lambda _e: self.destroy())
        self.bind("<Escape>", lambda _e: self.destroy())
        center_over(self, master)
        self.ok.focus_set()


class ConnectDialog(tk.Toplevel):
    """Asks for the server URL and an optional token, then calls `on_connect(url, token)`."""

    def __init__(
        self,
        master: tk.Misc,
        url: str,
        token: str,
        on_connect: Callable[[str, str | None], None],
    ) -> None:
        super().__init__(master)
        self.title("Connect to Quiver")
        self.transient(master.winfo_toplevel())
        self.resizable(width=False, height=False)
        self._on_connect = on_connect
        frame = ttk.Frame(self, padding=12)
        frame.pack(fill="both", expand=True)
        ttk.Label(frame, text="Server URL").grid(row=0, column=0, sticky="w", pady=4)
        self.url = tk.StringVar(self, url)
        self.url_entry = ttk.Entry(frame, textvariable=self.url, width=40)
        self.url_entry.grid(row=0, column=1, sticky="ew", pady=4)
        ttk.Label(frame, text="Token (optional)").grid(row=1, column=0, sticky="w", pady=4)
        self.token = tk.StringVar(self, token)
        self.token_entry = ttk.Entry(frame, textvariable=self.token, width=40, show="•")
        self.token_entry.grid(row=1, column=1, sticky="ew", pady=4)
        self.status = ttk.Label(frame, text="", foreground="#a33", wraplength=420)
        self.status.grid(row=2, column=0, columnspan=2, sticky="w")
        buttons = ttk.Frame(frame)
        buttons.grid(row=3, column=0, columnspan=2, sticky="e", pady=(8, 0))
        ttk.Button(buttons, text="Cancel", command=self.destroy).pack(side="right", padx=(6, 0))
        self.connect_button = ttk.Button(buttons, text="Connect", command=self.submit)
        self.connect_button.pack(side="right")
        self.bind("<Return>", lambda _e: self.submit())
        self.bind("<Escape>", lambda _e: self.destroy())
        center_over(self, master)
        self.url_entry.focus_set()

    def submit(self) -> None:
        url = self.url.get().strip()
        if not url.startswith(("http://", "https://")):
            self.status.configure(text="The URL starts with http:// or https://")
            return
        self.status.configure(text="Connecting…")
        self.connect_button.state(["disabled"])
        self._on_connect(url, self.token.get().strip() or None)

    def failed(self, message: str) -> None:
        self.status.configure(text=message)
        self.connect_button.state(["!disabled"])
