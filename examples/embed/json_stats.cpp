// json_stats: loads a JSON file through Python's json module and summarizes its records.
//
//     json_stats FILE.json
//
// FILE must hold a JSON array of objects. For every field the program prints, by the kind
// of its values: count, min, max and mean of the numbers; the number of distinct strings
// and the most common one; the true/false counts of booleans. A record without the field,
// or with null in it, counts as missing. Exit status: 0 on success, 1 when the file cannot
// be read, is not valid JSON or is not an array of objects, 2 on a usage error.
#include <pyowned/pyowned.h>

#include <cstdio>
#include <exception>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace py = pyowned;

namespace {

// What one field's values add up to over all records.
struct FieldStats {
    std::string name;
    std::size_t present = 0;  // records that have the field, null included
    std::size_t nulls = 0;

    std::size_t numbers = 0;  // int and float (a bool is not a number here)
    bool all_integers = true;
    double min = std::numeric_limits<double>::infinity();
    double max = -std::numeric_limits<double>::infinity();
    double sum = 0;

    std::size_t strings = 0;
    std::map<std::string, std::size_t, std::less<>> string_counts;

    std::size_t trues = 0, falses = 0;
    std::size_t others = 0;  // arrays, objects, and integers too large for a double

    void add_number(double x, bool integer) {
        ++numbers;
        all_integers = all_integers && integer;
        min = std::min(min, x);
        max = std::max(max, x);
        sum += x;
    }

    void add_string(std::string_view text) {
        ++strings;
        auto it = string_counts.find(text);
        if (it == string_counts.end()) it = string_counts.emplace(std::string(text), 0).first;
        ++it->second;
    }
};

class Summary {
public:
    // Parameters take views: the caller's list keeps the record alive.
    void add(py::Borrowed<py::Dict> record) {
        ++records_;
        for (auto [key, value] : record) {  // key and value: Owned<Any>, one pair at a time
            // JSON object keys are always strings; downcast checks it (TypeError if not).
            FieldStats& field = field_named(key.downcast<py::Str>().to_string_view());
            add_value(field, value);
        }
    }

    std::size_t records() const { return records_; }
    const std::vector<FieldStats>& fields() const { return fields_; }

private:
    FieldStats& field_named(std::string_view name) {
        auto it = index_.find(name);
        if (it == index_.end()) {
            it = index_.emplace(std::string(name), fields_.size()).first;
            fields_.emplace_back().name = std::string(name);
        }
        return fields_[it->second];
    }

    static void add_value(FieldStats& field, py::Borrowed<py::Any> value) {
        ++field.present;
        if (value.is_none()) {
            ++field.nulls;
        } else if (value.is_instance<py::Bool>()) {  // before Int: bool is a subclass of int
            ++(value.extract<bool>() ? field.trues : field.falses);
        } else if (auto text = value.try_downcast<py::Str>()) {
            field.add_string(text->to_string_view());  // no copy unless the string is new
        } else if (value.is_instance<py::Float>()) {
            field.add_number(value.extract<double>(), false);
        } else if (value.is_instance<py::Int>()) {
            // json gives Python ints of any size; one beyond a double's range does not convert.
            if (auto x = value.try_extract<double>()) field.add_number(*x, true);
            else ++field.others;
        } else {
            ++field.others;
        }
    }

    std::size_t records_ = 0;
    std::vector<FieldStats> fields_;                         // in order of first appearance
    std::map<std::string, std::size_t, std::less<>> index_;  // name -> position in fields_
};

// --- reading -------------------------------------------------------------------------------

// A JSON description of a parsed value, for error messages.
const char* json_kind(py::Borrowed<py::Any> value) {
    if (value.is_none()) return "null";
    if (value.is_instance<py::Bool>()) return "a boolean";
    if (value.is_instance<py::Int>() || value.is_instance<py::Float>()) return "a number";
    if (value.is_instance<py::Str>()) return "a string";
    if (value.is_instance<py::List>()) return "an array";
    if (value.is_instance<py::Dict>()) return "an object";
    return "something else";
}

// The file's text, read with Python's open(): UTF-8 decoding and its errors are Python's.
py::Owned<py::Str> read_text(py::Python py, const char* path) {
    py::Owned<py::Any> open = py::import(py, "builtins").getattr("open");
    py::Owned<py::Any> file = open(path, py::arg("encoding") = "utf-8");
    py::Result<py::Owned<py::Any>> text = file.getattr("read").try_call();
    file.call_method("close");  // also when read() failed
    return std::move(text).value().downcast_into<py::Str>();
}

// The parsed JSON, or nullopt after reporting why there is none.
std::optional<py::Owned<py::Any>> load(py::Python py, const char* path) {
    py::Owned<py::Module> json = py::import(py, "json");
    try {
        return json.call_method("loads", read_text(py, path));
    } catch (const py::Error& e) {
        py::Owned<py::BaseException> error = e.value(py);
        if (e.matches<py::OSError>(py)) {
            // "No such file or directory", without the errno prefix when Python has it apart.
            auto reason = error.getattr("strerror").try_extract<std::string>();
            std::fprintf(stderr, "json_stats: cannot read %s: %s\n", path,
                         reason ? reason->c_str() : error.str().to_string().c_str());
        } else if (e.matches<py::UnicodeDecodeError>(py)) {
            std::fprintf(stderr, "json_stats: %s is not UTF-8 text: %s\n", path, error.str().to_string().c_str());
        } else if (e.matches(py, json.getattr("JSONDecodeError"))) {
            // "Expecting ',' delimiter: line 3 column 5 (char 20)"
            std::fprintf(stderr, "json_stats: %s is not valid JSON: %s\n", path, error.str().to_string().c_str());
        } else {
            throw;
        }
        return std::nullopt;
    }
}

// --- printing ------------------------------------------------------------------------------

// Pads UTF-8 text to `width` columns (counting code points, which is right for most text).
std::string pad(std::string_view text, std::size_t width) {
    std::size_t columns = 0;
    for (unsigned char c : text) columns += (c & 0xC0) != 0x80;
    std::string out(text);
    if (columns < width) out.append(width - columns, ' ');
    return out;
}

std::string number(double x, bool integer) {
    char buf[64];
    std::snprintf(buf, sizeof buf, integer ? "%.0f" : "%.2f", x);
    return buf;
}

void print(const char* path, const Summary& summary) {
    const std::size_t n = summary.records();
    std::printf("%s: %zu records, %zu fields\n", path, n, summary.fields().size());
    auto missing = [n](const FieldStats& f) { return n - f.present + f.nulls; };
    auto any = [&](auto has) {
        for (const FieldStats& f : summary.fields())
            if (has(f)) return true;
        return false;
    };

    if (any([](const FieldStats& f) { return f.numbers > 0; })) {
        std::printf("\n%s%6s %8s %10s %10s %10s\n", pad("numbers", 16).c_str(), "count", "missing", "min", "max",
                    "mean");
        for (const FieldStats& f : summary.fields()) {
            if (f.numbers == 0) continue;
            std::printf("  %s%6zu %8zu %10s %10s %10s\n", pad(f.name, 14).c_str(), f.numbers, missing(f),
                        number(f.min, f.all_integers).c_str(), number(f.max, f.all_integers).c_str(),
                        number(f.sum / static_cast<double>(f.numbers), false).c_str());
        }
    }

    if (any([](const FieldStats& f) { return f.strings > 0; })) {
        std::printf("\n%s%6s %8s %10s   %s\n", pad("strings", 16).c_str(), "count", "missing", "distinct",
                    "most common");
        for (const FieldStats& f : summary.fields()) {
            if (f.strings == 0) continue;
            const std::pair<const std::string, std::size_t>* top = nullptr;
            for (const auto& entry : f.string_counts)  // ties: the first in sorted order
                if (!top || entry.second > top->second) top = &entry;
            std::string most =
                top->second == 1 ? "(all distinct)" : top->first + " (" + std::to_string(top->second) + ")";
            std::printf("  %s%6zu %8zu %10zu   %s\n", pad(f.name, 14).c_str(), f.strings, missing(f),
                        f.string_counts.size(), most.c_str());
        }
    }

    if (any([](const FieldStats& f) { return f.trues + f.falses > 0; })) {
        std::printf("\n%s%6s %8s %10s %10s\n", pad("booleans", 16).c_str(), "count", "missing", "true", "false");
        for (const FieldStats& f : summary.fields()) {
            if (f.trues + f.falses == 0) continue;
            std::printf("  %s%6zu %8zu %10zu %10zu\n", pad(f.name, 14).c_str(), f.trues + f.falses, missing(f), f.trues,
                        f.falses);
        }
    }

    bool others_header = false;
    for (const FieldStats& f : summary.fields()) {
        if (f.others == 0) continue;
        if (!others_header) std::printf("\nnot summarized (arrays, objects, integers beyond a double's range):\n");
        others_header = true;
        std::printf("  %s%6zu\n", pad(f.name, 14).c_str(), f.others);
    }
}

// --- main ----------------------------------------------------------------------------------

int summarize(py::Python py, const char* path) {
    std::optional<py::Owned<py::Any>> data = load(py, path);
    if (!data) return 1;

    // A view of the list: `data` owns it for the rest of this function.
    std::optional<py::Borrowed<py::List>> records = data->try_downcast<py::List>();
    if (!records) {
        std::fprintf(stderr, "json_stats: %s: the top-level value is %s, not an array of objects\n", path,
                     json_kind(*data));
        return 1;
    }

    Summary summary;
    std::size_t position = 0;
    for (py::Owned<py::Any> item : *records) {  // one strong reference at a time
        ++position;
        auto record = item.try_downcast<py::Dict>();
        if (!record) {
            std::fprintf(stderr, "json_stats: %s: record %zu is %s, not an object\n", path, position, json_kind(item));
            return 1;
        }
        summary.add(*record);
    }
    print(path, summary);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s FILE.json\n", argc > 0 ? argv[0] : "json_stats");
        return 2;
    }
    try {
        py::Interpreter interpreter;  // initializes Python, leaves this thread detached
        return py::attach([&](py::Python py) {
            try {
                return summarize(py, argv[1]);
            } catch (const py::Error& e) {  // anything unforeseen; what() reads "TypeError: ..."
                std::fprintf(stderr, "json_stats: %s\n", e.what());
                return 1;
            }
        });
    } catch (const std::exception& e) {  // Python failed to initialize
        std::fprintf(stderr, "json_stats: %s\n", e.what());
        return 1;
    }
}
