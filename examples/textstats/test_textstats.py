"""Checks the textstats extension module and prints a short demo.

    python test_textstats.py DIR      # DIR: where textstats.*.so was built
    TEXTSTATS_DIR=DIR python test_textstats.py

Plain Python (no pytest): every check is an assert, and the script exits non-zero on the
first failure. The results are compared with a reference implementation in Python below.
"""

import inspect
import os
import sys
import unicodedata
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
SAMPLE = os.path.join(HERE, "data", "sample.txt")

module_dir = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("TEXTSTATS_DIR")
if not module_dir:
    sys.exit("usage: test_textstats.py MODULE_DIR (or set TEXTSTATS_DIR)")
sys.path.insert(0, os.path.abspath(module_dir))

import textstats  # noqa: E402

assert os.path.dirname(os.path.abspath(textstats.__file__)) == os.path.abspath(module_dir), textstats.__file__


# --- a reference implementation --------------------------------------------------------------

APOSTROPHES = "'\u2019"


def is_word_char(ch):
    return unicodedata.category(ch)[0] in "LNM"


def reference_words(text, lowercase=True, min_length=1):
    """The words of `text` as textstats defines them, in order."""
    if lowercase:
        text = text.lower()
    words, run = [], ""
    for ch in text + " ":
        if is_word_char(ch) or ch in APOSTROPHES:
            run += ch
            continue
        word = run.strip(APOSTROPHES)
        if word and len(word) >= min_length:
            words.append(word)
        run = ""
    return words


def reference_counts(texts, **options):
    counts = Counter()
    for text in [texts] if isinstance(texts, str) else texts:
        counts.update(reference_words(text, **options))
    return dict(counts)


def expect_error(exc_type, message, fn, *args, **kwargs):
    try:
        fn(*args, **kwargs)
    except exc_type as e:
        assert str(e) == message, f"expected {message!r}, got {str(e)!r}"
    else:
        raise AssertionError(f"expected {exc_type.__name__}: {message}")


checks = 0


def check(condition, what):
    global checks
    assert condition, what
    checks += 1


# --- word_counts ------------------------------------------------------------------------------

wc = textstats.word_counts
check(wc("") == {}, "empty text")
check(wc("  ,;  ") == {}, "no words")
check(wc("The cat and the hat.") == {"the": 2, "cat": 1, "and": 1, "hat": 1}, "simple text")
check(list(wc("b a b c a b")) == ["b", "a", "c"], "first-appearance order")
check(wc("The THE the", lowercase=False) == {"The": 1, "THE": 1, "the": 1}, "lowercase=False")
check(wc("a bb ccc dddd", min_length=3) == {"ccc": 1, "dddd": 1}, "min_length")
check(wc("route 66, 1984") == {"route": 1, "66": 1, "1984": 1}, "digits")

# Apostrophes inside words stay; at the ends they are dropped.
check(wc("don't 'tis rock'n'roll 'quoted' '' it’s") ==
      {"don't": 1, "tis": 1, "rock'n'roll": 1, "quoted": 1, "it’s": 1}, "apostrophes")

# Non-ASCII text: letters are Unicode's, punctuation is not part of a word.
check(wc("Café naïve CAFÉ") == {"café": 2, "naïve": 1}, "accented letters")
check(wc("Café naïve", min_length=5) == {"naïve": 1}, "min_length counts characters, not bytes")
decomposed = unicodedata.normalize("NFD", "Café naïve")  # e + U+0301, i + U+0308
check(wc(decomposed) == {unicodedata.normalize("NFD", w): 1 for w in ("café", "naïve")}, "combining marks")
check(wc("“Quoted” — dash…done") == {"quoted": 1, "dash": 1, "done": 1}, "Unicode punctuation")
check(wc("Straße ΟΔΟΣ Привет 東京 x²") == {"straße": 1, "οδος": 1, "привет": 1, "東京": 1, "x²": 1},
      "other scripts")
check(wc("🙂smile🙂") == {"smile": 1}, "emoji separate words")

# A str is one text; a list (or any iterable) of str is several.
check(wc("ab") == {"ab": 1}, "a str is not a sequence of characters")
check(wc(["a b", "b c"]) == {"a": 1, "b": 2, "c": 1}, "list of str")
check(wc(("a", "a")) == {"a": 2}, "tuple of str")
check(wc(line for line in ["x y", "y"]) == {"x": 1, "y": 2}, "generator of str")
check(wc([]) == {}, "empty list")

with open(SAMPLE, encoding="utf-8") as f:
    sample = f.read()
check(wc(sample) == reference_counts(sample), "sample.txt matches the reference")
check(wc(sample, lowercase=False, min_length=4) == reference_counts(sample, lowercase=False, min_length=4),
      "sample.txt with options matches the reference")
with open(SAMPLE, encoding="utf-8") as f:
    check(wc(f) == wc(sample), "an open file counts line by line")
tricky = "É’a ’’ a’’b x'y' 'z ÀB́C i̇ ΣΑΣ σας 3½ ᾼ"
check(wc(tricky) == reference_counts(tricky), "tricky text matches the reference")

# Errors.
expect_error(TypeError, "word_counts() item 3 must be str, not int", wc, ["a", "b", "c", 3])
expect_error(TypeError, "word_counts() item 1 must be str, not NoneType", wc, iter(["a", None]))
expect_error(TypeError, "word_counts() argument 'text' must be str or an iterable of str, not int", wc, 42)
expect_error(TypeError, "word_counts() argument 'text' must be str or an iterable of str, not bytes", wc, b"a b")
expect_error(ValueError, "word_counts() min_length must be >= 1, got 0", wc, "a", min_length=0)
expect_error(ValueError, "word_counts() min_length must be >= 1, got -5", wc, "a", min_length=-5)
expect_error(TypeError, "word_counts() argument 'lowercase' must be bool, not int", wc, "a", lowercase=1)
expect_error(TypeError, "word_counts() takes 1 positional argument but 2 were given", wc, "a", False)
expect_error(TypeError, "word_counts() got an unexpected keyword argument 'lower'", wc, "a", lower=False)
expect_error(UnicodeEncodeError, "'utf-8' codec can't encode character '\\ud800' in position 1: surrogates not allowed",
             wc, "a\ud800")
checks += 10

# --- top_words --------------------------------------------------------------------------------

tw = textstats.top_words
counts = {"b": 2, "a": 2, "c": 5, "d": 1}
check(tw(counts) == [("c", 5), ("a", 2), ("b", 2), ("d", 1)], "sorted by count, then word")
check(tw(counts, 2) == [("c", 5), ("a", 2)], "n")
check(tw(counts, n=0) == [], "n=0")
check(tw(counts, 100) == tw(counts), "n beyond the size")
check(tw({}) == [], "empty dict")
check(tw(Counter("the hat the cat the".split())) == [("the", 3), ("cat", 1), ("hat", 1)], "a Counter is a dict")
check(all(type(t) is tuple for t in tw(counts)), "tuples")
check(tw({"é": 1, "z": 1, "e": 1}) == [("e", 1), ("z", 1), ("é", 1)], "ties in code point order, as sorted()")
big = wc(sample)
check(tw(big, 15) == sorted(big.items(), key=lambda kv: (-kv[1], kv[0]))[:15], "sample.txt matches sorted()")
key = "shared"
check(tw({key: 1})[0][0] is key, "the dict's own key objects")

expect_error(ValueError, "top_words() n must be >= 0, got -1", tw, counts, -1)
expect_error(TypeError, "top_words() keys must be str, not int", tw, {1: 2})
expect_error(TypeError, "top_words() count of 'a' must be int, not float", tw, {"a": 1.5})
expect_error(TypeError, "top_words() argument 'counts' must be dict, not list", tw, [("a", 1)])
expect_error(OverflowError, "Python int too large to convert to C int64_t", tw, {"a": 2**70})
checks += 5

# --- summary ----------------------------------------------------------------------------------

s = textstats.summary("Café naïve café")
check(s == {"characters": 15, "words": 3, "distinct_words": 2,
            "average_word_length": 13 / 3, "longest_word": "naïve"}, "summary of accented text")
check(list(s) == ["characters", "words", "distinct_words", "average_word_length", "longest_word"], "key order")
check(textstats.summary("") == {"characters": 0, "words": 0, "distinct_words": 0,
                                "average_word_length": 0.0, "longest_word": None}, "empty text")
check(textstats.summary("ab abc xyz")["longest_word"] == "abc", "the first of the longest")
check(textstats.summary(["ab", "cd e"])["characters"] == 6, "list of str: characters add up")
s = textstats.summary(sample)
ref = reference_words(sample)
check(s["characters"] == len(sample), "characters is len()")
check(s["words"] == len(ref) == sum(wc(sample).values()), "words")
check(s["distinct_words"] == len(set(ref)) == len(wc(sample)), "distinct_words")
check(abs(s["average_word_length"] - sum(map(len, ref)) / len(ref)) < 1e-12, "average_word_length")
check(s["longest_word"] == max(ref, key=len), "longest_word")
expect_error(TypeError, "summary() item 0 must be str, not float", textstats.summary, [1.0])
checks += 1

# --- signatures and docstrings ----------------------------------------------------------------

signatures = {
    "word_counts": "(text, *, lowercase=True, min_length=1)",
    "top_words": "(counts, n=10)",
    "summary": "(text)",
}
for name, expected in signatures.items():
    fn = getattr(textstats, name)
    check(str(inspect.signature(fn)) == expected, f"{name}{inspect.signature(fn)} != {expected}")
    check(fn.__doc__ and len(fn.__doc__) > 40, f"{name} has a docstring")
check(textstats.__doc__.startswith("Word statistics"), "module docstring")
check(textstats.__version__ == "0.1.0", "__version__")
check(isinstance(textstats.word_counts, type(len)), "a builtin function")

# --- demo -------------------------------------------------------------------------------------

stats = textstats.summary(sample)
print(f"{os.path.basename(SAMPLE)}: {stats['characters']} characters, {stats['words']} words, "
      f"{stats['distinct_words']} distinct, average length {stats['average_word_length']:.2f}, "
      f"longest {stats['longest_word']!r}")
print("top words:", ", ".join(f"{w} ({n})" for w, n in tw(wc(sample), 8)))
print("top words of 4+ letters:", ", ".join(f"{w} ({n})" for w, n in tw(wc(sample, min_length=4), 5)))
print("word_counts('Café naïve CAFÉ') ->", wc("Café naïve CAFÉ"))
print(f"textstats: all checks passed ({checks} checks)")
