#pragma once

#include "Result.h"

#include <QDateTime>
#include <QMetaType>
#include <QString>
#include <QStringList>
#include <QUrl>
#include <utility>
#include <variant>

namespace cartograph::kube {

// What went wrong between us and a cluster, typed so that Diagnostics can explain it.
enum class KubeErrorCode
{
    // kubeconfig
    KubeconfigMissing,  // no file at any place looked (searchedPaths)
    KubeconfigInvalid,  // the file's own error (fileError: file, line, what was expected)
    ContextNotFound,    // --context NAME or current-context names no context
    NoCurrentContext,   // neither --context nor current-context
    ClusterNotFound,    // a context names a cluster that is not defined
    UserNotFound,       // a context names a user that is not defined
    AuthProviderLegacy, // user.auth-provider: removed from kubectl, an exec plugin replaces it
                        // exec credential plugins
    ExecNotApproved,    // the plugin command was not approved to run
    ExecInteractive,    // interactiveMode: Always, and we have no terminal
    ExecFailed,         // could not start, exited non-zero, or timed out (detail has stderr)
    ExecBadOutput,      // printed something that is not a valid ExecCredential
                        // credentials read from files
    CredentialFileUnreadable, // certificate, key, CA or token file
    CredentialInvalid,        // PEM that does not parse, a key that does not match
                              // network
    DnsFailure,
    ConnectionRefused,
    Timeout,
    TlsUnknownCa,
    TlsHostnameMismatch,
    TlsClientCertificateExpired, // certificateExpiry holds the date
    TlsOther,
    ProxyFailure,
    NetworkOther,
    // HTTP
    Unauthorized, // 401
    Forbidden,    // 403 (verb, resource, group from the Status body)
    NotFound,     // 404
    Gone,         // 410 (expired continue token or too old resourceVersion)
    HttpError,    // any other non-2xx
    BadResponse,  // a body that does not parse
    Cancelled,
};

struct KubeError
{
    KubeErrorCode code = KubeErrorCode::NetworkOther;
    QString contextName;
    QUrl url;        // the server URL
    QUrl requestUrl; // the request that failed, when there was one
    int httpStatus = 0;
    // 403: what was refused, as the API server's Status says (or the request that got it)
    QString verb;
    QString resource;
    QString group;
    QString statusMessage; // the Status body's message, verbatim
    QString statusReason;  // the Status body's reason (Forbidden, Expired, Gone, …)
    QDateTime certificateExpiry;
    QString command;           // exec plugin command
    QStringList searchedPaths; // KubeconfigMissing: every place looked
    Error fileError;           // KubeconfigInvalid / CredentialFileUnreadable / CredentialInvalid
    QString detail;            // the lower layer's own words (Qt's error string, plugin stderr)
};

// One sentence (or two) for people: CLI stderr, the GUI's event log. Never holds credentials.
QString describe(const KubeError &error);

// A value or a KubeError.
template <typename T> using KubeResult = Result<T, KubeError>;

using KubeStatus = KubeResult<Success>;

} // namespace cartograph::kube

Q_DECLARE_METATYPE(cartograph::kube::KubeError)
