#pragma once

// Internal to the model library: a streaming JSON tokenizer that drives a SAX handler with
// nlohmann's event names (null, boolean, number_integer, number_unsigned, number_float, string,
// key, start_object, end_object, start_array, end_array). nlohmann's own lexer copies every
// character of the input, whitespace included, into a token buffer; for 300 MB snapshots that
// is most of the load time, so the snapshot loader tokenizes here and only builds values with
// nlohmann. Strict RFC 8259: no comments, no trailing commas, UTF-8 validated, depth limited.

#include <QIODevice>
#include <QString>
#include <cstdint>
#include <string>
#include <vector>

namespace cartograph::detail {

class JsonStream
{
public:
    // Reads the device in 1 MiB chunks; nothing but the current chunk is held.
    explicit JsonStream(QIODevice *device);
    // Reads memory that outlives the stream; no copy.
    JsonStream(const char *data, qint64 size);

    // Runs the handler over one JSON document. Returns false on a syntax error (see
    // errorOffset/errorMessage) or when the handler returned false (then errorMessage is empty).
    template <typename Handler> bool parse(Handler &handler);

    qint64 errorOffset() const { return m_errorOffset; }
    const QString &errorMessage() const { return m_errorMessage; }
    bool readFailed() const { return m_readFailed; }

    static constexpr int kMaxDepth = 512;

private:
    enum class Container : std::uint8_t
    {
        Object,
        Array
    };

    bool fill();
    int peek()
    {
        if (m_cursor == m_end && !fill())
            return -1;
        return static_cast<unsigned char>(*m_cursor);
    }
    qint64 offset() const { return m_base + (m_cursor - m_chunkStart); }
    // Most tokens follow no whitespace at all: that case stays inline.
    void skipWhitespace()
    {
        if (m_cursor < m_end) {
            const char c = *m_cursor;
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t')
                return;
        }
        skipWhitespaceSlow();
    }
    void skipWhitespaceSlow();
    bool parseString(std::string &out);
    bool parseLiteral(const char *literal);
    bool fail(const QString &message);
    bool failUnexpected(const char *expected);

    template <typename Handler> bool parseNumber(Handler &handler);

    QIODevice *m_device = nullptr;
    std::vector<char> m_buffer;
    const char *m_chunkStart = nullptr;
    const char *m_cursor = nullptr;
    const char *m_end = nullptr;
    qint64 m_base = 0;
    bool m_readFailed = false;
    qint64 m_errorOffset = -1;
    QString m_errorMessage;
    std::string m_text;
    std::string m_number;
};

template <typename Handler> bool JsonStream::parseNumber(Handler &handler)
{
    m_number.clear();
    const qint64 start = offset();
    int c = peek();
    const bool negative = c == '-';
    if (negative) {
        m_number.push_back('-');
        ++m_cursor;
        c = peek();
    }
    if (c < '0' || c > '9')
        return failUnexpected("a digit");
    std::uint64_t magnitude = 0;
    bool overflow = false;
    if (c == '0') {
        m_number.push_back('0');
        ++m_cursor;
        c = peek();
        if (c >= '0' && c <= '9') {
            m_errorOffset = offset();
            return fail(QStringLiteral("leading zeros are not allowed in numbers"));
        }
    } else {
        while (c >= '0' && c <= '9') {
            m_number.push_back(char(c));
            const std::uint64_t digit = std::uint64_t(c - '0');
            if (magnitude > (UINT64_MAX - digit) / 10)
                overflow = true;
            else
                magnitude = magnitude * 10 + digit;
            ++m_cursor;
            c = peek();
        }
    }
    bool isFloat = false;
    if (c == '.') {
        isFloat = true;
        m_number.push_back('.');
        ++m_cursor;
        c = peek();
        if (c < '0' || c > '9')
            return failUnexpected("a digit after the decimal point");
        while (c >= '0' && c <= '9') {
            m_number.push_back(char(c));
            ++m_cursor;
            c = peek();
        }
    }
    if (c == 'e' || c == 'E') {
        isFloat = true;
        m_number.push_back('e');
        ++m_cursor;
        c = peek();
        if (c == '+' || c == '-') {
            m_number.push_back(char(c));
            ++m_cursor;
            c = peek();
        }
        if (c < '0' || c > '9')
            return failUnexpected("a digit in the exponent");
        while (c >= '0' && c <= '9') {
            m_number.push_back(char(c));
            ++m_cursor;
            c = peek();
        }
    }
    (void)start;
    if (!isFloat && !overflow) {
        if (!negative) {
            if (magnitude <= std::uint64_t(INT64_MAX))
                return handler.number_integer(std::int64_t(magnitude));
            return handler.number_unsigned(magnitude);
        }
        if (magnitude <= std::uint64_t(INT64_MAX) + 1)
            return handler.number_integer(std::int64_t(0 - magnitude));
    }
    return handler.number_float(std::strtod(m_number.c_str(), nullptr), m_number);
}

template <typename Handler> bool JsonStream::parse(Handler &handler)
{
    enum class Expect : std::uint8_t
    {
        Value,
        Key,
        AfterValue
    };
    std::vector<Container> stack;
    Expect expect = Expect::Value;
    for (;;) {
        skipWhitespace();
        const int c = peek();
        if (expect == Expect::AfterValue) {
            if (stack.empty()) {
                if (c != -1)
                    return failUnexpected("the end of the document");
                return !m_readFailed;
            }
            if (c == ',') {
                ++m_cursor;
                expect = stack.back() == Container::Object ? Expect::Key : Expect::Value;
                continue;
            }
            if (stack.back() == Container::Object) {
                if (c != '}')
                    return failUnexpected("',' or '}' after an object member");
                ++m_cursor;
                stack.pop_back();
                if (!handler.end_object())
                    return false;
            } else {
                if (c != ']')
                    return failUnexpected("',' or ']' after an array element");
                ++m_cursor;
                stack.pop_back();
                if (!handler.end_array())
                    return false;
            }
            continue;
        }
        if (expect == Expect::Key) {
            if (c != '"')
                return failUnexpected("a member name in double quotes");
            if (!parseString(m_text))
                return false;
            skipWhitespace();
            if (peek() != ':')
                return failUnexpected("':' after the member name");
            ++m_cursor;
            if (!handler.key(m_text))
                return false;
            expect = Expect::Value;
            continue;
        }
        // Expect::Value
        switch (c) {
        case '{':
        case '[': {
            if (int(stack.size()) >= kMaxDepth) {
                m_errorOffset = offset();
                return fail(QStringLiteral("nesting deeper than %1 levels").arg(kMaxDepth));
            }
            ++m_cursor;
            const bool object = c == '{';
            if (!(object ? handler.start_object(std::size_t(-1))
                         : handler.start_array(std::size_t(-1))))
                return false;
            skipWhitespace();
            const int close = peek();
            if (close == (object ? '}' : ']')) {
                ++m_cursor;
                if (!(object ? handler.end_object() : handler.end_array()))
                    return false;
                expect = Expect::AfterValue;
            } else {
                stack.push_back(object ? Container::Object : Container::Array);
                expect = object ? Expect::Key : Expect::Value;
            }
            continue;
        }
        case '"':
            if (!parseString(m_text) || !handler.string(m_text))
                return false;
            break;
        case 't':
            if (!parseLiteral("true") || !handler.boolean(true))
                return false;
            break;
        case 'f':
            if (!parseLiteral("false") || !handler.boolean(false))
                return false;
            break;
        case 'n':
            if (!parseLiteral("null") || !handler.null())
                return false;
            break;
        default:
            if (c == '-' || (c >= '0' && c <= '9')) {
                if (!parseNumber(handler))
                    return false;
                break;
            }
            return failUnexpected("a value (object, array, string, number, true, false or null)");
        }
        expect = Expect::AfterValue;
    }
}

} // namespace cartograph::detail
