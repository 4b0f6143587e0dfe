"""The scenario table: one program per language x outcome, with the limits
it is judged under, its tests and the verdict it must get.

Every program reads "a b" from stdin. `ok` prints a+b, `wa` prints a+b+1,
`tl` spins forever, `ml` keeps 512 MiB (Java: up to 4 GiB) of touched memory
alive, `bf` does not compile (or, for interpreted languages, does not
parse), `re` fails at run time (division by zero, uncaught exception,
panic). See simulator/scripts/<language>/<outcome>.<ext>.
"""

import os
from dataclasses import dataclass
from typing import Optional, Tuple

LANGUAGES = ("python", "c", "cpp", "go", "java", "javascript", "ruby",
             "c99", "c17", "c23", "cpp11", "cpp14", "cpp20", "cpp23", "bash", "perl",
             "awk", "lua", "php", "pypy", "pascal", "rust", "ocaml",
             "fortran", "d", "ada", "objc", "cobol", "nasm", "clang", "clangxx",
             "kotlin", "scala", "groovy", "clojure", "csharp", "haskell",
             "erlang", "elixir", "racket", "scheme", "sbcl", "tcl", "prolog", "forth",
             "r", "crystal", "nim", "coffeescript", "sed")
OUTCOMES = ("ok", "wa", "tl", "ml", "bf", "re")

EXTENSIONS = {
    "python": "py",
    "c": "c",
    "cpp": "cpp",
    "go": "go",
    "java": "java",
    "javascript": "js",
    "ruby": "rb",
    "c99": "c",
    "c17": "c",
    "c23": "c",
    "cpp11": "cpp",
    "cpp14": "cpp",
    "cpp20": "cpp",
    "cpp23": "cpp",
    "bash": "sh",
    "perl": "pl",
    "awk": "awk",
    "lua": "lua",
    "php": "php",
    "pypy": "py",
    "pascal": "pas",
    "rust": "rs",
    "ocaml": "ml",
    "fortran": "f90",
    "d": "d",
    "ada": "adb",
    "objc": "m",
    "cobol": "cob",
    "nasm": "asm",
    "clang": "c",
    "clangxx": "cpp",
    "kotlin": "kt",
    "scala": "scala",
    "groovy": "groovy",
    "clojure": "clj",
    "csharp": "cs",
    "haskell": "hs",
    "erlang": "erl",
    "elixir": "ex",
    "racket": "rkt",
    "scheme": "scm",
    "sbcl": "lisp",
    "tcl": "tcl",
    "prolog": "pl",
    "forth": "fs",
    "r": "R",
    "crystal": "cr",
    "nim": "nim",
    "coffeescript": "coffee",
    "sed": "sed",
}

# How each language writes a comment that runs to the end of its line
# (prefix, suffix): what --unique-sources appends to a program. A comment
# after the end of the program changes nothing it does, yet makes the source
# new to any cache keyed by its bytes.
_HASH = ("#", "")
_SLASH = ("//", "")
_DASH = ("--", "")
_SEMI = (";", "")
_PERCENT = ("%", "")
COMMENTS = {
    "python": _HASH, "pypy": _HASH, "ruby": _HASH, "bash": _HASH, "perl": _HASH,
    "awk": _HASH, "tcl": _HASH, "r": _HASH, "crystal": _HASH, "nim": _HASH,
    "coffeescript": _HASH, "elixir": _HASH, "sed": _HASH,
    "c": _SLASH, "c99": _SLASH, "c17": _SLASH, "c23": _SLASH, "clang": _SLASH,
    "cpp": _SLASH, "cpp11": _SLASH, "cpp14": _SLASH, "cpp20": _SLASH, "cpp23": _SLASH,
    "clangxx": _SLASH, "go": _SLASH, "java": _SLASH, "javascript": _SLASH,
    "rust": _SLASH, "d": _SLASH, "objc": _SLASH, "kotlin": _SLASH, "scala": _SLASH,
    "groovy": _SLASH, "csharp": _SLASH,
    # The programs never leave PHP mode (no closing "?>").
    "php": _SLASH,
    "lua": _DASH, "ada": _DASH, "haskell": _DASH,
    "nasm": _SEMI, "clojure": _SEMI, "racket": _SEMI, "scheme": _SEMI, "sbcl": _SEMI,
    "erlang": _PERCENT, "prolog": _PERCENT,
    "fortran": ("!", ""),
    "cobol": ("*>", ""),            # free format (-free in its profile)
    "forth": ("\\", ""),
    "pascal": ("{", "}"),
    "ocaml": ("(*", "*)"),
}


def unique_source(language, source, nonce):
    """`source` with a comment carrying `nonce` appended on a line of its own.
    Raises KeyError for a language whose comment syntax is not known here,
    rather than sending a program the comment might break."""
    if language not in COMMENTS:
        raise KeyError("no comment syntax known for language %r" % language)
    prefix, suffix = COMMENTS[language]
    nonce = str(nonce)
    if "\n" in nonce or (suffix and suffix in nonce):
        raise ValueError("nonce %r would end the comment" % nonce)
    sep = "" if source.endswith("\n") or not source else "\n"
    return "%s%s%s unique %s%s\n" % (source, sep, prefix, nonce,
                                      (" " + suffix) if suffix else "")


# Cells that cannot exist: the language has no step that checks a program
# without running it, so nothing it is sent can be BF (its profile's
# "outcomes" key says the same; simulator/tests check that they agree).
IMPOSSIBLE = {
    "forth": ("bf",),
}

SCRIPTS_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "scripts")

MIB = 1 << 20

# Per-language limits. CPU time limits are small so a TL costs little; the
# JVM needs more because its start-up (class loading, JIT threads) is billed
# as CPU time of the program. Java's memory limit is its heap (-Xmx): the
# profile adds its own memory_overhead for the rest of the JVM. Node's
# baseline resident set is ~40 MiB, so it gets 128 MiB of headroom.
TIME_LIMIT_MS = {
    "python": 1000,
    "c": 1000,
    "cpp": 1000,
    "go": 1000,
    # Asked for 1000 ms: lang/java.lang has time_factor = 2, so the worker
    # applies 2000 ms, the limit java has always been judged under here.
    "java": 1000,
    "javascript": 1000,
    "ruby": 1000,
}
# The other standards of C and C++ and PyPy (the same programs as c, cpp and
# python, through symlinks in scripts/) and the other languages (their
# programs are bats/programs/<language>/, linked): 1 s, 64 MiB; the JVM's
# other languages get Java's 256 MiB of heap.
JVM_LANGUAGES = ("kotlin", "scala", "groovy", "clojure")
EXTRA_LANGUAGES = tuple(lang for lang in LANGUAGES if lang not in TIME_LIMIT_MS)
for _lang in EXTRA_LANGUAGES:
    TIME_LIMIT_MS[_lang] = 1000
MEMORY_LIMIT_BYTES = {
    "python": 64 * MIB,
    "c": 64 * MIB,
    "cpp": 64 * MIB,
    "go": 64 * MIB,
    "java": 256 * MIB,
    "javascript": 128 * MIB,
    "ruby": 64 * MIB,
}
for _lang in EXTRA_LANGUAGES:
    MEMORY_LIMIT_BYTES[_lang] = 256 * MIB if _lang in JVM_LANGUAGES else 64 * MIB

# The tests every scenario is judged with: "a b" -> "a+b".
DEFAULT_TESTS = (("1 2\n", "3\n"), ("40 2\n", "42\n"))

# Expected top-level status and per-test statuses for two tests. After the
# first failing test the rest are not run ("-"). None for the tests means
# "no test ran": the build failed, so the tests list is empty or all "-".
EXPECTED = {
    "ok": ("OK", ("OK", "OK")),
    "wa": ("WA", ("WA", "-")),
    "tl": ("TL", ("TL", "-")),
    "ml": ("ML", ("ML", "-")),
    "bf": ("BF", None),
    "re": ("RE", ("RE", "-")),
}


@dataclass(frozen=True)
class Scenario:
    """One language x outcome cell of the matrix."""

    language: str
    outcome: str
    time_limit_ms: int
    memory_limit_bytes: int
    tests: Tuple[Tuple[str, str], ...]
    expected_status: str
    expected_tests: Optional[Tuple[str, ...]]

    @property
    def key(self):
        return "%s-%s" % (self.language, self.outcome)

    @property
    def script_path(self):
        return script_path(self.language, self.outcome)

    def source(self):
        with open(self.script_path, encoding="utf-8") as fh:
            return fh.read()


def script_path(language, outcome):
    """Path of the program for one cell."""
    return os.path.join(SCRIPTS_DIR, language, "%s.%s" % (outcome, EXTENSIONS[language]))


def expected_test_statuses(outcome, ntests):
    """Expected per-test statuses for `ntests` tests (None: no test runs)."""
    status, two = EXPECTED[outcome]
    if two is None:
        return None
    if ntests <= 0:
        return ()
    if status == "OK":
        return ("OK",) * ntests
    return (status,) + ("-",) * (ntests - 1)


def make_tests(count):
    """`count` tests of the "a b" -> "a+b" kind; the first two are the defaults."""
    tests = list(DEFAULT_TESTS[:count])
    i = len(tests)
    while len(tests) < count:
        a, b = 7 * i + 3, 1000 - 13 * i
        tests.append(("%d %d\n" % (a, b), "%d\n" % (a + b)))
        i += 1
    return tuple(tests)


def scenario(language, outcome, ntests=None):
    """The scenario for one cell; `ntests` overrides the number of tests."""
    if language not in EXTENSIONS:
        raise KeyError("unknown language %r" % language)
    if outcome not in EXPECTED:
        raise KeyError("unknown outcome %r" % outcome)
    if not possible(language, outcome):
        raise KeyError("%s cannot be %s (IMPOSSIBLE)" % (language, outcome))
    tests = DEFAULT_TESTS if ntests is None else make_tests(ntests)
    return Scenario(
        language=language,
        outcome=outcome,
        time_limit_ms=TIME_LIMIT_MS[language],
        memory_limit_bytes=MEMORY_LIMIT_BYTES[language],
        tests=tests,
        expected_status=EXPECTED[outcome][0],
        expected_tests=expected_test_statuses(outcome, len(tests)),
    )


def possible(language, outcome):
    """False for a cell the language cannot reach (IMPOSSIBLE)."""
    return outcome not in IMPOSSIBLE.get(language, ())


def all_scenarios(languages=LANGUAGES, outcomes=OUTCOMES, ntests=None):
    """Scenarios for every selected cell that can exist, languages major."""
    return [scenario(lang, out, ntests) for lang in languages for out in outcomes
            if possible(lang, out)]


def submission(sc, sub_id, source=None):
    """The submission record (a dict, PROTOCOL.md) for a scenario."""
    return {
        "type": "script",
        "id": sub_id,
        "language": sc.language,
        "source": sc.source() if source is None else source,
        "limits": {
            "time_limit_ms": sc.time_limit_ms,
            "memory_limit_bytes": sc.memory_limit_bytes,
        },
        "tests": [
            {"number": i + 1, "input": inp, "expected_output": out}
            for i, (inp, out) in enumerate(sc.tests)
        ],
    }


def parse_filter(text, allowed, what):
    """Parses a comma-separated selection ("" or "all" = everything)."""
    if text is None or text.strip() in ("", "all"):
        return tuple(allowed)
    chosen = []
    for word in text.split(","):
        word = word.strip()
        if not word:
            continue
        if word not in allowed:
            raise ValueError("unknown %s %r (known: %s)" % (what, word, ", ".join(allowed)))
        if word not in chosen:
            chosen.append(word)
    if not chosen:
        raise ValueError("empty %s selection" % what)
    return tuple(chosen)
