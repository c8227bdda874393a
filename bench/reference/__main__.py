"""python -m bench.reference --parquet data.parquet [--host 127.0.0.1] [--port 8001]"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import uvicorn

from bench.reference.app import PARQUET_ENVIRONMENT_VARIABLE


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.reference", description=__doc__)
    parser.add_argument("--parquet", type=Path, required=True, help="Parquet file to serve")
    parser.add_argument("--host", default="127.0.0.1", help="default: %(default)s")
    parser.add_argument("--port", type=int, default=8001, help="default: %(default)s")
    parser.add_argument("--no-access-log", action="store_true", help="disable uvicorn's access log")
    arguments = parser.parse_args(argv)
    os.environ[PARQUET_ENVIRONMENT_VARIABLE] = str(arguments.parquet.resolve())
    uvicorn.run(
        "bench.reference.app:app",
        host=arguments.host,
        port=arguments.port,
        access_log=not arguments.no_access_log,
    )


if __name__ == "__main__":
    main()
