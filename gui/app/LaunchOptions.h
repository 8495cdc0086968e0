#pragma once

#include "SnapshotSource.h"

#include <QCoreApplication>
#include <QProcessEnvironment>
#include <QSize>
#include <QString>
#include <QStringList>
#include <functional>
#include <optional>
#include <variant>

namespace cartograph::app {

// What the command line asked for.
struct LaunchOptions
{
    QStringList files;
    QString capture; // a pcap/pcapng to replay onto the snapshot (--capture, or a *.pcap file)
    std::optional<DemoFlavour> demo;
    QString screenshotPath; // grab the window to this PNG once the snapshot is shown, then quit
    QSize windowSize;       // invalid: restore the last one
};

struct LaunchExit
{
    int exitCode = 0;
    QString message; // to stdout when exitCode is 0 (--help, --version), else stderr
};

// Parses arguments (argv including the program name). Returns options, or how to exit now.
// Needs a QCoreApplication for --help/--version texts only through QCommandLineParser.
std::variant<LaunchOptions, LaunchExit> parseLaunchOptions(const QStringList &arguments);

// Parses "1600x1000"; nullopt for anything else.
std::optional<QSize> parseWindowSize(QStringView text);

// Before a QApplication exists: a message explaining why no window can be shown (no X11 or
// Wayland display and no platform chosen explicitly), or an empty string when one can.
// True when a local X server listens on display :N (abstract or /tmp/.X11-unix socket).
bool localX11DisplayReachable(int display);

QString missingDisplayMessage(
    const QProcessEnvironment &environment, const QStringList &arguments,
    const std::function<bool(int)> &x11DisplayReachable = localX11DisplayReachable);

} // namespace cartograph::app
