// Arrays: the buffer protocol read (py::Buffer) and exported (def_buffer), and py::NDArray
// parameters and results (NumPy, memoryview, DLPack). Exercised by test_arrays.py.
#include <pyowned/ndarray.h>
#include <pyowned/stl.h>

#include <atomic>
#include <complex>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace py = pyowned;

namespace {

// --- reading buffers ----------------------------------------------------------------------
py::Owned<py::Dict> describe(py::Borrowed<py::Buffer> b, int flags) {
    py::BufferView v = b.request(flags);
    auto d = py::Dict::empty(b.py());
    d.set_item("itemsize", v.itemsize());
    d.set_item("format", std::string(v.format()));
    d.set_item("ndim", v.ndim());
    d.set_item("shape", std::vector<Py_ssize_t>(v.shape().begin(), v.shape().end()));
    d.set_item("strides", std::vector<Py_ssize_t>(v.strides().begin(), v.strides().end()));
    d.set_item("readonly", v.readonly());
    d.set_item("len", v.len());
    return d;
}

std::optional<py::BufferView> held;  // a view kept across calls

// --- array parameters ---------------------------------------------------------------------
template <class T>
auto total(const py::NDArray<const T>& a) {
    using Sum =
        std::conditional_t<py::detail::is_complex_v<T>, std::complex<double>,
                           std::conditional_t<std::is_floating_point_v<T>, double,
                                              std::conditional_t<std::is_signed_v<T>, long long, unsigned long long>>>;
    Sum s{};
    std::vector<Py_ssize_t> index(static_cast<std::size_t>(a.ndim()), 0);
    const Py_ssize_t n = a.size();
    for (Py_ssize_t i = 0; i < n; ++i) {
        // the element at `index` through the strides, then the next index in C order
        const char* p = reinterpret_cast<const char*>(a.data());
        for (int k = 0; k < a.ndim(); ++k)
            p += index[static_cast<std::size_t>(k)] * a.stride(k) * Py_ssize_t{sizeof(T)};
        if constexpr (std::is_same_v<T, bool>) s += *reinterpret_cast<const T*>(p) ? 1 : 0;
        else s += static_cast<Sum>(*reinterpret_cast<const T*>(p));
        for (int k = a.ndim() - 1; k >= 0; --k) {
            if (++index[static_cast<std::size_t>(k)] < a.shape(k)) break;
            index[static_cast<std::size_t>(k)] = 0;
        }
    }
    return s;
}

template <class T>
void def_total(py::Borrowed<py::Module> m, const char* name) {
    m.def(name, [](py::NDArray<const T> a) { return total<T>(a); });
}

// An owner whose destruction is counted: the memory goes exactly when the last view does.
std::atomic<int> owners_alive{0};
struct CountedBlock {
    std::vector<double> values;
    explicit CountedBlock(std::size_t n) : values(n) { ++owners_alive; }
    CountedBlock(CountedBlock&& other) noexcept : values(std::move(other.values)) { ++owners_alive; }
    ~CountedBlock() { --owners_alive; }
};

// --- exporting buffers ----------------------------------------------------------------------
struct Matrix {
    Py_ssize_t rows = 0, cols = 0;
    std::vector<float> values;
    int tag = 0;
    Matrix(Py_ssize_t r, Py_ssize_t c) : rows(r), cols(c), values(static_cast<std::size_t>(r * c)) {
        for (std::size_t i = 0; i < values.size(); ++i) values[i] = static_cast<float>(i);
    }
    void resize(Py_ssize_t r, Py_ssize_t c) {
        rows = r;
        cols = c;
        values.assign(static_cast<std::size_t>(r * c), 0.0f);
    }
    float get(Py_ssize_t i, Py_ssize_t j) const { return values[static_cast<std::size_t>(i * cols + j)]; }
};

struct Constants {
    std::vector<std::int32_t> values{1, 2, 3, 4};
};

}  // namespace

PYOWNED_MODULE(arrays_ext, m) {
    // py::Buffer
    m.def("describe", &describe, py::arg("obj"), py::arg("flags") = PyBUF_RECORDS_RO);
    m.def("byte_sum", [](py::Borrowed<py::Buffer> b) {
        py::BufferView v = b.request(PyBUF_SIMPLE);
        long long s = 0;
        for (Py_ssize_t i = 0; i < v.len(); ++i) s += static_cast<const unsigned char*>(v.ptr())[i];
        return s;
    });
    m.def("write_first", [](py::Borrowed<py::Buffer> b, int value) {
        py::BufferView v = b.request(PyBUF_WRITABLE);
        static_cast<unsigned char*>(v.ptr())[0] = static_cast<unsigned char>(value);
    });
    m.def("hold", [](py::Borrowed<py::Buffer> b) { held = b.request(PyBUF_SIMPLE); });
    m.def("release_held", []() { held.reset(); });
    // Drops the held view on a thread that never attached: its release waits for the next attach.
    m.def("release_held_detached", [](py::Python py) { py.detach([] { std::thread([] { held.reset(); }).join(); }); });
    m.add("PyBUF_SIMPLE", PyBUF_SIMPLE);
    m.add("PyBUF_WRITABLE", PyBUF_WRITABLE);
    m.add("PyBUF_ND", PyBUF_ND);
    m.add("PyBUF_STRIDES", PyBUF_STRIDES);
    m.add("PyBUF_RECORDS_RO", PyBUF_RECORDS_RO);
    m.add("PyBUF_C_CONTIGUOUS", PyBUF_C_CONTIGUOUS);
    m.add("PyBUF_F_CONTIGUOUS", PyBUF_F_CONTIGUOUS);

    // NDArray parameters, every dtype
    def_total<bool>(m, "total_bool");
    def_total<std::int8_t>(m, "total_int8");
    def_total<std::uint8_t>(m, "total_uint8");
    def_total<std::int16_t>(m, "total_int16");
    def_total<std::uint16_t>(m, "total_uint16");
    def_total<std::int32_t>(m, "total_int32");
    def_total<std::uint32_t>(m, "total_uint32");
    def_total<std::int64_t>(m, "total_int64");
    def_total<std::uint64_t>(m, "total_uint64");
    def_total<float>(m, "total_float32");
    def_total<double>(m, "total_float64");
    def_total<std::complex<float>>(m, "total_complex64");
    def_total<std::complex<double>>(m, "total_complex128");
    m.def("total_strict", [](py::NDArray<const double> a) { return total<double>(a); }, py::arg("a").noconvert());

    m.def("vec_sum", [](py::NDArray<const double, py::ndim<1>, py::c_contig> a) {
        double s = 0;
        for (Py_ssize_t i = 0; i < a.shape(0); ++i) s += a(i);
        return s;
    });
    m.def("at", [](py::NDArray<const double, py::ndim<2>> a, Py_ssize_t i, Py_ssize_t j) { return a(i, j); });
    m.def("scalar", [](py::NDArray<const double, py::ndim<0>> a) { return a(); });
    m.def("rows_n3", [](py::NDArray<const float, py::shape<-1, 3>> a) { return a.shape(0); });
    m.def("c_only", [](py::NDArray<const double, py::c_contig> a) { return a.stride(a.ndim() - 1); });
    m.def(
        "c_only_strict", [](py::NDArray<const double, py::c_contig> a) { return a.stride(a.ndim() - 1); },
        py::arg("a").noconvert());
    m.def(
        "f_only_strict", [](py::NDArray<const double, py::f_contig> a) { return a.stride(0); },
        py::arg("a").noconvert());
    m.def("f_only", [](py::NDArray<const double, py::f_contig> a) { return a.stride(0); });
    m.def("layout", [](py::NDArray<const double> a) {
        std::vector<Py_ssize_t> shape, strides;
        for (int k = 0; k < a.ndim(); ++k) {
            shape.push_back(a.shape(k));
            strides.push_back(a.stride(k));
        }
        return std::make_tuple(shape, strides, a.size(), a.readonly());
    });
    m.def("scale", [](py::NDArray<double> a, double by) {  // writes in place
        for (Py_ssize_t i = 0; i < a.size(); ++i) a.data()[i] *= by;
    });
    m.def("scale_2d", [](py::NDArray<double, py::ndim<2>> a, double by) {
        for (Py_ssize_t i = 0; i < a.shape(0); ++i)
            for (Py_ssize_t j = 0; j < a.shape(1); ++j) a(i, j) *= by;
    });
    m.def("kind", [](py::NDArray<const float>) { return "float32"; });
    m.def("kind", [](py::NDArray<const std::int32_t>) { return "int32"; });
    m.def("kind", [](py::NDArray<const double, py::ndim<2>>) { return "float64 2-d"; });
    m.def("same", [](py::NDArray<double> a) { return a; });  // returns its argument
    m.def("owner_of", [](py::NDArray<const double> a) { return py::Owned<py::Any>(a.owner().to_owned()); });

    // NDArray results
    m.def("arange", [](Py_ssize_t n) {
        std::vector<double> v(static_cast<std::size_t>(n));
        for (Py_ssize_t i = 0; i < n; ++i) v[static_cast<std::size_t>(i)] = static_cast<double>(i);
        double* data = v.data();
        return py::NDArray<double>(data, {n}, std::move(v));
    });
    m.def("counted", [](Py_ssize_t rows, Py_ssize_t cols) {
        CountedBlock block(static_cast<std::size_t>(rows * cols));
        for (std::size_t i = 0; i < block.values.size(); ++i) block.values[i] = static_cast<double>(i);
        double* data = block.values.data();
        return py::NDArray<double, py::ndim<2>>(data, {rows, cols}, std::move(block));
    });
    m.def("owners_alive", []() { return owners_alive.load(); });
    m.def("fortran", [](Py_ssize_t rows, Py_ssize_t cols) {
        auto values = std::make_unique<std::int64_t[]>(static_cast<std::size_t>(rows * cols));
        for (Py_ssize_t j = 0; j < cols; ++j)
            for (Py_ssize_t i = 0; i < rows; ++i) values[static_cast<std::size_t>(j * rows + i)] = i * 10 + j;
        std::int64_t* data = values.get();
        return py::NDArray<std::int64_t, py::f_contig>(data, {rows, cols}, std::move(values));
    });
    m.def("fortran_exporter", []() {
        std::vector<std::int64_t> v(6);
        std::int64_t* data = v.data();
        return py::NDArray<std::int64_t, py::f_contig, py::dlpack>(data, {2, 3}, std::move(v));
    });
    m.def("as_memoryview", [](Py_ssize_t n) {
        std::vector<std::int16_t> v(static_cast<std::size_t>(n), 7);
        std::int16_t* data = v.data();
        return py::NDArray<std::int16_t, py::memoryview>(data, {n}, std::move(v));
    });
    m.def("as_dlpack", [](Py_ssize_t n, bool readonly) -> py::Owned<py::Any> {
        std::vector<float> v(static_cast<std::size_t>(n));
        for (Py_ssize_t i = 0; i < n; ++i) v[static_cast<std::size_t>(i)] = static_cast<float>(i) / 2;
        float* data = v.data();
        if (readonly)
            return py::into_py(py::Python::assume_attached(),
                               py::NDArray<const float, py::dlpack>(data, {n}, std::move(v)));
        return py::into_py(py::Python::assume_attached(), py::NDArray<float, py::dlpack>(data, {n}, std::move(v)));
    });
    m.def("readonly_array", []() {
        static const double values[] = {1.5, 2.5, 3.5};
        return py::NDArray<const double>(values, {3}, 0);  // static memory: a trivial owner
    });
    m.def("view_of", [](py::Owned<py::ByteArray> bytes) {  // a Python object as the owner
        auto* data = reinterpret_cast<std::uint8_t*>(PyByteArray_AsString(bytes.ptr()));
        Py_ssize_t n = bytes.len();
        return py::NDArray<std::uint8_t>(data, {n}, std::move(bytes));
    });
    m.def("strided", []() {  // every other element of a vector, by strides
        std::vector<double> v{0, 1, 2, 3, 4, 5, 6, 7};
        double* data = v.data();
        return py::NDArray<double>(data, {4}, {2}, std::move(v));
    });
    m.def("bad_extents", []() {
        std::vector<double> v(6);
        double* data = v.data();
        return py::NDArray<double, py::shape<-1, 4>>(data, {2, 3}, std::move(v));
    });

#if !PYOWNED_LIMITED  // def_buffer: not in a stable-ABI build (docs/stable-abi.md)
    py::Class<Matrix>(m, "Matrix")
        .def(py::init<Py_ssize_t, Py_ssize_t>())
        .def("resize", &Matrix::resize)
        .def("get", &Matrix::get)
        .def_rw("tag", &Matrix::tag)
        .def_buffer([](Matrix& x) { return py::BufferInfo(x.values.data(), {x.rows, x.cols}); });
    py::Class<Constants>(m, "Constants").def(py::init<>()).def_buffer([](const Constants& c) {
        return py::BufferInfo(c.values.data(), {Py_ssize_t(c.values.size())});
    });
#endif
}
