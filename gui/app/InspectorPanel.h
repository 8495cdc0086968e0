#pragma once

#include "ClusterLoad.h"
#include "TopologyScene.h"

#include <QWidget>

class QLabel;
class QTreeWidget;
class QTreeWidgetItem;

namespace cartograph::app {

// Details of the selected node, pod, service, interface or namespace, read from the snapshot
// (not from the diagram). With nothing selected it shows an overview of the whole cluster.
// Rows that name another object (a pod's node, a service's backing pods …) are links:
// activating one (double-click or Enter) asks the window to select that object.
class InspectorPanel : public QWidget
{
    Q_OBJECT

public:
    explicit InspectorPanel(QWidget *parent = nullptr);
    ~InspectorPanel() override;

    void setCluster(const LoadedCluster &cluster);
    void clear();
    // Shows the object behind the scene shape; -1 shows the cluster overview.
    void showShape(qsizetype shape);
    qsizetype shape() const { return m_shape; }

    // A flow picked in the flows table: its rows, with the two endpoints as links when they
    // are drawn.
    struct FlowDetails
    {
        QString title;
        QString subtitle;
        QList<std::pair<QString, QString>> rows;
        QString endpointA; // labels of the two sides
        QString endpointB;
        qsizetype shapeA = -1;
        qsizetype shapeB = -1;
    };
    void showFlow(const FlowDetails &flow);

    QString title() const;
    QString subtitle() const;
    // The panel as indented "key: value" lines, for copying and for tests.
    QString toPlainText() const;
    QTreeWidget *tree() const { return m_tree; }

signals:
    void shapeActivated(qsizetype shape);

protected:
    void changeEvent(QEvent *event) override;

private:
    struct InterfaceRef
    {
        qsizetype node = -1; // index into snapshot nodes
        const NodeNetwork *network = nullptr;
        qsizetype interface = -1; // index into network->interfaces
        const NetworkInterface *get() const
        {
            return network && interface >= 0 && interface < network->interfaces.size()
                       ? &network->interfaces.at(interface)
                       : nullptr;
        }
    };

    void setHeader(const QString &title, const QString &subtitle);
    QTreeWidgetItem *addSection(const QString &title);
    QTreeWidgetItem *addRow(QTreeWidgetItem *parent, const QString &key, const QString &value,
                            qsizetype linkShape = -1);
    void addLabels(const QString &title, const Labels &labels);
    void finishTree();
    void copySelection() const;

    void showOverview();
    void showNode(qsizetype index);
    void showPod(qsizetype index);
    void showService(qsizetype index);
    void showNamespace(qsizetype index);
    void showInterface(const InterfaceRef &ref);

    InterfaceRef resolveInterface(const diagram::Shape &shape) const;
    qsizetype shapeForModel(diagram::ModelKind kind, qsizetype index) const;
    qsizetype shapeForInterface(qsizetype node, const QString &interfaceName) const;
    qsizetype podIndex(const QString &qualifiedName) const;

    QLabel *m_title = nullptr;
    QLabel *m_subtitle = nullptr;
    QTreeWidget *m_tree = nullptr;
    QLabel *m_hint = nullptr;

    LoadedCluster m_cluster;
    qsizetype m_shape = -1;
};

} // namespace cartograph::app
