"""python -m pyowned: what a build needs to find pyowned."""

from __future__ import annotations

import argparse
import sys

import pyowned


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m pyowned",
        description="Prints what a build needs to find pyowned (one item per option given).")
    parser.add_argument("--cmake_dir", action="store_true",
                        help="the directory of pyownedConfig.cmake (CMake's pyowned_DIR)")
    parser.add_argument("--include_dir", action="store_true",
                        help="the directory holding pyowned/pyowned.h (a compiler's -I)")
    parser.add_argument("--version", action="store_true", help="the installed package's version")
    args = parser.parse_args(argv)  # an unknown option: usage on stderr and exit status 2
    items = [(args.cmake_dir, pyowned.cmake_dir), (args.include_dir, pyowned.include_dir),
             (args.version, lambda: pyowned.__version__)]
    if not any(chosen for chosen, _ in items):
        parser.print_help()
        return 0
    for chosen, value in items:
        if chosen:
            print(value())
    return 0


if __name__ == "__main__":
    sys.exit(main())
