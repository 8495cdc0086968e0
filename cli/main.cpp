#include "CaptureCommand.h"
#include "CliCommands.h"
#include "FlowsCommand.h"
#include "KubeCommands.h"
#include "PolicyCommands.h"
#include "Translations.h"
#include "WhatIfCommand.h"

#include <QCoreApplication>
#include <QGuiApplication>
#include <QTextStream>
#include <cstdio>
#include <memory>

int main(int argc, char *argv[])
{
    using namespace cartograph::cli;
    const QString command = argc > 1 ? QString::fromLocal8Bit(argv[1]) : QString();

    // Painting text needs a QGuiApplication; the offscreen platform gives it without a display.
    std::unique_ptr<QCoreApplication> app;
    if (command == u"export") {
        if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
            qputenv("QT_QPA_PLATFORM", "offscreen");
        app = std::make_unique<QGuiApplication>(argc, argv);
    } else {
        app = std::make_unique<QCoreApplication>(argc, argv);
    }
    QCoreApplication::setApplicationName(QStringLiteral("cartograph-cli"));
    QCoreApplication::setOrganizationName(QStringLiteral("Cartograph"));
    QCoreApplication::setApplicationVersion(QStringLiteral(CARTOGRAPH_VERSION));
    cartograph::installTranslators(*app);

    QTextStream out(stdout);
    QTextStream err(stderr);
    QStringList args = QCoreApplication::arguments();
    args.removeFirst(); // program name; args[0] is now the command

    if (command.isEmpty() || command == u"--help" || command == u"-h" || command == u"help") {
        (command.isEmpty() ? err : out) << usage();
        return command.isEmpty() ? UsageError : Ok;
    }
    if (command == u"--version") {
        out << "cartograph-cli " << QCoreApplication::applicationVersion() << '\n';
        return Ok;
    }
    if (command == u"summary")
        return runSummary(args, out, err);
    if (command == u"export")
        return runExport(args, out, err);
    if (command == u"reach")
        return runReach(args, out, err);
    if (command == u"explain")
        return runExplain(args, out, err);
    if (command == u"whatif")
        return runWhatIf(args, out, err);
    if (command == u"flows")
        return runFlows(args, out, err);
    if (command == u"snapshot")
        return runSnapshot(args, out, err);
    if (command == u"diagnose")
        return runDiagnose(args, out, err);
    if (command == u"contexts")
        return runContexts(args, out, err);
    if (command == u"capture")
        return runCapture(args, out, err);
    if (command == u"interfaces")
        return runInterfaces(args, out, err);

    err << "cartograph-cli: "
        << QCoreApplication::translate("cartograph-cli",
                                       "unknown command \"%1\"; run cartograph-cli --help")
               .arg(command)
        << '\n';
    return UsageError;
}
