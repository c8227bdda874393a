"""What a process costs, read from /proc: resident memory, its peak, and CPU time."""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

KIB = 1024
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
SAMPLE_SECONDS = 0.01
# /proc/<pid>/clear_refs: "5" resets VmHWM to the current VmRSS (Linux 4.0+).
RESET_PEAK = "5"
IDLE_INTERVAL_SECONDS = 0.5
IDLE_CPU_SHARE = 0.05  # of one core: below it, a server is taken as idle
IDLE_TIMEOUT_SECONDS = 120.0


@dataclass(frozen=True)
class ProcessProbe:
    """One process's /proc entries."""

    pid: int

    def status_bytes(self, field: str) -> int:
        """A "<field>: N kB" line of /proc/<pid>/status, in bytes (0 when absent)."""
        status = Path(f"/proc/{self.pid}/status").read_text()
        for line in status.splitlines():
            name, _, value = line.partition(":")
            if name == field:
                return int(value.split()[0]) * KIB
        return 0

    def rss(self) -> int:
        return self.status_bytes("VmRSS")

    def peak_rss(self) -> int:
        return self.status_bytes("VmHWM")

    def anonymous_rss(self) -> int:
        return self.status_bytes("RssAnon")

    def reset_peak(self) -> bool:
        """Resets VmHWM to the current RSS; False where the kernel does not allow it."""
        try:
            Path(f"/proc/{self.pid}/clear_refs").write_text(RESET_PEAK)
        except OSError:
            return False
        return True

    def cpu_seconds(self) -> float:
        """User + system CPU time of all the process's threads so far."""
        stat = Path(f"/proc/{self.pid}/stat").read_text()
        # The command name (field 2) may hold spaces; the fields after it are fixed.
        fields = stat.rsplit(")", 1)[1].split()
        user_ticks, system_ticks = int(fields[11]), int(fields[12])
        return (user_ticks + system_ticks) / CLOCK_TICKS


class PeakMemory:
    """Peak resident memory of a process over a `with` block.

    VmHWM is reset on entry and read on exit, so the peak is exact; a sampling thread
    (every 10 ms) also records the peak of anonymous memory (RssAnon, which leaves out
    mapped files) and stands in for VmHWM where it cannot be reset.
    """

    def __init__(self, probe: ProcessProbe) -> None:
        self.probe = probe
        self.idle = 0
        self.peak = 0
        self.peak_anonymous = 0
        self.exact = False
        self._sampled_peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> PeakMemory:
        self.idle = self.probe.rss()
        self.exact = self.probe.reset_peak()
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._thread.join()
        self._record()
        self.peak = self.probe.peak_rss() if self.exact else self._sampled_peak

    def _record(self) -> None:
        self._sampled_peak = max(self._sampled_peak, self.probe.rss())
        self.peak_anonymous = max(self.peak_anonymous, self.probe.anonymous_rss())

    def _sample(self) -> None:
        while not self._stop.wait(SAMPLE_SECONDS):
            try:
                self._record()
            except OSError:  # the process is gone; the caller finds out on its own
                return


def wait_until_idle(probe: ProcessProbe, timeout: float = IDLE_TIMEOUT_SECONDS) -> float:
    """Waits until the process uses under 5% of a core for half a second; returns how long
    it stayed busy (0 when it was idle at once, `timeout` when it never settled)."""
    started = time.monotonic()
    previous = probe.cpu_seconds()
    while time.monotonic() - started < timeout:
        time.sleep(IDLE_INTERVAL_SECONDS)
        current = probe.cpu_seconds()
        if current - previous < IDLE_CPU_SHARE * IDLE_INTERVAL_SECONDS:
            return max(time.monotonic() - started - IDLE_INTERVAL_SECONDS, 0.0)
        previous = current
    return timeout
