// py::keep_alive and py::make_iterator / make_key_iterator / make_value_iterator.
// Exercised by test_classes_iter.py.
#include <pyowned/pyowned.h>
#include <pyowned/stl.h>

#include <map>
#include <string>
#include <vector>

namespace py = pyowned;

namespace {

struct Vec {
    std::vector<long long> items;
};
struct Table {
    std::map<std::string, double> rows;
};
// Holds a raw pointer to a Vec: the Vec's instance must outlive it (py::keep_alive<1, 2>).
struct View {
    const Vec* vec = nullptr;
    long long sum() const {
        long long s = 0;
        for (long long v : vec->items) s += v;
        return s;
    }
};
struct Bag {};  // garbage-collected (py::dynamic_attr): a cycle through its patients is collected

}  // namespace

PYOWNED_MODULE(classes_iter_ext, m) {
    py::Class<Vec>(m, "Vec")
        .def(py::init<std::vector<long long>>())
        .def("append", [](Vec& v, long long x) { v.items.push_back(x); })
        .def("__len__", [](const Vec& v) { return v.items.size(); })
        // the safe form: the iterator holds the Vec and a shared borrow of it
        .def("__iter__",
             [](py::Borrowed<Vec> self) {
                 const Vec& v = *self.get();
                 return py::make_iterator(self, v.items.begin(), v.items.end());
             })
        // pybind11's form: the iterator keeps the Vec alive (keep_alive<0, 1>) and nothing more
        .def(
            "items_kept",
            [](py::Borrowed<Vec> self) {
                const Vec& v = *self.get();
                return py::make_iterator(self.py(), v.items.begin(), v.items.end());
            },
            py::keep_alive<0, 1>());

    py::Class<Table>(m, "Table")
        .def(py::init<std::map<std::string, double>>())
        .def("keys",
             [](py::Borrowed<Table> self) {
                 const Table& t = *self.get();
                 return py::make_key_iterator(self, t.rows.begin(), t.rows.end());
             })
        .def("values",
             [](py::Borrowed<Table> self) {
                 const Table& t = *self.get();
                 return py::make_value_iterator(self, t.rows.begin(), t.rows.end());
             })
        .def("items", [](py::Borrowed<Table> self) {
            const Table& t = *self.get();
            return py::make_iterator(self, t.rows.begin(), t.rows.end());
        });

    py::Class<View>(m, "View")
        .def(py::init([](const Vec& v) { return View{&v}; }), py::keep_alive<1, 2>())
        .def("sum", &View::sum);
    m.def("view_of", [](const Vec& v) { return View{&v}; }, py::keep_alive<0, 1>());

    py::Class<Bag>(m, "Bag", "A bag.", py::dynamic_attr).def(py::init<>());

    // any nurse: a pyowned instance stores the patient, another object holds it by a weak reference
    // counts its calls: a patient that cannot be kept stops the call before the body runs
    static int keep_with_calls = 0;
    m.def(
        "keep_with", [](py::Borrowed<py::Any>, py::Borrowed<py::Any>) { return ++keep_with_calls; },
        py::keep_alive<1, 2>());
    // keep_alive calls go through the record's invoker: a callable with state, and a result
    // that is a reference (to the nurse itself, a view under py::rv::reference)
    m.def(
        "keep_with_offset",
        [offset = 1000](py::Borrowed<py::Any>, py::Borrowed<py::Any>) { return ++keep_with_calls + offset; },
        py::keep_alive<1, 2>());
    m.def(
        "vec_keeping", [](Vec& v, py::Borrowed<py::Any>) -> Vec& { return v; }, py::rv::reference,
        py::keep_alive<1, 2>());
    m.def("range_of", [](py::Python py, long long n) {
        static std::vector<long long> numbers = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        return py::make_iterator(py, numbers.begin(), numbers.begin() + n);
    });
}
