"""gen_cython: the build figure's module for Cython (see __init__.py).

Typed `def` functions in the style of bench/peers/cython.pyx: C-typed parameters, and the
list / dict kinds taken as libcpp containers in the signature (Cython converts the argument);
the dict's str keys become std::string through c_string_type/c_string_encoding=utf8.
"""
from __future__ import annotations

from . import kind

# The c_string_* directive stays off the first two lines (PEP 263 would read its "encoding=").
HEADER = """\
# cython: language_level=3, binding=False
# distutils: language = c++
# cython: c_string_type=unicode, c_string_encoding=utf8
from libc.stdint cimport int64_t
from libcpp.map cimport map
from libcpp.string cimport string
from libcpp.vector cimport vector
from cpython.unicode cimport PyUnicode_AsUTF8AndSize
"""

BODIES = {
    "add": """\
def f{k}(int64_t a, int64_t b):
    return a + b + {k}
""",
    "scale": """\
def f{k}(double x, double scale=2.0):
    return x * scale + {k}
""",
    "strlen": """\
def f{k}(str s not None):
    cdef Py_ssize_t size = 0
    PyUnicode_AsUTF8AndSize(s, &size)
    return <int64_t>size + {k}
""",
    "vecsum": """\
def f{k}(vector[int64_t] xs):
    cdef int64_t total = {k}, x
    for x in xs:
        total += x
    return total
""",
    "mapsize": """\
def f{k}(map[string, int64_t] d, *, int64_t extra=0):
    return <int64_t>d.size() + extra + {k}
""",
}


def generate(count: int) -> dict[str, str]:
    body = "\n\n".join(BODIES[kind(k)].format(k=k) for k in range(count))
    return {"gen_cython.pyx": HEADER + "\n\n" + body}


CLASS_HEADER = """\
# cython: language_level=3, binding=False
# distutils: language = c++
from libc.stdint cimport int64_t
from cpython.unicode cimport PyUnicode_AsUTF8AndSize
"""

CLASS = """\
cdef class C{j}:
    cdef public int64_t x
    cdef public double y

    def __init__(self, int64_t x, double y):
        self.x = x
        self.y = y

    def get(self):
        return self.x + {j}

    def mul(self, int64_t k):
        return self.x * k + {j}

    def strlen(self, str s not None):
        cdef Py_ssize_t size = 0
        PyUnicode_AsUTF8AndSize(s, &size)
        return <int64_t>size + self.x + {j}

    def scale(self, double scale=2.0):
        return self.y * scale + {j}

    def dot(self, C{j} other not None):
        return <double>(self.x * other.x) + self.y * other.y
"""


def generate_classes(count: int) -> dict[str, str]:
    body = "\n\n".join(CLASS.format(j=j) for j in range(count))
    return {"genc_cython.pyx": CLASS_HEADER + "\n\n" + body}
