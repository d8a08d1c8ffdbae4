"""pyowned: C++20 bindings between C++ and Python.

This package carries pyowned's C++ headers and its CMake package, so that a project built by
pip finds pyowned with ``find_package(pyowned CONFIG REQUIRED)`` and no path: declare
``requires = ["scikit-build-core", "pyowned"]`` in its pyproject.toml. ``python -m pyowned``
prints the directories a build needs (``--cmake_dir``, ``--include_dir``) and the version.
"""

from __future__ import annotations

import re
from importlib import metadata
from pathlib import Path

_HERE = Path(__file__).resolve().parent


def include_dir() -> str:
    """The directory holding ``pyowned/pyowned.h``: a compiler's ``-I``."""
    return str(_HERE / "include")


def cmake_dir() -> str:
    """The directory holding ``pyownedConfig.cmake``: CMake's ``pyowned_DIR``."""
    return str(_HERE / "cmake")


def _version() -> str:
    try:
        return metadata.version("pyowned")
    except metadata.PackageNotFoundError:  # imported from a source checkout: the header says
        for header in (_HERE / "include", _HERE.parents[1] / "include"):
            path = header / "pyowned" / "version.h"
            found = re.search(r'#define PYOWNED_VERSION "([^"]+)"', path.read_text()) if path.is_file() else None
            if found:
                return found.group(1)
        return "unknown"


__version__ = _version()
__all__ = ["cmake_dir", "include_dir", "__version__"]
