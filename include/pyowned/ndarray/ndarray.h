// py::NDArray<T, Constraints...>: an n-dimensional array of T viewed without a copy, as a
// parameter (any object exporting a buffer or __dlpack__) or as a result (C++ memory with an
// owner, handed to Python as a NumPy array, a memoryview or a DLPack exporter).
#pragma once
#include "load.h"
#include "numpy.h"
#include "../bind/dispatch.h"
#include "../convert/traits.h"
#include <array>
#include <cassert>
#include <initializer_list>
#include <span>
#include <vector>

namespace pyowned {

// --- constraints -------------------------------------------------------------------------
// The number of dimensions.
template <int N>
struct ndim {
    static_assert(N >= 0 && N <= 64, "pyowned: py::ndim<N>: an array has 0 to 64 dimensions");
};
// The extents, -1 for any: py::shape<-1, 3> is an (n, 3) array (and implies its ndim).
template <Py_ssize_t... Extents>
struct shape {
    static_assert(((Extents >= -1) && ...), "pyowned: py::shape<...>: an extent is a size or -1 (any)");
};
// Element order: C (row-major) or Fortran (column-major) contiguous.
struct c_contig {};
struct f_contig {};
// Where the memory is: the CPU (the only device pyowned reads).
namespace device {
struct cpu {};
}  // namespace device
// What a returned array becomes in Python: numpy.ndarray (the default), memoryview, or
// pyowned's own exporter of __dlpack__ and the buffer protocol.
struct numpy {};
struct memoryview {};
struct dlpack {};

namespace detail {

enum class Framework : std::uint8_t { numpy, memoryview, dlpack };

template <class C>
struct constraint {
    static constexpr bool valid = false;
};
template <int N>
struct constraint<pyowned::ndim<N>> {
    static constexpr bool valid = true, is_ndim = true;
    static constexpr int ndim = N;
};
template <Py_ssize_t... E>
struct constraint<pyowned::shape<E...>> {
    static constexpr bool valid = true, is_shape = true;
    static constexpr int ndim = sizeof...(E);
    static constexpr std::array<Py_ssize_t, sizeof...(E)> extents{E...};
};
template <>
struct constraint<c_contig> {
    static constexpr bool valid = true, is_order = true;
    static constexpr char order = 'C';
};
template <>
struct constraint<f_contig> {
    static constexpr bool valid = true, is_order = true;
    static constexpr char order = 'F';
};
template <>
struct constraint<device::cpu> {
    static constexpr bool valid = true, is_device = true;
};
template <>
struct constraint<pyowned::numpy> {
    static constexpr bool valid = true, is_framework = true;
    static constexpr Framework framework = Framework::numpy;
};
template <>
struct constraint<pyowned::memoryview> {
    static constexpr bool valid = true, is_framework = true;
    static constexpr Framework framework = Framework::memoryview;
};
template <>
struct constraint<pyowned::dlpack> {
    static constexpr bool valid = true, is_framework = true;
    static constexpr Framework framework = Framework::dlpack;
};

template <class C>
constexpr bool is_ndim_c() {
    if constexpr (requires { constraint<C>::is_ndim; }) return true;
    else return false;
}
template <class C>
constexpr bool is_shape_c() {
    if constexpr (requires { constraint<C>::is_shape; }) return true;
    else return false;
}
template <class C>
constexpr bool is_order_c() {
    if constexpr (requires { constraint<C>::is_order; }) return true;
    else return false;
}
template <class C>
constexpr bool is_framework_c() {
    if constexpr (requires { constraint<C>::is_framework; }) return true;
    else return false;
}

// The constraints folded into what the array requires.
template <class... C>
struct ArraySpec {
    static_assert((constraint<C>::valid && ...),
                  "pyowned: py::NDArray<T, C...>: each C is py::ndim<N>, py::shape<...>, py::c_contig, py::f_contig, "
                  "py::device::cpu, or a framework (py::numpy, py::memoryview, py::dlpack)");
    static_assert((0 + ... + is_ndim_c<C>()) <= 1, "pyowned: py::NDArray: py::ndim given twice");
    static_assert((0 + ... + is_shape_c<C>()) <= 1, "pyowned: py::NDArray: py::shape given twice");
    static_assert((0 + ... + is_order_c<C>()) <= 1,
                  "pyowned: py::NDArray: one order at most (py::c_contig or py::f_contig)");
    static_assert((0 + ... + is_framework_c<C>()) <= 1,
                  "pyowned: py::NDArray: one framework at most (py::numpy, py::memoryview or py::dlpack)");

    // What the constraints `Is` selects say through `get` (the last one's), or `none`.
    template <class V, class Is, class Get>
    static constexpr V pick(V none, Is is, Get get) {
        V v = none;
        auto take = [&]<class X>() {
            if constexpr (is.template operator()<X>()) v = get.template operator()<X>();
        };
        (take.template operator()<C>(), ...);
        (void)take;
        return v;
    }
    static constexpr int ndim_of_ndim =
        pick(-1, []<class X>() { return is_ndim_c<X>(); }, []<class X>() { return constraint<X>::ndim; });
    static constexpr int ndim_of_shape =
        pick(-1, []<class X>() { return is_shape_c<X>(); }, []<class X>() { return constraint<X>::ndim; });
    static_assert(ndim_of_ndim < 0 || ndim_of_shape < 0 || ndim_of_ndim == ndim_of_shape,
                  "pyowned: py::NDArray: py::ndim<N> and py::shape<...> disagree on the number of dimensions");
    static constexpr int ndim = ndim_of_ndim >= 0 ? ndim_of_ndim : ndim_of_shape;
    static constexpr bool has_shape = ndim_of_shape >= 0;
    static constexpr std::array<Py_ssize_t, (ndim_of_shape > 0 ? ndim_of_shape : 1)> extents = [] {
        std::array<Py_ssize_t, (ndim_of_shape > 0 ? ndim_of_shape : 1)> e{};
        auto take = [&]<class X>() {
            if constexpr (is_shape_c<X>())
                for (std::size_t k = 0; k < constraint<X>::extents.size(); ++k) e[k] = constraint<X>::extents[k];
        };
        (take.template operator()<C>(), ...);
        (void)take;
        return e;
    }();
    static constexpr char order =
        pick(char{0}, []<class X>() { return is_order_c<X>(); }, []<class X>() { return constraint<X>::order; });
    static constexpr Framework framework = pick(
        Framework::numpy, []<class X>() { return is_framework_c<X>(); },
        []<class X>() { return constraint<X>::framework; });
};

// "ndarray[float64, shape=(*, 3), C-contiguous, writable]", made at compile time.
template <class T, class Spec>
struct array_name {
    static constexpr auto chars = [] {
        std::array<char, 160> out{};
        std::size_t n = 0;
        auto put = [&](std::string_view s) {
            for (char c : s) out[n++] = c;
        };
        auto put_int = [&](long long v) {
            char digits[24];
            int d = 0;
            if (v == 0) digits[d++] = '0';
            for (; v > 0; v /= 10) digits[d++] = static_cast<char>('0' + v % 10);
            while (d) out[n++] = digits[--d];
        };
        put("ndarray[");
        put(dtype_name(dtype_of<std::remove_const_t<T>>()));
        if (Spec::has_shape) {
            put(", shape=(");
            for (int k = 0; k < Spec::ndim; ++k) {
                if (k) put(", ");
                if (Spec::extents[static_cast<std::size_t>(k)] < 0) put("*");
                else put_int(Spec::extents[static_cast<std::size_t>(k)]);
            }
            put(Spec::ndim == 1 ? ",)" : ")");
        } else if (Spec::ndim >= 0) {
            put(", ndim=");
            put_int(Spec::ndim);
        }
        if (Spec::order == 'C') put(", C-contiguous");
        if (Spec::order == 'F') put(", Fortran-contiguous");
        if (!std::is_const_v<T>) put(", writable");
        put("]");
        out[n] = 0;
        return out;
    }();
    static constexpr std::string_view value{chars.data(), std::char_traits<char>::length(chars.data())};
};

// Extents or strides given to NDArray's constructor: a braced list, a span or a vector.
class DimList {
public:
    DimList(std::initializer_list<Py_ssize_t> l) noexcept : dims_(l.begin(), l.size()) {}
    DimList(std::span<const Py_ssize_t> s) noexcept : dims_(s) {}
    DimList(const std::vector<Py_ssize_t>& v) noexcept : dims_(v) {}
    std::span<const Py_ssize_t> span() const noexcept { return dims_; }

private:
    std::span<const Py_ssize_t> dims_;
};

template <class T>
struct is_array_handle : std::false_type {};
template <class T>
struct is_array_handle<Owned<T>> : std::true_type {};
template <class T>
struct is_array_handle<Borrowed<T>> : std::true_type {};
template <class T>
struct is_array_handle<Py<T>> : std::true_type {};

}  // namespace detail

// An n-dimensional array of T (const T: read-only) with compile-time constraints.
//     m.def("norm", [](py::NDArray<const double, py::ndim<1>> v) { ... v(i) ... });
//     return py::NDArray<double>(v.data(), {rows, cols}, std::move(v));   // owner: a std::vector
// As a parameter it views the argument's memory (the argument kept alive, its buffer held)
// until destroyed; move-only. Indexing checks nothing in release builds (assert in debug).
template <class T, class... Constraints>
class NDArray {
    using Element = std::remove_const_t<T>;
    static_assert(detail::ArrayElement<Element> && !std::is_volatile_v<T>,
                  "pyowned: py::NDArray<T>: T is bool, a fixed-width integer, float, double, std::complex<float> or "
                  "std::complex<double> (const for a read-only array)");

public:
    using Spec = detail::ArraySpec<Constraints...>;
    using value_type = T;
    static constexpr bool writable = !std::is_const_v<T>;

    // C++ memory shown to Python: `data` with `extents` (and `strides` in elements; default:
    // C-contiguous, or Fortran with py::f_contig), kept valid by `owner`, which the array
    // holds until the last Python view of it goes: a Python handle, or any movable C++ object
    // (a std::vector or std::unique_ptr<T[]> whose memory `data` points into). Attached;
    // throws py::Error.
    template <class Owner>
    NDArray(T* data, detail::DimList extents, Owner&& owner) {
        make(data, extents.span(), {}, std::forward<Owner>(owner));
    }
    template <class Owner>
    NDArray(T* data, detail::DimList extents, detail::DimList strides, Owner&& owner) {
        make(data, extents.span(), strides.span(), std::forward<Owner>(owner));
    }

    NDArray(NDArray&&) noexcept = default;
    NDArray& operator=(NDArray&&) noexcept = default;

    [[nodiscard]] T* data() const noexcept { return static_cast<T*>(view().buf); }
    [[nodiscard]] constexpr int ndim() const noexcept {
        if constexpr (Spec::ndim >= 0) return Spec::ndim;
        else return view().ndim;
    }
    [[nodiscard]] Py_ssize_t shape(int k) const noexcept {
        assert(k >= 0 && k < ndim());
        return view().shape[k];
    }
    // In elements (may be negative).
    [[nodiscard]] Py_ssize_t stride(int k) const noexcept {
        assert(k >= 0 && k < ndim());
        return view().strides[k] / static_cast<Py_ssize_t>(sizeof(T));
    }
    // The number of elements.
    [[nodiscard]] Py_ssize_t size() const noexcept {
        Py_ssize_t n = 1;
        for (int k = 0; k < ndim(); ++k) n *= view().shape[k];
        return n;
    }
    [[nodiscard]] bool readonly() const noexcept { return view().readonly != 0; }
    // The element at the indices (one per dimension).
    template <class... I>
        requires(std::is_integral_v<I> && ...)
    [[nodiscard]] PYOWNED_INLINE T& operator()(I... index) const noexcept {
        static_assert(Spec::ndim < 0 || static_cast<int>(sizeof...(I)) == Spec::ndim,
                      "pyowned: py::NDArray: one index per dimension");
        assert(static_cast<int>(sizeof...(I)) == ndim());
        [[maybe_unused]] constexpr int n = static_cast<int>(sizeof...(I));
        [[maybe_unused]] const Py_ssize_t* strides = view().strides;
        Py_ssize_t offset = 0;
        int k = 0;
        ((offset += static_cast<Py_ssize_t>(index) * byte_stride<n>(strides, k++)), ...);
        (void)k;
        return *reinterpret_cast<T*>(static_cast<char*>(view().buf) + offset);
    }
    // The object that exports the memory (the argument, or pyowned's array object).
    [[nodiscard]] Borrowed<Any> owner() const noexcept { return Borrowed<Any>::from_ptr(detail::token(), view().obj); }

private:
    friend struct FromPython<NDArray>;
    friend struct IntoPython<NDArray>;
    template <class, detail::ParamKind>
    friend struct detail::ArgHolder;
    NDArray() noexcept = default;

    const Py_buffer& view() const noexcept { return held_.view(); }

    // The last dimension of a C-contiguous array (the first of a Fortran one) steps by one
    // element: a constant the compiler folds.
    template <int N>
    PYOWNED_INLINE static Py_ssize_t byte_stride(const Py_ssize_t* strides, int k) noexcept {
        if constexpr (Spec::order == 'C') {
            if (k == N - 1) return sizeof(T);
        } else if constexpr (Spec::order == 'F') {
            if (k == 0) return sizeof(T);
        }
        return strides[k];
    }

    template <class Owner>
    void make(T* data, std::span<const Py_ssize_t> extents, std::span<const Py_ssize_t> strides, Owner&& owner) {
        const int nd = static_cast<int>(extents.size());
        if (Spec::ndim >= 0 && nd != Spec::ndim)
            raise<ValueError>("py::NDArray: " + std::to_string(nd) + " extents given for a " +
                              std::to_string(Spec::ndim) + "-dimensional array");
        if (!strides.empty() && strides.size() != extents.size())
            raise<ValueError>("py::NDArray: as many strides as extents are needed");
        if (nd > 64) raise<ValueError>("py::NDArray: an array has at most 64 dimensions");
        Py_ssize_t byte_strides[64];
        Py_ssize_t step = sizeof(T);
        for (int i = 0; i < nd; ++i) {
            const int k = Spec::order == 'F' ? i : nd - 1 - i;
            if (extents[static_cast<std::size_t>(k)] < 0) raise<ValueError>("py::NDArray: a negative extent");
            if constexpr (Spec::has_shape) {
                const Py_ssize_t want = Spec::extents[static_cast<std::size_t>(k)];
                if (want >= 0 && extents[static_cast<std::size_t>(k)] != want)
                    raise<ValueError>("py::NDArray: the extents differ from the declared shape");
            }
            byte_strides[k] = strides.empty() ? step : strides[static_cast<std::size_t>(k)] * Py_ssize_t{sizeof(T)};
            step *= extents[static_cast<std::size_t>(k)] ? extents[static_cast<std::size_t>(k)] : 1;
        }
        detail::ArrayObject* a = detail::new_array_object(detail::dtype_of<Element>(), const_cast<Element*>(data), nd,
                                                          extents.data(), byte_strides, !writable);
        if (!a) detail::throw_fetched();
        Owned<Any> object = Owned<Any>::from_owned_ptr(detail::token(), reinterpret_cast<PyObject*>(a));
        using O = std::remove_cvref_t<Owner>;
        if constexpr (detail::is_array_handle<O>::value) {
            // a strong reference, dropped by the array object's dealloc (attached)
            detail::set_owner(a, Owned<Any>::from_borrowed_ptr(detail::token(), owner.ptr()));
        } else {
            detail::set_owner(a, std::forward<Owner>(owner));
        }
        held_.adopt(detail::whole_view(a, std::move(object).into_ptr()));
    }

    detail::HeldBuffer held_;
};

namespace detail {
template <class A>
struct array_request_of;
template <class T, class... C>
struct array_request_of<NDArray<T, C...>> {
    using Spec = ArraySpec<C...>;
    static constexpr ArrayRequest value{dtype_of<std::remove_const_t<T>>(),
                                        native_format_char<std::remove_const_t<T>>(),
                                        alignof(std::remove_const_t<T>),
                                        Spec::ndim,
                                        Spec::has_shape ? Spec::extents.data() : nullptr,
                                        Spec::order,
                                        !std::is_const_v<T>,
                                        &copy_elements<std::remove_const_t<T>>};
};
}  // namespace detail

// An array parameter: see NDArray. Mismatches set TypeError naming what was expected (the
// next overload is still tried); a copy is made only in the conversion pass.
template <class T, class... C>
struct FromPython<NDArray<T, C...>> {
    using Array = NDArray<T, C...>;
    static constexpr std::string_view name = detail::array_name<T, detail::ArraySpec<C...>>::value;
    static std::optional<Array> from_python(Borrowed<Any> obj, bool convert) noexcept {
        std::optional<Array> out{Array()};
        if (!detail::load_array<detail::array_request_of<Array>>(obj.ptr(), convert, out->held_)) return std::nullopt;
        return out;
    }
};

namespace detail {
template <class A>
inline constexpr bool is_ndarray_v = false;
template <class T, class... C>
inline constexpr bool is_ndarray_v<NDArray<T, C...>> = true;

// An array parameter's holder: the array loaded in place (no std::optional, no move until
// the call takes it), released when the call ends (attached: no check needed). A parameter
// taken as const NDArray& is never moved.
template <class P>
    requires is_ndarray_v<std::remove_cvref_t<P>>
struct ArgHolder<P, ParamKind::regular> {
    using Array = std::remove_cvref_t<P>;
    Array value;
    ArgHolder() noexcept = default;
    ArgHolder(const ArgHolder&) = delete;
    ArgHolder& operator=(const ArgHolder&) = delete;
    ~ArgHolder() { value.held_.release_attached(); }
    PYOWNED_INLINE bool load(PyObject* o, bool convert, bool /*lock*/) noexcept {
        return load_array<array_request_of<Array>>(o, convert, value.held_);
    }
    decltype(auto) get() noexcept {
        if constexpr (std::is_lvalue_reference_v<P>) return static_cast<P>(value);
        else return std::move(value);
    }
};
}  // namespace detail

// An array result: pyowned's array object in the declared framework (numpy.ndarray by
// default); an array viewing an argument returns that argument.
template <class T, class... C>
struct IntoPython<NDArray<T, C...>> {
    using Array = NDArray<T, C...>;
    static Owned<Any> into_python(Python py, const Array& a) {
        PyObject* obj = a.view().obj;
        if (!obj) raise<ValueError>("py::NDArray: a moved-from array has no value");
        if (!detail::is_array_object(obj)) return Owned<Any>::from_borrowed_ptr(py, obj);
        PyObject* made;
        switch (Array::Spec::framework) {
            case detail::Framework::numpy:
                made = detail::numpy_array_of(detail::as_array_object(obj));
                break;
            case detail::Framework::memoryview:
                made = PyMemoryView_FromObject(obj);
                break;
            default:
                made = Py_NewRef(obj);
                break;
        }
        if (!made) detail::throw_fetched();
        return Owned<Any>::from_owned_ptr(py, made);
    }
    // A temporary (a function's result): its view released here, attached (the token says so).
    static Owned<Any> into_python(Python py, Array&& a) {
        Owned<Any> result = into_python(py, static_cast<const Array&>(a));
        a.held_.release_attached();
        return result;
    }
};

}  // namespace pyowned
