#pragma once

#include "ClusterSnapshot.h"
#include "Result.h"

#include <QString>
#include <QStringList>
#include <atomic>
#include <memory>

namespace cartograph {

// Where a snapshot comes from: files, the embedded demo, and later the API server or agents.
// The GUI and CLI only see this interface. load() blocks; callers run it off the GUI thread.
class SnapshotSource
{
public:
    virtual ~SnapshotSource() = default;
    // A short name for people: the file names, "Demo (Calico IP-in-IP)", a context name.
    virtual QString displayName() const = 0;
    virtual Result<ClusterSnapshot> load(const std::atomic_bool *cancel = nullptr) const = 0;
};

class FileSnapshotSource final : public SnapshotSource
{
public:
    explicit FileSnapshotSource(QStringList paths);
    QString displayName() const override;
    Result<ClusterSnapshot> load(const std::atomic_bool *cancel = nullptr) const override;
    const QStringList &paths() const { return m_paths; }

private:
    QStringList m_paths;
};

// A snapshot already in memory (the live model after a batch of watch events), under a name.
class MemorySnapshotSource final : public SnapshotSource
{
public:
    MemorySnapshotSource(ClusterSnapshot snapshot, QString name);
    QString displayName() const override { return m_name; }
    Result<ClusterSnapshot> load(const std::atomic_bool *cancel = nullptr) const override;

private:
    ClusterSnapshot m_snapshot;
    QString m_name;
};

enum class DemoFlavour
{
    CalicoIpIp,
    FlannelVxlan
};
QString demoFlavourName(DemoFlavour flavour);  // "Calico IP-in-IP"
QString demoResourcePath(DemoFlavour flavour); // ":/demo/calico.json"
QList<DemoFlavour> allDemoFlavours();

class DemoSnapshotSource final : public SnapshotSource
{
public:
    explicit DemoSnapshotSource(DemoFlavour flavour);
    QString displayName() const override;
    Result<ClusterSnapshot> load(const std::atomic_bool *cancel = nullptr) const override;
    DemoFlavour flavour() const { return m_flavour; }

private:
    DemoFlavour m_flavour;
};

std::unique_ptr<SnapshotSource> makeDemoSource(DemoFlavour flavour);

} // namespace cartograph
