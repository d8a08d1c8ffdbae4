// The buffer protocol, exporting: Class::def_buffer(f), where f returns a py::BufferInfo
// describing the instance's C++ memory. Each export holds a shared borrow of the instance
// until it is released, so an exclusive borrow (a T& method, a def_rw setter) raises
// BufferError meanwhile, as bytearray's resizes do while a memoryview of it exists.
#pragma once
#include "borrow.h"
#include "../ndarray/array_object.h"
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace pyowned {

// What an exported buffer shows: the memory, one item's size and struct-module format, and
// per dimension the extent and the stride in bytes (as pybind11's buffer_info).
struct BufferInfo {
    void* ptr = nullptr;
    Py_ssize_t itemsize = 0;
    std::string format;
    Py_ssize_t ndim = 0;
    std::vector<Py_ssize_t> shape, strides;
    bool readonly = false;

    BufferInfo(void* p, Py_ssize_t item, std::string fmt, Py_ssize_t n, std::vector<Py_ssize_t> extents,
               std::vector<Py_ssize_t> byte_strides, bool ro = false)
        : ptr(p),
          itemsize(item),
          format(std::move(fmt)),
          ndim(n),
          shape(std::move(extents)),
          strides(std::move(byte_strides)),
          readonly(ro) {}
    // Elements of T (a const T: read-only); strides in bytes, C-contiguous when omitted.
    template <class T>
        requires detail::ArrayElement<std::remove_const_t<T>>
    BufferInfo(T* p, std::vector<Py_ssize_t> extents, std::vector<Py_ssize_t> byte_strides = {})
        : ptr(const_cast<std::remove_const_t<T>*>(p)),
          itemsize(sizeof(T)),
          format(detail::format_of<std::remove_const_t<T>>()),
          ndim(static_cast<Py_ssize_t>(extents.size())),
          shape(std::move(extents)),
          strides(std::move(byte_strides)),
          readonly(std::is_const_v<T>) {
        if (strides.empty()) {
            strides.resize(shape.size());
            Py_ssize_t step = itemsize;
            for (std::size_t k = shape.size(); k-- > 0;) {
                strides[k] = step;
                step *= shape[k];
            }
        }
    }
};

namespace detail {

// The live exports of every instance (an instance with none is not in the map).
struct ExportCounts {
    std::mutex mutex;
    std::unordered_map<PyObject*, Py_ssize_t> counts;
    std::atomic<Py_ssize_t> total{0};
};
PYOWNED_CORE_VARIABLE ExportCounts export_counts;

PYOWNED_CORE Py_ssize_t exports_of(PyObject* self) noexcept;

// What an export keeps until it is released (the Py_buffer's `internal`).
struct BufferExport {
    BufferInfo info;
    bool borrowed;    // holds a shared borrow of the instance (and of `owner`)
    PyObject* owner;  // a view instance's owner, borrowed with it (py::rv::reference_internal)
};

// bf_releasebuffer of every bound class with def_buffer. Attached.
PYOWNED_CORE void class_releasebuffer(PyObject* self, Py_buffer* view);

// Fills `view` from what `f` returns for the instance's T; -1 with an error set.
template <class T, class F>
int export_buffer(const void* state, PyObject* self, Py_buffer* view, int flags) noexcept {
    view->obj = nullptr;
    ClassBorrow<T, false> borrow;
    if (!borrow.acquire(self, true)) {
        if (!PyErr_Occurred())
            PyErr_Format(PyExc_BufferError, "%s has no C++ object", detail::api::type_name_of(self).c_str());
        return -1;
    }
    const F& f = *static_cast<const F*>(state);
    try {
        BufferInfo info = [&] {
            if constexpr (std::is_invocable_v<const F&, const T&>) {
                BufferInfo i = std::invoke(f, std::as_const(*borrow.get()));
                i.readonly = true;  // taken as const T&: a read-only export
                return i;
            } else {
                return std::invoke(f, *borrow.get());
            }
        }();
        const auto n = static_cast<std::size_t>(info.ndim);
        if (info.ndim < 0 || info.ndim > 64 || info.shape.size() != n || info.strides.size() != n || info.itemsize <= 0)
            raise<BufferError>("def_buffer: the BufferInfo's ndim, shape, strides and itemsize disagree");
        auto e = std::make_unique<BufferExport>(BufferExport{std::move(info), false, nullptr});
        const ArrayLayout layout{e->info.ptr,         e->info.itemsize,     e->info.format.c_str(),
                                 static_cast<int>(n), e->info.shape.data(), e->info.strides.data(),
                                 e->info.readonly};
        {
            std::lock_guard<std::mutex> lock(export_counts.mutex);
            ++export_counts.counts[self];  // (may throw: before anything needs undoing)
            export_counts.total.fetch_add(1, std::memory_order_release);
        }
        if (fill_buffer(view, self, layout, flags) < 0) {
            view->internal = nullptr;
            e->borrowed = false;
            Py_buffer undo{};
            undo.internal = e.release();
            class_releasebuffer(self, &undo);  // gives the count back
            return -1;
        }
        if constexpr (flagged_v<T>) {
            // a second shared borrow, held by the export (the call's own one ends on return)
            try_borrow<false>(head_of(self));
            e->borrowed = true;
            if (head_of(self)->holder.load(std::memory_order_relaxed) == Holder::view_internal) {
                e->owner = owner_of(self, head_of(self)->record.load(std::memory_order_relaxed));
                if (e->owner && !borrow_owners<false>(e->owner)) e->owner = nullptr;
            }
        }
        view->internal = e.release();
        return 0;
    } catch (...) {
        translate_exception(token());
        return -1;
    }
}

// bf_getbuffer of every bound class with def_buffer: the nearest bound class's exporter.
PYOWNED_CORE int class_getbuffer(PyObject* self, Py_buffer* view, int flags);

// Points the class's buffer slots at pyowned's (a heap type's tp_as_buffer is its own
// PyBufferProcs); Python subclasses made afterwards inherit them.
PYOWNED_CORE void enable_buffer(PyTypeObject* type) noexcept;

}  // namespace detail

}  // namespace pyowned

// The shared code, compiled once in the core or inline (PYOWNED_CORE in detail/config.h).
#if PYOWNED_CORE_DEFINITIONS
namespace pyowned::detail {

PYOWNED_CORE Py_ssize_t exports_of(PyObject* self) noexcept {
    if (export_counts.total.load(std::memory_order_acquire) == 0) return 0;
    std::lock_guard<std::mutex> lock(export_counts.mutex);
    auto it = export_counts.counts.find(self);
    return it == export_counts.counts.end() ? 0 : it->second;
}

PYOWNED_CORE void class_releasebuffer(PyObject* self, Py_buffer* view) {
    auto* e = static_cast<BufferExport*>(view->internal);
    if (!e) return;
    if (e->borrowed) {
        end_borrow<false>(head_of(self));
        if (e->owner) end_owners<false>(e->owner);
    }
    {
        std::lock_guard<std::mutex> lock(export_counts.mutex);
        auto it = export_counts.counts.find(self);
        if (it != export_counts.counts.end() && --it->second == 0) export_counts.counts.erase(it);
        export_counts.total.fetch_sub(1, std::memory_order_release);
    }
    delete e;
    view->internal = nullptr;
}

PYOWNED_CORE int class_getbuffer(PyObject* self, Py_buffer* view, int flags) {
    view->obj = nullptr;
    for (const ClassRecord* r = head_of(self)->record.load(std::memory_order_acquire); r; r = r->base)
        if (r->get_buffer) return r->get_buffer(r->buffer_state.get(), self, view, flags);
    PyErr_Format(PyExc_BufferError, "%s has no C++ object (uninitialized) or exports no buffer",
                 detail::api::type_name_of(self).c_str());
    return -1;
}

#if !PYOWNED_LIMITED  // (py::Class::def_buffer refuses a limited build)
PYOWNED_CORE void enable_buffer(PyTypeObject* type) noexcept {
    type->tp_as_buffer->bf_getbuffer = &class_getbuffer;
    type->tp_as_buffer->bf_releasebuffer = &class_releasebuffer;
    PyType_Modified(type);
}
#endif

}  // namespace pyowned::detail
#endif  // PYOWNED_CORE_DEFINITIONS
