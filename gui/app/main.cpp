#include "LaunchOptions.h"
#include "MainWindow.h"
#include "Translations.h"

#include <QApplication>
#include <QLocale>
#include <QTimer>
#include <cstdio>
#include <variant>

using namespace cartograph;
using namespace cartograph::app;

namespace {

void setApplicationIdentity()
{
    QCoreApplication::setOrganizationName(QStringLiteral("Cartograph"));
    QCoreApplication::setApplicationName(QStringLiteral("Cartograph"));
    QCoreApplication::setApplicationVersion(QStringLiteral(CARTOGRAPH_VERSION));
}

void print(FILE *stream, const QString &text)
{
    const QByteArray bytes = text.toLocal8Bit();
    std::fputs(bytes.constData(), stream);
    if (!text.endsWith(u'\n'))
        std::fputc('\n', stream);
}

// Without a display, --help and --version still work, and everything else explains itself
// instead of dying in the Qt platform plugin.
int runWithoutDisplay(int argc, char **argv, const QString &message)
{
    QCoreApplication app(argc, argv);
    setApplicationIdentity();
    const auto parsed = parseLaunchOptions(QCoreApplication::arguments());
    if (const auto *exit = std::get_if<LaunchExit>(&parsed)) {
        print(exit->exitCode == 0 ? stdout : stderr, exit->message);
        return exit->exitCode;
    }
    print(stderr, message);
    return 1;
}

} // namespace

int main(int argc, char *argv[])
{
    QStringList rawArguments;
    for (int i = 0; i < argc; ++i)
        rawArguments << QString::fromLocal8Bit(argv[i]);
    const QString noDisplay =
        missingDisplayMessage(QProcessEnvironment::systemEnvironment(), rawArguments);
    if (!noDisplay.isEmpty())
        return runWithoutDisplay(argc, argv, noDisplay);

    QApplication app(argc, argv);
    setApplicationIdentity();
    QGuiApplication::setApplicationDisplayName(QStringLiteral("Cartograph"));
    QGuiApplication::setDesktopFileName(QStringLiteral("io.cartograph.Cartograph"));
    cartograph::installTranslators(app);

    const auto parsed = parseLaunchOptions(QCoreApplication::arguments());
    if (const auto *exit = std::get_if<LaunchExit>(&parsed)) {
        print(exit->exitCode == 0 ? stdout : stderr, exit->message);
        return exit->exitCode;
    }
    const LaunchOptions &options = std::get<LaunchOptions>(parsed);
    const bool screenshotMode = !options.screenshotPath.isEmpty();

    MainWindow::Options windowOptions;
    windowOptions.persistWindowState = !screenshotMode;
    MainWindow window(windowOptions);
    if (options.windowSize.isValid())
        window.resize(options.windowSize);

    if (screenshotMode) {
        window.setErrorReporter([](const QString &title, const QString &message) {
            print(stderr, QStringLiteral("cartograph: ") + title + QStringLiteral(": ") + message);
        });
        const QString path = options.screenshotPath;
        // With a capture, the picture waits for its replay (which follows the snapshot).
        const auto shown =
            options.capture.isEmpty() ? &MainWindow::snapshotLoaded : &MainWindow::captureLoaded;
        QObject::connect(&window, shown, &window, [&window, path] {
            // Give the docks and status bar one round of layout before grabbing.
            QTimer::singleShot(250, &window, [&window, path] {
                QString error;
                if (!window.saveScreenshot(path, &error)) {
                    print(stderr, QStringLiteral("cartograph: ") + error);
                    QCoreApplication::exit(1);
                    return;
                }
                print(stdout,
                      QCoreApplication::translate("main", "Saved screenshot to %1").arg(path));
                QCoreApplication::exit(0);
            });
        });
        QObject::connect(&window, &MainWindow::loadFailed, &window,
                         [] { QCoreApplication::exit(1); });
        QObject::connect(&window, &MainWindow::captureFailed, &window,
                         [] { QCoreApplication::exit(1); });
        QTimer::singleShot(120'000, &window, [] {
            print(stderr, QCoreApplication::translate("main", "cartograph: timed out waiting for "
                                                              "the snapshot to load"));
            QCoreApplication::exit(1);
        });
    }

    window.show();
    if (!options.files.isEmpty())
        window.openFiles(options.files);
    else
        window.openDemo(options.demo.value_or(DemoFlavour::CalicoIpIp));
    if (!options.capture.isEmpty())
        window.openCapture(options.capture);
    return app.exec();
}
