/*
 * testlib.h - a small header of our own that speaks testlib's calling
 * convention, so that checkers and interactors written the way problem
 * setters write them build and behave in scrc's tests without the real
 * library. Checker: registerTestlibCmd, argv = INPUT OUTPUT ANSWER.
 * Interactor: registerInteraction, argv = INPUT OUTPUT; ouf reads the
 * program's lines on stdin, stdout goes to the program, tout is OUTPUT.
 * The verdict is the exit code, the message goes to stderr. A stream that
 * cannot be read is the fault of whoever wrote it: the program's (ouf) is
 * a presentation error (a number out of range: wrong answer), the test's
 * own (inf, ans) a failure of the problem (_fail).
 */
#ifndef SCRC_TESTLIB_H
#define SCRC_TESTLIB_H

#include <cerrno>
#include <cmath>
#include <csignal>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

/*
 * The values are the exit codes the judge reads. _dirt (extra output) and
 * _unexpected_eof are reported as _pe (as _fail for inf and ans).
 */
enum TResult { _ok = 0, _wa = 1, _pe = 2, _fail = 3, _dirt = 4, _points = 7, _unexpected_eof = 8 };

/* The message of a printf-like function, as a std::string named msg. */
#define TESTLIB_MSG(fmt)						\
	va_list ap_;							\
	va_start(ap_, fmt);						\
	std::string msg = testlib_detail::vformat(fmt, ap_);		\
	va_end(ap_)

namespace testlib_detail {

enum mode { MODE_NONE, MODE_CHECKER, MODE_INTERACTOR };
inline mode run_mode = MODE_NONE;

inline std::string
vformat(const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	va_copy(cp, ap);
	n = vsnprintf(nullptr, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return fmt;
	std::string s(static_cast<size_t>(n) + 1, '\0');
	vsnprintf(&s[0], s.size(), fmt, ap);
	s.resize(static_cast<size_t>(n));
	return s;
}

/* Defined after the streams: it looks at ouf before accepting. */
[[noreturn]] void finish(TResult r, const std::string &msg, double points = 0);

inline bool is_blank(int c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

} /* namespace testlib_detail */

class InStream {
public:
	/* Whose stream it is decides what a failed read means. */
	enum role { ROLE_INPUT, ROLE_OUTPUT, ROLE_ANSWER };

	void init(FILE *f, role r, const std::string &name) { fp_ = f, role_ = r, name_ = name; }

	[[noreturn]] void
	quit(TResult r, const std::string &msg)
	{
		/* Only the program's output can be wrong; the rest is ours. */
		if (role_ != ROLE_OUTPUT && r != _ok)
			testlib_detail::finish(_fail, name_ + ": " + msg);
		testlib_detail::finish(r, msg);
	}

	[[noreturn, gnu::format(printf, 3, 4)]] void
	quitf(TResult r, const char *fmt, ...)
	{
		TESTLIB_MSG(fmt);
		quit(r, msg);
	}

	bool eof() { return peek() == EOF; }
	bool eoln() { return peek() == '\n' || peek() == '\r'; }

	/* Whitespace until the end: what "nothing more" means to a checker. */
	bool seekEof() { skip_blanks(); return eof(); }

	bool
	seekEoln()
	{
		while (peek() == ' ' || peek() == '\t')
			getc(fp_);
		return eoln();
	}

	std::string
	readToken()
	{
		std::string s;

		skip_blanks();
		if (peek() == EOF)
			quit(_unexpected_eof, "unexpected end of file: a token expected");
		while (peek() != EOF && !testlib_detail::is_blank(peek()))
			s += static_cast<char>(getc(fp_));
		return s;
	}

	std::string readWord() { return readToken(); }

	long long
	readLong()
	{
		std::string t = readToken();
		size_t digits = t[0] == '-' ? 1 : 0;
		char *end;
		long long v;

		/* strtoll alone would take "+5", " 5" or "0x5". */
		if (t.size() == digits || t.find_first_not_of("0123456789", digits) !=
		    std::string::npos)
			quit(_pe, "expected an integer, found \"" + t.substr(0, 64) + "\"");
		errno = 0;
		v = strtoll(t.c_str(), &end, 10);
		if (errno != 0)
			quit(_pe, "integer out of bounds: \"" + t.substr(0, 64) + "\"");
		return v;
	}

	long long
	readLong(long long lo, long long hi, const std::string &what = "")
	{
		return in_range(readLong(), lo, hi, what.empty() ? "integer" : what);
	}

	int readInt() { return static_cast<int>(readLong(-2147483648LL, 2147483647LL)); }
	int readInt(int lo, int hi, const std::string &w = "") { return static_cast<int>(readLong(lo, hi, w)); }

	double
	readDouble()
	{
		std::string t = readToken();
		char *end;
		double v;

		/* Plain decimal notation only: no "nan", "inf" or hex floats. */
		if (t.find_first_not_of("+-.0123456789eE") != std::string::npos)
			quit(_pe, "expected a number, found \"" + t.substr(0, 64) + "\"");
		v = strtod(t.c_str(), &end);
		if (*end != '\0' || !std::isfinite(v))
			quit(_pe, "expected a number, found \"" + t.substr(0, 64) + "\"");
		return v;
	}

	double
	readDouble(double lo, double hi, const std::string &what = "")
	{
		return in_range(readDouble(), lo, hi, what.empty() ? "number" : what);
	}

	double readReal() { return readDouble(); }

	std::vector<int>
	readInts(int n, int lo, int hi, const std::string &what = "")
	{
		std::vector<int> v;

		while (static_cast<int>(v.size()) < n)
			v.push_back(readInt(lo, hi, what));
		return v;
	}

	/* The rest of the current line, without its end of line. */
	std::string
	readLine()
	{
		std::string s;
		int c;

		if (peek() == EOF)
			quit(_unexpected_eof, "unexpected end of file: a line expected");
		while ((c = getc(fp_)) != EOF && c != '\n')
			s += static_cast<char>(c);
		if (!s.empty() && s.back() == '\r')
			s.pop_back();
		return s;
	}

	std::string readString() { return readLine(); }

	char
	readChar()
	{
		if (peek() == EOF)
			quit(_unexpected_eof, "unexpected end of file: a character expected");
		return static_cast<char>(getc(fp_));
	}

	void
	readChar(char want)
	{
		if (char c = readChar(); c != want)
			quitf(_pe, "expected character code %d, found %d", want, c);
	}

	void readSpace() { readChar(' '); }
	void readEoln() { if (peek() == '\r') getc(fp_); readChar('\n'); }
	void readEof() { if (!eof()) quit(_dirt, "extra information after the end"); }

private:
	FILE *fp_ = nullptr;
	role role_ = ROLE_INPUT;
	std::string name_;

	/* Look-ahead through stdio: on a pipe, getc waits for one read(2), no more. */
	int
	peek()
	{
		int c;

		if (fp_ == nullptr)
			testlib_detail::finish(_fail, "stream " + name_ + " is not open");
		if ((c = getc(fp_)) != EOF)
			ungetc(c, fp_);
		return c;
	}

	void
	skip_blanks()
	{
		while (testlib_detail::is_blank(peek()))
			getc(fp_);
	}

	/* Out of its range, a well-formed number is a wrong answer, not a format error. */
	template <typename T> T
	in_range(T v, T lo, T hi, const std::string &what)
	{
		if (v < lo || v > hi)
			quit(_wa, what + " = " + std::to_string(v) + " violates the range [" +
			    std::to_string(lo) + ", " + std::to_string(hi) + "]");
		return v;
	}
};

inline InStream inf, ouf, ans;
inline std::ofstream tout;

namespace testlib_detail {

[[noreturn]] inline void
finish(TResult r, const std::string &msg, double points)
{
	static bool finishing;
	std::string text = msg;
	static const char *const words[] = { "ok", "wrong answer", "wrong output format" };
	char word[64] = "FAIL";

	/* A read failure inside the check below must not loop back here. */
	if (finishing)
		r = _fail;
	finishing = true;
	/* testlib's rule: an accepted output holds nothing after the answer. */
	if (r == _ok && run_mode == MODE_CHECKER && !ouf.seekEof()) {
		r = _pe;
		text = "extra information in the output file";
	}
	if (r == _dirt || r == _unexpected_eof)
		r = _pe;
	if (r == _ok || r == _wa || r == _pe)
		strcpy(word, words[r]);
	else if (r == _points)
		snprintf(word, sizeof word, "points %.10g", points);
	else
		r = _fail;
	fprintf(stderr, "%s %s\n", word, text.c_str());
	fflush(stdout);
	if (tout.is_open())
		tout.close();
	exit(r);
}

inline void
open_or_fail(InStream &s, const char *path, InStream::role r, const char *what)
{
	FILE *f = fopen(path, "r");

	if (f == nullptr)
		finish(_fail, std::string("cannot open ") + what + " " + path + ": " +
		    strerror(errno));
	s.init(f, r, what);
}

} /* namespace testlib_detail */

[[noreturn]] inline void quit(TResult r, const std::string &msg) { testlib_detail::finish(r, msg); }

[[noreturn, gnu::format(printf, 2, 3)]] inline void
quitf(TResult r, const char *fmt, ...)
{
	TESTLIB_MSG(fmt);
	testlib_detail::finish(r, msg);
}

/* A partial score, a fraction of the test: "points <value> <message>", exit 7. */
[[noreturn, gnu::format(printf, 2, 3)]] inline void
quitp(double points, const char *fmt, ...)
{
	TESTLIB_MSG(fmt);
	testlib_detail::finish(_points, msg, points);
}

[[noreturn]] inline void quitp(double p, const std::string &m) { testlib_detail::finish(_points, m, p); }

/* A macro as in testlib: the message's arguments are only evaluated when due. */
#define quitif(cond, ...) do { if (cond) quitf(__VA_ARGS__); } while (0)

/* A broken assumption of the problem setter's: _fail, never the program's fault. */
[[gnu::format(printf, 2, 3)]] inline void
ensuref(bool cond, const char *fmt, ...)
{
	if (cond)
		return;
	TESTLIB_MSG(fmt);
	testlib_detail::finish(_fail, msg);
}

#define ensure(cond) ensuref((cond), "%s failed (%s:%d)", #cond, __FILE__, __LINE__)

[[gnu::format(printf, 1, 2)]] inline std::string
format(const char *fmt, ...)
{
	TESTLIB_MSG(fmt);
	return msg;
}

template <typename T> std::string vtos(const T &v) { std::ostringstream os; os << v; return os.str(); }

inline std::string
englishEnding(int n)
{
	if (n % 100 / 10 == 1 || n % 10 == 0 || n % 10 > 3)
		return "th";
	return n % 10 == 1 ? "st" : n % 10 == 2 ? "nd" : "rd";
}

/* Equal within an absolute or a relative error of eps, testlib's rule. */
inline bool
doubleCompare(double expected, double result, double eps)
{
	if (std::isnan(expected) || std::isnan(result))
		return std::isnan(expected) && std::isnan(result);
	if (std::isinf(expected) || std::isinf(result))
		return expected == result;
	return std::fabs(expected - result) <= eps + 1e-15 ||
	    std::fabs(expected - result) <= eps * std::fabs(expected) + 1e-15;
}

inline void setName(const char *, ...) {}

inline void
registerTestlibCmd(int argc, char *argv[])
{
	testlib_detail::run_mode = testlib_detail::MODE_CHECKER;
	if (argc < 4)
		quit(_fail, "usage: checker INPUT OUTPUT ANSWER");
	testlib_detail::open_or_fail(inf, argv[1], InStream::ROLE_INPUT, "input");
	testlib_detail::open_or_fail(ouf, argv[2], InStream::ROLE_OUTPUT, "output");
	testlib_detail::open_or_fail(ans, argv[3], InStream::ROLE_ANSWER, "answer");
}

inline void
registerInteraction(int argc, char *argv[])
{
	testlib_detail::run_mode = testlib_detail::MODE_INTERACTOR;
	/* A program that quits early loses the test; SIGPIPE would make it our failure. */
	signal(SIGPIPE, SIG_IGN);
	if (argc < 3)
		quit(_fail, "usage: interactor INPUT OUTPUT");
	testlib_detail::open_or_fail(inf, argv[1], InStream::ROLE_INPUT, "input");
	tout.open(argv[2]);
	if (!tout.is_open())
		quit(_fail, std::string("cannot open output ") + argv[2]);
	ouf.init(stdin, InStream::ROLE_OUTPUT, "program");
}

#endif /* SCRC_TESTLIB_H */
