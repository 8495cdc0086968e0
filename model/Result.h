#pragma once

#include <QString>
#include <utility>
#include <variant>

namespace cartograph {

// What went wrong, in terms a boundary (GUI dialog, CLI stderr) can turn into a message.
enum class ErrorCode
{
    FileNotFound,
    NotAFile,     // a directory or a device
    Unreadable,   // permissions, I/O error
    EmptyFile,    // 0 bytes
    BinaryFile,   // NUL bytes or invalid UTF-8: not JSON or YAML at all
    SyntaxError,  // JSON/YAML that does not parse
    WrongType,    // a field holds the wrong JSON type
    MissingField, // a required field is absent
    InvalidValue, // right type, wrong content (bad IP, bad CIDR, unknown enum)
    NestedList,   // a List inside a List
    WriteFailed,
    UnknownResource,
    Cancelled,
    PermissionDenied, // the operation needs privileges the process lacks (live capture)
};

// A typed error: where it happened (file, line/column or JSON path) and what was expected.
struct Error
{
    ErrorCode code = ErrorCode::InvalidValue;
    QString file;    // file the input came from (or a resource name such as ":/demo/calico.json")
    qint64 line = 0; // 1-based; 0 when unknown
    qint64 column = 0;
    QString path;     // JSON path inside the document, e.g.
                      // items[3].spec.containers[0].ports[1].containerPort
    QString expected; // what the loader wanted there
    QString detail;   // what it found instead / the parser's own words
};

// The one place where an Error becomes a sentence. Called at boundaries only.
QString describe(const Error &error);

// A value or an error. E is Error everywhere but in layers whose failures need more than a
// file position to explain (the Kubernetes client: KubeResult).
template <typename T, typename E = Error> class [[nodiscard]] Result
{
public:
    Result(T value)
        : m_value(std::move(value))
    {}
    Result(E error)
        : m_value(std::move(error))
    {}

    bool ok() const { return std::holds_alternative<T>(m_value); }
    explicit operator bool() const { return ok(); }

    T &value() & { return std::get<T>(m_value); }
    const T &value() const & { return std::get<T>(m_value); }
    T &&value() && { return std::get<T>(std::move(m_value)); }
    T &operator*() & { return value(); }
    const T &operator*() const & { return value(); }
    T *operator->() { return &value(); }
    const T *operator->() const { return &value(); }

    const E &error() const { return std::get<E>(m_value); }

private:
    std::variant<T, E> m_value;
};

struct Success
{};

// For operations that produce nothing but can fail.
using Status = Result<Success>;

} // namespace cartograph
