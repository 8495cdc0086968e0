#include "CaptureInputs.h"

#include "CliCommands.h"
#include "Scenario.h"
#include "SnapshotIo.h"

#include <QCoreApplication>
#include <QTextStream>

namespace cartograph::cli {

std::optional<int> addVxlanPorts(const QStringList &values, capture::DecodeOptions &decode,
                                 QTextStream &err)
{
    for (const QString &text : values) {
        bool ok = false;
        const uint port = text.toUInt(&ok);
        if (!ok || port == 0 || port > 65535) {
            err << "cartograph-cli: "
                << QCoreApplication::translate(
                       "cartograph-cli", "--vxlan-port must be a UDP port (1-65535), not \"%1\"")
                       .arg(text)
                << '\n';
            return UsageError;
        }
        decode.vxlanPorts.add(std::uint16_t(port));
    }
    return std::nullopt;
}

std::optional<int> loadAttribution(const QStringList &snapshots, capture::DecodeOptions &decode,
                                   capture::EndpointAttributor &attributor, QTextStream &err)
{
    if (snapshots.isEmpty())
        return std::nullopt;
    auto loaded = loadSnapshotFiles(snapshots);
    if (!loaded) {
        err << "cartograph-cli: " << describe(loaded.error()) << '\n';
        return exitCodeFor(loaded.error());
    }
    capture::addSnapshotTunnelPorts(*loaded, decode);
    attributor = capture::EndpointAttributor(std::move(loaded).value());
    return std::nullopt;
}

} // namespace cartograph::cli
