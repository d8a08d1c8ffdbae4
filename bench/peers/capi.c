/* bench_capi: the benchmark's hand-written C API peer, the baseline every other peer is
   measured against (bench/cases.py holds the functions and their semantics).

   Plain C11 against the public CPython API, written for speed: METH_FASTCALL everywhere
   (call_kwargs parses its keywords by hand), borrowed references where they are safe,
   names interned once into statics, UTF-8 read through views. Every failure path sets
   exactly one Python exception and releases whatever it holds.

   Integer arithmetic is done in uint64_t, so a sum that does not fit wraps (defined)
   instead of overflowing (undefined); the cases' sums all fit. Converting a Python int
   that does not fit int64 raises OverflowError.

   Arrays: array_call and array_sum read a float64 array through the buffer protocol (no
   NumPy header needed); array_return makes a NumPy array with NumPy's C API over malloc'd
   memory, which a capsule set as the array's base frees. The build defines
   BENCH_CAPI_NUMPY when it finds NumPy's headers for the interpreter; without them
   array_return is left out (n/a). */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>
#ifdef BENCH_CAPI_NUMPY
#define NPY_NO_DEPRECATED_API NPY_1_7_API_VERSION
#include <numpy/arrayobject.h>
#endif

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- names interned once, at module init ---- */

static const char *const kw_spelling[3] = {"a", "b", "c"};
static PyObject *kw_names[3]; /* call_kwargs's parameters a, b, c */
static PyObject *str_method;  /* "method", for call_method_0 */
static PyObject *str_value;   /* "value", for getattr_interned */
static PyObject *kwnames_bc;  /* ("b", "c"), for call_with_kwargs */

/* ---- argument helpers ---- */

static PyObject *nargs_error(const char *fname, Py_ssize_t given, Py_ssize_t want) {
    return PyErr_Format(PyExc_TypeError, "%s() takes exactly %zd argument%s (%zd given)", fname, want,
                        want == 1 ? "" : "s", given);
}

#define EXPECT_NARGS(fname, want)                                    \
    do {                                                             \
        if (nargs != (want)) return nargs_error(fname, nargs, want); \
    } while (0)

static PyObject *type_error(const char *fname, const char *want, PyObject *got) {
    return PyErr_Format(PyExc_TypeError, "%s() argument must be %s, not %.200s", fname, want, Py_TYPE(got)->tp_name);
}

/* An int64 from an object someone else keeps alive (an argument, a new reference):
   a non-int goes through __index__; overflow raises OverflowError. */
static inline int as_i64(PyObject *o, int64_t *out) {
    long long v = PyLong_AsLongLong(o);
    if (v == -1 && PyErr_Occurred()) return -1;
    *out = (int64_t)v;
    return 0;
}

/* An int64 from an item borrowed from a mutable container. An int is read in place;
   anything else goes through __index__, Python code that could drop the container's
   reference, so the item is held across it. */
static inline int item_i64(PyObject *o, int64_t *out) {
    if (PyLong_Check(o)) return as_i64(o, out);
    Py_INCREF(o);
    int rc = as_i64(o, out);
    Py_DECREF(o);
    return rc;
}

/* A key and value borrowed from a dict, as item_i64 (both held on the slow path). */
static inline int pair_i64(PyObject *k, PyObject *v, int64_t *ko, int64_t *vo) {
    if (PyLong_Check(k) && PyLong_Check(v)) return (as_i64(k, ko) < 0 || as_i64(v, vo) < 0) ? -1 : 0;
    Py_INCREF(k);
    Py_INCREF(v);
    int rc = (as_i64(k, ko) < 0 || as_i64(v, vo) < 0) ? -1 : 0;
    Py_DECREF(k);
    Py_DECREF(v);
    return rc;
}

static inline PyObject *from_u64(uint64_t sum) { return PyLong_FromLongLong((long long)(int64_t)sum); }

/* ---- int64 containers: the C equivalents of unordered_map / unordered_set ---- */

/* An open-addressing hash table of int64 keys, each followed by its int64 value in a map
   (width 2) or alone in a set (width 1): linear probing, power-of-two capacity kept at
   most half full, Fibonacci hashing. Key 0 marks a free cell, so a real key 0 is kept
   beside the table. */
typedef struct {
    int64_t *cells; /* capacity * width int64s: key[, value] */
    size_t mask;    /* capacity - 1 */
    unsigned shift; /* 64 - log2(capacity) */
    size_t size;    /* keys held, key 0 included */
    int has_zero;
    int64_t zero_value;
} I64Table;

static int table_init(I64Table *t, size_t expected, size_t width) {
    size_t cap = 8;
    unsigned bits = 3;
    while (cap < 2 * expected) {
        cap <<= 1;
        bits++;
    }
    t->cells = calloc(cap * width, sizeof(int64_t));
    if (t->cells == NULL) return -1;
    t->mask = cap - 1;
    t->shift = 64 - bits;
    t->size = 0;
    t->has_zero = 0;
    t->zero_value = 0;
    return 0;
}

static inline size_t table_slot(const I64Table *t, int64_t key) {
    return (size_t)(((uint64_t)key * UINT64_C(0x9E3779B97F4A7C15)) >> t->shift);
}

static int table_grow(I64Table *t, size_t width) {
    size_t old_cap = t->mask + 1;
    int64_t *old = t->cells;
    int64_t *cells = calloc(2 * old_cap * width, sizeof(int64_t));
    if (cells == NULL) return -1;
    t->cells = cells;
    t->mask = 2 * old_cap - 1;
    t->shift--;
    for (size_t j = 0; j < old_cap; j++) {
        const int64_t *cell = old + j * width;
        if (cell[0] == 0) continue;
        size_t i = table_slot(t, cell[0]);
        while (cells[i * width] != 0) i = (i + 1) & t->mask;
        memcpy(cells + i * width, cell, width * sizeof(int64_t));
    }
    free(old);
    return 0;
}

/* Inserts key (in a map, sets its value); -1 when memory runs out (nothing raised). */
static inline int table_put(I64Table *t, int64_t key, int64_t value, size_t width) {
    if (key == 0) {
        t->size += !t->has_zero;
        t->has_zero = 1;
        t->zero_value = value;
        return 0;
    }
    if (2 * (t->size + 1) > t->mask + 1 && table_grow(t, width) < 0) return -1;
    for (size_t i = table_slot(t, key);; i = (i + 1) & t->mask) {
        int64_t *cell = t->cells + i * width;
        if (cell[0] == 0) {
            cell[0] = key;
            if (width == 2) cell[1] = value;
            t->size++;
            return 0;
        }
        if (cell[0] == key) {
            if (width == 2) cell[1] = value;
            return 0;
        }
    }
}

/* The ordered map: (key, value) pairs sorted by key, each key once. */
typedef struct {
    int64_t key;
    int64_t value;
} I64Pair;

static int pair_cmp(const void *a, const void *b) {
    int64_t x = ((const I64Pair *)a)->key, y = ((const I64Pair *)b)->key;
    return (x > y) - (x < y);
}

/* ---- Python → native calls ---- */

static PyObject *call_noop(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    (void)self;
    (void)args;
    EXPECT_NARGS("call_noop", 0);
    Py_RETURN_NONE;
}

static PyObject *call_add(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    (void)self;
    EXPECT_NARGS("call_add", 2);
    int64_t a, b;
    if (as_i64(args[0], &a) < 0 || as_i64(args[1], &b) < 0) return NULL;
    return from_u64((uint64_t)a + (uint64_t)b);
}

/* The index of call_kwargs's parameter called name; -1 for none (nothing raised), -2 on
   error (raised). The call site's names are the interned ones, so identity settles it;
   an equal string built at run time falls back to comparing contents. */
static inline Py_ssize_t kwarg_index(PyObject *name) {
    for (Py_ssize_t i = 0; i < 3; i++)
        if (name == kw_names[i]) return i;
    for (Py_ssize_t i = 0; i < 3; i++) {
        int cmp = PyUnicode_Compare(name, kw_names[i]);
        if (cmp == 0) return i;
        if (cmp == -1 && PyErr_Occurred()) return -2;
    }
    return -1;
}

/* call_kwargs(a, b=2, c=3) -> a + b + c */
static PyObject *call_kwargs(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames) {
    (void)self;
    PyObject *v[3] = {NULL, NULL, NULL};
    if (nargs > 3)
        return PyErr_Format(PyExc_TypeError,
                            "call_kwargs() takes from 1 to 3 positional arguments but %zd "
                            "were given",
                            nargs);
    for (Py_ssize_t i = 0; i < nargs; i++) v[i] = args[i];
    if (kwnames != NULL) {
        Py_ssize_t nkw = PyTuple_GET_SIZE(kwnames);
        for (Py_ssize_t j = 0; j < nkw; j++) {
            PyObject *name = PyTuple_GET_ITEM(kwnames, j);
            Py_ssize_t at = kwarg_index(name);
            if (at == -2) return NULL;
            if (at == -1)
                return PyErr_Format(PyExc_TypeError, "call_kwargs() got an unexpected keyword argument '%U'", name);
            if (v[at] != NULL)
                return PyErr_Format(PyExc_TypeError, "call_kwargs() got multiple values for argument '%s'",
                                    kw_spelling[at]);
            v[at] = args[nargs + j];
        }
    }
    if (v[0] == NULL) return PyErr_Format(PyExc_TypeError, "call_kwargs() missing required argument 'a' (pos 1)");
    int64_t a, b = 2, c = 3;
    if (as_i64(v[0], &a) < 0 || (v[1] != NULL && as_i64(v[1], &b) < 0) || (v[2] != NULL && as_i64(v[2], &c) < 0))
        return NULL;
    return from_u64((uint64_t)a + (uint64_t)b + (uint64_t)c);
}

static PyObject *call_str_len(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    (void)self;
    EXPECT_NARGS("call_str_len", 1);
    if (!PyUnicode_Check(args[0])) return type_error("call_str_len", "str", args[0]);
    Py_ssize_t len;
    if (PyUnicode_AsUTF8AndSize(args[0], &len) == NULL) return NULL;
    return PyLong_FromSsize_t(len);
}

/* ---- native object API: dict ---- */

static PyObject *iter_dict(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    (void)self;
    EXPECT_NARGS("iter_dict", 1);
    PyObject *d = args[0];
    if (!PyDict_Check(d)) return type_error("iter_dict", "dict", d);
    uint64_t sum = 0;
    Py_ssize_t pos = 0;
    PyObject *k, *v;
    while (PyDict_Next(d, &pos, &k, &v)) {
        int64_t ki, vi;
        if (pair_i64(k, v, &ki, &vi) < 0) return NULL;
        sum += (uint64_t)ki + (uint64_t)vi;
    }
    return from_u64(sum);
}

static PyObject *dict_get_item(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    (void)self;
    EXPECT_NARGS("dict_get_item", 1);
    PyObject *d = args[0];
    if (!PyDict_Check(d)) return type_error("dict_get_item", "dict", d);
    uint64_t sum = 0;
    Py_ssize_t n = PyDict_GET_SIZE(d);
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *key = PyLong_FromSsize_t(i);
        if (key == NULL) return NULL;
        PyObject *v = PyDict_GetItemWithError(d, key); /* borrowed */
        if (v == NULL) {
            if (!PyErr_Occurred()) PyErr_SetObject(PyExc_KeyError, key);
            Py_DECREF(key);
            return NULL;
        }
        Py_DECREF(key);
        int64_t x;
        if (item_i64(v, &x) < 0) return NULL;
        sum += (uint64_t)x;
    }
    return from_u64(sum);
}

static PyObject *dict_new(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    (void)self;
    EXPECT_NARGS("dict_new", 1);
    int64_t n;
    if (as_i64(args[0], &n) < 0) return NULL;
    PyObject *d = PyDict_New();
    if (d == NULL) return NULL;
    for (int64_t i = 0; i < n; i++) {
        PyObject *k = PyLong_FromLongLong(i);
        if (k == NULL) goto fail;
        int rc = PyDict_SetItem(d, k, k);
        Py_DECREF(k);
        if (rc < 0) goto fail;
    }
    Py_ssize_t len = PyDict_GET_SIZE(d);
    Py_DECREF(d);
    return PyLong_FromSsize_t(len);
fail:
    Py_DECREF(d);
    return NULL;
}

static PyObject *extract_hashmap(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    (void)self;
    EXPECT_NARGS("extract_hashmap", 1);
    PyObject *d = args[0];
    if (!PyDict_Check(d)) return type_error("extract_hashmap", "dict", d);
    I64Table map;
    if (table_init(&map, (size_t)PyDict_GET_SIZE(d), 2) < 0) return PyErr_NoMemory();
    Py_ssize_t pos = 0;
    PyObject *k, *v;
    while (PyDict_Next(d, &pos, &k, &v)) {
        int64_t ki, vi;
        if (pair_i64(k, v, &ki, &vi) < 0) goto fail;
        if (table_put(&map, ki, vi, 2) < 0) {
            PyErr_NoMemory();
            goto fail;
        }
    }
    size_t size = map.size;
    free(map.cells);
    return PyLong_FromSize_t(size);
fail:
    free(map.cells);
    return NULL;
}

static PyObject *extract_btreemap(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    (void)self;
    EXPECT_NARGS("extract_btreemap", 1);
    PyObject *d = args[0];
    if (!PyDict_Check(d)) return type_error("extract_btreemap", "dict", d);
    size_t cap = (size_t)PyDict_GET_SIZE(d), len = 0;
    if (cap == 0) cap = 1;
    I64Pair *pairs = malloc(cap * sizeof *pairs);
    if (pairs == NULL) return PyErr_NoMemory();
    Py_ssize_t pos = 0;
    PyObject *k, *v;
    while (PyDict_Next(d, &pos, &k, &v)) {
        int64_t ki, vi;
        if (pair_i64(k, v, &ki, &vi) < 0) goto fail;
        if (len == cap) { /* only if __index__ code grew the dict */
            I64Pair *more = realloc(pairs, 2 * cap * sizeof *pairs);
            if (more == NULL) {
                PyErr_NoMemory();
                goto fail;
            }
            pairs = more;
            cap *= 2;
        }
        pairs[len].key = ki;
        pairs[len].value = vi;
        len++;
    }
    if (len > 1) {
        qsort(pairs, len, sizeof *pairs, pair_cmp);
        /* Keys equal as int64 (only possible through __index__) keep one entry. */
        size_t out = 1;
        for (size_t i = 1; i < len; i++)
            if (pairs[i].key != pairs[out - 1].key) pairs[out++] = pairs[i];
        len = out;
    }
    free(pairs);
    return PyLong_FromSize_t(len);
fail:
    free(pairs);
    return NULL;
}

/* ---- list ---- */

static PyObject *iter_list(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    (void)self;
    EXPECT_NARGS("iter_list", 1);
    PyObject *l = args[0];
    if (!PyList_Check(l)) return type_error("iter_list", "list", l);
    uint64_t sum = 0;
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(l); i++) {
        int64_t x;
        if (item_i64(PyList_GET_ITEM(l, i), &x) < 0) return NULL;
        sum += (uint64_t)x;
    }
    return from_u64(sum);
}

static PyObject *list_get_item(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    (void)self;
    EXPECT_NARGS("list_get_item", 1);
    PyObject *l = args[0];
    if (!PyList_Check(l)) return type_error("list_get_item", "list", l);
    uint64_t sum = 0;
    Py_ssize_t n = PyList_GET_SIZE(l);
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *o = PyList_GetItem(l, i); /* borrowed, bounds-checked */
        int64_t x;
        if (o == NULL || item_i64(o, &x) < 0) return NULL;
        sum += (uint64_t)x;
    }
    return from_u64(sum);
}

static PyObject *list_new(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    (void)self;
    EXPECT_NARGS("list_new", 1);
    int64_t n;
    if (as_i64(args[0], &n) < 0) return NULL;
    if (n < 0) n = 0;
    PyObject *l = PyList_New((Py_ssize_t)n);
    if (l == NULL) return NULL;
    for (Py_ssize_t i = 0; i < (Py_ssize_t)n; i++) {
        PyObject *o = PyLong_FromSsize_t(i);
        if (o == NULL) {
            Py_DECREF(l); /* the unfilled slots are NULL, which dealloc skips */
            return NULL;
        }
        PyList_SET_ITEM(l, i, o);
    }
    Py_ssize_t len = PyList_GET_SIZE(l);
    Py_DECREF(l);
    return PyLong_FromSsize_t(len);
}

static PyObject *extract_vec(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    (void)self;
    EXPECT_NARGS("extract_vec", 1);
    PyObject *l = args[0];
    if (!PyList_Check(l)) return type_error("extract_vec", "list", l);
    Py_ssize_t n = PyList_GET_SIZE(l);
    int64_t *vec = malloc((size_t)(n ? n : 1) * sizeof *vec);
    if (vec == NULL) return PyErr_NoMemory();
    Py_ssize_t len = 0;
    /* Re-reading the size: only __index__ code could shrink the list meanwhile. */
    for (; len < n && len < PyList_GET_SIZE(l); len++) {
        if (item_i64(PyList_GET_ITEM(l, len), &vec[len]) < 0) {
            free(vec);
            return NULL;
        }
    }
    free(vec);
    return PyLong_FromSsize_t(len);
}

/* ---- tuple (immutable: its items live as long as the caller's tuple) ---- */

static PyObject *iter_tuple(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    (void)self;
    EXPECT_NARGS("iter_tuple", 1);
    PyObject *t = args[0];
    if (!PyTuple_Check(t)) return type_error("iter_tuple", "tuple", t);
    uint64_t sum = 0;
    Py_ssize_t n = PyTuple_GET_SIZE(t);
    for (Py_ssize_t i = 0; i < n; i++) {
        int64_t x;
        if (as_i64(PyTuple_GET_ITEM(t, i), &x) < 0) return NULL;
        sum += (uint64_t)x;
    }
    return from_u64(sum);
}

static PyObject *tuple_get_item(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    (void)self;
    EXPECT_NARGS("tuple_get_item", 1);
    PyObject *t = args[0];
    if (!PyTuple_Check(t)) return type_error("tuple_get_item", "tuple", t);
    uint64_t sum = 0;
    Py_ssize_t n = PyTuple_GET_SIZE(t);
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *o = PyTuple_GetItem(t, i); /* borrowed, bounds-checked */
        int64_t x;
        if (o == NULL || as_i64(o, &x) < 0) return NULL;
        sum += (uint64_t)x;
    }
    return from_u64(sum);
}

static PyObject *tuple_new(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    (void)self;
    EXPECT_NARGS("tuple_new", 1);
    int64_t n;
    if (as_i64(args[0], &n) < 0) return NULL;
    if (n < 0) n = 0;
    PyObject *t = PyTuple_New((Py_ssize_t)n);
    if (t == NULL) return NULL;
    for (Py_ssize_t i = 0; i < (Py_ssize_t)n; i++) {
        PyObject *o = PyLong_FromSsize_t(i);
        if (o == NULL) {
            Py_DECREF(t); /* the unfilled slots are NULL, which dealloc skips */
            return NULL;
        }
        PyTuple_SET_ITEM(t, i, o);
    }
    Py_ssize_t len = PyTuple_GET_SIZE(t);
    Py_DECREF(t);
    return PyLong_FromSsize_t(len);
}

/* ---- set (the public API iterates a set through its iterator) ---- */

static PyObject *iter_set(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    (void)self;
    EXPECT_NARGS("iter_set", 1);
    PyObject *s = args[0];
    if (!PyAnySet_Check(s)) return type_error("iter_set", "set", s);
    PyObject *it = PyObject_GetIter(s);
    if (it == NULL) return NULL;
    uint64_t sum = 0;
    PyObject *o;
    while ((o = PyIter_Next(it)) != NULL) {
        int64_t x;
        int rc = as_i64(o, &x);
        Py_DECREF(o);
        if (rc < 0) {
            Py_DECREF(it);
            return NULL;
        }
        sum += (uint64_t)x;
    }
    Py_DECREF(it);
    if (PyErr_Occurred()) return NULL;
    return from_u64(sum);
}

static PyObject *extract_hashset(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    (void)self;
    EXPECT_NARGS("extract_hashset", 1);
    PyObject *s = args[0];
    if (!PyAnySet_Check(s)) return type_error("extract_hashset", "set", s);
    I64Table set;
    if (table_init(&set, (size_t)PySet_GET_SIZE(s), 1) < 0) return PyErr_NoMemory();
    PyObject *it = PyObject_GetIter(s);
    if (it == NULL) goto fail;
    PyObject *o;
    while ((o = PyIter_Next(it)) != NULL) {
        int64_t x;
        int rc = as_i64(o, &x);
        Py_DECREF(o);
        if (rc < 0) goto fail_it;
        if (table_put(&set, x, 0, 1) < 0) {
            PyErr_NoMemory();
            goto fail_it;
        }
    }
    Py_DECREF(it);
    if (PyErr_Occurred()) goto fail;
    size_t size = set.size;
    free(set.cells);
    return PyLong_FromSize_t(size);
fail_it:
    Py_DECREF(it);
fail:
    free(set.cells);
    return NULL;
}

static PyObject *set_new(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    (void)self;
    EXPECT_NARGS("set_new", 1);
    int64_t n;
    if (as_i64(args[0], &n) < 0) return NULL;
    PyObject *s = PySet_New(NULL);
    if (s == NULL) return NULL;
    for (int64_t i = 0; i < n; i++) {
        PyObject *o = PyLong_FromLongLong(i);
        if (o == NULL) goto fail;
        int rc = PySet_Add(s, o);
        Py_DECREF(o);
        if (rc < 0) goto fail;
    }
    Py_ssize_t len = PySet_GET_SIZE(s);
    Py_DECREF(s);
    return PyLong_FromSsize_t(len);
fail:
    Py_DECREF(s);
    return NULL;
}

/* ---- str and float ---- */

static PyObject *extract_str(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    (void)self;
    EXPECT_NARGS("extract_str", 1);
    PyObject *l = args[0];
    if (!PyList_Check(l)) return type_error("extract_str", "list", l);
    uint64_t sum = 0;
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(l); i++) {
        PyObject *o = PyList_GET_ITEM(l, i); /* no Python code runs while it is used */
        if (!PyUnicode_Check(o))
            return PyErr_Format(PyExc_TypeError, "extract_str() items must be str, not %.200s", Py_TYPE(o)->tp_name);
        Py_ssize_t len;
        if (PyUnicode_AsUTF8AndSize(o, &len) == NULL) return NULL;
        sum += (uint64_t)len;
    }
    return from_u64(sum);
}

static PyObject *extract_float(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    (void)self;
    EXPECT_NARGS("extract_float", 1);
    PyObject *l = args[0];
    if (!PyList_Check(l)) return type_error("extract_float", "list", l);
    double sum = 0.0;
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(l); i++) {
        PyObject *o = PyList_GET_ITEM(l, i);
        double x;
        if (PyFloat_Check(o)) {
            x = PyFloat_AS_DOUBLE(o);
        } else { /* __float__ / __index__ run Python code: hold the item across it */
            Py_INCREF(o);
            x = PyFloat_AsDouble(o);
            Py_DECREF(o);
            if (x == -1.0 && PyErr_Occurred()) return NULL;
        }
        sum += x;
    }
    return PyFloat_FromDouble(sum);
}

/* ---- native → Python calls ---- */

static PyObject *call_0(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    (void)self;
    EXPECT_NARGS("call_0", 2);
    PyObject *f = args[0];
    int64_t n;
    if (as_i64(args[1], &n) < 0) return NULL;
    for (int64_t i = 0; i < n; i++) {
        PyObject *r = PyObject_CallNoArgs(f);
        if (r == NULL) return NULL;
        Py_DECREF(r);
    }
    Py_RETURN_NONE;
}

static PyObject *call_1(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    (void)self;
    EXPECT_NARGS("call_1", 3);
    PyObject *f = args[0], *x = args[1];
    int64_t n;
    if (as_i64(args[2], &n) < 0) return NULL;
    for (int64_t i = 0; i < n; i++) {
        PyObject *r = PyObject_CallOneArg(f, x);
        if (r == NULL) return NULL;
        Py_DECREF(r);
    }
    Py_RETURN_NONE;
}

/* callback_call(f, n) -> sum of f(i) for i in range(n), each result an int64 */
static PyObject *callback_call(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    (void)self;
    EXPECT_NARGS("callback_call", 2);
    PyObject *f = args[0];
    int64_t n, sum = 0;
    if (as_i64(args[1], &n) < 0) return NULL;
    for (int64_t i = 0; i < n; i++) {
        PyObject *arg = PyLong_FromLongLong(i);
        if (arg == NULL) return NULL;
        PyObject *r = PyObject_CallOneArg(f, arg);
        Py_DECREF(arg);
        if (r == NULL) return NULL;
        long long v = PyLong_AsLongLong(r);
        Py_DECREF(r);
        if (v == -1 && PyErr_Occurred()) return NULL;
        sum += v;
    }
    return PyLong_FromLongLong(sum);
}

/* call_with_kwargs(f, n): f(1, b=2, c=3) n times */
static PyObject *call_with_kwargs(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    (void)self;
    EXPECT_NARGS("call_with_kwargs", 2);
    PyObject *f = args[0];
    int64_t n;
    if (as_i64(args[1], &n) < 0) return NULL;
    for (int64_t i = 0; i < n; i++) {
        /* argv[0] is scratch space the callee may use (PY_VECTORCALL_ARGUMENTS_OFFSET). */
        PyObject *argv[4] = {NULL, PyLong_FromLongLong(1), PyLong_FromLongLong(2), PyLong_FromLongLong(3)};
        PyObject *r = NULL;
        if (argv[1] != NULL && argv[2] != NULL && argv[3] != NULL)
            r = PyObject_Vectorcall(f, argv + 1, 1 | PY_VECTORCALL_ARGUMENTS_OFFSET, kwnames_bc);
        Py_XDECREF(argv[1]);
        Py_XDECREF(argv[2]);
        Py_XDECREF(argv[3]);
        if (r == NULL) return NULL;
        Py_DECREF(r);
    }
    Py_RETURN_NONE;
}

static PyObject *call_method_0(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    (void)self;
    EXPECT_NARGS("call_method_0", 2);
    int64_t n;
    if (as_i64(args[1], &n) < 0) return NULL;
    PyObject *argv[1] = {args[0]}; /* self */
    for (int64_t i = 0; i < n; i++) {
        PyObject *r = PyObject_VectorcallMethod(str_method, argv, 1 | PY_VECTORCALL_ARGUMENTS_OFFSET, NULL);
        if (r == NULL) return NULL;
        Py_DECREF(r);
    }
    Py_RETURN_NONE;
}

static PyObject *getattr_interned(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    (void)self;
    EXPECT_NARGS("getattr_interned", 2);
    PyObject *obj = args[0];
    int64_t n;
    if (as_i64(args[1], &n) < 0) return NULL;
    uint64_t sum = 0;
    for (int64_t i = 0; i < n; i++) {
        PyObject *v = PyObject_GetAttr(obj, str_value);
        if (v == NULL) return NULL;
        int64_t x;
        int rc = as_i64(v, &x);
        Py_DECREF(v);
        if (rc < 0) return NULL;
        sum += (uint64_t)x;
    }
    return from_u64(sum);
}

/* ---- lifetime ---- */

static PyObject *drop_many_objects(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    (void)self;
    EXPECT_NARGS("drop_many_objects", 1);
    int64_t n;
    if (as_i64(args[0], &n) < 0) return NULL;
    for (int64_t i = 0; i < n; i++) {
        PyObject *o = PyLong_FromLongLong(i);
        if (o == NULL) return NULL;
        Py_DECREF(o);
    }
    Py_RETURN_NONE;
}

/* The pending decrefs: references dropped while detached wait here until a thread
   attached to the interpreter drains them. Any thread may push, hence the lock. */
static struct {
    pthread_mutex_t lock;
    PyObject **items;
    size_t len, cap;
} pending = {PTHREAD_MUTEX_INITIALIZER, NULL, 0, 0};

/* Detached: queues a decref of o; -1 when the queue cannot grow. */
static int pending_push(PyObject *o) {
    int rc = 0;
    pthread_mutex_lock(&pending.lock);
    if (pending.len == pending.cap) {
        size_t cap = pending.cap ? 2 * pending.cap : 64;
        PyObject **items = realloc(pending.items, cap * sizeof *items);
        if (items != NULL) {
            pending.items = items;
            pending.cap = cap;
        } else {
            rc = -1;
        }
    }
    if (rc == 0) pending.items[pending.len++] = o;
    pthread_mutex_unlock(&pending.lock);
    return rc;
}

/* Attached: performs the queued decrefs. The queue is taken out under the lock and
   drained outside it (a decref may run code that queues more). */
static void pending_drain(void) {
    pthread_mutex_lock(&pending.lock);
    PyObject **items = pending.items;
    size_t len = pending.len, cap = pending.cap;
    pending.items = NULL;
    pending.len = pending.cap = 0;
    pthread_mutex_unlock(&pending.lock);
    for (size_t i = 0; i < len; i++) Py_DECREF(items[i]);
    pthread_mutex_lock(&pending.lock);
    if (pending.items == NULL) { /* keep the buffer for the next round */
        pending.items = items;
        pending.cap = cap;
    } else {
        free(items);
    }
    pthread_mutex_unlock(&pending.lock);
}

static PyObject *drop_detached(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    (void)self;
    EXPECT_NARGS("drop_detached", 1);
    int64_t n;
    if (as_i64(args[0], &n) < 0) return NULL;
    if (n < 0) n = 0;
    if ((uint64_t)n > SIZE_MAX / sizeof(PyObject *)) return PyErr_NoMemory();
    PyObject **objs = malloc((size_t)(n ? n : 1) * sizeof *objs);
    if (objs == NULL) return PyErr_NoMemory();
    for (int64_t i = 0; i < n; i++) {
        objs[i] = PyLong_FromLongLong(i);
        if (objs[i] == NULL) {
            while (i-- > 0) Py_DECREF(objs[i]);
            free(objs);
            return NULL;
        }
    }
    int64_t queued = 0;
    Py_BEGIN_ALLOW_THREADS for (; queued < n; queued++) if (pending_push(objs[queued]) < 0) break;
    Py_END_ALLOW_THREADS pending_drain();
    for (int64_t i = queued; i < n; i++) /* the ones the queue could not take */
        Py_DECREF(objs[i]);
    free(objs);
    Py_RETURN_NONE;
}

static PyObject *err_roundtrip(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    (void)self;
    EXPECT_NARGS("err_roundtrip", 2);
    PyObject *f = args[0];
    int64_t n;
    if (as_i64(args[1], &n) < 0) return NULL;
    int64_t failures = 0;
    for (int64_t i = 0; i < n; i++) {
        PyObject *r = PyObject_CallNoArgs(f);
        if (r != NULL) {
            Py_DECREF(r);
            continue;
        }
        if (!PyErr_ExceptionMatches(PyExc_ValueError)) return NULL;
        PyErr_Clear();
        failures++;
    }
    return PyLong_FromLongLong(failures);
}

/* ---- arrays ---- */

/* A view of obj as a 1-D C-contiguous array of native doubles: PyBUF_ND asks for the
   shape without strides, which an exporter grants only for C-contiguous memory (a strided
   array raises BufferError); PyBUF_FORMAT asks for the item format, checked to be "d".
   Read-only (no PyBUF_WRITABLE). The caller releases the view. */
static int get_doubles(const char *fname, PyObject *obj, Py_buffer *view) {
    if (PyObject_GetBuffer(obj, view, PyBUF_FORMAT | PyBUF_ND) < 0) return -1;
    if (view->ndim != 1 || view->itemsize != (Py_ssize_t)sizeof(double) || view->format == NULL ||
        strcmp(view->format, "d") != 0) {
        PyErr_Format(PyExc_TypeError, "%s() argument must be a 1-D array of float64, not %d-D of format '%s'", fname,
                     view->ndim, view->format ? view->format : "B");
        PyBuffer_Release(view);
        return -1;
    }
    return 0;
}

/* array_call(a) -> a.size */
static PyObject *array_call(PyObject *self, PyObject *arg) {
    (void)self;
    Py_buffer view;
    if (get_doubles("array_call", arg, &view) < 0) return NULL;
    Py_ssize_t n = view.shape[0];
    PyBuffer_Release(&view);
    return PyLong_FromSsize_t(n);
}

/* array_sum(a) -> the sum of a's doubles, in order */
static PyObject *array_sum(PyObject *self, PyObject *arg) {
    (void)self;
    Py_buffer view;
    if (get_doubles("array_sum", arg, &view) < 0) return NULL;
    const double *data = view.buf;
    double sum = 0.0;
    for (Py_ssize_t i = 0, n = view.shape[0]; i < n; i++) sum += data[i];
    PyBuffer_Release(&view);
    return PyFloat_FromDouble(sum);
}

#ifdef BENCH_CAPI_NUMPY
static const char array_data_name[] = "bench_capi.array_data";

/* The destructor of the capsule that owns an array's malloc'd data. */
static void free_array_data(PyObject *capsule) { free(PyCapsule_GetPointer(capsule, array_data_name)); }

/* array_return(n) -> a new float64 array of 0.0 .. n - 1 over malloc'd memory (no copy),
   freed by the capsule that is the array's base */
static PyObject *array_return(PyObject *self, PyObject *arg) {
    (void)self;
    int64_t n;
    if (as_i64(arg, &n) < 0) return NULL;
    if (n < 0) return PyErr_Format(PyExc_ValueError, "array_return() size must be >= 0, not %lld", (long long)n);
    if ((uint64_t)n > PY_SSIZE_T_MAX / sizeof(double)) return PyErr_NoMemory();
    double *data = malloc(n ? (size_t)n * sizeof(double) : 1);
    if (data == NULL) return PyErr_NoMemory();
    for (int64_t i = 0; i < n; i++) data[i] = (double)i;
    PyObject *owner = PyCapsule_New(data, array_data_name, free_array_data);
    if (owner == NULL) {
        free(data);
        return NULL;
    }
    npy_intp dims[1] = {(npy_intp)n};
    PyObject *array = PyArray_SimpleNewFromData(1, dims, NPY_FLOAT64, data);
    if (array == NULL) {
        Py_DECREF(owner);
        return NULL;
    }
    /* steals owner, also when it fails */
    if (PyArray_SetBaseObject((PyArrayObject *)array, owner) < 0) {
        Py_DECREF(array);
        return NULL;
    }
    return array;
}
#endif

/* ---- classes: Point and Vec, static types with their data inline ---- */

/* Point {double x, y}: final (no Py_TPFLAGS_BASETYPE), holds no references (no GC), so an
   instance is one PyObject_New block; x and y are PyMemberDef fields. */
typedef struct {
    PyObject_HEAD double x, y;
} PointObject;

static PyTypeObject PointType;

static PyObject *point_make(double x, double y) {
    PointObject *p = PyObject_New(PointObject, &PointType);
    if (p == NULL) return NULL;
    p->x = x;
    p->y = y;
    return (PyObject *)p;
}

/* A double from an argument: a float is read in place, anything else through __float__. */
static inline int as_double(PyObject *o, double *out) {
    if (PyFloat_CheckExact(o)) {
        *out = PyFloat_AS_DOUBLE(o);
        return 0;
    }
    *out = PyFloat_AsDouble(o);
    return (*out == -1.0 && PyErr_Occurred()) ? -1 : 0;
}

/* Point(x, y), keywords allowed: the generic path (tp_new). */
static PyObject *point_new(PyTypeObject *type, PyObject *args, PyObject *kwds) {
    (void)type;
    static char *kwlist[] = {"x", "y", NULL};
    double x, y;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "dd:Point", kwlist, &x, &y)) return NULL;
    return point_make(x, y);
}

/* Point(x, y) positionally: the type's vectorcall, with no argument tuple. */
static PyObject *point_vectorcall(PyObject *type, PyObject *const *args, size_t nargsf, PyObject *kwnames) {
    Py_ssize_t nargs = PyVectorcall_NARGS(nargsf);
    if (kwnames == NULL && nargs == 2) {
        double x, y;
        if (as_double(args[0], &x) < 0 || as_double(args[1], &y) < 0) return NULL;
        return point_make(x, y);
    }
    PyObject *tuple = PyTuple_New(nargs), *kwds = NULL, *r = NULL;
    if (tuple == NULL) return NULL;
    for (Py_ssize_t i = 0; i < nargs; i++) PyTuple_SET_ITEM(tuple, i, Py_NewRef(args[i]));
    if (kwnames != NULL) {
        if ((kwds = PyDict_New()) == NULL) goto done;
        for (Py_ssize_t j = 0; j < PyTuple_GET_SIZE(kwnames); j++)
            if (PyDict_SetItem(kwds, PyTuple_GET_ITEM(kwnames, j), args[nargs + j]) < 0) goto done;
    }
    r = point_new((PyTypeObject *)type, tuple, kwds);
done:
    Py_DECREF(tuple);
    Py_XDECREF(kwds);
    return r;
}

static PyObject *point_norm(PyObject *self, PyObject *unused) {
    (void)unused;
    PointObject *p = (PointObject *)self;
    return PyFloat_FromDouble(hypot(p->x, p->y));
}

static PyObject *point_scale(PyObject *self, PyObject *arg) {
    double k;
    if (as_double(arg, &k) < 0) return NULL;
    PointObject *p = (PointObject *)self;
    p->x *= k;
    p->y *= k;
    Py_RETURN_NONE;
}

static PyObject *point_add(PyObject *a, PyObject *b) {
    if (!Py_IS_TYPE(a, &PointType) || !Py_IS_TYPE(b, &PointType)) Py_RETURN_NOTIMPLEMENTED;
    PointObject *p = (PointObject *)a, *q = (PointObject *)b;
    return point_make(p->x + q->x, p->y + q->y);
}

/* dist(p, q): both borrowed from the caller's arguments. */
static PyObject *dist(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    (void)self;
    EXPECT_NARGS("dist", 2);
    for (int i = 0; i < 2; i++)
        if (!Py_IS_TYPE(args[i], &PointType)) return type_error("dist", "Point", args[i]);
    PointObject *p = (PointObject *)args[0], *q = (PointObject *)args[1];
    return PyFloat_FromDouble(hypot(p->x - q->x, p->y - q->y));
}

static PyMemberDef point_members[] = {
    {"x", T_DOUBLE, offsetof(PointObject, x), 0, PyDoc_STR("x coordinate")},
    {"y", T_DOUBLE, offsetof(PointObject, y), 0, PyDoc_STR("y coordinate")},
    {NULL, 0, 0, 0, NULL},
};

static PyMethodDef point_methods[] = {
    {"norm", point_norm, METH_NOARGS, PyDoc_STR("norm() -> hypot(x, y)")},
    {"scale", point_scale, METH_O, PyDoc_STR("scale(k): x and y multiplied by k")},
    {"scale_pos", point_scale, METH_O, PyDoc_STR("scale_pos(k, /): scale, k positional-only")},
    {NULL, NULL, 0, NULL},
};

static PyNumberMethods point_as_number = {.nb_add = point_add};

static PyTypeObject PointType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "bench_capi.Point",
    .tp_doc = PyDoc_STR("Point(x, y): a point of two doubles"),
    .tp_basicsize = sizeof(PointObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = point_new,
    .tp_vectorcall = point_vectorcall,
    .tp_members = point_members,
    .tp_methods = point_methods,
    .tp_as_number = &point_as_number,
};

/* Vec(n): a growable array of doubles (the C counterpart of std::vector<double>), the
   array owned by the instance. */
typedef struct {
    PyObject_HEAD Py_ssize_t size;
    double *data;
} VecObject;

static PyObject *vec_new(PyTypeObject *type, PyObject *args, PyObject *kwds) {
    static char *kwlist[] = {"n", NULL};
    Py_ssize_t n;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "n:Vec", kwlist, &n)) return NULL;
    if (n < 0) return PyErr_Format(PyExc_ValueError, "Vec() size must be >= 0, not %zd", n);
    double *data = PyMem_New(double, n ? n : 1);
    if (data == NULL) return PyErr_NoMemory();
    for (Py_ssize_t i = 0; i < n; i++) data[i] = (double)i;
    VecObject *v = PyObject_New(VecObject, type);
    if (v == NULL) {
        PyMem_Free(data);
        return NULL;
    }
    v->size = n;
    v->data = data;
    return (PyObject *)v;
}

static void vec_dealloc(PyObject *self) {
    PyMem_Free(((VecObject *)self)->data);
    PyObject_Free(self);
}

static Py_ssize_t vec_length(PyObject *self) { return ((VecObject *)self)->size; }

/* The item at i, which PySequence_GetItem has already made non-negative. */
static PyObject *vec_item(PyObject *self, Py_ssize_t i) {
    VecObject *v = (VecObject *)self;
    if ((size_t)i >= (size_t)v->size) {
        PyErr_SetString(PyExc_IndexError, "Vec index out of range");
        return NULL;
    }
    return PyFloat_FromDouble(v->data[i]);
}

/* v[i]: the mapping slot, which v[i] calls directly (the sequence slot is reached
   through PyNumber_AsSsize_t and PySequence_GetItem); an int is read in place, anything
   else goes through __index__; negative i counts from the end. */
static PyObject *vec_subscript(PyObject *self, PyObject *key) {
    Py_ssize_t i;
    if (PyLong_CheckExact(key)) {
        i = PyLong_AsSsize_t(key);
        if (i == -1 && PyErr_Occurred()) { /* beyond Py_ssize_t: out of range */
            PyErr_SetString(PyExc_IndexError, "Vec index out of range");
            return NULL;
        }
    } else {
        i = PyNumber_AsSsize_t(key, PyExc_IndexError);
        if (i == -1 && PyErr_Occurred()) return NULL;
    }
    if (i < 0) i += ((VecObject *)self)->size;
    return vec_item(self, i);
}

static PySequenceMethods vec_as_sequence = {.sq_length = vec_length, .sq_item = vec_item};
static PyMappingMethods vec_as_mapping = {.mp_length = vec_length, .mp_subscript = vec_subscript};

static PyTypeObject VecType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "bench_capi.Vec",
    .tp_doc = PyDoc_STR("Vec(n): the doubles 0.0 .. n - 1"),
    .tp_basicsize = sizeof(VecObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = vec_new,
    .tp_dealloc = vec_dealloc,
    .tp_as_sequence = &vec_as_sequence,
    .tp_as_mapping = &vec_as_mapping,
};

/* Base: a class whose method value(i) -> i Python subclasses override; virtual_override
   calls obj.value(i) by name (the C API's way to call what a subclass may override). */
static PyObject *base_value(PyObject *self, PyObject *arg) {
    (void)self;
    int64_t i;
    if (as_i64(arg, &i) < 0) return NULL;
    return PyLong_FromLongLong(i);
}

static PyMethodDef base_methods[] = {
    {"value", base_value, METH_O, PyDoc_STR("value(i) -> i")},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject BaseType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "bench_capi.Base",
    .tp_doc = PyDoc_STR("Base(): value(i) -> i, for subclasses to override"),
    .tp_basicsize = sizeof(PyObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_new = PyType_GenericNew,
    .tp_methods = base_methods,
};

/* virtual_override(obj, n) -> sum of obj.value(i) for i in range(n) */
static PyObject *virtual_override(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    (void)self;
    EXPECT_NARGS("virtual_override", 2);
    int64_t n, sum = 0;
    if (as_i64(args[1], &n) < 0) return NULL;
    for (int64_t i = 0; i < n; i++) {
        PyObject *argv[2] = {args[0], PyLong_FromLongLong(i)};
        if (argv[1] == NULL) return NULL;
        PyObject *r = PyObject_VectorcallMethod(str_value, argv, 2 | PY_VECTORCALL_ARGUMENTS_OFFSET, NULL);
        Py_DECREF(argv[1]);
        if (r == NULL) return NULL;
        long long v = PyLong_AsLongLong(r);
        Py_DECREF(r);
        if (v == -1 && PyErr_Occurred()) return NULL;
        sum += v;
    }
    return PyLong_FromLongLong(sum);
}

/* Color: an enum.Enum made through the enum module at import; its members are kept here,
   so enum_arg compares pointers (the C side's enum value is the index). */
static PyObject *color_members[3];

static PyObject *enum_arg(PyObject *self, PyObject *arg) {
    (void)self;
    for (long i = 0; i < 3; i++)
        if (arg == color_members[i]) return PyLong_FromLong(i);
    return PyErr_Format(PyExc_TypeError, "enum_arg() argument must be Color, not %.200s", Py_TYPE(arg)->tp_name);
}

static int add_color(PyObject *m) {
    static const char *names[3] = {"RED", "GREEN", "BLUE"};
    PyObject *enum_module = PyImport_ImportModule("enum");
    PyObject *base = enum_module ? PyObject_GetAttrString(enum_module, "Enum") : NULL;
    Py_XDECREF(enum_module);
    PyObject *args = base ? Py_BuildValue("(s[(si)(si)(si)])", "Color", names[0], 0, names[1], 1, names[2], 2) : NULL;
    PyObject *kwargs = args ? Py_BuildValue("{ss}", "module", "bench_capi") : NULL;
    PyObject *color = kwargs ? PyObject_Call(base, args, kwargs) : NULL;
    Py_XDECREF(kwargs);
    Py_XDECREF(args);
    Py_XDECREF(base);
    if (color == NULL) return -1;
    for (int i = 0; i < 3; i++) {
        Py_XSETREF(color_members[i], PyObject_GetAttrString(color, names[i]));
        if (color_members[i] == NULL) {
            Py_DECREF(color);
            return -1;
        }
    }
    return PyModule_AddObject(m, "Color", color) < 0 ? (Py_DECREF(color), -1) : 0;
}

/* ---- the module ---- */

#define FASTCALL(name, doc) {#name, (PyCFunction)(void (*)(void))name, METH_FASTCALL, PyDoc_STR(doc)}

static PyMethodDef methods[] = {
    FASTCALL(call_noop, "call_noop() -> None"),
    FASTCALL(call_add, "call_add(a, b) -> a + b"),
    {"call_kwargs", (PyCFunction)(void (*)(void))call_kwargs, METH_FASTCALL | METH_KEYWORDS,
     PyDoc_STR("call_kwargs(a, b=2, c=3) -> a + b + c")},
    FASTCALL(call_str_len, "call_str_len(s) -> UTF-8 length of s"),
    FASTCALL(iter_dict, "iter_dict(d) -> sum of keys and values"),
    FASTCALL(dict_get_item, "dict_get_item(d) -> sum of d[i] for i in range(len(d))"),
    FASTCALL(dict_new, "dict_new(n) -> len({i: i for i in range(n)})"),
    FASTCALL(extract_hashmap, "extract_hashmap(d) -> size of d as an int64 hash map"),
    FASTCALL(extract_btreemap, "extract_btreemap(d) -> size of d as an ordered int64 map"),
    FASTCALL(iter_list, "iter_list(l) -> sum"),
    FASTCALL(list_get_item, "list_get_item(l) -> sum of l[i]"),
    FASTCALL(list_new, "list_new(n) -> len(list(range(n)))"),
    FASTCALL(extract_vec, "extract_vec(l) -> size of l as an int64 array"),
    FASTCALL(iter_tuple, "iter_tuple(t) -> sum"),
    FASTCALL(tuple_get_item, "tuple_get_item(t) -> sum of t[i]"),
    FASTCALL(tuple_new, "tuple_new(n) -> len(tuple(range(n)))"),
    FASTCALL(iter_set, "iter_set(s) -> sum"),
    FASTCALL(extract_hashset, "extract_hashset(s) -> size of s as an int64 hash set"),
    FASTCALL(set_new, "set_new(n) -> len(set(range(n)))"),
    FASTCALL(extract_str, "extract_str(l) -> sum of UTF-8 lengths"),
    FASTCALL(extract_float, "extract_float(l) -> sum"),
    FASTCALL(call_0, "call_0(f, n): f() n times"),
    FASTCALL(call_1, "call_1(f, x, n): f(x) n times"),
    FASTCALL(call_with_kwargs, "call_with_kwargs(f, n): f(1, b=2, c=3) n times"),
    FASTCALL(callback_call, "callback_call(f, n) -> sum of f(i) for i in range(n)"),
    FASTCALL(call_method_0, "call_method_0(obj, n): obj.method() n times"),
    FASTCALL(getattr_interned, "getattr_interned(obj, n) -> sum of obj.value, n times"),
    FASTCALL(drop_many_objects, "drop_many_objects(n): creates and drops n ints"),
    FASTCALL(drop_detached, "drop_detached(n): drops n ints while detached, then drains"),
    FASTCALL(err_roundtrip, "err_roundtrip(f, n) -> ValueErrors of n calls of f(), handled"),
    {"array_call", array_call, METH_O, PyDoc_STR("array_call(a) -> the size of a float64 array")},
    {"array_sum", array_sum, METH_O, PyDoc_STR("array_sum(a) -> the sum of a float64 array")},
#ifdef BENCH_CAPI_NUMPY
    {"array_return", array_return, METH_O, PyDoc_STR("array_return(n) -> a new float64 array of 0.0 .. n - 1")},
#endif
    FASTCALL(dist, "dist(p, q) -> the distance between two Points"),
    {"enum_arg", enum_arg, METH_O, PyDoc_STR("enum_arg(c) -> the value of a Color member")},
    FASTCALL(virtual_override, "virtual_override(obj, n) -> sum of obj.value(i) for i in range(n)"),
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, .m_name = "bench_capi", .m_doc = "The benchmark's hand-written C API peer.",
    .m_size = -1,          .m_methods = methods,
};

static int intern_names(void) {
    for (int i = 0; i < 3; i++)
        if ((kw_names[i] = PyUnicode_InternFromString(kw_spelling[i])) == NULL) return -1;
    if ((str_method = PyUnicode_InternFromString("method")) == NULL ||
        (str_value = PyUnicode_InternFromString("value")) == NULL ||
        (kwnames_bc = PyTuple_Pack(2, kw_names[1], kw_names[2])) == NULL)
        return -1;
    return 0;
}

PyMODINIT_FUNC PyInit_bench_capi(void) {
    if (kwnames_bc == NULL && intern_names() < 0) { /* once per process */
        for (int i = 0; i < 3; i++) Py_CLEAR(kw_names[i]);
        Py_CLEAR(str_method);
        Py_CLEAR(str_value);
        return NULL;
    }
#ifdef BENCH_CAPI_NUMPY
    import_array(); /* NumPy's C API table; returns NULL with ImportError on failure */
#endif
    if (PyType_Ready(&PointType) < 0 || PyType_Ready(&VecType) < 0 || PyType_Ready(&BaseType) < 0) return NULL;
    PyObject *m = PyModule_Create(&module);
    if (m == NULL) return NULL;
    if (PyModule_AddType(m, &PointType) < 0 || PyModule_AddType(m, &VecType) < 0 ||
        PyModule_AddType(m, &BaseType) < 0 || add_color(m) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
