// Defining a bound function: the record from the callable and its annotations (names,
// defaults, markers, docstring), the text signature, and overloads of one name.
#pragma once
#include "dispatch.h"
#include <stdexcept>
#include <string>

namespace pyowned::detail {

// How a default value shows in a signature: its repr when that is a Python literal, else "...".
PYOWNED_COLD inline bool is_literal(PyObject* o, int depth = 0) {
    if (depth > 8) return false;
    if (o == Py_None || PyBool_Check(o) || PyLong_CheckExact(o) || PyUnicode_CheckExact(o) || PyBytes_CheckExact(o))
        return true;
    if (PyFloat_CheckExact(o)) {
        double d = PyFloat_AS_DOUBLE(o);
        return d - d == 0.0;  // finite: inf and nan have no literal
    }
    if (PyTuple_CheckExact(o) || PyList_CheckExact(o)) {
        PyObject* items = PySequence_Fast(o, "");
        if (!items) return PyErr_Clear(), false;
        bool all = true;
        for (Py_ssize_t i = 0; all && i < PySequence_Fast_GET_SIZE(items); ++i)
            all = is_literal(PySequence_Fast_GET_ITEM(items, i), depth + 1);
        Py_DECREF(items);
        return all;
    }
    if (PyDict_CheckExact(o)) {
        Py_ssize_t pos = 0;
        PyObject *k, *v;
        while (PyDict_Next(o, &pos, &k, &v))
            if (!is_literal(k, depth + 1) || !is_literal(v, depth + 1)) return false;
        return true;
    }
    return false;
}

PYOWNED_COLD inline std::string render_default(PyObject* value) {
    if (!is_literal(value)) return "...";
    PyObject* repr = PyObject_Repr(value);
    if (!repr) return PyErr_Clear(), "...";
    std::string text = name_of(repr);
    Py_DECREF(repr);
    return text;
}

// "(a, b=1, /, c, *, k=2.0)" or, with types, "(a: int, b: int = 1, ...)".
PYOWNED_COLD inline std::string render_signature(const FunctionRecord& r, bool typed) {
    std::string out = "(";
    auto sep = [&] {
        if (out.size() > 1) out += ", ";
    };
    const std::size_t n = r.names.size();
    for (std::size_t i = 0; i < n; ++i) {
        if (i == r.keyword_only_from && !r.has_args) {
            sep();
            out += "*";
        }
        if (i == r.keyword_only_from && r.has_args) {
            sep();
            out += "*args";
        }
        sep();
        out += name_of(r.names[i]);
        if (typed) out += ": " + r.type_names[i];
        if (r.defaults[i]) out += (typed ? " = " : "=") + render_default(r.defaults[i]);
        if (i + 1 == r.positional_only) out += ", /";
    }
    if (r.has_args && r.keyword_only_from >= n) {
        sep();
        out += "*args";
    }
    if (r.has_kwargs) {
        sep();
        out += "**kwargs";
    }
    return out + ")";
}

// The builtin's ml_doc. One overload: "name(sig)\n--\n\ndoc", from which CPython makes
// __text_signature__ and __doc__ (so inspect.signature and help() show the signature).
// Several: every overload's signature and docstring, and no text signature.
PYOWNED_COLD inline void update_doc(FunctionRecord& first) {
    if (!first.next_overload) {
        first.doc_text = first.name + first.signature + "\n--\n\n" + first.doc;
    } else {
        std::string text;
        for (const FunctionRecord* r = &first; r; r = r->next_overload.get()) text += first.name + r->typed_signature + "\n";
        text += "\nOverloaded function.\n";
        int i = 1;
        for (const FunctionRecord* r = &first; r; r = r->next_overload.get()) {
            text += "\n" + std::to_string(i++) + ". " + first.name + r->typed_signature + "\n";
            if (!r->doc.empty()) text += "\n" + r->doc + "\n";
        }
        first.doc_text = text;
    }
    first.def.ml_doc = first.doc_text.c_str();
}

// Collects def()'s annotations after the callable: an optional docstring, py::arg names
// (with defaults as py::arg("k") = v), and the markers py::pos_only() and py::kw_only().
class Annotations {
public:
    Annotations(Python py, FunctionRecord& r) : py_(py), r_(r) {}

    void add(const char* doc) { r_.doc = doc ? doc : ""; }
    void add(const arg& a) { param(a.name, nullptr); }
    template <class V>
    void add(const KwArg<V>& a) {
        // converted once, now; the record keeps the reference
        param(a.name, into_py(py_, std::forward<V>(const_cast<KwArg<V>&>(a).value)).into_ptr());
    }
    void add(pos_only) { pos_only_ = count_, has_pos_only_ = true; }
    void add(kw_only) { kw_only_ = count_, has_kw_only_ = true; }

    // Checks the annotations against the `regular` parameters and completes the record.
    void finish(std::size_t regular) {
        if (count_ == 0) {  // unnamed: positional-only arg0, arg1, ...
            for (std::size_t i = 0; i < regular; ++i) param(("arg" + std::to_string(i)).c_str(), nullptr);
            if (regular) pos_only_ = regular, has_pos_only_ = true;
        }
        if (count_ != regular)
            throw std::invalid_argument(r_.name + "(): " + std::to_string(count_) + " py::arg given for " +
                                        std::to_string(regular) + " parameters");
        r_.positional_only = has_pos_only_ ? pos_only_ : 0;
        r_.keyword_only_from = has_kw_only_ ? kw_only_ : regular;
        if (r_.positional_only > r_.keyword_only_from)
            throw std::invalid_argument(r_.name + "(): py::pos_only() must come before py::kw_only()");
        for (std::size_t i = 1; i < r_.keyword_only_from; ++i)
            if (r_.defaults[i - 1] && !r_.defaults[i])
                throw std::invalid_argument(r_.name + "(): parameter '" + name_of(r_.names[i]) +
                                            "' without a default follows one with a default");
    }

private:
    void param(const char* name, PyObject* default_value) {
        PyObject* interned = PyUnicode_InternFromString(name);
        if (!interned) {
            Py_XDECREF(default_value);
            throw_fetched();
        }
        r_.names.push_back(interned);
        r_.defaults.push_back(default_value);
        ++count_;
    }

    Python py_;
    FunctionRecord& r_;
    std::size_t count_ = 0, pos_only_ = 0, kw_only_ = 0;
    bool has_pos_only_ = false, has_kw_only_ = false;
};

template <class P>
std::string param_type_name() {
    if constexpr (param_kind<P>() == ParamKind::regular) return std::string(python_name<P>());
    else return {};
}

template <class Fn, class R, class... P>
void fill_record(FunctionRecord& r, type_list<P...>) {
    using B = Binding<Fn, R, P...>;
    r.dispatch = &B::dispatch;
    // (entry<true> is chosen once the annotations show that no parameter is keyword-only)
    r.def.ml_meth = reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)(void)>(&B::template entry<false>));
    r.has_args = B::Sig::has_args;
    r.has_kwargs = B::Sig::has_kwargs;
    (
        [&] {
            if constexpr (param_kind<P>() == ParamKind::regular) r.type_names.push_back(param_type_name<P>());
        }(),
        ...);
}

template <class Fn, class R, class... P>
void set_positional_entry(FunctionRecord& r, type_list<P...>) {
    r.def.ml_meth = reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)(void)>(&Binding<Fn, R, P...>::template entry<true>));
}

// The builtin function already bound to `name` in `scope` by this build of pyowned, if any.
inline PyObject* existing_overloads(PyObject* scope, PyObject* name, PyObject* carrier_type) {
    PyObject* existing;
    if (compat::get_optional_attr(scope, name, &existing) < 0) throw_fetched();
    if (existing && PyCFunction_Check(existing) && PyCFunction_GET_SELF(existing) &&
        Py_TYPE(PyCFunction_GET_SELF(existing)) == reinterpret_cast<PyTypeObject*>(carrier_type))
        return existing;
    Py_XDECREF(existing);
    return nullptr;
}

// Binds `f` as `scope.<name>` (a module function), or adds an overload to the one there.
template <class F, class... Extra>
void define_function(Python py, PyObject* scope, const char* name, F&& f, Extra&&... extra) {
    using Fn = std::decay_t<F>;
    using Traits = callable_traits<Fn>;
    auto record = std::make_unique<FunctionRecord>();
    record->name = name;
    record->callable = new Fn(std::forward<F>(f));
    record->destroy_callable = [](void* p) { delete static_cast<Fn*>(p); };
    record->def.ml_name = record->name.c_str();
    record->def.ml_flags = METH_FASTCALL | METH_KEYWORDS;
    fill_record<Fn, typename Traits::ret>(*record, typename Traits::params{});

    Annotations annotations(py, *record);
    (annotations.add(std::forward<Extra>(extra)), ...);
    annotations.finish(record->type_names.size());
    if (!record->has_args && !record->has_kwargs && record->keyword_only_from == record->names.size()) {
        record->fast_nargs = static_cast<Py_ssize_t>(record->names.size());
        set_positional_entry<Fn, typename Traits::ret>(*record, typename Traits::params{});
    }
    record->signature = render_signature(*record, false);
    record->typed_signature = render_signature(*record, true);

    PyObject* carrier_t = carrier_type();
    if (!carrier_t) throw_fetched();
    Owned<Any> carrier_type_owned = Owned<Any>::from_owned_ptr(py, carrier_t);
    Owned<Str> py_name = Str::from(py, name);

    if (PyObject* existing = existing_overloads(scope, py_name.ptr(), carrier_t)) {
        Owned<Any> holder = Owned<Any>::from_owned_ptr(py, existing);
        FunctionRecord& first = record_slot(PyCFunction_GET_SELF(existing))[0];
        FunctionRecord* last = &first;
        while (last->next_overload) last = last->next_overload.get();
        last->next_overload = std::move(record);
        first.def.ml_meth = reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)(void)>(&overloaded_entry));
        update_doc(first);
        return;
    }

    update_doc(*record);
    PyObject* module_name = PyModule_Check(scope) ? PyModule_GetNameObject(scope) : PyObject_GetAttrString(scope, "__module__");
    if (!module_name) throw_fetched();
    Owned<Any> mod_name = Owned<Any>::from_owned_ptr(py, module_name);
    Owned<Any> carrier = steal_or_throw<Owned<Any>>(PyObject_CallOneArg(carrier_t, module_name));
    record_slot(carrier.ptr()) = record.get();  // the carrier owns the record from here on
    PyMethodDef* def = &record.release()->def;
    Owned<Any> function = steal_or_throw<Owned<Any>>(PyCFunction_NewEx(def, carrier.ptr(), module_name));
    check_status(PyObject_SetAttr(scope, py_name.ptr(), function.ptr()));
}

}  // namespace pyowned::detail
