#include "JsonStream.h"

#include "VectorState.h"

#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace cartograph::detail {

namespace {
constexpr qint64 kChunkSize = 1 << 20;
}

JsonStream::JsonStream(QIODevice *device)
    : m_device(device)
    , m_buffer(size_t(kChunkSize))
{
    m_chunkStart = m_cursor = m_end = m_buffer.data();
    clearUpperVectorState(); // this thread may have run AVX code: see VectorState.h
}

JsonStream::JsonStream(const char *data, qint64 size)
{
    m_chunkStart = m_cursor = data;
    m_end = data + size;
    clearUpperVectorState(); // see VectorState.h
}

bool JsonStream::fill()
{
    if (!m_device || m_readFailed)
        return false;
    m_base += m_end - m_chunkStart;
    const qint64 n = m_device->read(m_buffer.data(), kChunkSize);
    if (n < 0)
        m_readFailed = true;
    m_chunkStart = m_cursor = m_buffer.data();
    m_end = m_chunkStart + (n > 0 ? n : 0);
    return n > 0;
}

void JsonStream::skipWhitespaceSlow()
{
    for (;;) {
#if defined(__SSE2__)
        // Newline plus indentation, sixteen bytes at a time: find the first byte that is not
        // a space, newline, carriage return or tab.
        while (m_end - m_cursor >= 16) {
            const __m128i block = _mm_loadu_si128(reinterpret_cast<const __m128i *>(m_cursor));
            const __m128i blank =
                _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(block, _mm_set1_epi8(' ')),
                                          _mm_cmpeq_epi8(block, _mm_set1_epi8('\n'))),
                             _mm_or_si128(_mm_cmpeq_epi8(block, _mm_set1_epi8('\r')),
                                          _mm_cmpeq_epi8(block, _mm_set1_epi8('\t'))));
            const unsigned mask = unsigned(_mm_movemask_epi8(blank));
            if (mask != 0xffffu) {
                m_cursor += __builtin_ctz(~mask);
                return;
            }
            m_cursor += 16;
        }
#endif
        while (m_cursor < m_end) {
            const char c = *m_cursor;
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t')
                return;
            ++m_cursor;
        }
        if (!fill())
            return;
    }
}

bool JsonStream::fail(const QString &message)
{
    if (m_errorOffset < 0)
        m_errorOffset = offset();
    m_errorMessage = message;
    return false;
}

bool JsonStream::failUnexpected(const char *expected)
{
    m_errorOffset = offset();
    const int c = peek();
    QString found;
    if (c == -1)
        found = QStringLiteral("the end of the input");
    else if (c >= 0x20 && c < 0x7f)
        found = u'\'' + QChar(c) + u'\'';
    else
        found = QStringLiteral("byte 0x%1").arg(c, 2, 16, QChar(u'0'));
    return fail(QStringLiteral("expected %1, found %2").arg(QString::fromLatin1(expected), found));
}

bool JsonStream::parseLiteral(const char *literal)
{
    for (const char *p = literal; *p; ++p) {
        if (peek() != *p)
            return failUnexpected(literal);
        ++m_cursor;
    }
    return true;
}

namespace {

// Length of the valid UTF-8 sequence starting at s (at most `available` bytes), 0 if invalid.
int utf8SequenceLength(const unsigned char *s, qint64 available)
{
    const unsigned char c = s[0];
    int length;
    std::uint32_t min;
    if (c >= 0xc2 && c <= 0xdf) {
        length = 2;
        min = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
        length = 3;
        min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
        length = 4;
        min = 0x10000;
    } else {
        return 0;
    }
    if (available < length)
        return -1; // needs more input
    std::uint32_t cp = c & (0xff >> (length + 1));
    for (int i = 1; i < length; ++i) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return length;
}

void appendUtf8(std::string &out, std::uint32_t cp)
{
    if (cp < 0x80) {
        out.push_back(char(cp));
    } else if (cp < 0x800) {
        out.push_back(char(0xc0 | (cp >> 6)));
        out.push_back(char(0x80 | (cp & 0x3f)));
    } else if (cp < 0x10000) {
        out.push_back(char(0xe0 | (cp >> 12)));
        out.push_back(char(0x80 | ((cp >> 6) & 0x3f)));
        out.push_back(char(0x80 | (cp & 0x3f)));
    } else {
        out.push_back(char(0xf0 | (cp >> 18)));
        out.push_back(char(0x80 | ((cp >> 12) & 0x3f)));
        out.push_back(char(0x80 | ((cp >> 6) & 0x3f)));
        out.push_back(char(0x80 | (cp & 0x3f)));
    }
}

} // namespace

bool JsonStream::parseString(std::string &out)
{
    out.clear();
    ++m_cursor; // opening quote
    auto hex4 = [this](std::uint32_t &value) {
        value = 0;
        for (int i = 0; i < 4; ++i) {
            const int c = peek();
            int digit;
            if (c >= '0' && c <= '9')
                digit = c - '0';
            else if (c >= 'a' && c <= 'f')
                digit = c - 'a' + 10;
            else if (c >= 'A' && c <= 'F')
                digit = c - 'A' + 10;
            else
                return failUnexpected("four hexadecimal digits after \\u");
            value = value * 16 + std::uint32_t(digit);
            ++m_cursor;
        }
        return true;
    };
    for (;;) {
        // Fast path: copy the run of plain ASCII characters.
        const char *run = m_cursor;
#if defined(__SSE2__)
        // Sixteen bytes at a time: stop at a quote, a backslash, a control byte or a non-ASCII
        // byte (the signed compare against 0x20 catches both of the last two).
        while (m_end - m_cursor >= 16) {
            const __m128i block = _mm_loadu_si128(reinterpret_cast<const __m128i *>(m_cursor));
            const __m128i special =
                _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(block, _mm_set1_epi8('"')),
                                          _mm_cmpeq_epi8(block, _mm_set1_epi8('\\'))),
                             _mm_cmplt_epi8(block, _mm_set1_epi8(0x20)));
            const int mask = _mm_movemask_epi8(special);
            if (mask != 0) {
                m_cursor += __builtin_ctz(unsigned(mask));
                break;
            }
            m_cursor += 16;
        }
#endif
        while (m_cursor < m_end) {
            const unsigned char c = static_cast<unsigned char>(*m_cursor);
            if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80)
                break;
            ++m_cursor;
        }
        out.append(run, size_t(m_cursor - run));
        const int c = peek();
        if (c == -1) {
            m_errorOffset = offset();
            return fail(QStringLiteral("unterminated string: the input ends inside it"));
        }
        if (c == '"') {
            ++m_cursor;
            return true;
        }
        if (c != '\\' && c >= 0x20 && c < 0x80)
            continue; // the run stopped at a chunk boundary, not at a special character
        if (c < 0x20) {
            m_errorOffset = offset();
            return fail(QStringLiteral("control character 0x%1 inside a string (must be escaped)")
                            .arg(c, 2, 16, QChar(u'0')));
        }
        if (c >= 0x80) {
            int length = utf8SequenceLength(reinterpret_cast<const unsigned char *>(m_cursor),
                                            m_end - m_cursor);
            if (length < 0) {
                // The sequence straddles two chunks: gather it byte by byte.
                unsigned char bytes[4];
                const int need = (c >= 0xf0) ? 4 : (c >= 0xe0) ? 3 : 2;
                int have = 0;
                while (have < need && peek() != -1) {
                    bytes[have++] = static_cast<unsigned char>(*m_cursor);
                    ++m_cursor;
                }
                length = have == need ? utf8SequenceLength(bytes, have) : 0;
                if (length <= 0) {
                    m_errorOffset = offset() - have;
                    return fail(QStringLiteral("invalid UTF-8 inside a string"));
                }
                out.append(reinterpret_cast<const char *>(bytes), size_t(length));
                continue;
            }
            if (length == 0) {
                m_errorOffset = offset();
                return fail(QStringLiteral("invalid UTF-8 inside a string"));
            }
            out.append(m_cursor, size_t(length));
            m_cursor += length;
            continue;
        }
        // Backslash escape.
        ++m_cursor;
        const int e = peek();
        switch (e) {
        case '"':
        case '\\':
        case '/':
            out.push_back(char(e));
            ++m_cursor;
            break;
        case 'b':
            out.push_back('\b');
            ++m_cursor;
            break;
        case 'f':
            out.push_back('\f');
            ++m_cursor;
            break;
        case 'n':
            out.push_back('\n');
            ++m_cursor;
            break;
        case 'r':
            out.push_back('\r');
            ++m_cursor;
            break;
        case 't':
            out.push_back('\t');
            ++m_cursor;
            break;
        case 'u': {
            ++m_cursor;
            std::uint32_t cp = 0;
            if (!hex4(cp))
                return false;
            if (cp >= 0xd800 && cp <= 0xdbff) {
                // A high surrogate must be followed by \u and a low surrogate.
                if (peek() != '\\')
                    return failUnexpected("a low surrogate \\uDC00-\\uDFFF after a high surrogate");
                ++m_cursor;
                if (peek() != 'u')
                    return failUnexpected("a low surrogate \\uDC00-\\uDFFF after a high surrogate");
                ++m_cursor;
                std::uint32_t low = 0;
                if (!hex4(low))
                    return false;
                if (low < 0xdc00 || low > 0xdfff) {
                    m_errorOffset = offset() - 6;
                    return fail(QStringLiteral("a high surrogate not followed by a low surrogate"));
                }
                cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
            } else if (cp >= 0xdc00 && cp <= 0xdfff) {
                m_errorOffset = offset() - 6;
                return fail(QStringLiteral("a low surrogate without a high surrogate before it"));
            }
            appendUtf8(out, cp);
            break;
        }
        default:
            return failUnexpected("an escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)");
        }
    }
}

} // namespace cartograph::detail
