// The buffer protocol, reading: the py::Buffer tag (objects that export buffers: bytes,
// bytearray, memoryview, array.array, NumPy arrays, bound classes with def_buffer) and
// py::BufferView, the RAII view b.request(flags) gives.
#pragma once
#include "../core/lifetime.h"
#include "any_impl.h"
#include <cstdint>
#include <cstring>
#include <new>
#include <span>
#include <string_view>
#include <utility>

namespace pyowned {

// An object that exports a buffer (PEP 3118).
struct Buffer {
    using Base = Any;
    static constexpr std::string_view name = "Buffer";
    static int check(PyObject* o) noexcept { return PyObject_CheckBuffer(o); }
};

namespace detail {

// A Py_buffer this code owns: released exactly once, attached (directly, or queued when the
// holder is dropped on a detached thread, as a Py<T>'s decref is). Movable: an exporter may
// point shape or strides into the Py_buffer itself (PyBuffer_FillInfo points them at `len`
// and `itemsize`), so a move re-points those.
class HeldBuffer {
public:
    HeldBuffer() noexcept { view_.obj = nullptr; }
    HeldBuffer(HeldBuffer&& other) noexcept : view_(other.view_), run_(other.run_) {
        relocate(other.view_);
        other.view_.obj = nullptr;
    }
    HeldBuffer& operator=(HeldBuffer&& other) noexcept {
        if (this != &other) {
            release();
            view_ = other.view_;
            run_ = other.run_;
            relocate(other.view_);
            other.view_.obj = nullptr;
        }
        return *this;
    }
    HeldBuffer(const HeldBuffer&) = delete;
    HeldBuffer& operator=(const HeldBuffer&) = delete;
    ~HeldBuffer() { release(); }

    // PyObject_GetBuffer(o, flags): false with its error set when `o` refuses. Attached.
    bool get(PyObject* o, int flags) noexcept {
        release();
        if (PyObject_GetBuffer(o, &view_, flags) < 0) {
            view_.obj = nullptr;
            return false;
        }
        run_ = current_run();
        return true;
    }
    // Takes a view filled by hand (its `obj` a new reference, released with it).
    void adopt(const Py_buffer& filled) noexcept {
        release();
        view_ = filled;
        relocate(filled);
        run_ = current_run();
    }

    bool held() const noexcept { return view_.obj != nullptr; }
    const Py_buffer& view() const noexcept { return view_; }
    Py_buffer& view() noexcept { return view_; }

    // Releases now, on a thread known to be attached (a call's argument holder).
    PYOWNED_INLINE void release_attached() noexcept {
        if (!view_.obj) return;
        if (run_ == current_run()) PyBuffer_Release(&view_);
        view_.obj = nullptr;
    }
    // Releases now (attached or not; queued when detached).
    void release() noexcept {
        if (!view_.obj) return;
        if (PYOWNED_LIKELY(compat::is_attached())) {
            if (run_ == current_run()) PyBuffer_Release(&view_);
        } else if (Py_IsInitialized() && run_ == current_run()) {
            queue();
        }
        view_.obj = nullptr;
    }

private:
    // Re-points shape and strides that pointed into `from` (the moved-from Py_buffer).
    PYOWNED_INLINE void relocate(const Py_buffer& from) noexcept {
        const auto begin = reinterpret_cast<std::uintptr_t>(&from);
        auto fix = [&](Py_ssize_t*& p) {
            // one unsigned compare: the offset from `from` (a null pointer's wraps around)
            const std::uintptr_t offset = reinterpret_cast<std::uintptr_t>(p) - begin;
            if (PYOWNED_UNLIKELY(offset < sizeof(Py_buffer)))
                p = reinterpret_cast<Py_ssize_t*>(reinterpret_cast<char*>(&view_) + offset);
        };
        fix(view_.shape);
        fix(view_.strides);
    }

    // Dropped detached: a heap copy waits in the queue for the next attach.
    PYOWNED_COLD void queue() noexcept {
        auto* copy = new (std::nothrow) HeldBuffer;
        if (!copy) return;  // out of memory: the reference is lost rather than touched detached
        copy->view_ = view_;
        copy->relocate(view_);
        copy->run_ = run_;
        view_.obj = nullptr;
        pending_decrefs.push_release(
            [](void* data, bool attached) noexcept {
                auto* held = static_cast<HeldBuffer*>(data);
                if (attached) held->release_attached();
                held->view_.obj = nullptr;  // (the run ended: nothing to release)
                delete held;
            },
            copy, run_);
    }

    Py_buffer view_;
    std::uint64_t run_ = 0;
};

}  // namespace detail

// A buffer obtained with b.request(flags): the exporter's memory, valid (and the exporter
// kept alive) until the view is destroyed, which releases it, also on a detached thread
// (queued for the next attach). Move-only.
class BufferView {
public:
    BufferView(BufferView&&) noexcept = default;
    BufferView& operator=(BufferView&&) noexcept = default;

    [[nodiscard]] void* ptr() const noexcept { return held_.view().buf; }
    // The size in bytes of the whole buffer, and of one item.
    [[nodiscard]] Py_ssize_t len() const noexcept { return held_.view().len; }
    [[nodiscard]] Py_ssize_t itemsize() const noexcept { return held_.view().itemsize; }
    // The struct-module format of one item ("B" when the request had no PyBUF_FORMAT).
    [[nodiscard]] std::string_view format() const noexcept {
        const char* f = held_.view().format;
        return f ? std::string_view(f) : std::string_view("B");
    }
    [[nodiscard]] int ndim() const noexcept { return held_.view().ndim; }
    // Per dimension; shape() is empty without PyBUF_ND, strides() (in bytes) without
    // PyBUF_STRIDES (the buffer is then C-contiguous).
    [[nodiscard]] std::span<const Py_ssize_t> shape() const noexcept { return dims(held_.view().shape); }
    [[nodiscard]] std::span<const Py_ssize_t> strides() const noexcept { return dims(held_.view().strides); }
    [[nodiscard]] bool readonly() const noexcept { return held_.view().readonly != 0; }
    // The raw view, for C API calls (PyBuffer_IsContiguous, ...).
    [[nodiscard]] const Py_buffer& raw() const noexcept { return held_.view(); }
    // Releases the buffer now (the exporter may then resize); the view is empty after.
    void release() noexcept { held_.release(); }

private:
    template <class, class>
    friend struct detail::Methods;
    BufferView() noexcept = default;
    std::span<const Py_ssize_t> dims(const Py_ssize_t* p) const noexcept {
        if (!p) return {};
        return {p, static_cast<std::size_t>(held_.view().ndim)};
    }
    detail::HeldBuffer held_;
};

namespace detail {

template <class Self>
struct Methods<Buffer, Self> : Methods<Any, Self> {
    PYOWNED_HANDLE_ALIASES;

    // The object's buffer, as PyObject_GetBuffer(flags) gives it (PyBUF_SIMPLE, PyBUF_ND,
    // PyBUF_STRIDES, PyBUF_FORMAT, PyBUF_WRITABLE, PyBUF_RECORDS_RO, ...). Throws py::Error:
    // BufferError when the exporter refuses the request (a writable view of bytes).
    [[nodiscard]] BufferView request(int flags = PyBUF_SIMPLE) const {
        BufferView view;
        if (!view.held_.get(this->ptr(), flags)) throw_fetched();
        return view;
    }
};

}  // namespace detail

}  // namespace pyowned
