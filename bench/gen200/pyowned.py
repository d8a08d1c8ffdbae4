"""gen_pyowned: the build figure's module for pyowned (see __init__.py)."""
from __future__ import annotations

from . import kind

HEADER = """\
#include <pyowned/pyowned.h>
#include <pyowned/stl.h>

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace py = pyowned;
using i64 = std::int64_t;

PYOWNED_MODULE(gen_pyowned, m) {
"""

BODIES = {
    "add": 'm.def("f{k}", [](i64 a, i64 b) {{ return a + b + {k}; }}, py::arg("a"), py::arg("b"));',
    "scale": 'm.def("f{k}", [](double x, double scale) {{ return x * scale + {k}; }}, py::arg("x"), '
             'py::arg("scale") = 2.0);',
    "strlen": 'm.def("f{k}", [](std::string_view s) {{ return static_cast<i64>(s.size()) + {k}; }}, '
              'py::arg("s"));',
    "vecsum": 'm.def("f{k}", [](const std::vector<i64>& xs) {{ i64 s = {k}; for (i64 x : xs) s += x; '
              'return s; }}, py::arg("xs"));',
    "mapsize": 'm.def("f{k}", [](const std::map<std::string, i64>& d, i64 extra) {{ return '
               'static_cast<i64>(d.size()) + extra + {k}; }}, py::arg("d"), py::kw_only(), '
               'py::arg("extra") = 0);',
}


def generate(count: int) -> dict[str, str]:
    body = "\n".join("    " + BODIES[kind(k)].format(k=k) for k in range(count))
    return {"gen_pyowned.cpp": HEADER + body + "\n}\n"}
