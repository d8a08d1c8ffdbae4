// pyowned's version, the one place it is written: CMakeLists.txt's project() and the Python
// package's metadata (pyproject.toml) read it from here.
#pragma once

#define PYOWNED_VERSION_MAJOR 0
#define PYOWNED_VERSION_MINOR 1
#define PYOWNED_VERSION_PATCH 0
#define PYOWNED_VERSION "0.1.0"

#ifdef __cplusplus
#include <string_view>
#define PYOWNED_VERSION_JOIN_(major, minor, patch) #major "." #minor "." #patch
#define PYOWNED_VERSION_JOIN(major, minor, patch) PYOWNED_VERSION_JOIN_(major, minor, patch)
static_assert(std::string_view(PYOWNED_VERSION) ==
                  PYOWNED_VERSION_JOIN(PYOWNED_VERSION_MAJOR, PYOWNED_VERSION_MINOR, PYOWNED_VERSION_PATCH),
              "pyowned: PYOWNED_VERSION and its parts disagree");
#endif
