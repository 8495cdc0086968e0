#include "LaunchOptions.h"

#include <QCommandLineParser>
#include <QRegularExpression>

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
    parser.addOption(demoOption);
    parser.addOption(screenshotOption);
    parser.addOption(sizeOption);
    parser.addPositionalArgument(
        Tr::tr("FILE"),
        Tr::tr("Snapshot files to open together (kubectl get … -o json/yaml output, or saved by "
               "Cartograph)."),
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
    options.files = parser.positionalArguments();
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

QString missingDisplayMessage(const QProcessEnvironment &environment, const QStringList &arguments)
{
#if defined(Q_OS_UNIX) && !defined(Q_OS_MACOS) && !defined(Q_OS_ANDROID)
    // An explicit platform (offscreen, vnc, eglfs …) is the user's choice; Qt reports on it.
    if (!environment.value(QStringLiteral("QT_QPA_PLATFORM")).isEmpty())
        return {};
    if (arguments.contains(QStringLiteral("-platform")) ||
        arguments.contains(QStringLiteral("--platform")))
        return {};
    if (!environment.value(QStringLiteral("DISPLAY")).isEmpty() ||
        !environment.value(QStringLiteral("WAYLAND_DISPLAY")).isEmpty())
        return {};
    return Tr::tr("cartograph: no display found (DISPLAY and WAYLAND_DISPLAY are unset). Run it on "
                  "a desktop session, or headless with: xvfb-run -a cartograph");
#else
    Q_UNUSED(environment)
    Q_UNUSED(arguments)
    return {};
#endif
}

} // namespace cartograph::app
