// A Borrowed<T> does not become an Owned<T> implicitly: taking a strong reference is b.to_owned().
// expect: conversion from '((pyowned|py)::)?Borrowed<(pyowned|py)::Any>' to (non-scalar type )?'((pyowned|py)::)?Owned<(pyowned|py)::Any>'
#include <pyowned/pyowned.h>
namespace py = pyowned;

void misuse(py::Borrowed<py::Any> view) {
    py::Owned<py::Any> owned = view;  // must not compile
    (void)owned;
}
