#include "LaunchOptions.h"

#include <QCommandLineParser>
#include <QFileInfo>
#include <QRegularExpression>
#include <cstring>

#if defined(Q_OS_LINUX)
#include <cstddef>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#endif

namespace cartograph::app {

namespace {
class Tr
{
    Q_DECLARE_TR_FUNCTIONS(LaunchOptions)
};
} // namespace

std::optional<QSize> parseWindowSize(QStringView text)
{
    static const QRegularExpression pattern(
        QStringLiteral("^\\s*(\\d{2,5})\\s*[xX×]\\s*(\\d{2,5})\\s*$"));
    const QRegularExpressionMatch match = pattern.match(text.toString());
    if (!match.hasMatch())
        return std::nullopt;
    const QSize size(match.captured(1).toInt(), match.captured(2).toInt());
    if (size.width() < 200 || size.height() < 150 || size.width() > 16384 || size.height() > 16384)
        return std::nullopt;
    return size;
}

std::variant<LaunchOptions, LaunchExit> parseLaunchOptions(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        Tr::tr("Shows how a Kubernetes cluster's network is wired: nodes, interfaces, bridges, "
               "tunnels, pods and services."));
    const QCommandLineOption helpOption = parser.addHelpOption();
    const QCommandLineOption versionOption = parser.addVersionOption();
    const QCommandLineOption demoOption(
        QStringLiteral("demo"),
        Tr::tr("Open a built-in demo cluster: calico (IP-in-IP) or flannel (VXLAN)."),
        Tr::tr("cni"));
    const QCommandLineOption screenshotOption(
        QStringLiteral("screenshot"),
        Tr::tr("Save a picture of the window to <png> once the snapshot is shown, then quit."),
        Tr::tr("png"));
    const QCommandLineOption sizeOption(
        QStringLiteral("size"), Tr::tr("Window size, for example 1600x1000."), Tr::tr("WxH"));
    const QCommandLineOption captureOption(
        QStringLiteral("capture"),
        Tr::tr("Replay a pcap or pcapng capture onto the snapshot (a FILE ending in .pcap, "
               ".pcapng or .cap does the same)."),
        Tr::tr("file"));
    parser.addOption(demoOption);
    parser.addOption(captureOption);
    parser.addOption(screenshotOption);
    parser.addOption(sizeOption);
    parser.addPositionalArgument(
        Tr::tr("FILE"),
        Tr::tr("Snapshot files to open together (kubectl get … -o json/yaml output, or saved by "
               "Cartograph); a .pcap, .pcapng or .cap file among them is replayed onto them."),
        Tr::tr("[FILE...]"));

    if (!parser.parse(arguments))
        return LaunchExit{2, parser.errorText() + u'\n' +
                                 Tr::tr("Try '%1 --help'.").arg(QStringLiteral("cartograph"))};
    if (parser.isSet(helpOption))
        return LaunchExit{0, parser.helpText()};
    if (parser.isSet(versionOption))
        return LaunchExit{0, QCoreApplication::applicationName() + u' ' +
                                 QCoreApplication::applicationVersion()};

    LaunchOptions options;
    for (const QString &file : parser.positionalArguments()) {
        const QString suffix = QFileInfo(file).suffix().toLower();
        if (suffix == u"pcap" || suffix == u"pcapng" || suffix == u"cap") {
            if (!options.capture.isEmpty())
                return LaunchExit{2, Tr::tr("cartograph: give one capture to replay, not %1 and "
                                            "%2.")
                                         .arg(options.capture, file)};
            options.capture = file;
        } else {
            options.files << file;
        }
    }
    if (parser.isSet(captureOption)) {
        if (!options.capture.isEmpty())
            return LaunchExit{2, Tr::tr("cartograph: give one capture to replay, not %1 and %2.")
                                     .arg(options.capture, parser.value(captureOption))};
        options.capture = parser.value(captureOption);
        if (options.capture.isEmpty())
            return LaunchExit{2, Tr::tr("cartograph: --capture needs a file name.")};
    }
    if (parser.isSet(demoOption)) {
        const QString name = parser.value(demoOption).trimmed().toLower();
        if (name == u"calico")
            options.demo = DemoFlavour::CalicoIpIp;
        else if (name == u"flannel")
            options.demo = DemoFlavour::FlannelVxlan;
        else
            return LaunchExit{2,
                              Tr::tr("cartograph: unknown demo '%1'; expected calico or flannel.")
                                  .arg(parser.value(demoOption))};
        if (!options.files.isEmpty())
            return LaunchExit{2,
                              Tr::tr("cartograph: --demo cannot be combined with snapshot files.")};
    }
    if (parser.isSet(screenshotOption)) {
        options.screenshotPath = parser.value(screenshotOption);
        if (options.screenshotPath.isEmpty())
            return LaunchExit{2, Tr::tr("cartograph: --screenshot needs a file name.")};
    }
    if (parser.isSet(sizeOption)) {
        const std::optional<QSize> size = parseWindowSize(parser.value(sizeOption));
        if (!size)
            return LaunchExit{2, Tr::tr("cartograph: invalid --size '%1'; expected WIDTHxHEIGHT "
                                        "such as 1600x1000 (at least 200x150).")
                                     .arg(parser.value(sizeOption))};
        options.windowSize = *size;
    }
    return options;
}

bool localX11DisplayReachable(int display)
{
#if defined(Q_OS_LINUX)
    const QByteArray path = "/tmp/.X11-unix/X" + QByteArray::number(display);
    // Linux X servers listen on an abstract socket and on the file; either will do.
    for (const bool abstractName : {true, false}) {
        const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
            return true; // cannot tell; let Qt try
        sockaddr_un address{};
        address.sun_family = AF_UNIX;
        const size_t offset = abstractName ? 1 : 0;
        std::memcpy(address.sun_path + offset, path.constData(), size_t(path.size()));
        const auto length = socklen_t(offsetof(sockaddr_un, sun_path) + offset +
                                      size_t(path.size()) + (abstractName ? 0 : 1));
        const bool connected =
            ::connect(fd, reinterpret_cast<const sockaddr *>(&address), length) == 0;
        ::close(fd);
        if (connected)
            return true;
    }
    return false;
#else
    Q_UNUSED(display)
    return true;
#endif
}

QString missingDisplayMessage(const QProcessEnvironment &environment, const QStringList &arguments,
                              const std::function<bool(int)> &x11DisplayReachable)
{
#if defined(Q_OS_UNIX) && !defined(Q_OS_MACOS) && !defined(Q_OS_ANDROID)
    // An explicit platform (offscreen, vnc, eglfs …) is the user's choice; Qt reports on it.
    if (!environment.value(QStringLiteral("QT_QPA_PLATFORM")).isEmpty())
        return {};
    if (arguments.contains(QStringLiteral("-platform")) ||
        arguments.contains(QStringLiteral("--platform")))
        return {};
    const QString hint = Tr::tr("Run it on a desktop session, or headless with: xvfb-run -a "
                                "cartograph (from a source tree: xvfb-run -a ./dev.sh run)");
    if (!environment.value(QStringLiteral("WAYLAND_DISPLAY")).isEmpty())
        return {};
    const QString display = environment.value(QStringLiteral("DISPLAY"));
    if (display.isEmpty())
        return Tr::tr("cartograph: no display found (DISPLAY and WAYLAND_DISPLAY are unset).") +
               u' ' + hint;
    // A local display nobody listens on (a stale DISPLAY) would end in Qt's platform-plugin
    // abort; say what is wrong instead. Remote displays (host:0) are left to Qt.
    static const QRegularExpression local(QStringLiteral("^(?:unix)?:(\\d+)(?:\\.\\d+)?$"));
    const QRegularExpressionMatch match = local.match(display);
    if (match.hasMatch() && !x11DisplayReachable(match.captured(1).toInt()))
        return Tr::tr("cartograph: no X server answers on display %1 (DISPLAY is set, but "
                      "nothing listens on it).")
                   .arg(display) +
               u' ' + hint;
    return {};
#else
    Q_UNUSED(environment)
    Q_UNUSED(arguments)
    Q_UNUSED(x11DisplayReachable)
    return {};
#endif
}

} // namespace cartograph::app
