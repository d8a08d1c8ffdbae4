// pyowned.ndarray: the Python object that owns array memory pyowned hands to Python (an
// array returned from C++, a copy made for a parameter, a tensor imported through DLPack).
// It exports a buffer and __dlpack__, and it is the base object of the NumPy arrays and
// memoryviews made from it, so the memory is freed when the last of them goes.
#pragma once
#include "../bind/record.h"
#include "../types/buffer.h"
#include "dlpack.h"
#include "dtype.h"
#include <cstddef>
#include <new>
#include <type_traits>
#include <utility>

namespace pyowned::detail {

// --- filling a Py_buffer from an array's description (also def_buffer's exports) ----------
struct ArrayLayout {
    void* data;
    Py_ssize_t itemsize;
    const char* format;
    int ndim;
    Py_ssize_t* shape;
    Py_ssize_t* strides;  // in bytes
    bool readonly;
};

// Whether the layout is C- (or Fortran-) contiguous; dimensions of extent 1 have any stride,
// and an empty array is both.
inline bool layout_contiguous(const Py_ssize_t* shape, const Py_ssize_t* strides, int ndim, Py_ssize_t itemsize,
                              bool fortran) noexcept {
    for (int k = 0; k < ndim; ++k)
        if (shape[k] == 0) return true;
    Py_ssize_t expected = itemsize;
    for (int i = 0; i < ndim; ++i) {
        const int k = fortran ? i : ndim - 1 - i;
        if (shape[k] != 1 && strides[k] != expected) return false;
        expected *= shape[k];
    }
    return true;
}

// Fills `view` for `exporter` (kept alive by the view) as a consumer's flags ask: BufferError
// for a writable request of a read-only layout or a contiguity the layout lacks; no shape
// or strides when the request has no PyBUF_ND or PyBUF_STRIDES (then it must be C-contiguous).
inline int fill_buffer(Py_buffer* view, PyObject* exporter, const ArrayLayout& a, int flags) noexcept {
    view->obj = nullptr;
    if ((flags & PyBUF_WRITABLE) && a.readonly) {
        PyErr_Format(PyExc_BufferError, "%s's buffer is read-only", detail::api::type_name_of(exporter).c_str());
        return -1;
    }
    // the layouts are checked only for requests that need one (most ask for strides)
    auto c = [&] { return layout_contiguous(a.shape, a.strides, a.ndim, a.itemsize, false); };
    auto f = [&] { return layout_contiguous(a.shape, a.strides, a.ndim, a.itemsize, true); };
    const char* missing = nullptr;
    if ((flags & PyBUF_ANY_CONTIGUOUS) == PyBUF_ANY_CONTIGUOUS) {
        if (!c() && !f()) missing = "contiguous";
    } else if ((flags & PyBUF_C_CONTIGUOUS) == PyBUF_C_CONTIGUOUS) {
        if (!c()) missing = "C-contiguous";
    } else if ((flags & PyBUF_F_CONTIGUOUS) == PyBUF_F_CONTIGUOUS) {
        if (!f()) missing = "Fortran-contiguous";
    } else if ((flags & PyBUF_STRIDES) != PyBUF_STRIDES && !c()) {
        missing = "C-contiguous (the request has no strides)";
    }
    if (missing) {
        PyErr_Format(PyExc_BufferError, "%s's buffer is not %s", detail::api::type_name_of(exporter).c_str(), missing);
        return -1;
    }
    Py_ssize_t len = a.itemsize;
    for (int k = 0; k < a.ndim; ++k) len *= a.shape[k];
    view->buf = a.data;
    view->obj = Py_NewRef(exporter);
    view->len = len;
    view->itemsize = a.itemsize;
    view->readonly = a.readonly ? 1 : 0;
    view->ndim = a.ndim;
    view->format = (flags & PyBUF_FORMAT) ? const_cast<char*>(a.format) : nullptr;
    view->shape = (flags & PyBUF_ND) == PyBUF_ND ? a.shape : nullptr;
    view->strides = (flags & PyBUF_STRIDES) == PyBUF_STRIDES ? a.strides : nullptr;
    view->suboffsets = nullptr;
    view->internal = nullptr;
    return 0;
}

// --- the array object --------------------------------------------------------------------
inline constexpr int array_inline_dims = 4;
inline constexpr std::size_t array_owner_size = 32;

struct ArrayObject {
    PyObject_HEAD char* data;
    Py_ssize_t* shape;    // dims, or a PyMem block for more than array_inline_dims dimensions
    Py_ssize_t* strides;  // in bytes, after shape
    int ndim;
    Dtype dtype;
    bool readonly;
    // Ends the owner's life (attached: the dealloc); null while there is none.
    void (*end_owner)(void* owner) noexcept;
    Py_ssize_t dims[2 * array_inline_dims];
    alignas(std::max_align_t) unsigned char owner[array_owner_size];  // the owner, or a pointer to it
};

inline ArrayObject* as_array_object(PyObject* o) noexcept { return reinterpret_cast<ArrayObject*>(o); }

inline ArrayLayout layout_of(ArrayObject* a) noexcept {
    return {a->data, a->dtype.size, format_of(a->dtype), a->ndim, a->shape, a->strides, a->readonly};
}

// A view of all of `a` (shape, strides and format: what PyBUF_RECORDS_RO gets), holding
// `reference` (a new reference to `a`), filled without a request's checks.
inline Py_buffer whole_view(ArrayObject* a, PyObject* reference) noexcept {
    Py_buffer v;
    Py_ssize_t len = a->dtype.size;
    for (int k = 0; k < a->ndim; ++k) len *= a->shape[k];
    v.buf = a->data;
    v.obj = reference;
    v.len = len;
    v.itemsize = a->dtype.size;
    v.readonly = a->readonly ? 1 : 0;
    v.ndim = a->ndim;
    v.format = const_cast<char*>(format_of(a->dtype));
    v.shape = a->shape;
    v.strides = a->strides;
    v.suboffsets = nullptr;
    v.internal = nullptr;
    return v;
}

inline void array_dealloc(PyObject* self) {
    ArrayObject* a = as_array_object(self);
    PyTypeObject* type = Py_TYPE(self);
    if (a->end_owner) {
        // an owner's end may run Python code (a DLPack producer's deleter, a handle's last
        // decref): not with an exception of the caller's set (a failed conversion's)
        PyObject* pending = PyErr_Occurred() ? compat::get_raised_exception() : nullptr;
        a->end_owner(a->owner);
        if (pending) {
            if (PyErr_Occurred()) PyErr_WriteUnraisable(self);
            compat::set_raised_exception(pending);
        }
    }
    if (a->shape != a->dims) PyMem_Free(a->shape);
    api::type_free(type, self);
    Py_DECREF(type);  // instances of a heap type own a reference to it
}

inline int array_getbuffer(PyObject* self, Py_buffer* view, int flags) {
    return fill_buffer(view, self, layout_of(as_array_object(self)), flags);
}

PyObject* array_dlpack(PyObject* self, PyObject* const* args, Py_ssize_t nargs, PyObject* kwnames) noexcept;
PyObject* array_dlpack_device(PyObject* self, PyObject*) noexcept;

inline PyTypeObject* array_type() noexcept {
    static PyMethodDef methods[] = {
        {"__dlpack__", reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(&array_dlpack)),
         METH_FASTCALL | METH_KEYWORDS,
         "__dlpack__(*, stream=None, max_version=None, dl_device=None, copy=None)\n--\n\n"
         "A DLPack capsule of the array (versioned when max_version >= (1, 0))."},
        {"__dlpack_device__", &array_dlpack_device, METH_NOARGS, "(1, 0): the array is in CPU memory."},
        {nullptr, nullptr, 0, nullptr},
    };
    static PyType_Slot slots[] = {
        {Py_tp_dealloc, reinterpret_cast<void*>(&array_dealloc)},
        {Py_tp_methods, methods},
        {Py_tp_doc, const_cast<char*>("An array in memory owned by C++ (pyowned): exports a buffer and DLPack.")},
        {Py_bf_getbuffer, reinterpret_cast<void*>(&array_getbuffer)},
        {0, nullptr},
    };
    static PyType_Spec spec = {"pyowned.ndarray", static_cast<int>(sizeof(ArrayObject)), 0, Py_TPFLAGS_DEFAULT, slots};
    static RunCache cache;
    return reinterpret_cast<PyTypeObject*>(
        cache.get([] { return shared_object_type("pyowned.ndarray", spec, nullptr); }));
}

// Whether `o` is an array object of this shared object (another build's is a foreign exporter).
PYOWNED_INLINE bool is_array_object(PyObject* o) noexcept { return api::type_dealloc(Py_TYPE(o)) == &array_dealloc; }

// A new array object describing `data` (no owner yet: set_owner gives it one), or nullptr
// with an error set. `strides` in bytes; null: C-contiguous.
inline ArrayObject* new_array_object(Dtype dtype, void* data, int ndim, const Py_ssize_t* shape,
                                     const Py_ssize_t* strides, bool readonly) noexcept {
    PyTypeObject* type = array_type();
    if (!type) return nullptr;
    if (ndim < 0 || ndim > 64) {
        PyErr_Format(PyExc_ValueError, "an array has 0 to 64 dimensions, not %d", ndim);
        return nullptr;
    }
    Py_ssize_t* dims = nullptr;
    if (ndim > array_inline_dims) {
        dims = static_cast<Py_ssize_t*>(PyMem_Malloc(2 * static_cast<std::size_t>(ndim) * sizeof(Py_ssize_t)));
        if (!dims) return PyErr_NoMemory(), nullptr;
    }
    auto* a = PyObject_New(ArrayObject, type);
    if (!a) {
        PyMem_Free(dims);
        return nullptr;
    }
    a->end_owner = nullptr;
    a->data = static_cast<char*>(data);
    a->shape = dims ? dims : a->dims;
    a->strides = a->shape + ndim;
    a->ndim = ndim;
    a->dtype = dtype;
    a->readonly = readonly;
    // extents are not negative and the bytes they span fit (a DLPack producer's are unchecked)
    Py_ssize_t step = dtype.size, bytes = dtype.size;
    bool fits = true;
    for (int k = ndim - 1; k >= 0; --k) {
        fits &= shape[k] >= 0 && !__builtin_mul_overflow(bytes, shape[k] ? shape[k] : 1, &bytes);
        a->shape[k] = shape[k];
        a->strides[k] = strides ? strides[k] : step;
        if (fits) step *= shape[k] ? shape[k] : 1;
    }
    if (!fits) {
        a->end_owner = nullptr;
        Py_DECREF(a);
        PyErr_SetString(PyExc_ValueError, "an array's extents must be non-negative and its size must fit in memory");
        return nullptr;
    }
    return a;
}

// Moves `owner` into the array object: it lives until the object is deallocated. An object
// that fits is stored inline, a larger one on the heap. Python handles are dropped attached
// (the dealloc), C++ owners destroyed there.
template <class O>
void set_owner(ArrayObject* a, O&& owner) {
    using T = std::remove_cvref_t<O>;
    if constexpr (sizeof(T) <= array_owner_size && alignof(T) <= alignof(std::max_align_t) &&
                  std::is_nothrow_move_constructible_v<T>) {
        new (a->owner) T(std::forward<O>(owner));
        a->end_owner = [](void* p) noexcept { static_cast<T*>(p)->~T(); };
    } else {
        T* heap = new T(std::forward<O>(owner));
        *reinterpret_cast<T**>(a->owner) = heap;
        a->end_owner = [](void* p) noexcept { delete *static_cast<T**>(p); };
    }
}

// --- DLPack export: the capsules __dlpack__ returns ---------------------------------------
// One allocation per export: both managed-tensor forms (the capsule points at one), the
// array object it keeps alive (a strong reference), and shape and strides in elements.
struct DLPackExport {
    dl::ManagedTensorVersioned versioned;
    dl::ManagedTensor legacy;
    PyObject* array;
    std::uint64_t run;
    std::int64_t dims[1];  // 2 * ndim of them (the allocation is sized for that)
};

// The deleter a consumer calls (attached or not, from any thread).
inline void end_dlpack_export(void* ctx) noexcept {
    auto* e = static_cast<DLPackExport*>(ctx);
    release_anywhere(e->array, e->run);
    ::operator delete(e);
}

inline void dlpack_capsule_destructor(PyObject* capsule) noexcept {
    // Not consumed (the consumer renames a capsule it takes): the producer's deleter runs.
    if (PyCapsule_IsValid(capsule, dl::versioned_name)) {
        auto* m = static_cast<dl::ManagedTensorVersioned*>(PyCapsule_GetPointer(capsule, dl::versioned_name));
        if (m && m->deleter) m->deleter(m);
    } else if (PyCapsule_IsValid(capsule, dl::legacy_name)) {
        auto* m = static_cast<dl::ManagedTensor*>(PyCapsule_GetPointer(capsule, dl::legacy_name));
        if (m && m->deleter) m->deleter(m);
    }
}

inline dl::DataType dlpack_dtype(Dtype d) noexcept {
    std::uint8_t code = d.kind == DtypeKind::boolean        ? dl::bool_
                        : d.kind == DtypeKind::signed_int   ? dl::int_
                        : d.kind == DtypeKind::unsigned_int ? dl::uint
                        : d.kind == DtypeKind::floating     ? dl::float_
                                                            : dl::complex;
    return {code, static_cast<std::uint8_t>(d.size * 8), 1};
}

// __dlpack__(*, stream=None, max_version=None, dl_device=None, copy=None)
inline PyObject* array_dlpack(PyObject* self, PyObject* const* args, Py_ssize_t nargs, PyObject* kwnames) noexcept {
    ArrayObject* a = as_array_object(self);
    if (nargs != 0) {
        PyErr_SetString(PyExc_TypeError, "__dlpack__() takes only keyword arguments");
        return nullptr;
    }
    bool versioned = false;
    const Py_ssize_t nkw = kwnames ? detail::api::tuple_size(kwnames) : 0;
    for (Py_ssize_t i = 0; i < nkw; ++i) {
        PyObject* key = detail::api::tuple_item(kwnames, i);
        PyObject* value = args[i];
        if (PyUnicode_CompareWithASCIIString(key, "max_version") == 0) {
            if (value == Py_None) continue;
            if (!PyTuple_Check(value) || detail::api::tuple_size(value) != 2) {
                PyErr_SetString(PyExc_TypeError, "__dlpack__(): max_version must be a (major, minor) tuple");
                return nullptr;
            }
            long major = PyLong_AsLong(detail::api::tuple_item(value, 0));
            if (major == -1 && PyErr_Occurred()) return nullptr;
            versioned = major >= 1;
        } else if (PyUnicode_CompareWithASCIIString(key, "dl_device") == 0) {
            if (value == Py_None) continue;
            int type = 0, id = 0;
            if (!PyTuple_Check(value) || !PyArg_ParseTuple(value, "ii", &type, &id)) {
                if (!PyErr_Occurred()) PyErr_SetString(PyExc_TypeError, "__dlpack__(): dl_device must be a tuple");
                return nullptr;
            }
            if (type != dl::cpu) {
                PyErr_SetString(PyExc_BufferError, "__dlpack__(): the array is in CPU memory, (1, 0)");
                return nullptr;
            }
        } else if (PyUnicode_CompareWithASCIIString(key, "copy") == 0) {
            if (value == Py_True) {
                PyErr_SetString(PyExc_BufferError, "__dlpack__(): pyowned arrays are exported without a copy");
                return nullptr;
            }
        } else if (PyUnicode_CompareWithASCIIString(key, "stream") != 0) {
            PyErr_Format(PyExc_TypeError, "__dlpack__() got an unexpected keyword argument '%U'", key);
            return nullptr;
        }
    }
    if (a->readonly && !versioned) {
        PyErr_SetString(PyExc_BufferError,
                        "a read-only array is exported only as a versioned DLPack capsule (max_version=(1, 0))");
        return nullptr;
    }
    const std::size_t bytes =
        offsetof(DLPackExport, dims) + sizeof(std::int64_t) * (2 * static_cast<std::size_t>(a->ndim) + 1);
    auto* e = static_cast<DLPackExport*>(::operator new(bytes, std::nothrow));
    if (!e) return PyErr_NoMemory();
    std::int64_t* shape = e->dims;
    std::int64_t* strides = e->dims + a->ndim;
    for (int k = 0; k < a->ndim; ++k) {
        shape[k] = a->shape[k];
        strides[k] = a->strides[k] / a->dtype.size;  // whole elements: pyowned arrays are element-aligned
    }
    dl::Tensor t{a->data, {dl::cpu, 0}, a->ndim, dlpack_dtype(a->dtype), shape, strides, 0};
    e->array = Py_NewRef(self);
    e->run = current_run();
    e->versioned = {{1, 0},
                    e,
                    [](dl::ManagedTensorVersioned* m) { end_dlpack_export(m->manager_ctx); },
                    a->readonly ? dl::flag_read_only : 0,
                    t};
    e->legacy = {t, e, [](dl::ManagedTensor* m) { end_dlpack_export(m->manager_ctx); }};
    PyObject* capsule = versioned ? PyCapsule_New(&e->versioned, dl::versioned_name, &dlpack_capsule_destructor)
                                  : PyCapsule_New(&e->legacy, dl::legacy_name, &dlpack_capsule_destructor);
    if (!capsule) end_dlpack_export(e);
    return capsule;
}

inline PyObject* array_dlpack_device(PyObject*, PyObject*) noexcept { return Py_BuildValue("(ii)", int{dl::cpu}, 0); }

}  // namespace pyowned::detail
