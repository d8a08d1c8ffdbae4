// Loading an array parameter: any object exporting a buffer or __dlpack__, checked against
// what the parameter declares (dtype, dimensions, shape, order, alignment, writability), and
// copied into a conforming array only when conversion is allowed. Not a template: one copy
// of this code serves every NDArray<T, ...> of a module.
#pragma once
#include "array_object.h"
#include <string>

namespace pyowned::detail {

// What an NDArray parameter accepts (from its template arguments).
struct ArrayRequest {
    Dtype dtype;
    char format;  // the struct-module character exporters usually give T ('d', 'l', ...)
    std::size_t align;
    int ndim;                 // -1: any
    const Py_ssize_t* shape;  // ndim extents, -1 for any; null: any
    char order;               // 'C', 'F' or 0 (any)
    bool writable;
    // Copies the elements of `src` (of dtype `from`) into `dst`, laid out with `dst_strides`.
    void (*copy)(const Py_buffer& src, Dtype from, char* dst, const Py_ssize_t* dst_strides) noexcept;
};

// --- DLPack import ----------------------------------------------------------------------
// The owner of an imported tensor: calls the producer's deleter (at the array object's dealloc).
struct ImportedTensor {
    void* managed;
    bool versioned;
    ImportedTensor(void* m, bool v) noexcept : managed(m), versioned(v) {}
    ImportedTensor(ImportedTensor&& o) noexcept : managed(std::exchange(o.managed, nullptr)), versioned(o.versioned) {}
    ~ImportedTensor() {
        if (!managed) return;
        if (versioned) {
            auto* m = static_cast<dl::ManagedTensorVersioned*>(managed);
            if (m->deleter) m->deleter(m);
        } else {
            auto* m = static_cast<dl::ManagedTensor*>(managed);
            if (m->deleter) m->deleter(m);
        }
    }
};

inline Dtype dtype_of_dlpack(dl::DataType t) noexcept {
    if (t.lanes != 1 || t.bits % 8 != 0 || t.bits == 0 || t.bits > 128) return {};
    auto size = static_cast<std::uint8_t>(t.bits / 8);
    switch (t.code) {
        case dl::bool_:
            return {DtypeKind::boolean, size};
        case dl::int_:
            return {DtypeKind::signed_int, size};
        case dl::uint:
            return {DtypeKind::unsigned_int, size};
        case dl::float_:
            return {DtypeKind::floating, size};
        case dl::complex:
            return {DtypeKind::complex, size};
        default:
            return {};
    }
}

// An interned name, made once per run (borrowed).
inline PyObject* dlpack_name(int which) noexcept {
    static RunCache names[3];
    static const char* const text[3] = {"__dlpack__", "__dlpack_device__", "max_version"};
    return names[which].get([which] { return PyUnicode_InternFromString(text[which]); });
}

// The capsule o.__dlpack__ gives: versioned when the producer takes max_version, else legacy.
inline PyObject* call_dlpack(PyObject* method) noexcept {
    PyObject* version = Py_BuildValue("(ii)", 1, 0);
    PyObject* kwname = dlpack_name(2);
    if (!version || !kwname) return Py_XDECREF(version), nullptr;
    PyObject* kwnames = PyTuple_Pack(1, kwname);
    if (!kwnames) return Py_DECREF(version), nullptr;
    PyObject* args[2] = {nullptr, version};
    PyObject* capsule = PyObject_Vectorcall(method, args + 1, 0 | PY_VECTORCALL_ARGUMENTS_OFFSET, kwnames);
    Py_DECREF(kwnames);
    Py_DECREF(version);
    if (!capsule && PyErr_ExceptionMatches(PyExc_TypeError)) {  // a producer before DLPack 1.0
        PyErr_Clear();
        capsule = PyObject_CallNoArgs(method);
    }
    return capsule;
}

// The tensor `o` exports through __dlpack__, as an array object owning it (the capsule
// consumed); nullptr with nothing set when `o` has no __dlpack__, with an error set when it
// has one that failed or gave a tensor pyowned cannot read (not in CPU memory).
PYOWNED_NOINLINE inline PyObject* import_dlpack(PyObject* o) noexcept {
    PyObject* name = dlpack_name(0);
    if (!name) return nullptr;
    PyObject* method = nullptr;
    if (compat::get_optional_attr(o, name, &method) <= 0) return nullptr;
    if (PyObject* device_name = dlpack_name(1)) {  // when it says, the device is checked first
        PyObject* device = nullptr;
        if (compat::get_optional_attr(o, device_name, &device) < 0) return Py_DECREF(method), nullptr;
        if (device) {
            PyObject* where = PyObject_CallNoArgs(device);
            Py_DECREF(device);
            int type = 0, id = 0;
            bool ok = where && PyTuple_Check(where) && PyArg_ParseTuple(where, "ii", &type, &id);
            Py_XDECREF(where);
            if (!ok) {
                if (!PyErr_Occurred()) PyErr_SetString(PyExc_TypeError, "__dlpack_device__() must return (type, id)");
                return Py_DECREF(method), nullptr;
            }
            if (type != dl::cpu) {
                Py_DECREF(method);
                PyErr_Format(PyExc_TypeError, "expected an array in CPU memory, not on DLPack device (%d, %d)", type,
                             id);
                return nullptr;
            }
        }
    } else {
        return Py_DECREF(method), nullptr;
    }
    PyObject* capsule = call_dlpack(method);
    Py_DECREF(method);
    if (!capsule) return nullptr;
    const bool versioned = PyCapsule_IsValid(capsule, dl::versioned_name);
    if (!versioned && !PyCapsule_IsValid(capsule, dl::legacy_name)) {
        Py_DECREF(capsule);
        PyErr_SetString(PyExc_TypeError, "__dlpack__() returned no unused DLPack capsule");
        return nullptr;
    }
    void* managed = PyCapsule_GetPointer(capsule, versioned ? dl::versioned_name : dl::legacy_name);
    if (!managed) return Py_DECREF(capsule), nullptr;
    const dl::Tensor* t;
    // A legacy capsule cannot say whether the memory may be written: read-only, so only a
    // versioned capsule without the read-only flag reaches a writable NDArray<T>.
    bool readonly = true;
    if (versioned) {
        auto* m = static_cast<dl::ManagedTensorVersioned*>(managed);
        if (m->version.major != 1) {
            Py_DECREF(capsule);
            PyErr_Format(PyExc_BufferError, "DLPack version %u.%u is not supported (1.x is)", m->version.major,
                         m->version.minor);
            return nullptr;
        }
        t = &m->dl_tensor;
        readonly = (m->flags & dl::flag_read_only) != 0;
    } else {
        t = &static_cast<dl::ManagedTensor*>(managed)->dl_tensor;
    }
    const Dtype dtype = dtype_of_dlpack(t->dtype);
    const char* problem = t->device.device_type != dl::cpu ? "is not in CPU memory"
                          : !dtype_supported(dtype)        ? "has an unsupported dtype"
                          : t->ndim < 0 || t->ndim > 64    ? "has an invalid number of dimensions"
                          : t->ndim > 0 && !t->shape       ? "has no shape"
                                                           : nullptr;
    if (problem) {
        Py_DECREF(capsule);
        PyErr_Format(PyExc_TypeError, "the DLPack tensor %s", problem);
        return nullptr;
    }
    Py_ssize_t shape[64], strides[64];
    for (int k = 0; k < t->ndim; ++k) {
        shape[k] = static_cast<Py_ssize_t>(t->shape[k]);
        if (t->strides &&
            __builtin_mul_overflow(static_cast<Py_ssize_t>(t->strides[k]), Py_ssize_t{dtype.size}, &strides[k])) {
            Py_DECREF(capsule);
            PyErr_SetString(PyExc_OverflowError, "the DLPack tensor's strides overflow");
            return nullptr;
        }
    }
    ArrayObject* a = new_array_object(dtype, static_cast<char*>(t->data) + t->byte_offset, t->ndim, shape,
                                      t->strides ? strides : nullptr, readonly);
    if (!a) return Py_DECREF(capsule), nullptr;
    // consumed: the capsule's destructor no longer calls the deleter, the array object does
    if (PyCapsule_SetName(capsule, versioned ? dl::used_versioned_name : dl::used_legacy_name) < 0) {
        Py_DECREF(a);  // (no owner yet: the capsule still owns the tensor)
        Py_DECREF(capsule);
        return nullptr;
    }
    set_owner(a, ImportedTensor(managed, versioned));
    Py_DECREF(capsule);
    return reinterpret_cast<PyObject*>(a);
}

// --- checks and copies ----------------------------------------------------------------------
// Owns a PyMem block (a copy's elements), freed by the array object's dealloc.
struct MemBlock {
    void* p;
    explicit MemBlock(void* q) noexcept : p(q) {}
    MemBlock(MemBlock&& o) noexcept : p(std::exchange(o.p, nullptr)) {}
    ~MemBlock() { PyMem_Free(p); }
};

// "(*, 3)" / "(4, 2)"
inline std::string shape_text(const Py_ssize_t* shape, int ndim) {
    std::string s = "(";
    for (int k = 0; k < ndim; ++k) {
        if (k) s += ", ";
        s += shape[k] < 0 ? std::string("*") : std::to_string(shape[k]);
    }
    return s + (ndim == 1 ? ",)" : ")");
}

// A copy of `src` as the request's dtype, C- or Fortran-contiguous, aligned: a view of a new
// array object, or false with an error set.
PYOWNED_NOINLINE inline bool copy_array(const Py_buffer& src, Dtype from, const ArrayRequest& req,
                                        HeldBuffer& out) noexcept {
    const int nd = src.ndim;
    Py_ssize_t shape[64], strides[64];
    for (int k = 0; k < nd; ++k) shape[k] = src.shape ? src.shape[k] : src.len / (src.itemsize ? src.itemsize : 1);
    Py_ssize_t count = 1;
    bool empty = false;
    for (int k = 0; k < nd; ++k) empty |= shape[k] == 0;
    for (int k = 0; k < nd && !empty; ++k) {
        if (__builtin_mul_overflow(count, shape[k], &count)) return PyErr_NoMemory(), false;
    }
    Py_ssize_t bytes;
    if (empty) count = 0;
    if (__builtin_mul_overflow(count, static_cast<Py_ssize_t>(req.dtype.size), &bytes)) return PyErr_NoMemory(), false;
    Py_ssize_t step = req.dtype.size;
    for (int i = 0; i < nd; ++i) {
        const int k = req.order == 'F' ? i : nd - 1 - i;
        strides[k] = step;
        step *= shape[k] ? shape[k] : 1;
    }
    void* memory = PyMem_Malloc(bytes ? static_cast<std::size_t>(bytes) : 1);
    if (!memory) return PyErr_NoMemory(), false;
    ArrayObject* a = new_array_object(req.dtype, memory, nd, shape, strides, false);
    if (!a) return PyMem_Free(memory), false;
    set_owner(a, MemBlock(memory));
    if (count) req.copy(src, from, static_cast<char*>(memory), strides);
    Py_buffer view;
    int status = fill_buffer(&view, reinterpret_cast<PyObject*>(a), layout_of(a), PyBUF_RECORDS);
    Py_DECREF(a);  // the view holds it
    if (status < 0) return false;
    out.adopt(view);
    return true;
}

// Copies element by element, any strides to the destination's (T: the destination dtype).
template <class T>
void copy_elements(const Py_buffer& src, Dtype from, char* dst, const Py_ssize_t* dst_strides) noexcept {
    const int nd = src.ndim;
    Py_ssize_t shape[64], src_strides[64], index[64] = {};
    Py_ssize_t step = src.itemsize;
    for (int k = nd - 1; k >= 0; --k) {
        shape[k] = src.shape ? src.shape[k] : src.len / src.itemsize;
        src_strides[k] = src.strides ? src.strides[k] : step;
        step *= shape[k];
    }
    const char* s = static_cast<const char*>(src.buf);
    char* d = dst;
    for (;;) {
        T value = load_element<T>(s, from);
        std::memcpy(d, &value, sizeof(T));
        int k = nd - 1;
        for (; k >= 0; --k) {
            if (++index[k] < shape[k]) {
                s += src_strides[k];
                d += dst_strides[k];
                break;
            }
            s -= src_strides[k] * (shape[k] - 1);
            d -= dst_strides[k] * (shape[k] - 1);
            index[k] = 0;
        }
        if (k < 0) return;
    }
}

PYOWNED_COLD inline bool array_mismatch(const char* what) noexcept {
    PyErr_SetString(PyExc_TypeError, what);
    return false;
}

// What keeps a buffer from being the parameter's array as it is.
enum class ArrayProblem : std::uint8_t {
    none,
    ndim,
    shape,
    readonly,
    dtype,
    dtype_unsafe,
    no_layout,
    misaligned,
    order
};

// The checks, in the order their messages are wanted. With the request a constant (an
// NDArray parameter's), the number of dimensions and the item size are constants below.
PYOWNED_INLINE ArrayProblem check_array(const Py_buffer& v, const ArrayRequest& req) noexcept {
    if (req.ndim >= 0 && v.ndim != req.ndim) return ArrayProblem::ndim;
    const int nd = req.ndim >= 0 ? req.ndim : v.ndim;
    if (nd < 0 || nd > 64 || (nd > 0 && (!v.shape || !v.strides))) return ArrayProblem::no_layout;
    if (req.shape && v.shape) {
        for (int k = 0; k < nd; ++k)
            if (req.shape[k] >= 0 && v.shape[k] != req.shape[k]) return ArrayProblem::shape;
    }
    if (req.writable && v.readonly) return ArrayProblem::readonly;
    const char* f = v.format;
    const char spelled[2] = {req.format, 0};
    if (!(f && std::memcmp(f, spelled, 2) == 0 && v.itemsize == req.dtype.size)) {  // not the common spelling
        const Dtype from = dtype_of_format(f, v.itemsize);
        if (from != req.dtype)
            return dtype_supported(from) && safe_cast(from, req.dtype) ? ArrayProblem::dtype
                                                                       : ArrayProblem::dtype_unsafe;
    }
    // the item size is the request's from here on
    const Py_ssize_t item = req.dtype.size;
    bool aligned = reinterpret_cast<std::uintptr_t>(v.buf) % req.align == 0;
    for (int k = 0; k < nd; ++k) aligned &= v.strides[k] % item == 0;
    if (!aligned) return ArrayProblem::misaligned;
    if (req.order && !layout_contiguous(v.shape, v.strides, nd, item, req.order == 'F')) return ArrayProblem::order;
    return ArrayProblem::none;
}

// A buffer with a problem: copied when that fixes it and conversion is allowed (not for a
// writable parameter, whose writes a copy would not show), else TypeError naming what was
// expected. False with the error set.
PYOWNED_COLD inline bool fix_array(HeldBuffer& out, const ArrayRequest& req, bool convert,
                                   ArrayProblem problem) noexcept {
    const Py_buffer& v = out.view();
    const Dtype from = dtype_of_format(v.format, v.itemsize);
    try {
        std::string text;
        switch (problem) {
            case ArrayProblem::ndim:
                text = "expected a " + std::to_string(req.ndim) + "-dimensional array, not " + std::to_string(v.ndim) +
                       "-dimensional";
                return array_mismatch(text.c_str());
            case ArrayProblem::shape:
                text = "expected an array of shape " + shape_text(req.shape, req.ndim) + ", not " +
                       shape_text(v.shape, v.ndim);
                return array_mismatch(text.c_str());
            case ArrayProblem::readonly:
                return array_mismatch("expected a writable array, not a read-only one");
            case ArrayProblem::dtype:
            case ArrayProblem::dtype_unsafe:
                text = "expected a " + std::string(dtype_name(req.dtype)) + " array, not " +
                       (from.kind != DtypeKind::none && !from.swapped
                            ? std::string(dtype_name(from))
                            : "one of format '" + std::string(v.format ? v.format : "B") + "'");
                if (problem == ArrayProblem::dtype_unsafe) return array_mismatch(text.c_str());
                break;
            case ArrayProblem::no_layout:  // (an exporter that ignored PyBUF_STRIDES, or a broken one)
                return array_mismatch("expected an array with 0 to 64 dimensions, a shape and strides");
            case ArrayProblem::misaligned:
                text = "expected an array aligned to " + std::to_string(req.align) +
                       " bytes with strides of whole elements";
                break;
            default:
                text = req.order == 'F' ? "expected a Fortran-contiguous array" : "expected a C-contiguous array";
                break;
        }
        if (!convert) return array_mismatch(text.c_str());
        if (req.writable) {
            text += " (a copy would not see the function's writes, so none is made)";
            return array_mismatch(text.c_str());
        }
        HeldBuffer copy;
        if (!copy_array(v, dtype_supported(from) ? from : req.dtype, req, copy)) return false;
        out = std::move(copy);
        return true;
    } catch (...) {  // std::bad_alloc from a message
        PyErr_NoMemory();
        return false;
    }
}

// Checks the buffer in `out` against `req`; a copy replaces it when one is needed and
// allowed. False with an error naming what does not match.
PYOWNED_INLINE bool conform_array(HeldBuffer& out, const ArrayRequest& req, bool convert) noexcept {
    const ArrayProblem problem = check_array(out.view(), req);
    if (PYOWNED_LIKELY(problem == ArrayProblem::none)) return true;
    return fix_array(out, req, convert, problem);
}

// Loads through __dlpack__ (`o` exports no buffer): as load_array.
PYOWNED_NOINLINE inline bool load_dlpack(PyObject* o, const ArrayRequest& req, bool convert, HeldBuffer& out) noexcept {
    PyObject* imported = import_dlpack(o);
    if (!imported) return false;
    bool got = out.get(imported, PyBUF_RECORDS_RO);
    Py_DECREF(imported);  // the view holds it
    return got && conform_array(out, req, convert);
}

// Loads `o` for a parameter of request Req::value: true with a conforming view in `out`;
// false with nothing set when `o` exports no buffer and no __dlpack__; false with an error
// set otherwise. Inline, with the request a constant: the checks fold to a few compares.
template <class Req>
PYOWNED_INLINE bool load_array(PyObject* o, bool convert, HeldBuffer& out) noexcept {
    constexpr const ArrayRequest& req = Req::value;
    if (PYOWNED_UNLIKELY(!api::has_buffer(o))) return load_dlpack(o, req, convert, out);
    if (PYOWNED_UNLIKELY(!out.get(o, PyBUF_RECORDS_RO))) return false;
    const ArrayProblem problem = check_array(out.view(), req);
    if (PYOWNED_LIKELY(problem == ArrayProblem::none)) return true;
    return fix_array(out, req, convert, problem);
}

}  // namespace pyowned::detail
