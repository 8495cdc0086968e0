#include "JsonStream.h"
#include "Logging.h"
#include "ObjectReader.h"
#include "SnapshotIo.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <cstring>
#include <iterator>
#include <memory>
#include <vector>
#include <yaml-cpp/yaml.h>

namespace cartograph {

using detail::ItemTree;
using detail::ItemValue;
using detail::JsonPath;
using detail::ReadOptions;

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("cartograph::SnapshotLoader", text);
}

Error makeError(ErrorCode code, const QString &file, const QString &expected = {},
                const QString &detail = {})
{
    Error error;
    error.code = code;
    error.file = file;
    error.expected = expected;
    error.detail = detail;
    return error;
}

// --- SAX handler ------------------------------------------------------------------------------

// Streams a Kubernetes document: the members of the top-level object are kept (they are
// small), except `items`, whose elements are built one at a time into an ItemTree, converted to
// model values and dropped. Members nobody reads (managedFields, containerStatuses, node images
// ...) are never built: see detail::isIgnoredSubtree.
class SnapshotSaxHandler
{
public:
    SnapshotSaxHandler(const QString &source, ClusterSnapshot &into, const std::atomic_bool *cancel,
                       const ReadOptions &options)
        : m_source(source)
        , m_into(into)
        , m_cancel(cancel)
        , m_options(options)
    {}

    bool null()
    {
        return scalar([](ItemTree &tree, std::string_view key) { tree.addNull(key); });
    }
    bool boolean(bool v)
    {
        return scalar([v](ItemTree &tree, std::string_view key) { tree.addBoolean(key, v); });
    }
    bool number_integer(std::int64_t v)
    {
        return scalar([v](ItemTree &tree, std::string_view key) { tree.addInteger(key, v); });
    }
    bool number_unsigned(std::uint64_t v)
    {
        return scalar([v](ItemTree &tree, std::string_view key) { tree.addUnsigned(key, v); });
    }
    bool number_float(double v, const std::string &)
    {
        return scalar([v](ItemTree &tree, std::string_view key) { tree.addFloat(key, v); });
    }
    bool string(std::string &v)
    {
        return scalar([&v](ItemTree &tree, std::string_view key) { tree.addString(key, v); });
    }

    bool start_object(std::size_t) { return open(true); }
    bool start_array(std::size_t) { return open(false); }
    bool end_object() { return close(); }
    bool end_array() { return close(); }

    bool key(std::string &k)
    {
        if (m_skipDepth > 0)
            return true;
        if (m_depth == 1 && k == "items") {
            m_sawItems = true;
            m_expectItems = true;
            return true;
        }
        // Strict reading reports unknown members, so it must see them all.
        if (!m_options.rejectUnknownFields && detail::isIgnoredSubtree(target().openKey(), k)) {
            m_skipNext = true;
            return true;
        }
        m_pendingKey.assign(k);
        return true;
    }

    // After parsing: a document without `items` is a single object.
    Status finish()
    {
        if (m_error)
            return *m_error;
        if (m_root.empty()) {
            return makeError(ErrorCode::WrongType, m_source,
                             tr("a Kubernetes object or List (a JSON object)"));
        }
        if (!m_sawItems)
            return detail::readObject(m_root.root(), m_source, JsonPath{}, m_into, {}, {},
                                      m_options);
        const ItemValue kind = m_root.root().member("kind");
        if (kind && (!kind.is_string() || !kind.string().ends_with("List"))) {
            Error error =
                makeError(ErrorCode::InvalidValue, m_source,
                          tr("kind List (or PodList, NodeList, …) for a document with items"),
                          tr("found %1").arg(QString::fromStdString(kind.brief())));
            error.path = QStringLiteral("kind");
            return error;
        }
        return Success{};
    }

    bool aborted() const { return m_error.has_value(); }

private:
    // Depths: the top-level object is 1, the items array 2, an item 3, inside an item 4 and up.
    ItemTree &target() { return m_inItems && m_depth >= 3 ? m_item : m_root; }

    bool failItemsType(const QString &found)
    {
        Error error = makeError(ErrorCode::WrongType, m_source, tr("an array"), found);
        error.path = QStringLiteral("items");
        m_error = error;
        return false;
    }

    template <typename Add> bool scalar(Add &&add)
    {
        if (m_skipDepth > 0)
            return true;
        if (m_skipNext) {
            m_skipNext = false;
            return true;
        }
        if (m_depth == 0) {
            m_error = makeError(ErrorCode::WrongType, m_source,
                                tr("a Kubernetes object or List (a JSON object)"),
                                tr("found a single JSON value"));
            return false;
        }
        if (m_expectItems)
            return failItemsType(tr("found a single value"));
        if (m_inItems && m_depth == 2) {
            // A scalar item: hand it over so the reader reports its type.
            m_item.clear();
            add(m_item, std::string_view());
            return finishItem();
        }
        add(target(), m_pendingKey);
        return true;
    }

    bool open(bool object)
    {
        if (m_skipDepth > 0) {
            ++m_skipDepth;
            return true;
        }
        if (m_skipNext) {
            m_skipNext = false;
            m_skipDepth = 1;
            return true;
        }
        if (m_depth == 0) {
            if (!object) {
                m_error = makeError(ErrorCode::WrongType, m_source,
                                    tr("a Kubernetes object or List (a JSON object)"),
                                    tr("found a JSON array"));
                return false;
            }
            m_root.beginObject({});
            m_depth = 1;
            return true;
        }
        if (m_expectItems) {
            m_expectItems = false;
            if (object)
                return failItemsType(tr("found an object"));
            m_inItems = true; // the items array itself is not built: its elements stream
            m_depth = 2;
            return true;
        }
        if (m_inItems && m_depth == 2) {
            m_item.clear();
            const std::string_view noKey;
            object ? m_item.beginObject(noKey) : m_item.beginArray(noKey);
            m_depth = 3;
            return true;
        }
        ItemTree &tree = target();
        object ? tree.beginObject(m_pendingKey) : tree.beginArray(m_pendingKey);
        ++m_depth;
        return true;
    }

    bool close()
    {
        if (m_skipDepth > 0) {
            --m_skipDepth;
            return true;
        }
        if (m_inItems && m_depth == 2) {
            m_inItems = false;
            m_depth = 1;
            return true;
        }
        if (m_inItems && m_depth == 3) {
            m_item.end();
            m_depth = 2;
            return finishItem();
        }
        target().end();
        --m_depth;
        return true;
    }

    bool finishItem()
    {
        const JsonPath itemsPath{nullptr, "items"};
        const JsonPath itemPath{&itemsPath, nullptr, {}, m_itemIndex};
        Status status = detail::readObject(m_item.root(), m_source, itemPath, m_into,
                                           rootString("kind"), rootString("apiVersion"), m_options);
        ++m_itemIndex;
        if (!status) {
            m_error = status.error();
            return false;
        }
        if (m_cancel && m_cancel->load(std::memory_order_relaxed)) {
            m_error = makeError(ErrorCode::Cancelled, m_source);
            return false;
        }
        return true;
    }

    std::string rootString(const char *key) const
    {
        const ItemValue value = m_root.root().member(key);
        return value && value.is_string() ? std::string(value.string()) : std::string();
    }

    const QString &m_source;
    ClusterSnapshot &m_into;
    const std::atomic_bool *m_cancel;
    const ReadOptions &m_options;

    ItemTree m_root;
    ItemTree m_item;
    std::string m_pendingKey;
    int m_depth = 0;
    bool m_sawItems = false;
    bool m_expectItems = false;
    bool m_inItems = false;
    bool m_skipNext = false;
    int m_skipDepth = 0;
    qint64 m_itemIndex = 0;
    std::optional<Error> m_error;
};

// Line and column (1-based) of a byte offset, found by re-reading the start of the input.
std::pair<qint64, qint64> lineAndColumn(QIODevice *device, const QByteArray *data, qint64 offset)
{
    qint64 line = 1;
    qint64 column = 1;
    auto scan = [&](const char *begin, qint64 length) {
        for (qint64 i = 0; i < length; ++i) {
            if (begin[i] == '\n') {
                ++line;
                column = 1;
            } else if ((begin[i] & 0xc0) != 0x80) {
                ++column;
            }
        }
    };
    if (data) {
        scan(data->constData(), std::min<qint64>(offset, data->size()));
    } else if (device && device->seek(0)) {
        qint64 remaining = offset;
        QByteArray chunk;
        while (remaining > 0) {
            chunk = device->read(std::min<qint64>(remaining, 1 << 20));
            if (chunk.isEmpty())
                break;
            scan(chunk.constData(), chunk.size());
            remaining -= chunk.size();
        }
    }
    return {line, column};
}

Status parseJson(detail::JsonStream &stream, QIODevice *device, const QByteArray *data,
                 const QString &source, ClusterSnapshot &into, const std::atomic_bool *cancel,
                 const ReadOptions &options)
{
    SnapshotSaxHandler handler(source, into, cancel, options);
    const bool ok = stream.parse(handler);
    if (stream.readFailed())
        return makeError(ErrorCode::Unreadable, source, {},
                         device ? device->errorString() : QString());
    if (!ok && !handler.aborted()) {
        Error error = makeError(ErrorCode::SyntaxError, source, {},
                                tr("invalid JSON: %1").arg(stream.errorMessage()));
        const auto [line, column] = lineAndColumn(device, data, stream.errorOffset());
        error.line = line;
        error.column = column;
        return error;
    }
    return handler.finish();
}

// --- YAML -------------------------------------------------------------------------------------

// YAML 1.2 core schema resolution of a plain scalar; quoted scalars (tag "!") stay strings.
void addYamlScalar(ItemTree &tree, std::string_view key, const YAML::Node &node)
{
    const std::string &text = node.Scalar();
    if (node.Tag() == "!") {
        tree.addString(key, text);
        return;
    }
    if (text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL") {
        tree.addNull(key);
        return;
    }
    if (text == "true" || text == "True" || text == "TRUE") {
        tree.addBoolean(key, true);
        return;
    }
    if (text == "false" || text == "False" || text == "FALSE") {
        tree.addBoolean(key, false);
        return;
    }
    const char *begin = text.c_str();
    char *end = nullptr;
    const bool looksNumeric = (text[0] >= '0' && text[0] <= '9') ||
                              ((text[0] == '-' || text[0] == '+') && text.size() > 1);
    if (looksNumeric) {
        errno = 0;
        const long long integer = std::strtoll(begin, &end, 10);
        if (end && *end == '\0' && errno == 0) {
            tree.addInteger(key, integer);
            return;
        }
        if (text.starts_with("0x") || text.starts_with("0o")) {
            const long long based = std::strtoll(begin + 2, &end, text[1] == 'x' ? 16 : 8);
            if (end && *end == '\0') {
                tree.addInteger(key, based);
                return;
            }
        }
        const double number = std::strtod(begin, &end);
        if (end && *end == '\0') {
            tree.addFloat(key, number);
            return;
        }
    }
    tree.addString(key, text);
}

void addYaml(ItemTree &tree, std::string_view key, const YAML::Node &node)
{
    switch (node.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
        tree.addNull(key);
        return;
    case YAML::NodeType::Scalar:
        addYamlScalar(tree, key, node);
        return;
    case YAML::NodeType::Sequence:
        tree.beginArray(key);
        for (const auto &element : node)
            addYaml(tree, {}, element);
        tree.end();
        return;
    case YAML::NodeType::Map:
        tree.beginObject(key);
        for (const auto &entry : node) {
            const std::string name =
                entry.first.IsScalar() ? entry.first.Scalar() : YAML::Dump(entry.first);
            addYaml(tree, name, entry.second);
        }
        tree.end();
        return;
    }
}

Status parseYaml(const QByteArray &bytes, const QString &source, ClusterSnapshot &into,
                 const std::atomic_bool *cancel, const ReadOptions &options)
{
    std::vector<YAML::Node> documents;
    try {
        documents = YAML::LoadAll(bytes.toStdString());
    } catch (const YAML::Exception &ex) {
        Error error = makeError(ErrorCode::SyntaxError, source, {},
                                tr("invalid YAML: %1").arg(QString::fromStdString(ex.msg)));
        if (!ex.mark.is_null()) {
            error.line = ex.mark.line + 1;
            error.column = ex.mark.column + 1;
        }
        return error;
    }
    qint64 documentIndex = 0;
    bool anyObject = false;
    for (const YAML::Node &document : documents) {
        const qint64 index = documentIndex++;
        if (!document || document.IsNull())
            continue; // an empty document between two `---` is allowed
        if (!document.IsMap()) {
            Error error = makeError(
                ErrorCode::WrongType, source, tr("a Kubernetes object or List (a YAML mapping)"),
                document.IsSequence() ? tr("found a sequence") : tr("found a scalar"));
            error.line = document.Mark().line + 1;
            if (documents.size() > 1)
                error.path = tr("document %1").arg(index + 1);
            return error;
        }
        anyObject = true;
        ItemTree tree;
        addYaml(tree, {}, document);
        const ItemValue object = tree.root();
        const qint64 line = document.Mark().line + 1;
        auto locate = [&](Error error) {
            if (error.line == 0)
                error.line = line; // where the document starts; the path says where inside
            return error;
        };
        const ItemValue items = object.member("items");
        if (items && !items.is_null()) {
            if (!items.is_array()) {
                Error error = makeError(ErrorCode::WrongType, source, tr("an array"),
                                        tr("found %1").arg(QString::fromLatin1(items.type_name())));
                error.path = QStringLiteral("items");
                return locate(error);
            }
            const JsonPath itemsPath{nullptr, "items"};
            qint64 itemIndex = 0;
            auto rootString = [&](const char *key) {
                const ItemValue value = object.member(key);
                return value && value.is_string() ? std::string(value.string()) : std::string();
            };
            const std::string listKind = rootString("kind");
            const std::string listApiVersion = rootString("apiVersion");
            for (const ItemValue item : items) {
                const JsonPath itemPath{&itemsPath, nullptr, {}, itemIndex++};
                if (Status status = detail::readObject(item, source, itemPath, into, listKind,
                                                       listApiVersion, options);
                    !status)
                    return locate(status.error());
                if (cancel && cancel->load(std::memory_order_relaxed))
                    return makeError(ErrorCode::Cancelled, source);
            }
            continue;
        }
        if (Status status = detail::readObject(object, source, JsonPath{}, into, {}, {}, options);
            !status)
            return locate(status.error());
    }
    if (!anyObject) {
        return makeError(ErrorCode::MissingField, source, tr("at least one Kubernetes object"),
                         tr("the YAML holds no document"));
    }
    return Success{};
}

// NUL bytes never occur in JSON or YAML text; a few in the first block mean binary data.
bool looksBinary(const char *data, qint64 size)
{
    return std::memchr(data, '\0', size_t(std::min<qint64>(size, 65536))) != nullptr;
}

char firstSignificant(const char *data, qint64 size)
{
    qint64 i = 0;
    // UTF-8 byte order mark
    if (size >= 3 && std::memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    for (; i < size; ++i) {
        const char c = data[i];
        if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
            return c;
    }
    return '\0';
}

Status loadBytes(const QByteArray &data, const QString &source, ClusterSnapshot &into,
                 const std::atomic_bool *cancel, const ReadOptions &options = {})
{
    if (data.isEmpty())
        return makeError(ErrorCode::EmptyFile, source);
    if (looksBinary(data.constData(), data.size()))
        return makeError(ErrorCode::BinaryFile, source, tr("JSON or YAML text"),
                         tr("the data contains NUL bytes"));
    const char first = firstSignificant(data.constData(), data.size());
    if (first == '\0')
        return makeError(ErrorCode::EmptyFile, source, {}, tr("only whitespace"));
    if (first == '{' || first == '[') {
        qint64 offset = 0;
        if (data.startsWith("\xEF\xBB\xBF"))
            offset = 3;
        detail::JsonStream stream(data.constData() + offset, data.size() - offset);
        Status status = parseJson(stream, nullptr, &data, source, into, cancel, options);
        if (!status && offset && status.error().line == 1 && status.error().column > 0) {
            Error error = status.error();
            error.column = std::max<qint64>(1, error.column - 1); // the BOM is not a column
            return error;
        }
        return status;
    }
    return parseYaml(data, source, into, cancel, options);
}

} // namespace

Status loadSnapshotData(const QByteArray &data, const QString &sourceName, ClusterSnapshot &into,
                        const std::atomic_bool *cancel)
{
    Status status = loadBytes(data, sourceName, into, cancel);
    if (status)
        into.sources.append(sourceName);
    return status;
}

namespace {
// A regular file opened for reading, or why not (missing, a directory or device, unreadable).
Result<std::unique_ptr<QFile>> openInputFile(const QString &path)
{
    const QFileInfo info(path);
    if (!info.exists())
        return makeError(ErrorCode::FileNotFound, path);
    if (info.isDir() || !info.isFile())
        return makeError(ErrorCode::NotAFile, path);
    auto file = std::make_unique<QFile>(path);
    if (!file->open(QIODevice::ReadOnly))
        return makeError(ErrorCode::Unreadable, path, {}, file->errorString());
    return file;
}
} // namespace

Status loadSnapshotFile(const QString &path, ClusterSnapshot &into, const std::atomic_bool *cancel)
{
    auto opened = openInputFile(path);
    if (!opened)
        return opened.error();
    QFile &file = **opened;
    if (file.size() == 0)
        return makeError(ErrorCode::EmptyFile, path);

    // Sniff the first block to choose the parser: JSON streams, YAML is read whole.
    const QByteArray head = file.peek(65536);
    if (looksBinary(head.constData(), head.size()))
        return makeError(ErrorCode::BinaryFile, path, tr("JSON or YAML text"),
                         tr("the file contains NUL bytes"));
    const char first = firstSignificant(head.constData(), head.size());
    if (first == '{' || first == '[') {
        if (head.startsWith("\xEF\xBB\xBF"))
            file.skip(3);
        detail::JsonStream stream(&file);
        Status status = parseJson(stream, &file, nullptr, path, into, cancel, ReadOptions{});
        if (status)
            into.sources.append(path);
        qCDebug(lcSnapshotIo) << "read" << path << (status ? "ok" : "failed");
        return status;
    }
    const QByteArray all = file.readAll();
    if (file.error() != QFileDevice::NoError)
        return makeError(ErrorCode::Unreadable, path, {}, file.errorString());
    return loadSnapshotData(all, path, into, cancel);
}

Result<QList<NetworkPolicy>> loadPolicyFile(const QString &path, bool strict)
{
    auto opened = openInputFile(path);
    if (!opened)
        return opened.error();
    QFile &file = **opened;
    // Policies a person writes are small: read whole, parsed like a snapshot.
    const QByteArray data = file.readAll();
    if (file.error() != QFileDevice::NoError)
        return makeError(ErrorCode::Unreadable, path, {}, file.errorString());
    ReadOptions options;
    options.networkPoliciesOnly = true;
    options.rejectUnknownFields = strict;
    ClusterSnapshot scratch;
    if (Status status = loadBytes(data, path, scratch, nullptr, options); !status)
        return status.error();
    return std::move(scratch.networkPolicies);
}

Result<ClusterSnapshot> loadSnapshotFiles(const QStringList &paths, const std::atomic_bool *cancel)
{
    ClusterSnapshot snapshot;
    for (const QString &path : paths) {
        if (Status status = loadSnapshotFile(path, snapshot, cancel); !status)
            return status.error();
    }
    return snapshot;
}

} // namespace cartograph
