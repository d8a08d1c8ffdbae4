"""The generated module for the `pyo3-pool` peer: a cargo crate `gen_pyo3_pool` on PyO3 0.20.

Written as PyO3 0.20 users wrote bindings: `#[pyfunction]`s with typed parameters (`&str`
as a view of the str's UTF-8 buffer, `Vec<i64>` and `HashMap<String, i64>` extracted by
parameter type), defaults and the keyword-only parameter given by
`#[pyo3(signature = ...)]`, added to a `#[pymodule] fn(py, &PyModule)` with
`wrap_pyfunction!`. Same dependency and release profile as bench/peers/pyo3_pool.
"""
from __future__ import annotations

from . import kind
from .pyo3 import cargo_toml, function, pyclass


def generate(count: int) -> dict[str, str]:
    uses_map = any(kind(k) == "mapsize" for k in range(count))
    parts = [f"//! gen_pyo3_pool: {count} generated functions (bench/gen200).\n"]
    if uses_map:
        parts.append("use std::collections::HashMap;\n")
    parts.append("use pyo3::prelude::*;\n")
    parts.extend(function(k, indent="") for k in range(count))
    # `crate::` paths: a bare f16 / f32 / f64 / f128 in wrap_pyfunction! is ambiguous with
    # the primitive float types (rustc E0659).
    adds = "".join(f"    m.add_function(wrap_pyfunction!(crate::f{k}, m)?)?;\n" for k in range(count))
    parts.append(
        "#[pymodule]\n"
        "fn gen_pyo3_pool(_py: Python<'_>, m: &PyModule) -> PyResult<()> {\n"
        f"{adds}"
        "    Ok(())\n"
        "}\n"
    )
    return {"gen_pyo3_pool/Cargo.toml": cargo_toml("gen_pyo3_pool", "=0.20.3"), "gen_pyo3_pool/src/lib.rs": "\n".join(parts)}


def generate_classes(count: int) -> dict[str, str]:
    parts = [f"//! genc_pyo3_pool: {count} generated classes (bench/gen200).\n", "use pyo3::prelude::*;\n"]
    parts.extend(pyclass(j, indent="") for j in range(count))
    adds = "".join(f"    m.add_class::<C{j}>()?;\n" for j in range(count))
    parts.append(
        "#[pymodule]\n"
        "fn genc_pyo3_pool(_py: Python<'_>, m: &PyModule) -> PyResult<()> {\n"
        f"{adds}"
        "    Ok(())\n"
        "}\n"
    )
    return {"genc_pyo3_pool/Cargo.toml": cargo_toml("genc_pyo3_pool", "=0.20.3"),
            "genc_pyo3_pool/src/lib.rs": "\n".join(parts)}
