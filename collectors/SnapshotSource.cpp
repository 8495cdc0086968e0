#include "SnapshotSource.h"

#include "SnapshotIo.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcCollectors, "cartograph.collectors", QtInfoMsg)

namespace cartograph {

FileSnapshotSource::FileSnapshotSource(QStringList paths)
    : m_paths(std::move(paths))
{}

QString FileSnapshotSource::displayName() const
{
    QStringList names;
    for (const QString &path : m_paths)
        names.append(QFileInfo(path).fileName());
    return names.join(QStringLiteral(", "));
}

Result<ClusterSnapshot> FileSnapshotSource::load(const std::atomic_bool *cancel) const
{
    QElapsedTimer timer;
    timer.start();
    Result<ClusterSnapshot> result = loadSnapshotFiles(m_paths, cancel);
    if (result)
        qCDebug(lcCollectors) << "loaded" << m_paths << result->objectCount() << "objects in"
                              << timer.elapsed() << "ms";
    else
        qCDebug(lcCollectors) << "loading" << m_paths << "failed:" << describe(result.error());
    return result;
}

QString demoFlavourName(DemoFlavour flavour)
{
    switch (flavour) {
    case DemoFlavour::CalicoIpIp:
        return QCoreApplication::translate("cartograph::Demo", "Calico IP-in-IP");
    case DemoFlavour::FlannelVxlan:
        return QCoreApplication::translate("cartograph::Demo", "Flannel VXLAN");
    }
    return {};
}

QString demoResourcePath(DemoFlavour flavour)
{
    switch (flavour) {
    case DemoFlavour::CalicoIpIp:
        return QStringLiteral(":/demo/calico.json");
    case DemoFlavour::FlannelVxlan:
        return QStringLiteral(":/demo/flannel.json");
    }
    return {};
}

QList<DemoFlavour> allDemoFlavours()
{
    return {DemoFlavour::CalicoIpIp, DemoFlavour::FlannelVxlan};
}

DemoSnapshotSource::DemoSnapshotSource(DemoFlavour flavour)
    : m_flavour(flavour)
{}

QString DemoSnapshotSource::displayName() const
{
    return QCoreApplication::translate("cartograph::Demo", "Demo (%1)")
        .arg(demoFlavourName(m_flavour));
}

Result<ClusterSnapshot> DemoSnapshotSource::load(const std::atomic_bool *cancel) const
{
    const QString path = demoResourcePath(m_flavour);
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        Error error;
        error.code = ErrorCode::FileNotFound;
        error.file = path;
        error.detail = file.errorString();
        return error;
    }
    ClusterSnapshot snapshot;
    if (Status status = loadSnapshotData(file.readAll(), path, snapshot, cancel); !status)
        return status.error();
    return snapshot;
}

std::unique_ptr<SnapshotSource> makeDemoSource(DemoFlavour flavour)
{
    return std::make_unique<DemoSnapshotSource>(flavour);
}

MemorySnapshotSource::MemorySnapshotSource(ClusterSnapshot snapshot, QString name)
    : m_snapshot(std::move(snapshot))
    , m_name(std::move(name))
{}

Result<ClusterSnapshot> MemorySnapshotSource::load(const std::atomic_bool *cancel) const
{
    if (cancel && cancel->load()) {
        Error error;
        error.code = ErrorCode::Cancelled;
        error.file = m_name;
        return error;
    }
    return m_snapshot;
}

} // namespace cartograph
