"""The generated module for the hand-written C API peer: gen_capi.c.

The C an expert writes by hand: METH_FASTCALL functions (METH_FASTCALL | METH_KEYWORDS
where a parameter has a default or is keyword-only), keyword names interned once at module
init, containers converted into plain C structures. The helpers every function shares are
emitted once at the top.
"""
from __future__ import annotations

from . import kind

_HEAD = r"""/* gen_capi: %(count)d generated functions (bench/gen200), hand-written C API style. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <stdint.h>
#include <stdlib.h>

/* ---- keyword names, interned once at module init ---- */

static PyObject *scale_names[2];   /* x, scale: the "scale" functions' parameters */
static PyObject *mapsize_names[2]; /* d, extra: the "mapsize" functions' parameters */

/* ---- argument helpers ---- */

static PyObject *
nargs_error(const char *fname, Py_ssize_t given, Py_ssize_t want)
{
    return PyErr_Format(PyExc_TypeError, "%%s() takes exactly %%zd argument%%s (%%zd given)",
                        fname, want, want == 1 ? "" : "s", given);
}

static PyObject *
type_error(const char *fname, const char *want, PyObject *got)
{
    return PyErr_Format(PyExc_TypeError, "%%s() argument must be %%s, not %%.200s", fname,
                        want, Py_TYPE(got)->tp_name);
}

static inline int
as_i64(PyObject *o, int64_t *out)
{
    long long v = PyLong_AsLongLong(o);
    if (v == -1 && PyErr_Occurred())
        return -1;
    *out = (int64_t)v;
    return 0;
}

static inline int
as_f64(PyObject *o, double *out)
{
    if (PyFloat_Check(o)) {
        *out = PyFloat_AS_DOUBLE(o);
        return 0;
    }
    double v = PyFloat_AsDouble(o);
    if (v == -1.0 && PyErr_Occurred())
        return -1;
    *out = v;
    return 0;
}

static inline PyObject *
from_u64(uint64_t v)
{
    return PyLong_FromLongLong((long long)(int64_t)v);
}

/* Matches a vectorcall's arguments to the parameters names[0..nparams): the first npos may
   come by position, any by keyword; out[i] receives parameter i (borrowed) or NULL when
   not given. The first nrequired parameters must be given. Raises TypeError on too many
   positional arguments, an unknown or repeated keyword, or a missing argument. */
static int
parse_args(const char *fname, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames,
           PyObject *const *names, Py_ssize_t npos, Py_ssize_t nparams, Py_ssize_t nrequired,
           PyObject **out)
{
    if (nargs > npos) {
        PyErr_Format(PyExc_TypeError, "%%s() takes at most %%zd positional argument%%s (%%zd given)",
                     fname, npos, npos == 1 ? "" : "s", nargs);
        return -1;
    }
    for (Py_ssize_t i = 0; i < nargs; i++)
        out[i] = args[i];
    for (Py_ssize_t i = nargs; i < nparams; i++)
        out[i] = NULL;
    if (kwnames != NULL) {
        Py_ssize_t nkw = PyTuple_GET_SIZE(kwnames);
        for (Py_ssize_t j = 0; j < nkw; j++) {
            PyObject *name = PyTuple_GET_ITEM(kwnames, j);
            Py_ssize_t at = 0;
            while (at < nparams && name != names[at]) /* interned: identity first */
                at++;
            for (Py_ssize_t i = 0; at == nparams && i < nparams; i++) {
                int cmp = PyUnicode_Compare(name, names[i]);
                if (cmp == -1 && PyErr_Occurred())
                    return -1;
                if (cmp == 0)
                    at = i;
            }
            if (at == nparams) {
                PyErr_Format(PyExc_TypeError, "%%s() got an unexpected keyword argument '%%U'",
                             fname, name);
                return -1;
            }
            if (out[at] != NULL) {
                PyErr_Format(PyExc_TypeError, "%%s() got multiple values for argument '%%U'",
                             fname, names[at]);
                return -1;
            }
            out[at] = args[nargs + j];
        }
    }
    for (Py_ssize_t i = 0; i < nrequired; i++) {
        if (out[i] == NULL) {
            PyErr_Format(PyExc_TypeError, "%%s() missing required argument '%%U' (pos %%zd)",
                         fname, names[i], i + 1);
            return -1;
        }
    }
    return 0;
}

/* ---- containers ---- */

/* list[int] -> an int64 array. Items must be ints, so no Python code runs while the
   list's items are borrowed. */
typedef struct {
    int64_t *items;
    Py_ssize_t len;
} I64Vec;

static int
vec_from_list(const char *fname, PyObject *o, I64Vec *vec)
{
    if (!PyList_Check(o)) {
        type_error(fname, "list", o);
        return -1;
    }
    Py_ssize_t n = PyList_GET_SIZE(o);
    vec->items = malloc((size_t)(n ? n : 1) * sizeof(int64_t));
    if (vec->items == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *item = PyList_GET_ITEM(o, i);
        if (!PyLong_Check(item)) {
            PyErr_Format(PyExc_TypeError, "%%s() list items must be int, not %%.200s", fname,
                         Py_TYPE(item)->tp_name);
            goto fail;
        }
        if (as_i64(item, &vec->items[i]) < 0)
            goto fail;
    }
    vec->len = n;
    return 0;
fail:
    free(vec->items);
    return -1;
}

/* dict[str, int] -> a map of UTF-8 keys (views into the dict's keys, valid while it holds
   them) to int64: an array of entries, each key once since the dict's keys are distinct.
   Keys must be str and values int, so no Python code runs while the views are taken. */
typedef struct {
    const char *key;
    Py_ssize_t key_len;
    int64_t value;
} StrI64Entry;

typedef struct {
    StrI64Entry *entries;
    Py_ssize_t len;
} StrI64Map;

static int
strmap_from_dict(const char *fname, PyObject *o, StrI64Map *map)
{
    if (!PyDict_Check(o)) {
        type_error(fname, "dict", o);
        return -1;
    }
    Py_ssize_t n = PyDict_GET_SIZE(o);
    map->entries = malloc((size_t)(n ? n : 1) * sizeof(StrI64Entry));
    if (map->entries == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    Py_ssize_t pos = 0, len = 0;
    PyObject *k, *v;
    while (PyDict_Next(o, &pos, &k, &v)) {
        StrI64Entry *e = &map->entries[len];
        if (!PyUnicode_Check(k) || !PyLong_Check(v)) {
            PyErr_Format(PyExc_TypeError, "%%s() dict items must be str: int, not %%.200s: %%.200s",
                         fname, Py_TYPE(k)->tp_name, Py_TYPE(v)->tp_name);
            goto fail;
        }
        if ((e->key = PyUnicode_AsUTF8AndSize(k, &e->key_len)) == NULL ||
            as_i64(v, &e->value) < 0)
            goto fail;
        len++;
    }
    map->len = len;
    return 0;
fail:
    free(map->entries);
    return -1;
}

/* ---- the generated functions ---- */
"""

_ADD = r"""
static PyObject *
f%(k)d(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    (void)self;
    int64_t a, b;
    if (nargs != 2)
        return nargs_error("f%(k)d", nargs, 2);
    if (as_i64(args[0], &a) < 0 || as_i64(args[1], &b) < 0)
        return NULL;
    return from_u64((uint64_t)a + (uint64_t)b + %(k)du);
}
"""

_SCALE = r"""
static PyObject *
f%(k)d(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    (void)self;
    PyObject *v[2];
    double x, scale = 2.0;
    if (parse_args("f%(k)d", args, nargs, kwnames, scale_names, 2, 2, 1, v) < 0)
        return NULL;
    if (as_f64(v[0], &x) < 0 || (v[1] != NULL && as_f64(v[1], &scale) < 0))
        return NULL;
    return PyFloat_FromDouble(x * scale + %(k)d.0);
}
"""

_STRLEN = r"""
static PyObject *
f%(k)d(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    (void)self;
    Py_ssize_t len;
    if (nargs != 1)
        return nargs_error("f%(k)d", nargs, 1);
    if (!PyUnicode_Check(args[0]))
        return type_error("f%(k)d", "str", args[0]);
    if (PyUnicode_AsUTF8AndSize(args[0], &len) == NULL)
        return NULL;
    return from_u64((uint64_t)len + %(k)du);
}
"""

_VECSUM = r"""
static PyObject *
f%(k)d(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    (void)self;
    I64Vec xs;
    if (nargs != 1)
        return nargs_error("f%(k)d", nargs, 1);
    if (vec_from_list("f%(k)d", args[0], &xs) < 0)
        return NULL;
    uint64_t sum = %(k)du;
    for (Py_ssize_t i = 0; i < xs.len; i++)
        sum += (uint64_t)xs.items[i];
    free(xs.items);
    return from_u64(sum);
}
"""

_MAPSIZE = r"""
static PyObject *
f%(k)d(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    (void)self;
    PyObject *v[2];
    int64_t extra = 0;
    StrI64Map d;
    if (parse_args("f%(k)d", args, nargs, kwnames, mapsize_names, 1, 2, 1, v) < 0)
        return NULL;
    if (v[1] != NULL && as_i64(v[1], &extra) < 0)
        return NULL;
    if (strmap_from_dict("f%(k)d", v[0], &d) < 0)
        return NULL;
    Py_ssize_t size = d.len;
    free(d.entries);
    return from_u64((uint64_t)size + (uint64_t)extra + %(k)du);
}
"""

_BODIES = {"add": _ADD, "scale": _SCALE, "strlen": _STRLEN, "vecsum": _VECSUM,
           "mapsize": _MAPSIZE}
_KEYWORDS = {"scale", "mapsize"}  # the kinds parsed with METH_FASTCALL | METH_KEYWORDS

_TAIL = r"""
/* ---- the module ---- */

static PyMethodDef methods[] = {
%(entries)s
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "gen_capi",
    .m_size = -1,
    .m_methods = methods,
};

static int
intern_names(void)
{
    static const char *const spelling[4] = {"x", "scale", "d", "extra"};
    PyObject **slot[4] = {&scale_names[0], &scale_names[1], &mapsize_names[0],
                          &mapsize_names[1]};
    for (int i = 0; i < 4; i++) {
        if ((*slot[i] = PyUnicode_InternFromString(spelling[i])) == NULL) {
            while (i-- > 0)
                Py_CLEAR(*slot[i]);
            return -1;
        }
    }
    return 0;
}

PyMODINIT_FUNC
PyInit_gen_capi(void)
{
    if (scale_names[0] == NULL && intern_names() < 0) /* once per process */
        return NULL;
    return PyModule_Create(&module);
}
"""


def generate(count: int) -> dict[str, str]:
    parts = [_HEAD % {"count": count}]
    entries = []
    for k in range(count):
        kd = kind(k)
        parts.append(_BODIES[kd] % {"k": k})
        flags = "METH_FASTCALL | METH_KEYWORDS" if kd in _KEYWORDS else "METH_FASTCALL"
        entries.append(f'    {{"f{k}", (PyCFunction)(void (*)(void))f{k}, {flags}, NULL}},')
    parts.append(_TAIL % {"entries": "\n".join(entries)})
    return {"gen_capi.c": "".join(parts)}
