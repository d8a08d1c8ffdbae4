"""gen_pyowned: the build figure's module for pyowned (see __init__.py)."""
from __future__ import annotations

from . import kind

HEADER = """\
#include <pyowned/pyowned.h>
#include <pyowned/stl/map.h>       // the conversions it uses, as nanobind's module includes its
#include <pyowned/stl/sequence.h>  // (<pyowned/stl.h> would add about 0.5 s)

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


CLASS_HEADER = """\
#include <pyowned/pyowned.h>

#include <cstdint>
#include <string_view>

namespace py = pyowned;
using i64 = std::int64_t;

"""

STRUCT = """\
struct C{j} {{
    C{j}(i64 x, double y) : x(x), y(y) {{}}
    i64 x;
    double y;
}};
"""

CLASS = """\
    py::Class<C{j}>(m, "C{j}")
        .def(py::init<i64, double>(), py::arg("x"), py::arg("y"))
        .def_rw("x", &C{j}::x)
        .def_rw("y", &C{j}::y)
        .def("get", [](const C{j}& c) {{ return c.x + {j}; }})
        .def("mul", [](const C{j}& c, i64 k) {{ return c.x * k + {j}; }}, py::arg("k"))
        .def("strlen", [](const C{j}& c, std::string_view s) {{ return static_cast<i64>(s.size()) + c.x + {j}; }},
             py::arg("s"))
        .def("scale", [](const C{j}& c, double scale) {{ return c.y * scale + {j}; }}, py::arg("scale") = 2.0)
        .def("dot", [](const C{j}& c, const C{j}& o) {{ return static_cast<double>(c.x * o.x) + c.y * o.y; }},
             py::arg("other"));
"""


def generate_classes(count: int) -> dict[str, str]:
    structs = "".join(STRUCT.format(j=j) for j in range(count))
    body = "".join(CLASS.format(j=j) for j in range(count))
    return {"genc_pyowned.cpp": CLASS_HEADER + structs + "\nPYOWNED_MODULE(genc_pyowned, m) {\n" + body + "}\n"}
