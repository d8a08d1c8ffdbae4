// textstats: an extension module that counts words.
//
//     >>> import textstats
//     >>> counts = textstats.word_counts("It is a truth universally acknowledged, that a single man ...")
//     >>> textstats.top_words(counts, 3)
//     [('a', 2), ('acknowledged', 1), ('is', 1)]
//     >>> textstats.summary("Café naïve café")
//     {'characters': 15, 'words': 3, 'distinct_words': 2, 'average_word_length': 4.33..., 'longest_word': 'naïve'}
//
// A word is a run of letters, digits and apostrophes, with the apostrophes at its ends
// dropped ("don't" and "rock'n'roll" are words, "'tis" counts as "tis"). Letters and digits
// are Unicode's: any character of category L (letters), N (numbers) or M (combining marks,
// so "naïve" stays one word in decomposed form too). ASCII is classified in C++; any other
// character is looked up once per call with Python's unicodedata.category. The apostrophe
// is ' or ’ (U+2019). Lengths count characters (code points), as Python's len() does.
//
// It shows the owned API in a module: a leading py::Python parameter, Borrowed parameters,
// keyword-only parameters with defaults, Str::to_string_view for zero-copy UTF-8, range-for
// over a List, an Iterator and a Dict, Dict::empty/set_item, Tuple::of, downcasts and
// extract, py::raise for errors, and a py::OnceCell holding a Python function.
#include <pyowned/pyowned.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace py = pyowned;

namespace {

// --- splitting text into words ---------------------------------------------------------------

enum class CharKind : std::uint8_t { separator, word, apostrophe };

// The UTF-8 length of the character whose first byte is `lead` (the text comes from a
// Python str, so it is valid UTF-8).
std::size_t utf8_length(unsigned char lead) {
    if (lead < 0x80) return 1;
    if (lead < 0xE0) return 2;
    if (lead < 0xF0) return 3;
    return 4;
}

// Classifies characters. ASCII by a test in C++; any other character by its Unicode category,
// asked of unicodedata.category once per distinct character and remembered for the call.
class CharClasses {
public:
    explicit CharClasses(py::Python py) : py_(py) {}

    // `ch`: one character's UTF-8.
    CharKind of(std::string_view ch) {
        const auto c = static_cast<unsigned char>(ch[0]);
        if (c < 0x80) {
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return CharKind::word;
            return c == '\'' ? CharKind::apostrophe : CharKind::separator;
        }
        if (ch == "\u2019") return CharKind::apostrophe;  // ’ RIGHT SINGLE QUOTATION MARK
        std::uint32_t key = 0;                            // the UTF-8 bytes themselves: at most four
        for (char b : ch) key = key << 8 | static_cast<unsigned char>(b);
        auto [it, inserted] = cache_.try_emplace(key, CharKind::separator);
        if (inserted) it->second = lookup(ch);
        return it->second;
    }

private:
    CharKind lookup(std::string_view ch) {
        // unicodedata.category("é") == "Ll"; the function is looked up once per process.
        static py::OnceCell<py::Py<py::Any>> category;
        py::Borrowed<py::Any> fn =
            category
                .get_or_init(py_,
                             [](py::Python py) { return py::import(py, "unicodedata").getattr("category").unbind(); })
                .bind(py_);
        py::Owned<py::Str> name = fn(ch).downcast_into<py::Str>();  // ch converts to a str
        const char major = name.to_string_view().front();
        return major == 'L' || major == 'N' || major == 'M' ? CharKind::word : CharKind::separator;
    }

    py::Python py_;
    std::unordered_map<std::uint32_t, CharKind> cache_;
};

// Calls on_word(word, characters) for every word of `text` (UTF-8), in order.
template <class OnWord>
void split_words(std::string_view text, CharClasses& classes, OnWord&& on_word) {
    constexpr std::size_t none = std::string_view::npos;
    std::size_t first = none;  // byte offset of the run's first letter or digit
    std::size_t end = 0;       // byte offset just past its last letter or digit
    std::size_t chars = 0;     // characters of the run up to `end`, counted from `first`
    std::size_t pending = 0;   // apostrophes seen since `end` (kept if a letter follows)
    auto finish = [&] {
        if (first != none) on_word(text.substr(first, end - first), chars);
        first = none;
        pending = 0;
    };
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t len = std::min(utf8_length(static_cast<unsigned char>(text[i])), text.size() - i);
        switch (classes.of(text.substr(i, len))) {
            case CharKind::word:
                if (first == none) {
                    first = i;
                    chars = 0;
                    pending = 0;  // leading apostrophes are dropped
                }
                chars += pending + 1;
                pending = 0;
                end = i + len;
                break;
            case CharKind::apostrophe:
                ++pending;  // inside a run of word characters; trailing ones are dropped
                break;
            case CharKind::separator:
                finish();
                break;
        }
        i += len;
    }
    finish();
}

// --- the text argument -----------------------------------------------------------------------

std::string type_name(py::Borrowed<py::Any> obj) { return obj.type().getattr("__name__").extract<std::string>(); }

[[noreturn]] void not_text(const char* function, py::Borrowed<py::Any> text) {
    py::raise<py::TypeError>(std::string(function) + "() argument 'text' must be str or an iterable of str, not " +
                             type_name(text));
}

[[noreturn]] void item_not_str(const char* function, std::size_t index, py::Borrowed<py::Any> item) {
    py::raise<py::TypeError>(std::string(function) + "() item " + std::to_string(index) + " must be str, not " +
                             type_name(item));
}

// Calls f(Borrowed<Str>) for `text`: a str, or each item of an iterable of str (a list, a
// tuple, a generator, an open text file, ...). A str is one text, never a sequence of
// characters; bytes are refused rather than read as a sequence of ints.
template <class F>
void for_each_text(py::Python py, const char* function, py::Borrowed<py::Any> text, F&& f) {
    if (auto s = text.try_downcast<py::Str>()) return f(*s);
    if (text.is_instance<py::Bytes>() || text.is_instance<py::ByteArray>()) not_text(function, text);

    std::size_t index = 0;
    if (auto list = text.try_downcast<py::List>()) {  // the common case: no iterator object
        for (py::Owned<py::Any> item : *list) {
            auto s = item.try_downcast<py::Str>();
            if (!s) item_not_str(function, index, item);
            f(*s);
            ++index;
            py::check_signals(py);  // Ctrl-C reaches a long list of long texts
        }
        return;
    }

    std::optional<py::Owned<py::Iterator>> items;
    try {
        items = text.iter();
    } catch (const py::Error& e) {
        if (!e.matches<py::TypeError>(py)) throw;
        not_text(function, text);  // "'int' object is not iterable" said in this function's words
    }
    for (const py::Owned<py::Any>& item : *items) {  // one item alive at a time
        auto s = item.try_downcast<py::Str>();
        if (!s) item_not_str(function, index, item);
        f(*s);
        ++index;
        py::check_signals(py);  // an endless generator can still be interrupted
    }
}

// --- counting --------------------------------------------------------------------------------

struct StringHash {
    using is_transparent = void;  // find(std::string_view) without making a std::string
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};

// Words and their counts, in the order of their first appearance, plus what summary() reports.
class Tally {
public:
    Tally(py::Python py, bool lowercase, std::size_t min_length)
        : py_(py), classes_(py), lowercase_(lowercase), min_length_(min_length) {}

    void add(py::Borrowed<py::Str> text) {
        characters_ += static_cast<std::size_t>(text.len());
        if (lowercase_) {
            // Python's str.lower: right for every script ("É" -> "é", final sigma, ...).
            py::Owned<py::Str> lowered = text.call_method("lower").downcast_into<py::Str>();
            add_words(lowered.to_string_view());  // the view lives as long as `lowered`
        } else {
            add_words(text.to_string_view());  // the caller's str: no copy at all
        }
    }

    // word -> count, in the order of first appearance.
    py::Owned<py::Dict> counts() const {
        py::Owned<py::Dict> result = py::Dict::empty(py_);
        for (const Entry* entry : order_) result.set_item(entry->first, entry->second.count);
        return result;
    }

    std::size_t characters() const { return characters_; }
    std::size_t words() const { return words_; }
    std::size_t distinct_words() const { return order_.size(); }
    std::size_t word_characters() const { return word_characters_; }
    // The longest word (the first of several as long), or nullptr when there is none.
    const std::string* longest_word() const { return longest_ ? &longest_->first : nullptr; }

private:
    struct Count {
        long long count = 0;
        std::size_t characters = 0;
    };
    using Map = std::unordered_map<std::string, Count, StringHash, std::equal_to<>>;
    using Entry = Map::value_type;  // nodes do not move, so pointers to them stay valid

    void add_words(std::string_view text) {
        split_words(text, classes_, [this](std::string_view word, std::size_t characters) {
            if (characters < min_length_) return;
            auto it = map_.find(word);
            if (it == map_.end()) {
                it = map_.emplace(std::string(word), Count{0, characters}).first;
                order_.push_back(&*it);
                if (!longest_ || characters > longest_->second.characters) longest_ = &*it;
            }
            ++it->second.count;
            ++words_;
            word_characters_ += characters;
        });
    }

    py::Python py_;
    CharClasses classes_;
    bool lowercase_;
    std::size_t min_length_;
    Map map_;
    std::vector<const Entry*> order_;
    const Entry* longest_ = nullptr;
    std::size_t characters_ = 0, words_ = 0, word_characters_ = 0;
};

// --- the module's functions ------------------------------------------------------------------

py::Owned<py::Dict> word_counts(py::Python py, py::Borrowed<py::Any> text, bool lowercase, long long min_length) {
    if (min_length < 1)
        py::raise<py::ValueError>("word_counts() min_length must be >= 1, got " + std::to_string(min_length));
    Tally tally(py, lowercase, static_cast<std::size_t>(min_length));
    for_each_text(py, "word_counts", text, [&](py::Borrowed<py::Str> s) { tally.add(s); });
    return tally.counts();
}

py::Owned<py::List> top_words(py::Python py, py::Borrowed<py::Dict> counts, long long n) {
    if (n < 0) py::raise<py::ValueError>("top_words() n must be >= 0, got " + std::to_string(n));

    std::vector<std::pair<py::Owned<py::Str>, long long>> entries;
    entries.reserve(static_cast<std::size_t>(counts.len()));
    for (auto [word, count] : counts) {
        auto w = word.try_downcast<py::Str>();  // a view of the key
        if (!w) py::raise<py::TypeError>("top_words() keys must be str, not " + type_name(word));
        if (!count.is_instance<py::Int>())
            py::raise<py::TypeError>("top_words() count of " + w->repr().to_string() + " must be int, not " +
                                     type_name(count));
        // the key object itself (a new reference), so the result shares the dict's strs
        entries.emplace_back(w->to_owned(), count.extract<long long>());  // OverflowError past 64 bits
    }

    // By count, highest first; equal counts by word (UTF-8 byte order is code point order,
    // so this is the order of Python's sorted()).
    auto before = [](const auto& a, const auto& b) {
        if (a.second != b.second) return a.second > b.second;
        return a.first.to_string_view() < b.first.to_string_view();
    };
    const auto k = static_cast<std::ptrdiff_t>(std::min<std::size_t>(static_cast<std::size_t>(n), entries.size()));
    std::partial_sort(entries.begin(), entries.begin() + k, entries.end(), before);

    py::Owned<py::List> result = py::List::empty(py);
    for (auto it = entries.begin(); it != entries.begin() + k; ++it)
        result.append(py::Tuple::of(py, it->first, it->second));  // (word, count)
    return result;
}

py::Owned<py::Dict> summary(py::Python py, py::Borrowed<py::Any> text) {
    Tally tally(py, /*lowercase=*/true, /*min_length=*/1);
    for_each_text(py, "summary", text, [&](py::Borrowed<py::Str> s) { tally.add(s); });

    py::Owned<py::Dict> result = py::Dict::empty(py);
    result.set_item("characters", tally.characters());
    result.set_item("words", tally.words());
    result.set_item("distinct_words", tally.distinct_words());
    result.set_item(
        "average_word_length",
        tally.words() ? static_cast<double>(tally.word_characters()) / static_cast<double>(tally.words()) : 0.0);
    if (const std::string* longest = tally.longest_word()) result.set_item("longest_word", *longest);
    else result.set_item("longest_word", py::None::get(py));
    return result;
}

}  // namespace

PYOWNED_MODULE(textstats, m) {
    m.doc(
        "Word statistics for text.\n\n"
        "A word is a run of letters, digits and apostrophes (' or \u2019) with the apostrophes at\n"
        "its ends dropped. Letters and digits are Unicode's (categories L, N and M), so\n"
        "\"Caf\u00e9 na\u00efve\" is two words. Lengths count characters, as len() does.");
    m.add("__version__", "0.1.0");

    m.def("word_counts", &word_counts,
          "Count the words of `text`: a str, or an iterable of str (a list, an open file, ...).\n\n"
          "Returns a dict word -> count, in the order words first appear. With lowercase=True\n"
          "(the default) words are lowercased with str.lower first. Words shorter than\n"
          "min_length characters are left out.",
          py::arg("text"), py::kw_only(), py::arg("lowercase") = true, py::arg("min_length") = 1);

    m.def("top_words", &top_words,
          "The n most frequent words of `counts` (a dict word -> count, as word_counts gives).\n\n"
          "Returns a list of (word, count) tuples, by count from the highest, and equal counts\n"
          "by word.",
          py::arg("counts"), py::arg("n") = 10);

    m.def("summary", &summary,
          "Summarize `text` (a str or an iterable of str, as for word_counts).\n\n"
          "Returns a dict: characters (len of the text), words, distinct_words,\n"
          "average_word_length (in characters) and longest_word (the first of the longest,\n"
          "lowercased; None when there are no words). Words are those of word_counts(text).",
          py::arg("text"));
}
