# cython: language_level=3, boundscheck=False, wraparound=False, binding=False
# distutils: language = c++
"""The Cython peer (module bench_cython): every function and class of bench/cases.py, typed
Cython 3.

Compiled to C++ by bench/CMakeLists.txt (`cython --cplus -3`). Written the way a Cython user
writes code for speed:
- typed `def` functions: they are only called from Python, so `cpdef` would add a C entry
  point nothing uses; binding=False makes them plain builtin functions (METH_FASTCALL),
  a shorter call path than Cython 3's default cyfunction objects;
- C-typed parameters and locals, and builtin-typed containers (`dict d not None`, ...) so
  Cython emits its PyDict_Next / PyList_GET_ITEM / PyTuple_GET_ITEM fast paths;
- Cython's automatic conversions to libcpp containers for the extract_* cases;
- str lengths in UTF-8 through PyUnicode_AsUTF8AndSize (cpython.unicode): the UTF-8 buffer
  CPython keeps on the str (ASCII strings are their own UTF-8), no copy;
- arrays as typed memoryviews (`const double[::1]`: read-only, C-contiguous, the buffer
  protocol), summed by index; a new array is malloc'd memory cast to a cython.view.array
  that frees it (callback_free_data = free) and given to NumPy by np.asarray, which wraps
  the array's buffer without a copy;
- the classes as `cdef class`es, their data in the instance (`cdef public double`, a
  libcpp vector), typed `Point` parameters, and `Point.__new__(Point)` (tp_new alone, no
  __init__ call) for the sum.

n/a: drop_detached (Cython holds no reference that may be dropped without the GIL) and
err_roundtrip_throwing (pyowned only).
"""
from cython cimport view
from libc.math cimport hypot
from libc.stdint cimport int64_t
from libc.stdlib cimport free, malloc
from libcpp.map cimport map
from libcpp.unordered_map cimport unordered_map
from libcpp.unordered_set cimport unordered_set
from libcpp.vector cimport vector
from cpython.ref cimport Py_INCREF
from cpython.tuple cimport PyTuple_New, PyTuple_SET_ITEM
from cpython.unicode cimport PyUnicode_AsUTF8AndSize

import numpy as np


# Python -> native calls.

def call_noop():
    pass


def call_add(int64_t a, int64_t b):
    return a + b


def call_kwargs(int64_t a, int64_t b=2, int64_t c=3):
    return a + b + c


def call_str_len(str s not None):
    cdef Py_ssize_t size = 0
    PyUnicode_AsUTF8AndSize(s, &size)
    return size


# Arrays.

def array_call(const double[::1] a not None):
    return a.shape[0]


def array_sum(const double[::1] a not None):
    cdef double total = 0.0
    cdef Py_ssize_t i
    for i in range(a.shape[0]):
        total += a[i]
    return total


def array_return(Py_ssize_t n):
    if n <= 0:
        if n == 0:
            return np.empty(0)  # a cython.view.array has no empty shape
        raise ValueError("array_return() size must be >= 0")
    cdef double *data = <double *>malloc(n * sizeof(double))
    if data == NULL:
        raise MemoryError()
    cdef Py_ssize_t i
    for i in range(n):
        data[i] = i
    cdef view.array owner
    try:
        owner = <double[:n]> data
    except:
        free(data)
        raise
    owner.callback_free_data = free
    return np.asarray(owner)


# Native object API.

def iter_dict(dict d not None):
    cdef int64_t total = 0, k, v
    for k, v in d.items():  # PyDict_Next, each key and value converted to int64
        total += k + v
    return total


def dict_get_item(dict d not None):
    cdef int64_t total = 0, v
    cdef Py_ssize_t i, n = len(d)
    for i in range(n):
        v = d[i]  # the key made from the C integer i on each lookup
        total += v
    return total


def dict_new(Py_ssize_t n):
    cdef dict d = {}
    cdef Py_ssize_t i
    cdef object o
    for i in range(n):
        o = i
        d[o] = o  # {i: i}: one int object as key and value, as Python builds it
    return len(d)


def extract_hashmap(dict d not None):
    cdef unordered_map[int64_t, int64_t] m = d
    return m.size()


def extract_btreemap(dict d not None):
    cdef map[int64_t, int64_t] m = d
    return m.size()


def iter_list(list l not None):
    cdef int64_t total = 0, v
    for v in l:
        total += v
    return total


def list_get_item(list l not None):
    cdef int64_t total = 0, v
    cdef Py_ssize_t i, n = len(l)
    for i in range(n):
        v = l[i]
        total += v
    return total


def list_new(Py_ssize_t n):
    cdef list l = [i for i in range(n)]
    return len(l)


def extract_vec(list l not None):
    cdef vector[int64_t] v = l
    return v.size()


def iter_tuple(tuple t not None):
    cdef int64_t total = 0, v
    for v in t:
        total += v
    return total


def tuple_get_item(tuple t not None):
    cdef int64_t total = 0, v
    cdef Py_ssize_t i, n = len(t)
    for i in range(n):
        v = t[i]
        total += v
    return total


def tuple_new(Py_ssize_t n):
    # A tuple is filled in place (PyTuple_SET_ITEM steals a reference, hence the INCREF).
    cdef tuple t = PyTuple_New(n)
    cdef Py_ssize_t i
    cdef object o
    for i in range(n):
        o = i
        Py_INCREF(o)
        PyTuple_SET_ITEM(t, i, o)
    return len(t)


def iter_set(set s not None):
    cdef int64_t total = 0, v
    for v in s:
        total += v
    return total


def extract_hashset(set s not None):
    cdef unordered_set[int64_t] h = s
    return h.size()


def set_new(Py_ssize_t n):
    cdef set s = {i for i in range(n)}
    return len(s)


def extract_str(list l not None):
    cdef int64_t total = 0
    cdef Py_ssize_t size = 0
    cdef str s
    for s in l:
        PyUnicode_AsUTF8AndSize(s, &size)
        total += size
    return total


def extract_float(list l not None):
    cdef double total = 0.0, x
    for x in l:
        total += x
    return total


# Native -> Python calls.

def call_0(f, Py_ssize_t n):
    cdef Py_ssize_t _
    for _ in range(n):
        f()


def call_1(f, x, Py_ssize_t n):
    cdef Py_ssize_t _
    for _ in range(n):
        f(x)


def callback_call(f, long long n):
    cdef long long i, total = 0
    for i in range(n):
        total += <long long>f(i)
    return total


def call_with_kwargs(f, Py_ssize_t n):
    # The arguments are C integers, converted on each call; Cython interns "b" and "c".
    cdef int64_t a = 1, b = 2, c = 3
    cdef Py_ssize_t _
    for _ in range(n):
        f(a, b=b, c=c)


def call_method_0(obj, Py_ssize_t n):
    cdef Py_ssize_t _
    for _ in range(n):
        obj.method()


def getattr_interned(obj, Py_ssize_t n):
    cdef int64_t total = 0, v
    cdef Py_ssize_t _
    for _ in range(n):
        v = obj.value
        total += v
    return total


# Lifetime.

def drop_many_objects(Py_ssize_t n):
    cdef Py_ssize_t i
    cdef object o
    for i in range(n):
        o = i  # the previous int is released here, the last one on return


def err_roundtrip(f, Py_ssize_t n):
    cdef int64_t failures = 0
    cdef Py_ssize_t _
    cdef bint raised
    for _ in range(n):
        raised = False
        try:
            f()
        except ValueError:
            # A handler body that cannot raise and does not touch the exception: Cython only
            # matches and clears it (no traceback entry, no sys.exc_info() fetch).
            raised = True
        failures += raised
    return failures


# Classes.

cdef class Point:
    cdef public double x, y

    def __init__(self, double x, double y):
        self.x = x
        self.y = y

    def norm(self):
        return hypot(self.x, self.y)

    def scale(self, double k):
        self.x *= k
        self.y *= k

    def scale_pos(self, double k, /):
        self.x *= k
        self.y *= k

    def __add__(self, other):
        if not isinstance(other, Point):
            return NotImplemented
        cdef Point q = <Point>other
        cdef Point r = Point.__new__(Point)
        r.x = self.x + q.x
        r.y = self.y + q.y
        return r


def dist(Point p not None, Point q not None):
    return hypot(p.x - q.x, p.y - q.y)


cdef class Base:
    """value(i) -> i, a cpdef method: called from Cython, it dispatches to a Python
    subclass's override."""

    cpdef long long value(self, long long i):
        return i


def virtual_override(Base obj, long long n):
    cdef long long i, total = 0
    for i in range(n):
        total += obj.value(i)
    return total


cpdef enum Color:
    RED = 0
    GREEN = 1
    BLUE = 2


def enum_arg(Color c):
    return <long long>c


cdef class Vec:
    cdef vector[double] data

    def __init__(self, Py_ssize_t n):
        cdef Py_ssize_t i
        self.data.resize(n)
        for i in range(n):
            self.data[i] = i

    def __len__(self):
        return self.data.size()

    def __getitem__(self, Py_ssize_t i):
        cdef Py_ssize_t n = self.data.size()
        if i < 0:
            i += n
        if i < 0 or i >= n:
            raise IndexError("Vec index out of range")
        return self.data[i]
