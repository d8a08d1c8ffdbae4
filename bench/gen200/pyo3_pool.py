"""The generated module for the `pyo3-pool` peer: a cargo crate `gen_pyo3_pool` on PyO3 0.20.

Written as PyO3 0.20 users wrote bindings: `#[pyfunction]`s with typed parameters (`&str`
as a view of the str's UTF-8 buffer, `Vec<i64>` and `HashMap<String, i64>` extracted by
parameter type), defaults and the keyword-only parameter given by
`#[pyo3(signature = ...)]`, added to a `#[pymodule] fn(py, &PyModule)` with
`wrap_pyfunction!`. Same dependency and release profile as bench/peers/pyo3_pool.
"""
from __future__ import annotations

from . import kind

CARGO_TOML = """\
[package]
name = "gen_pyo3_pool"
version = "0.1.0"
edition = "2021"
publish = false

[lib]
name = "gen_pyo3_pool"
crate-type = ["cdylib"]

[dependencies]
pyo3 = { version = "=0.20.3", features = ["extension-module"] }

[profile.release]
opt-level = 3
lto = "fat"
codegen-units = 1
panic = "unwind"
strip = true
"""


def _function(k: int) -> str:
    return {
        "add": f"""\
#[pyfunction]
fn f{k}(a: i64, b: i64) -> i64 {{
    a + b + {k}
}}
""",
        "scale": f"""\
#[pyfunction]
#[pyo3(signature = (x, scale = 2.0))]
fn f{k}(x: f64, scale: f64) -> f64 {{
    x * scale + {k}.0
}}
""",
        "strlen": f"""\
#[pyfunction]
fn f{k}(s: &str) -> usize {{
    s.len() + {k}
}}
""",
        "vecsum": f"""\
#[pyfunction]
fn f{k}(xs: Vec<i64>) -> i64 {{
    xs.iter().sum::<i64>() + {k}
}}
""",
        "mapsize": f"""\
#[pyfunction]
#[pyo3(signature = (d, *, extra = 0))]
fn f{k}(d: HashMap<String, i64>, extra: i64) -> i64 {{
    d.len() as i64 + extra + {k}
}}
""",
    }[kind(k)]


def generate(count: int) -> dict[str, str]:
    uses_map = any(kind(k) == "mapsize" for k in range(count))
    parts = [f"//! gen_pyo3_pool: {count} generated functions (bench/gen200).\n"]
    if uses_map:
        parts.append("use std::collections::HashMap;\n")
    parts.append("use pyo3::prelude::*;\n")
    parts.extend(_function(k) for k in range(count))
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
    return {"gen_pyo3_pool/Cargo.toml": CARGO_TOML, "gen_pyo3_pool/src/lib.rs": "\n".join(parts)}
