// cartograph-test-apiserver: the test Kubernetes API server as a process, for manual use with
// kubectl or curl and for the benchmark.
//
//   cartograph-test-apiserver [--objects LIST.json] [--synthetic-pods N [--namespaces M]]
//                             [--page-limit-cap N] [--serve-nodenetworks] [--port PORT]
//                             [--state-dir DIR]
//
// Writes ca.crt, client.crt, client.key, token and kubeconfig (credentials inlined) into the
// state directory, prints the URL on stdout and serves until SIGINT or SIGTERM.

#include "TestApiServer.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QTimer>
#include <csignal>
#include <cstdio>

using namespace Qt::StringLiterals;
using cartograph::testing::TestApiServer;

namespace {

volatile std::sig_atomic_t g_stopRequested = 0;

void requestStop(int)
{
    g_stopRequested = 1;
}

int fail(const QString &message)
{
    std::fprintf(stderr, "cartograph-test-apiserver: %s\n", qPrintable(message));
    return 1;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(u"A Kubernetes API server on 127.0.0.1 for tests and the "
                                     u"benchmark (HTTPS with its own CA)."_s);
    parser.addHelpOption();
    const QCommandLineOption objects(u"objects"_s, u"Serve the objects of this List file."_s,
                                     u"file"_s);
    const QCommandLineOption syntheticPods(u"synthetic-pods"_s, u"Serve N generated pods."_s,
                                           u"N"_s);
    const QCommandLineOption namespaces(u"namespaces"_s,
                                        u"Spread synthetic pods over M namespaces (default 50)."_s,
                                        u"M"_s, u"50"_s);
    const QCommandLineOption pageCap(u"page-limit-cap"_s,
                                     u"Pages hold at most N items whatever the client asks."_s,
                                     u"N"_s, u"0"_s);
    const QCommandLineOption nodeNetworks(
        u"serve-nodenetworks"_s,
        u"Also serve the agent's NodeNetwork CRD (cartograph.io/v1alpha1 nodenetworks)."_s);
    const QCommandLineOption port(u"port"_s, u"Listen on this port (default: a free one)."_s,
                                  u"port"_s, u"0"_s);
    const QCommandLineOption stateDir(u"state-dir"_s,
                                      u"Write ca.crt, client.crt, client.key, token and "
                                      u"kubeconfig here."_s,
                                      u"dir"_s);
    parser.addOptions({objects, syntheticPods, namespaces, pageCap, nodeNetworks, port, stateDir});
    parser.process(app);

    bool ok = true;
    const int portNumber = parser.value(port).toInt(&ok);
    if (!ok || portNumber < 0 || portNumber > 65535)
        return fail(u"--port: expected a number 0-65535, got \"%1\""_s.arg(parser.value(port)));
    const int cap = parser.value(pageCap).toInt(&ok);
    if (!ok || cap < 0)
        return fail(u"--page-limit-cap: expected a number >= 0"_s);

    TestApiServer server(TestApiServer::Options{cap, parser.isSet(nodeNetworks)});
    if (parser.isSet(objects)) {
        QFile file(parser.value(objects));
        if (!file.open(QIODevice::ReadOnly))
            return fail(u"%1: %2"_s.arg(file.fileName(), file.errorString()));
        if (server.loadObjects(file.readAll()) < 0)
            return fail(u"%1: expected a JSON kind: List with items"_s.arg(file.fileName()));
    }
    if (parser.isSet(syntheticPods)) {
        const int count = parser.value(syntheticPods).toInt(&ok);
        if (!ok || count < 0)
            return fail(u"--synthetic-pods: expected a number >= 0"_s);
        const int nsCount = parser.value(namespaces).toInt(&ok);
        if (!ok || nsCount < 1)
            return fail(u"--namespaces: expected a number >= 1"_s);
        server.addSyntheticPods(count, nsCount);
    }
    if (const cartograph::Status started = server.start(quint16(portNumber)); !started)
        return fail(cartograph::describe(started.error()));

    if (parser.isSet(stateDir)) {
        const QDir dir(parser.value(stateDir));
        if (!dir.mkpath(u"."_s))
            return fail(u"%1: cannot create the directory"_s.arg(dir.path()));
        const QList<std::pair<QString, QString>> copies = {
            {server.caFile(), u"ca.crt"_s},
            {server.clientCertFile(), u"client.crt"_s},
            {server.clientKeyFile(), u"client.key"_s}};
        for (const auto &[from, to] : copies) {
            QFile::remove(dir.filePath(to));
            if (!QFile::copy(from, dir.filePath(to)))
                return fail(u"%1: cannot write"_s.arg(dir.filePath(to)));
        }
        QFile token(dir.filePath(u"token"_s));
        if (!token.open(QIODevice::WriteOnly) || token.write(server.token().toUtf8()) < 0)
            return fail(u"%1: %2"_s.arg(token.fileName(), token.errorString()));
        token.close();
        if (server.writeKubeconfig(dir.filePath(u"kubeconfig"_s), u"test"_s, true).isEmpty())
            return fail(u"%1: cannot write"_s.arg(dir.filePath(u"kubeconfig"_s)));
    }
    std::printf("%s\n", qPrintable(server.url().toString()));
    std::fflush(stdout);

    // Quit through the event loop so the server's temporary certificate directory is removed.
    std::signal(SIGINT, requestStop);
    std::signal(SIGTERM, requestStop);
    QTimer stopPoll;
    QObject::connect(&stopPoll, &QTimer::timeout, &app, [] {
        if (g_stopRequested)
            QCoreApplication::quit();
    });
    stopPoll.start(100);
    return app.exec();
}
