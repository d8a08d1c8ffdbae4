// What a stub generator reads of this shared object's bound classes and their methods: the
// part of bind/describe.h's `describe` that the class machinery installs (describe_class_objects,
// set as class_describer when a class or enum is bound).
#pragma once
#include "../bind/describe.h"
#include "enum.h"
#include "method.h"
#include "property.h"

// The shared code, compiled once in the core or inline (PYOWNED_CORE in detail/config.h).
#if PYOWNED_CORE_DEFINITIONS
namespace pyowned::detail {

// {"kind": "class", "cpp_name": "Point" (as signatures name it), "methods": {name: method object},
//  "properties": {name: (type, writable, doc)}}
PYOWNED_CORE_COLD PYOWNED_CORE PyObject* describe_class(const ClassRecord& cls) {
    PyObject* methods = PyDict_New();
    PyObject* properties = PyDict_New();
    bool ok = methods && properties;
    for (std::size_t i = 0; ok && i < cls.methods.size(); ++i)
        ok = PyDict_SetItemString(methods, cls.methods[i].first.c_str(), cls.methods[i].second) == 0;
    for (std::size_t i = 0; ok && i < cls.properties.size(); ++i) {
        const PropertyRecord& p = *cls.properties[i];
        PyObject* item = Py_BuildValue("(sOs)", p.type, p.def.set ? Py_True : Py_False, p.doc.c_str());
        ok = item && PyDict_SetItemString(properties, p.name.c_str(), item) == 0;
        Py_XDECREF(item);
    }
    if (!ok) {
        Py_XDECREF(methods);
        Py_XDECREF(properties);
        return nullptr;
    }
    const std::string cpp_name(unqualified_name(cls.cpp_name));
    return Py_BuildValue("{sssssNsN}", "kind", "class", "cpp_name", cpp_name.c_str(), "methods", methods, "properties",
                         properties);
}

// {"classes": {C++ name as signatures show it: "module.QualName"}} for the classes and enums
// bound in this interpreter by modules of this build's ABI: what a stub writes for the C++
// names in type names made at compile time ("list[Point]").
PYOWNED_CORE_COLD PYOWNED_CORE PyObject* describe_names() {
    PyObject* registry = class_registry();  // borrowed
    if (!registry) return nullptr;
    PyObject* names = PyDict_New();
    if (!names) return nullptr;
    PyObject* snapshot = PyDict_Items(registry);  // a list: the registry may change while read
    bool ok = snapshot != nullptr;
    for (Py_ssize_t i = 0; ok && i < detail::api::list_size(snapshot); ++i) {
        PyObject* capsule = detail::api::tuple_item(detail::api::list_item(snapshot, i), 1);
        std::string cpp_name;
        PyObject* type = nullptr;
        if (PyCapsule_IsValid(capsule, "pyowned.class")) {
            auto* r = static_cast<const ClassRecord*>(PyCapsule_GetPointer(capsule, "pyowned.class"));
            cpp_name = r->cpp_name;
            type = reinterpret_cast<PyObject*>(r->type);
        } else if (PyCapsule_IsValid(capsule, "pyowned.enum")) {
            auto* r = static_cast<const EnumRecord*>(PyCapsule_GetPointer(capsule, "pyowned.enum"));
            cpp_name = r->cpp_name;
            type = reinterpret_cast<PyObject*>(r->live_type());
        }
        if (!type) continue;
        PyObject* module = PyObject_GetAttrString(type, "__module__");
        PyObject* qualname = module ? PyObject_GetAttrString(type, "__qualname__") : nullptr;
        PyObject* full = qualname ? PyUnicode_FromFormat("%S.%S", module, qualname) : nullptr;
        const std::string_view short_name = unqualified_name(cpp_name);
        ok = full && PyDict_SetItemString(names, std::string(short_name).c_str(), full) == 0;
        Py_XDECREF(module);
        Py_XDECREF(qualname);
        Py_XDECREF(full);
    }
    Py_XDECREF(snapshot);
    if (!ok) {
        Py_DECREF(names);
        return nullptr;
    }
    return Py_BuildValue("{sN}", "classes", names);
}

// describe() of a method object, a class (this shared object's) or None (the class names).
PYOWNED_CORE_COLD PYOWNED_CORE PyObject* describe_class_objects(PyObject* obj) noexcept {
    if (obj == Py_None) return describe_names();
    PyObject* method = method_type();
    if (!method) return nullptr;
    const bool is_method = Py_TYPE(obj) == reinterpret_cast<PyTypeObject*>(method);
    Py_DECREF(method);  // the interpreter's state dict keeps it
    if (is_method) return describe_callable("method", *record_slot(obj));
    if (PyType_Check(obj)) {
        auto* type = reinterpret_cast<PyTypeObject*>(obj);
        const ClassRecord* cls = record_of_type(type);
        if (cls && cls->type == type) return describe_class(*cls);
    }
    Py_RETURN_NONE;
}

}  // namespace pyowned::detail
#endif  // PYOWNED_CORE_DEFINITIONS
