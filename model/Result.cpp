#include "Result.h"

#include <QCoreApplication>

namespace cartograph {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("cartograph::Error", text);
}
} // namespace

QString describe(const Error &error)
{
    QString where = error.file.isEmpty() ? tr("input") : error.file;
    if (error.line > 0) {
        where += u':' + QString::number(error.line);
        if (error.column > 0)
            where += u':' + QString::number(error.column);
    }
    if (!error.path.isEmpty())
        where += u' ' + tr("at %1").arg(error.path);

    QString what;
    switch (error.code) {
    case ErrorCode::FileNotFound:
        what = tr("no such file");
        break;
    case ErrorCode::NotAFile:
        what = tr("not a regular file (a directory or device); expected a JSON or YAML file");
        break;
    case ErrorCode::Unreadable:
        what = tr("cannot be read");
        break;
    case ErrorCode::EmptyFile:
        what = tr("the file is empty (0 bytes); expected a Kubernetes List or object in JSON or "
                  "YAML");
        break;
    case ErrorCode::BinaryFile:
        what = tr("binary data, not JSON or YAML text");
        break;
    case ErrorCode::SyntaxError:
        what = tr("syntax error");
        break;
    case ErrorCode::WrongType:
        what = tr("wrong type");
        break;
    case ErrorCode::MissingField:
        what = tr("required field missing");
        break;
    case ErrorCode::InvalidValue:
        what = tr("invalid value");
        break;
    case ErrorCode::NestedList:
        what = tr("a List inside a List");
        break;
    case ErrorCode::WriteFailed:
        what = tr("cannot be written");
        break;
    case ErrorCode::UnknownResource:
        what = tr("unknown resource");
        break;
    case ErrorCode::Cancelled:
        what = tr("cancelled");
        break;
    case ErrorCode::PermissionDenied:
        what = tr("permission denied");
        break;
    }
    QString message = where + QStringLiteral(": ") + what;
    if (!error.expected.isEmpty())
        message += QStringLiteral("; ") + tr("expected %1").arg(error.expected);
    if (!error.detail.isEmpty())
        message += QStringLiteral(" (") + error.detail + u')';
    return message;
}

} // namespace cartograph
