//! The benchmark's `pyo3-pool` peer: PyO3 0.20, the last release of the GIL-pool API (the
//! "old API" that the owned-objects proposal replaced). Written as 0.20's users wrote it:
//! GIL-bound `&PyDict` / `&PyList` / `&PyAny` references, whose owned references (results
//! of calls, items produced by iteration, new containers) are registered in the GIL pool
//! and released when the pool of the current call is dropped, on return to Python.
//! The functions, the classes (`#[pyclass]`, fields exposed with `#[pyo3(get, set)]`,
//! instances borrowed through `PyRef`) and their semantics are those of bench/cases.py.
//! Arrays go through the `numpy` crate of the same version, 0.20 (`PyReadonlyArray1<f64>`
//! in, `PyArray1::from_vec` out, a GIL-bound `&PyArray1`). numpy 0.20 predates NumPy 2 (the
//! crate supports it from 0.21) and runs on it here: what the cases use goes through NumPy's
//! C API table, whose entries NumPy 2 kept, and the array object's fields, whose layout it
//! kept; the one field it reads from the dtype struct (elsize, whose offset NumPy 2 moved)
//! only bounds the memory range of its borrow checking, which read-only borrows never
//! conflict on.

// 0.20's #[pymethods] expands to impls that newer compilers flag as non-local (fixed in 0.21).
#![allow(non_local_definitions)]

use std::collections::{BTreeMap, HashMap, HashSet};

use numpy::{PyArray1, PyReadonlyArray1};
use pyo3::exceptions::{PyIndexError, PyKeyError, PyValueError};
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{IntoPyDict, PyDict, PyList, PySet, PyString, PyTuple};

// ---- Python → native calls ----

#[pyfunction]
fn call_noop() {}

#[pyfunction]
fn call_add(a: i64, b: i64) -> i64 {
    a + b
}

#[pyfunction]
#[pyo3(signature = (a, b = 2, c = 3))]
fn call_kwargs(a: i64, b: i64, c: i64) -> i64 {
    a + b + c
}

/// `&str` borrows the str's cached UTF-8 buffer (no copy).
#[pyfunction]
fn call_str_len(s: &str) -> usize {
    s.len()
}

// ---- arrays ----

/// A read-only borrow of a float64 array: the type and dimension are checked, and the
/// numpy crate's borrow checking registers a shared borrow for the call.
#[pyfunction]
fn array_call(a: PyReadonlyArray1<'_, f64>) -> usize {
    a.len()
}

/// The data as a slice (`as_slice` fails on a non-contiguous array).
#[pyfunction]
fn array_sum(a: PyReadonlyArray1<'_, f64>) -> PyResult<f64> {
    let mut sum = 0f64;
    for x in a.as_slice()? {
        sum += x;
    }
    Ok(sum)
}

/// `from_vec` hands the Vec's buffer to NumPy without a copy: the array's base is an
/// object owning the Vec, which frees it when the array goes.
#[pyfunction]
fn array_return(py: Python<'_>, n: usize) -> &PyArray1<f64> {
    PyArray1::from_vec(py, (0..n).map(|i| i as f64).collect())
}

// ---- native object API ----

#[pyfunction]
fn iter_dict(d: &PyDict) -> PyResult<i64> {
    let mut sum = 0i64;
    for (k, v) in d {
        sum += k.extract::<i64>()? + v.extract::<i64>()?;
    }
    Ok(sum)
}

#[pyfunction]
fn dict_get_item(d: &PyDict) -> PyResult<i64> {
    let mut sum = 0i64;
    for i in 0..d.len() as i64 {
        let v = d.get_item(i)?.ok_or_else(|| PyKeyError::new_err(i))?;
        sum += v.extract::<i64>()?;
    }
    Ok(sum)
}

#[pyfunction]
fn dict_new(py: Python<'_>, n: i64) -> PyResult<usize> {
    let d = PyDict::new(py);
    for i in 0..n {
        d.set_item(i, i)?;
    }
    Ok(d.len())
}

#[pyfunction]
fn extract_hashmap(d: HashMap<i64, i64>) -> usize {
    d.len()
}

#[pyfunction]
fn extract_btreemap(d: BTreeMap<i64, i64>) -> usize {
    d.len()
}

#[pyfunction]
fn iter_list(l: &PyList) -> PyResult<i64> {
    let mut sum = 0i64;
    for item in l {
        sum += item.extract::<i64>()?;
    }
    Ok(sum)
}

#[pyfunction]
fn list_get_item(l: &PyList) -> PyResult<i64> {
    let mut sum = 0i64;
    for i in 0..l.len() {
        sum += l.get_item(i)?.extract::<i64>()?;
    }
    Ok(sum)
}

#[pyfunction]
fn list_new(py: Python<'_>, n: usize) -> usize {
    // PyList::new wants an ExactSizeIterator (it preallocates): a usize range, items i64.
    PyList::new(py, (0..n).map(|i| i as i64)).len()
}

#[pyfunction]
fn extract_vec(l: Vec<i64>) -> usize {
    l.len()
}

#[pyfunction]
fn iter_tuple(t: &PyTuple) -> PyResult<i64> {
    let mut sum = 0i64;
    for item in t {
        sum += item.extract::<i64>()?;
    }
    Ok(sum)
}

#[pyfunction]
fn tuple_get_item(t: &PyTuple) -> PyResult<i64> {
    let mut sum = 0i64;
    for i in 0..t.len() {
        sum += t.get_item(i)?.extract::<i64>()?;
    }
    Ok(sum)
}

#[pyfunction]
fn tuple_new(py: Python<'_>, n: usize) -> usize {
    PyTuple::new(py, (0..n).map(|i| i as i64)).len()
}

#[pyfunction]
fn iter_set(s: &PySet) -> PyResult<i64> {
    let mut sum = 0i64;
    for item in s {
        sum += item.extract::<i64>()?;
    }
    Ok(sum)
}

#[pyfunction]
fn extract_hashset(s: HashSet<i64>) -> usize {
    s.len()
}

/// 0.20's `PySet::new` takes references to the elements, so the set is filled with `add`.
#[pyfunction]
fn set_new(py: Python<'_>, n: i64) -> PyResult<usize> {
    let s = PySet::empty(py)?;
    for i in 0..n {
        s.add(i)?;
    }
    Ok(s.len())
}

/// Each str is read through `PyString::to_str`, a view of its UTF-8 buffer (no copy).
#[pyfunction]
fn extract_str(l: &PyList) -> PyResult<usize> {
    let mut total = 0usize;
    for item in l {
        total += item.downcast::<PyString>()?.to_str()?.len();
    }
    Ok(total)
}

#[pyfunction]
fn extract_float(l: &PyList) -> PyResult<f64> {
    let mut sum = 0f64;
    for item in l {
        sum += item.extract::<f64>()?;
    }
    Ok(sum)
}

// ---- native → Python calls ----

#[pyfunction]
fn call_0(f: &PyAny, n: i64) -> PyResult<()> {
    for _ in 0..n {
        f.call0()?;
    }
    Ok(())
}

#[pyfunction]
fn callback_call(f: &PyAny, n: i64) -> PyResult<i64> {
    let mut sum = 0i64;
    for i in 0..n {
        sum += f.call1((i,))?.extract::<i64>()?;
    }
    Ok(sum)
}

#[pyfunction]
fn call_1(f: &PyAny, x: &PyAny, n: i64) -> PyResult<()> {
    for _ in 0..n {
        f.call1((x,))?;
    }
    Ok(())
}

/// f(1, b=2, c=3): the positional argument is a Rust tuple `(1,)`, the keywords a dict
/// built on each call from the interned names and native integers (`IntoPyDict`).
#[pyfunction]
fn call_with_kwargs(py: Python<'_>, f: &PyAny, n: i64) -> PyResult<()> {
    let b = intern!(py, "b");
    let c = intern!(py, "c");
    for _ in 0..n {
        let kwargs = [(b, 2i64), (c, 3i64)].into_py_dict(py);
        f.call((1i64,), Some(kwargs))?;
    }
    Ok(())
}

#[pyfunction]
fn call_method_0(py: Python<'_>, obj: &PyAny, n: i64) -> PyResult<()> {
    let method = intern!(py, "method");
    for _ in 0..n {
        obj.call_method0(method)?;
    }
    Ok(())
}

#[pyfunction]
fn getattr_interned(py: Python<'_>, obj: &PyAny, n: i64) -> PyResult<i64> {
    let value = intern!(py, "value");
    let mut sum = 0i64;
    for _ in 0..n {
        sum += obj.getattr(value)?.extract::<i64>()?;
    }
    Ok(sum)
}

// ---- lifetime ----

#[pyfunction]
fn drop_many_objects(py: Python<'_>, n: i64) {
    for i in 0..n {
        let obj: PyObject = i.into_py(py);
        drop(obj);
    }
}

/// The `PyObject`s (`Py<PyAny>`) are dropped with the GIL released, so PyO3 queues their
/// decrefs in its global reference pool; `allow_threads` applies that pool when it
/// re-acquires the GIL (on return from the closure), so every int is freed before this
/// function returns.
#[pyfunction]
fn drop_detached(py: Python<'_>, n: i64) {
    let objects: Vec<PyObject> = (0..n).map(|i| i.into_py(py)).collect();
    py.allow_threads(move || drop(objects));
}

#[pyfunction]
fn err_roundtrip(py: Python<'_>, f: &PyAny, n: i64) -> PyResult<i64> {
    let mut failures = 0i64;
    for _ in 0..n {
        match f.call0() {
            Ok(_) => {}
            Err(err) if err.is_instance_of::<PyValueError>(py) => failures += 1,
            Err(err) => return Err(err),
        }
    }
    Ok(failures)
}

// ---- classes ----

#[pyclass]
struct Point {
    #[pyo3(get, set)]
    x: f64,
    #[pyo3(get, set)]
    y: f64,
}

#[pymethods]
impl Point {
    #[new]
    fn new(x: f64, y: f64) -> Self {
        Point { x, y }
    }

    fn norm(&self) -> f64 {
        self.x.hypot(self.y)
    }

    fn scale(&mut self, k: f64) {
        self.x *= k;
        self.y *= k;
    }

    #[pyo3(signature = (k, /))]
    fn scale_pos(&mut self, k: f64) {
        self.x *= k;
        self.y *= k;
    }

    /// Another operand than a Point gives NotImplemented (PyO3 does that for operators).
    fn __add__(&self, other: PyRef<'_, Point>) -> Point {
        Point { x: self.x + other.x, y: self.y + other.y }
    }
}

/// Both Points are borrowed (a `PyRef` holds a shared borrow of each).
#[pyfunction]
fn dist(p: PyRef<'_, Point>, q: PyRef<'_, Point>) -> f64 {
    (p.x - q.x).hypot(p.y - q.y)
}

/// Base: a subclassable class whose value(i) -> i Python subclasses override. Rust has no
/// virtual methods: virtual_override calls obj.value(i) by name, as PyO3 users do.
#[pyclass(subclass)]
struct Base;

#[pymethods]
impl Base {
    #[new]
    fn new() -> Self {
        Base
    }
    fn value(&self, i: i64) -> i64 {
        i
    }
}

#[pyfunction]
fn virtual_override(py: Python<'_>, obj: &PyCell<Base>, n: i64) -> PyResult<i64> {
    let value = intern!(py, "value");
    let mut sum = 0i64;
    for i in 0..n {
        sum += obj.call_method1(value, (i,))?.extract::<i64>()?;
    }
    Ok(sum)
}

/// Color: a `#[pyclass]` enum (PyO3's own enum type; Python's enum module is not used).
#[pyclass]
#[derive(Clone, Copy)]
enum Color {
    #[pyo3(name = "RED")]
    Red = 0,
    #[pyo3(name = "GREEN")]
    Green = 1,
    #[pyo3(name = "BLUE")]
    Blue = 2,
}

#[pyfunction]
fn enum_arg(c: PyRef<'_, Color>) -> i64 {
    *c as i64
}

/// `sequence`: len() goes through the sequence slot, as for a list.
#[pyclass(name = "Vec", sequence)]
struct Vector {
    data: Vec<f64>,
}

#[pymethods]
impl Vector {
    #[new]
    fn new(n: usize) -> Self {
        Vector { data: (0..n).map(|i| i as f64).collect() }
    }

    fn __len__(&self) -> usize {
        self.data.len()
    }

    fn __getitem__(&self, i: isize) -> PyResult<f64> {
        let n = self.data.len() as isize;
        let at = if i < 0 { i + n } else { i };
        if at < 0 || at >= n {
            return Err(PyIndexError::new_err("Vec index out of range"));
        }
        Ok(self.data[at as usize])
    }
}

#[pymodule]
fn bench_pyo3_pool(_py: Python<'_>, m: &PyModule) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(call_noop, m)?)?;
    m.add_function(wrap_pyfunction!(call_add, m)?)?;
    m.add_function(wrap_pyfunction!(call_kwargs, m)?)?;
    m.add_function(wrap_pyfunction!(call_str_len, m)?)?;
    m.add_function(wrap_pyfunction!(iter_dict, m)?)?;
    m.add_function(wrap_pyfunction!(dict_get_item, m)?)?;
    m.add_function(wrap_pyfunction!(dict_new, m)?)?;
    m.add_function(wrap_pyfunction!(extract_hashmap, m)?)?;
    m.add_function(wrap_pyfunction!(extract_btreemap, m)?)?;
    m.add_function(wrap_pyfunction!(iter_list, m)?)?;
    m.add_function(wrap_pyfunction!(list_get_item, m)?)?;
    m.add_function(wrap_pyfunction!(list_new, m)?)?;
    m.add_function(wrap_pyfunction!(extract_vec, m)?)?;
    m.add_function(wrap_pyfunction!(iter_tuple, m)?)?;
    m.add_function(wrap_pyfunction!(tuple_get_item, m)?)?;
    m.add_function(wrap_pyfunction!(tuple_new, m)?)?;
    m.add_function(wrap_pyfunction!(iter_set, m)?)?;
    m.add_function(wrap_pyfunction!(extract_hashset, m)?)?;
    m.add_function(wrap_pyfunction!(set_new, m)?)?;
    m.add_function(wrap_pyfunction!(extract_str, m)?)?;
    m.add_function(wrap_pyfunction!(extract_float, m)?)?;
    m.add_function(wrap_pyfunction!(call_0, m)?)?;
    m.add_function(wrap_pyfunction!(call_1, m)?)?;
    m.add_function(wrap_pyfunction!(callback_call, m)?)?;
    m.add_function(wrap_pyfunction!(call_with_kwargs, m)?)?;
    m.add_function(wrap_pyfunction!(call_method_0, m)?)?;
    m.add_function(wrap_pyfunction!(getattr_interned, m)?)?;
    m.add_function(wrap_pyfunction!(drop_many_objects, m)?)?;
    m.add_function(wrap_pyfunction!(drop_detached, m)?)?;
    m.add_function(wrap_pyfunction!(err_roundtrip, m)?)?;
    m.add_function(wrap_pyfunction!(array_call, m)?)?;
    m.add_function(wrap_pyfunction!(array_sum, m)?)?;
    m.add_function(wrap_pyfunction!(array_return, m)?)?;
    m.add_class::<Point>()?;
    m.add_function(wrap_pyfunction!(dist, m)?)?;
    m.add_class::<Vector>()?;
    m.add_class::<Color>()?;
    m.add_function(wrap_pyfunction!(enum_arg, m)?)?;
    m.add_class::<Base>()?;
    m.add_function(wrap_pyfunction!(virtual_override, m)?)?;
    Ok(())
}
