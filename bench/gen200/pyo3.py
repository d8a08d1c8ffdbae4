"""The generated module for the `pyo3` peer: a cargo crate `gen_pyo3` on the latest PyO3.

Written as PyO3 users write bindings today: a declarative `#[pymodule] mod` holding
`#[pyfunction]`s, typed parameters converted by PyO3 (`&str` as a view of the str's UTF-8
buffer, `Vec<i64>` and `HashMap<String, i64>` extracted by parameter type), defaults and
the keyword-only parameter given by `#[pyo3(signature = ...)]`. Same dependency and
release profile as bench/peers/pyo3.
"""
from __future__ import annotations

import textwrap

from . import kind


def cargo_toml(name: str, pyo3_version: str) -> str:
    """The generated crate's manifest (shared with pyo3_pool.py)."""
    return f"""\
[package]
name = "{name}"
version = "0.1.0"
edition = "2021"
publish = false

[lib]
name = "{name}"
crate-type = ["cdylib"]

[dependencies]
pyo3 = {{ version = "{pyo3_version}", features = ["extension-module"] }}

[profile.release]
opt-level = 3
lto = "fat"
codegen-units = 1
panic = "unwind"
strip = true
"""


def function(k: int, indent: str = "    ") -> str:
    """f{k} as a #[pyfunction] (shared with pyo3_pool.py: the same text in both APIs)."""
    return textwrap.indent(textwrap.dedent(_template(k)), indent)


def _template(k: int) -> str:
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
    lines = [
        f"//! gen_pyo3: {count} generated functions (bench/gen200).",
        "",
        "use pyo3::prelude::*;",
        "",
        "#[pymodule]",
        "mod gen_pyo3 {",
    ]
    if uses_map:
        lines.append("    use std::collections::HashMap;")
        lines.append("")
    lines.append("    use pyo3::prelude::*;")
    body = "\n".join(function(k) for k in range(count))
    lib_rs = "\n".join(lines) + "\n" + ("\n" + body if body else "") + "}\n"
    return {"gen_pyo3/Cargo.toml": cargo_toml("gen_pyo3", "0.30"), "gen_pyo3/src/lib.rs": lib_rs}


def pyclass(j: int, indent: str = "    ") -> str:
    """Cj as a #[pyclass] with its #[pymethods] (shared with pyo3_pool.py)."""
    return textwrap.indent(textwrap.dedent(f"""\
    #[pyclass]
    struct C{j} {{
        #[pyo3(get, set)]
        x: i64,
        #[pyo3(get, set)]
        y: f64,
    }}

    #[pymethods]
    impl C{j} {{
        #[new]
        fn new(x: i64, y: f64) -> Self {{
            Self {{ x, y }}
        }}
        fn get(&self) -> i64 {{
            self.x + {j}
        }}
        fn mul(&self, k: i64) -> i64 {{
            self.x * k + {j}
        }}
        fn strlen(&self, s: &str) -> i64 {{
            s.len() as i64 + self.x + {j}
        }}
        #[pyo3(signature = (scale = 2.0))]
        fn scale(&self, scale: f64) -> f64 {{
            self.y * scale + {j}.0
        }}
        fn dot(&self, other: PyRef<'_, Self>) -> f64 {{
            (self.x * other.x) as f64 + self.y * other.y
        }}
    }}
"""), indent)


def generate_classes(count: int) -> dict[str, str]:
    body = "\n".join(pyclass(j) for j in range(count))
    lib_rs = (f"//! genc_pyo3: {count} generated classes (bench/gen200).\n\n"
              "#[pyo3::pymodule]\nmod genc_pyo3 {\n    use pyo3::prelude::*;\n\n" + body + "}\n")
    return {"genc_pyo3/Cargo.toml": cargo_toml("genc_pyo3", "0.30"), "genc_pyo3/src/lib.rs": lib_rs}
