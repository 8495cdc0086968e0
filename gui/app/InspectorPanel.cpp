#include "InspectorPanel.h"

#include "ClusterSnapshot.h"
#include "CniDetection.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace cartograph::app {

using diagram::ModelKind;
using diagram::Shape;
using diagram::ShapeKind;

namespace {
constexpr int LinkRole = Qt::UserRole + 1;
constexpr qsizetype MaxListedObjects = 200;

QString joinAddresses(const QList<IpAddress> &addresses)
{
    QStringList texts;
    texts.reserve(addresses.size());
    for (const IpAddress &address : addresses)
        texts << address.toString();
    return texts.join(QStringLiteral(", "));
}

QString joinCidrs(const QList<Cidr> &cidrs)
{
    QStringList texts;
    texts.reserve(cidrs.size());
    for (const Cidr &cidr : cidrs)
        texts << cidr.toString();
    return texts.join(QStringLiteral(", "));
}

QString addressText(const InterfaceAddress &address)
{
    return address.prefixLength > 0
               ? address.address.toString() + u'/' + QString::number(address.prefixLength)
               : address.address.toString();
}

bool selectorMatches(const Labels &selector, const Labels &labels)
{
    if (selector.isEmpty())
        return false; // an empty service selector selects nothing
    for (const auto &[key, value] : selector) {
        if (labels.value(key) != value)
            return false;
    }
    return true;
}

QColor warningColor(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightness() < 128 ? QColor(0xff, 0x8a, 0x80)
                                                             : QColor(0xc6, 0x28, 0x28);
}
} // namespace

InspectorPanel::InspectorPanel(QWidget *parent)
    : QWidget(parent)
    , m_title(new QLabel(this))
    , m_subtitle(new QLabel(this))
    , m_tree(new QTreeWidget(this))
    , m_hint(new QLabel(this))
{
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.2);
    m_title->setFont(titleFont);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_title->setWordWrap(true);
    m_subtitle->setForegroundRole(QPalette::PlaceholderText);
    m_subtitle->setWordWrap(true);

    m_tree->setColumnCount(2);
    m_tree->setHeaderLabels({tr("Property"), tr("Value")});
    m_tree->setHeaderHidden(true);
    m_tree->setUniformRowHeights(true);
    m_tree->setAlternatingRowColors(true);
    m_tree->setSelectionMode(QAbstractItemView::SingleSelection);
    m_tree->setTextElideMode(Qt::ElideRight);
    m_tree->setIndentation(14);
    m_tree->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_tree->header()->setStretchLastSection(true);
    m_tree->header()->setSectionResizeMode(0, QHeaderView::Interactive);

    auto *copyAction = new QAction(tr("&Copy"), m_tree);
    copyAction->setShortcut(QKeySequence::Copy);
    copyAction->setShortcutContext(Qt::WidgetShortcut);
    connect(copyAction, &QAction::triggered, this, &InspectorPanel::copySelection);
    auto *copyAllAction = new QAction(tr("Copy &All"), m_tree);
    connect(copyAllAction, &QAction::triggered, this,
            [this] { QApplication::clipboard()->setText(toPlainText()); });
    m_tree->addAction(copyAction);
    m_tree->addAction(copyAllAction);

    connect(m_tree, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem *item) {
        const QVariant link = item->data(1, LinkRole);
        if (link.isValid())
            emit shapeActivated(link.value<qsizetype>());
    });

    m_hint->setWordWrap(true);
    m_hint->setForegroundRole(QPalette::PlaceholderText);
    QFont hintFont = m_hint->font();
    hintFont.setPointSizeF(hintFont.pointSizeF() * 0.92);
    m_hint->setFont(hintFont);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 8);
    layout->setSpacing(4);
    layout->addWidget(m_title);
    layout->addWidget(m_subtitle);
    layout->addSpacing(4);
    layout->addWidget(m_tree, 1);
    layout->addWidget(m_hint);

    clear();
}

InspectorPanel::~InspectorPanel() = default;

void InspectorPanel::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    // Link and warning colours come from the palette: rebuild the rows when the theme changes.
    if (event->type() == QEvent::PaletteChange && m_cluster.ok())
        showShape(m_shape);
}

void InspectorPanel::setCluster(const LoadedCluster &cluster)
{
    m_cluster = cluster;
    m_shape = -1;
    showOverview();
}

void InspectorPanel::clear()
{
    m_cluster = {};
    m_shape = -1;
    m_tree->clear();
    setHeader(tr("No snapshot"), tr("Nothing to inspect yet"));
    m_hint->setText(tr("Open a snapshot (File ▸ Open…, or drop kubectl JSON/YAML files on the "
                       "window) or one of the demo clusters."));
}

QString InspectorPanel::title() const
{
    return m_title->text();
}

QString InspectorPanel::subtitle() const
{
    return m_subtitle->text();
}

void InspectorPanel::setHeader(const QString &title, const QString &subtitle)
{
    m_title->setText(title);
    m_subtitle->setText(subtitle);
    m_subtitle->setVisible(!subtitle.isEmpty());
}

QTreeWidgetItem *InspectorPanel::addSection(const QString &title)
{
    auto *item = new QTreeWidgetItem(m_tree, {title});
    QFont font = item->font(0);
    font.setBold(true);
    item->setFont(0, font);
    item->setFirstColumnSpanned(true);
    item->setFlags(Qt::ItemIsEnabled);
    return item;
}

QTreeWidgetItem *InspectorPanel::addRow(QTreeWidgetItem *parent, const QString &key,
                                        const QString &value, qsizetype linkShape)
{
    auto *item = new QTreeWidgetItem(parent, {key, value});
    item->setToolTip(1, value);
    if (linkShape >= 0) {
        item->setData(1, LinkRole, QVariant::fromValue(linkShape));
        item->setForeground(1, palette().brush(QPalette::Link));
        item->setToolTip(1, tr("%1\nDouble-click to show it in the diagram").arg(value));
    }
    return item;
}

void InspectorPanel::addLabels(const QString &title, const Labels &labels)
{
    if (labels.isEmpty())
        return;
    QTreeWidgetItem *section = addSection(title);
    for (const auto &[key, value] : labels)
        addRow(section, key, value);
}

void InspectorPanel::finishTree()
{
    m_tree->expandAll();
    m_tree->resizeColumnToContents(0);
    // Keys never take more than half the panel; long label keys get elided instead.
    const int maximum = std::max(110, m_tree->viewport()->width() / 2);
    if (m_tree->columnWidth(0) > maximum)
        m_tree->setColumnWidth(0, maximum);
    m_tree->scrollToTop();
}

void InspectorPanel::copySelection() const
{
    const QList<QTreeWidgetItem *> items = m_tree->selectedItems();
    if (items.isEmpty())
        return;
    const QTreeWidgetItem *item = items.constFirst();
    const QString value = item->text(1);
    QApplication::clipboard()->setText(value.isEmpty() ? item->text(0) : value);
}

QString InspectorPanel::toPlainText() const
{
    QString text = title() + u'\n';
    if (!subtitle().isEmpty())
        text += subtitle() + u'\n';
    const auto dump = [&text](const auto &self, const QTreeWidgetItem *item, int depth) -> void {
        text += QString(depth * 2, u' ') + item->text(0);
        if (!item->text(1).isEmpty())
            text += QStringLiteral(": ") + item->text(1);
        text += u'\n';
        for (int i = 0; i < item->childCount(); ++i)
            self(self, item->child(i), depth + 1);
    };
    for (int i = 0; i < m_tree->topLevelItemCount(); ++i)
        dump(dump, m_tree->topLevelItem(i), 0);
    return text;
}

void InspectorPanel::showFlow(const FlowDetails &flow)
{
    m_shape = -1;
    m_tree->clear();
    setHeader(flow.title, flow.subtitle);
    m_hint->setText(tr("Double-click a blue row to jump to that endpoint in the diagram."));
    QTreeWidgetItem *ends = addSection(tr("Endpoints"));
    addRow(ends, tr("A (initiator)"), flow.endpointA, flow.shapeA);
    addRow(ends, tr("B"), flow.endpointB, flow.shapeB);
    QTreeWidgetItem *traffic = addSection(tr("Flow"));
    for (const auto &[key, value] : flow.rows)
        addRow(traffic, key, value);
    finishTree();
}

void InspectorPanel::showShape(qsizetype shape)
{
    if (!m_cluster.snapshot || !m_cluster.scene) {
        clear();
        return;
    }
    const QList<Shape> &shapes = m_cluster.scene->shapes();
    if (shape < 0 || shape >= shapes.size()) {
        m_shape = -1;
        showOverview();
        return;
    }
    m_shape = shape;
    const Shape &target = shapes.at(shape);
    const ClusterSnapshot &snapshot = *m_cluster.snapshot;
    const auto inRange = [](qsizetype index, const auto &list) {
        return index >= 0 && index < list.size();
    };

    m_tree->clear();
    m_hint->setText(tr("Double-click a blue row to jump to that object. Esc returns to the "
                       "cluster overview."));
    switch (target.modelKind) {
    case ModelKind::Node:
        if (inRange(target.modelIndex, snapshot.nodes))
            return showNode(target.modelIndex);
        break;
    case ModelKind::Pod:
        if (inRange(target.modelIndex, snapshot.pods))
            return showPod(target.modelIndex);
        break;
    case ModelKind::Service:
        if (inRange(target.modelIndex, snapshot.services))
            return showService(target.modelIndex);
        break;
    case ModelKind::Namespace:
        if (inRange(target.modelIndex, snapshot.namespaces))
            return showNamespace(target.modelIndex);
        break;
    case ModelKind::Interface:
        if (const InterfaceRef ref = resolveInterface(target); ref.get())
            return showInterface(ref);
        break;
    case ModelKind::None:
        break;
    }
    // A shape without a model object (the underlay bar, a legend entry): show what it says.
    setHeader(target.label, target.detail);
    QTreeWidgetItem *section = addSection(tr("Diagram element"));
    addRow(section, tr("Label"), target.label);
    if (!target.detail.isEmpty())
        addRow(section, tr("Detail"), target.detail);
    finishTree();
}

// --- lookups -------------------------------------------------------------------------------

qsizetype InspectorPanel::shapeForModel(ModelKind kind, qsizetype index) const
{
    if (!m_cluster.scene || index < 0)
        return -1;
    return m_cluster.scene->shapeFor(kind, index);
}

InspectorPanel::InterfaceRef InspectorPanel::resolveInterface(const Shape &shape) const
{
    // Shape::nodeIndex names the node; accept it as an index into nodes (looked up by name) or
    // into nodeNetworks, whichever holds an interface of the shape's name at modelIndex.
    const ClusterSnapshot &snapshot = *m_cluster.snapshot;
    const auto matches = [&shape](const NodeNetwork *network) {
        return network && shape.modelIndex >= 0 && shape.modelIndex < network->interfaces.size() &&
               (shape.label.isEmpty() ||
                network->interfaces.at(shape.modelIndex).name == shape.label);
    };
    if (shape.nodeIndex >= 0 && shape.nodeIndex < snapshot.nodes.size()) {
        const NodeNetwork *network = snapshot.nodeNetwork(snapshot.nodes.at(shape.nodeIndex).name);
        if (matches(network))
            return {shape.nodeIndex, network, shape.modelIndex};
    }
    if (shape.nodeIndex >= 0 && shape.nodeIndex < snapshot.nodeNetworks.size()) {
        const NodeNetwork *network = &snapshot.nodeNetworks.at(shape.nodeIndex);
        if (matches(network))
            return {snapshot.findNode(network->nodeName), network, shape.modelIndex};
    }
    // Last resort: the interface of that name on the shape's parent node box.
    if (shape.parent >= 0 && shape.parent < m_cluster.scene->shapes().size()) {
        const Shape &nodeShape = m_cluster.scene->shapes().at(shape.parent);
        if (nodeShape.modelKind == ModelKind::Node && nodeShape.modelIndex >= 0 &&
            nodeShape.modelIndex < snapshot.nodes.size()) {
            const NodeNetwork *network =
                snapshot.nodeNetwork(snapshot.nodes.at(nodeShape.modelIndex).name);
            if (network) {
                for (qsizetype i = 0; i < network->interfaces.size(); ++i) {
                    if (network->interfaces.at(i).name == shape.label)
                        return {nodeShape.modelIndex, network, i};
                }
            }
        }
    }
    return {};
}

qsizetype InspectorPanel::shapeForInterface(qsizetype node, const QString &interfaceName) const
{
    if (!m_cluster.scene || node < 0 || interfaceName.isEmpty())
        return -1;
    const QList<Shape> &shapes = m_cluster.scene->shapes();
    const qsizetype nodeShape = shapeForModel(ModelKind::Node, node);
    if (nodeShape < 0)
        return -1;
    // Only what lies inside the node's box (spatial grid), not every shape of the cluster.
    for (qsizetype i : m_cluster.scene->shapesIn(shapes.at(nodeShape).rect)) {
        const Shape &shape = shapes.at(i);
        if (shape.modelKind == ModelKind::Interface && shape.label == interfaceName &&
            (shape.parent == nodeShape || shape.nodeIndex == node))
            return i;
    }
    return -1;
}

qsizetype InspectorPanel::podIndex(const QString &qualifiedName) const
{
    const qsizetype slash = qualifiedName.indexOf(u'/');
    if (slash < 0)
        return -1;
    return m_cluster.snapshot->findPod(QStringView(qualifiedName).left(slash),
                                       QStringView(qualifiedName).mid(slash + 1));
}

// --- overview ------------------------------------------------------------------------------

void InspectorPanel::showOverview()
{
    m_tree->clear();
    if (!m_cluster.snapshot) {
        clear();
        return;
    }
    const ClusterSnapshot &snapshot = *m_cluster.snapshot;
    const CniDetection &cni = m_cluster.cni;
    setHeader(m_cluster.sourceName, tr("Cluster overview"));
    m_hint->setText(tr("Click a node, pod, service or interface in the diagram to see its "
                       "details; double-click to zoom to it."));

    QTreeWidgetItem *network = addSection(tr("Network"));
    addRow(network, tr("CNI plugin"),
           cni.plugin == CniPlugin::Unknown ? tr("Unknown") : cniPluginName(cni.plugin));
    if (cni.overlay != OverlayMode::Unknown)
        addRow(network, tr("Overlay"), overlayModeName(cni.overlay));
    QTreeWidgetItem *enforcement = addRow(
        network, tr("NetworkPolicy"),
        !cni.enforcementKnown ? tr("Enforcement unknown")
        : cni.enforcesNetworkPolicy
            ? tr("Enforced by the CNI")
            : tr("NOT enforced — %1 ignores NetworkPolicy objects").arg(cniPluginName(cni.plugin)));
    if (cni.enforcementKnown && !cni.enforcesNetworkPolicy)
        enforcement->setForeground(1, warningColor(palette()));
    if (!cni.evidence.isEmpty()) {
        QTreeWidgetItem *detected = addRow(network, tr("Detected from"), QString());
        for (const QString &evidence : cni.evidence) {
            auto *item = new QTreeWidgetItem(detected, {evidence});
            item->setToolTip(0, evidence);
            item->setFirstColumnSpanned(true);
            item->setForeground(0, palette().brush(QPalette::PlaceholderText));
        }
    }
    addRow(network, tr("Cluster domain"), snapshot.clusterDomain);

    QTreeWidgetItem *counts = addSection(tr("Objects"));
    qsizetype readyNodes = 0;
    for (const Node &node : snapshot.nodes)
        readyNodes += node.ready == ConditionStatus::True ? 1 : 0;
    qsizetype hostNetworkPods = 0;
    for (const Pod &pod : snapshot.pods)
        hostNetworkPods += pod.hostNetwork ? 1 : 0;
    addRow(counts, tr("Nodes"), tr("%1 (%2 ready)").arg(snapshot.nodes.size()).arg(readyNodes));
    addRow(counts, tr("Pods"),
           tr("%1 (%2 on the host network)").arg(snapshot.pods.size()).arg(hostNetworkPods));
    addRow(counts, tr("Services"), QString::number(snapshot.services.size()));
    addRow(counts, tr("Namespaces"), QString::number(snapshot.namespaces.size()));
    addRow(counts, tr("Network policies"), QString::number(snapshot.networkPolicies.size()));
    addRow(counts, tr("Endpoint slices"), QString::number(snapshot.endpointSlices.size()));
    addRow(counts, tr("DaemonSets"), QString::number(snapshot.daemonSets.size()));
    addRow(counts, tr("Node reports"), QString::number(snapshot.nodeNetworks.size()));

    if (!snapshot.nodes.isEmpty()) {
        QTreeWidgetItem *nodes = addSection(tr("Nodes"));
        for (qsizetype i = 0; i < snapshot.nodes.size() && i < MaxListedObjects; ++i) {
            const Node &node = snapshot.nodes.at(i);
            QStringList facts;
            facts << (node.ready == ConditionStatus::True ? tr("Ready") : tr("NotReady"));
            if (!node.internalIp().isNull())
                facts << node.internalIp().toString();
            if (!node.podCidrs.isEmpty())
                facts << joinCidrs(node.podCidrs);
            QTreeWidgetItem *row = addRow(nodes, node.name, facts.join(QStringLiteral(" · ")),
                                          shapeForModel(ModelKind::Node, i));
            if (node.ready != ConditionStatus::True)
                row->setForeground(1, warningColor(palette()));
        }
        if (snapshot.nodes.size() > MaxListedObjects)
            addRow(nodes, tr("…"), tr("%1 more").arg(snapshot.nodes.size() - MaxListedObjects));
    }

    QTreeWidgetItem *source = addSection(tr("Snapshot"));
    addRow(source, tr("Source"), m_cluster.sourceName);
    for (const QString &file : snapshot.sources)
        addRow(source, tr("Read from"), file);
    addRow(source, tr("Objects"), QString::number(snapshot.objectCount()));
    const auto duration = [](qint64 milliseconds) {
        return milliseconds < 1 ? tr("<1 ms") : tr("%1 ms").arg(milliseconds);
    };
    addRow(source, tr("Load time"),
           tr("%1 to read, %2 to lay out")
               .arg(duration(m_cluster.loadMilliseconds), duration(m_cluster.layoutMilliseconds)));
    for (auto it = snapshot.skippedKinds.cbegin(); it != snapshot.skippedKinds.cend(); ++it)
        addRow(source, tr("Skipped %1").arg(it.key()), tr("%1 not modelled").arg(it.value()));
    finishTree();
}

// --- node ----------------------------------------------------------------------------------

void InspectorPanel::showNode(qsizetype index)
{
    const ClusterSnapshot &snapshot = *m_cluster.snapshot;
    const Node &node = snapshot.nodes.at(index);
    QStringList subtitle{tr("Node")};
    if (!node.roles.isEmpty())
        subtitle << node.roles.join(QStringLiteral(", "));
    subtitle << (node.ready == ConditionStatus::True ? tr("Ready") : tr("NotReady"));
    setHeader(node.name, subtitle.join(QStringLiteral(" · ")));

    QTreeWidgetItem *status = addSection(tr("Status"));
    QString ready = node.ready == ConditionStatus::True    ? tr("True")
                    : node.ready == ConditionStatus::False ? tr("False")
                                                           : tr("Unknown");
    if (!node.readyReason.isEmpty())
        ready += QStringLiteral(" (") + node.readyReason + u')';
    QTreeWidgetItem *readyRow = addRow(status, tr("Ready"), ready);
    if (node.ready != ConditionStatus::True)
        readyRow->setForeground(1, warningColor(palette()));
    if (!node.readyMessage.isEmpty())
        addRow(status, tr("Message"), node.readyMessage);
    if (!node.lastHeartbeat.isEmpty())
        addRow(status, tr("Last heartbeat"), node.lastHeartbeat);
    addRow(status, tr("Schedulable"), node.unschedulable ? tr("No (cordoned)") : tr("Yes"));
    if (!node.roles.isEmpty())
        addRow(status, tr("Roles"), node.roles.join(QStringLiteral(", ")));

    QTreeWidgetItem *addresses = addSection(tr("Addresses"));
    for (const NodeAddress &address : node.addresses)
        addRow(addresses, address.type, address.address);
    for (const Cidr &cidr : node.podCidrs)
        addRow(addresses, tr("Pod CIDR"), cidr.toString());
    if (addresses->childCount() == 0)
        addRow(addresses, tr("None reported"), QString());

    QTreeWidgetItem *system = addSection(tr("System"));
    if (!node.kubeletVersion.isEmpty())
        addRow(system, tr("Kubelet"), node.kubeletVersion);
    if (!node.osImage.isEmpty())
        addRow(system, tr("OS image"), node.osImage);
    if (!node.containerRuntime.isEmpty())
        addRow(system, tr("Container runtime"), node.containerRuntime);
    if (!node.architecture.isEmpty())
        addRow(system, tr("Architecture"), node.architecture);

    if (!node.taints.isEmpty()) {
        QTreeWidgetItem *taints = addSection(tr("Taints"));
        for (const Taint &taint : node.taints) {
            addRow(taints, taint.key,
                   (taint.value.isEmpty() ? QString() : taint.value) + u':' + taint.effect);
        }
    }

    const NodeNetwork *network = snapshot.nodeNetwork(node.name);
    if (network) {
        QTreeWidgetItem *cni = addSection(tr("CNI and kubelet"));
        if (!network->cniConfigFile.isEmpty())
            addRow(cni, tr("CNI config"), network->cniConfigFile);
        if (!network->cniNetworkName.isEmpty())
            addRow(cni, tr("CNI network"), network->cniNetworkName);
        if (!network->cniPlugins.isEmpty())
            addRow(cni, tr("CNI plugins"), network->cniPlugins.join(QStringLiteral(", ")));
        addRow(cni, tr("Static pod path"),
               network->staticPodPath.isEmpty() ? tr("not reported") : network->staticPodPath);

        QTreeWidgetItem *interfaces = addSection(tr("Interfaces"));
        for (const NetworkInterface &interface : network->interfaces) {
            QStringList facts{interfaceKindName(interface.kind)};
            for (const InterfaceAddress &address : interface.addresses) {
                if (address.scope != u"link") // fe80:: on every veth says nothing
                    facts << addressText(address);
            }
            if (!interface.master.isEmpty())
                facts << tr("port of %1").arg(interface.master);
            if (!interface.peerPod.isEmpty())
                facts << tr("↔ %1").arg(interface.peerPod);
            if (interface.mtu > 0)
                facts << tr("MTU %1").arg(interface.mtu);
            addRow(interfaces, interface.name, facts.join(QStringLiteral(" · ")),
                   shapeForInterface(index, interface.name));
        }
        if (!network->routes.isEmpty()) {
            QTreeWidgetItem *routes = addSection(tr("Routes"));
            for (const Route &route : network->routes) {
                const QString destination = route.destination.prefixLength() == 0
                                                ? tr("default")
                                                : route.destination.toString();
                QStringList via;
                if (!route.gateway.isNull())
                    via << tr("via %1").arg(route.gateway.toString());
                if (!route.device.isEmpty())
                    via << tr("dev %1").arg(route.device);
                if (route.onLink)
                    via << tr("onlink");
                if (!route.protocol.isEmpty())
                    via << tr("proto %1").arg(route.protocol);
                addRow(routes, destination, via.join(u' '));
            }
        }
    } else {
        QTreeWidgetItem *cni = addSection(tr("Interfaces"));
        addRow(cni, tr("Not reported"),
               tr("No NodeNetwork item for this node (the Cartograph agent did not run there)"));
    }

    const QList<qsizetype> pods = snapshot.podsOnNode(node.name);
    QTreeWidgetItem *podSection = addSection(tr("Pods (%1)").arg(pods.size()));
    for (qsizetype i = 0; i < pods.size() && i < MaxListedObjects; ++i) {
        const Pod &pod = snapshot.pods.at(pods.at(i));
        QString facts = pod.podIps.isEmpty() ? pod.phase : joinAddresses(pod.podIps);
        facts += pod.hostNetwork ? tr(" · host network · %1").arg(pod.namespaceName)
                                 : QStringLiteral(" · ") + pod.namespaceName;
        addRow(podSection, pod.name, facts, shapeForModel(ModelKind::Pod, pods.at(i)));
    }
    if (pods.size() > MaxListedObjects)
        addRow(podSection, tr("…"), tr("%1 more").arg(pods.size() - MaxListedObjects));

    addLabels(tr("Labels"), node.labels);
    finishTree();
}

// --- pod -----------------------------------------------------------------------------------

void InspectorPanel::showPod(qsizetype index)
{
    const ClusterSnapshot &snapshot = *m_cluster.snapshot;
    const Pod &pod = snapshot.pods.at(index);
    QString kind = pod.mirrorPod     ? tr("Static pod")
                   : pod.hostNetwork ? tr("Host-network pod")
                                     : tr("Pod");
    setHeader(pod.name, kind + QStringLiteral(" · ") + pod.namespaceName);

    QTreeWidgetItem *general = addSection(tr("Pod"));
    addRow(general, tr("Namespace"), pod.namespaceName, shapeForModel(ModelKind::Namespace, [&] {
               for (qsizetype i = 0; i < snapshot.namespaces.size(); ++i) {
                   if (snapshot.namespaces.at(i).name == pod.namespaceName)
                       return i;
               }
               return qsizetype(-1);
           }()));
    const qsizetype nodeIndex = snapshot.findNode(pod.nodeName);
    addRow(general, tr("Node"), pod.nodeName.isEmpty() ? tr("not scheduled") : pod.nodeName,
           shapeForModel(ModelKind::Node, nodeIndex));
    addRow(general, tr("Phase"), pod.phase.isEmpty() ? tr("Unknown") : pod.phase);
    addRow(general, tr("Ready"), pod.ready ? tr("Yes") : tr("No"));
    if (pod.owner)
        addRow(general, tr("Owner"), pod.owner->kind + u' ' + pod.owner->name);
    if (!pod.uid.isEmpty())
        addRow(general, tr("UID"), pod.uid);

    QTreeWidgetItem *network = addSection(tr("Network"));
    addRow(network, tr("Pod IPs"),
           pod.podIps.isEmpty() ? tr("none assigned") : joinAddresses(pod.podIps));
    if (!pod.hostIp.isNull())
        addRow(network, tr("Host IP"), pod.hostIp.toString());
    addRow(network, tr("Host network"),
           pod.hostNetwork ? tr("Yes — no own IP, uses the node's addresses and ports")
                           : tr("No — own network namespace"));
    if (const NodeNetwork *nodeNetwork = snapshot.nodeNetwork(pod.nodeName)) {
        const QString qualified = pod.qualifiedName();
        for (const NetworkInterface &interface : nodeNetwork->interfaces) {
            if (interface.peerPod != qualified)
                continue;
            QString text = interface.name;
            if (!interface.peerIfName.isEmpty())
                text += tr(" ↔ %1 in the pod").arg(interface.peerIfName);
            if (!interface.master.isEmpty())
                text += tr(" (port of %1)").arg(interface.master);
            addRow(network, tr("Host interface"), text,
                   shapeForInterface(nodeIndex, interface.name));
        }
    }

    if (pod.mirrorPod || !pod.configSource.isEmpty()) {
        QTreeWidgetItem *origin = addSection(tr("Origin"));
        if (pod.mirrorPod) {
            const NodeNetwork *nodeNetwork = snapshot.nodeNetwork(pod.nodeName);
            const QString path = nodeNetwork && !nodeNetwork->staticPodPath.isEmpty()
                                     ? nodeNetwork->staticPodPath
                                     : tr("the kubelet's staticPodPath");
            addRow(origin, tr("Static pod"),
                   tr("Yes — the kubelet runs it from a manifest in %1; the API holds a "
                      "read-only mirror")
                       .arg(path));
        }
        if (!pod.configSource.isEmpty())
            addRow(origin, tr("Config source"), pod.configSource);
    }

    QTreeWidgetItem *containers = addSection(tr("Containers (%1)").arg(pod.containers.size()));
    for (const Container &container : pod.containers) {
        QTreeWidgetItem *row = addRow(
            containers, container.init ? tr("%1 (init)").arg(container.name) : container.name,
            container.image);
        for (const ContainerPort &port : container.ports) {
            QString text = QString::number(port.containerPort) + u'/' + protocolName(port.protocol);
            if (port.hostPort > 0)
                text += tr(" (host port %1)").arg(port.hostPort);
            addRow(row, port.name.isEmpty() ? tr("port") : port.name, text);
        }
    }

    // Services and policies that select this pod: the rules live in the model (selectors).
    QTreeWidgetItem *services = nullptr;
    for (qsizetype i = 0; i < snapshot.services.size(); ++i) {
        const Service &service = snapshot.services.at(i);
        if (service.namespaceName != pod.namespaceName || !service.selector ||
            !selectorMatches(*service.selector, pod.labels))
            continue;
        if (!services)
            services = addSection(tr("Selected by services"));
        addRow(services, service.name, joinAddresses(service.clusterIps),
               shapeForModel(ModelKind::Service, i));
    }
    QTreeWidgetItem *policies = nullptr;
    for (const NetworkPolicy &policy : snapshot.networkPolicies) {
        if (policy.namespaceName != pod.namespaceName || !policy.podSelector.matches(pod.labels))
            continue;
        if (!policies)
            policies = addSection(tr("Selected by network policies"));
        QStringList directions;
        if (policy.affectsIngress())
            directions << tr("ingress");
        if (policy.affectsEgress())
            directions << tr("egress");
        addRow(policies, policy.name, directions.join(QStringLiteral(", ")));
    }
    if (policies && m_cluster.cni.enforcementKnown && !m_cluster.cni.enforcesNetworkPolicy) {
        addRow(policies, tr("Warning"),
               tr("%1 does not enforce NetworkPolicy").arg(cniPluginName(m_cluster.cni.plugin)))
            ->setForeground(1, warningColor(palette()));
    }

    addLabels(tr("Labels"), pod.labels);
    finishTree();
}

// --- service -------------------------------------------------------------------------------

void InspectorPanel::showService(qsizetype index)
{
    const ClusterSnapshot &snapshot = *m_cluster.snapshot;
    const Service &service = snapshot.services.at(index);
    setHeader(service.name,
              tr("Service · %1 · %2").arg(serviceTypeName(service.type), service.namespaceName));

    QTreeWidgetItem *general = addSection(tr("Service"));
    addRow(general, tr("Namespace"), service.namespaceName);
    addRow(general, tr("Type"), serviceTypeName(service.type));
    if (service.headless)
        addRow(general, tr("Cluster IP"), tr("None (headless: DNS returns the pod IPs)"));
    else if (!service.clusterIps.isEmpty())
        addRow(general, tr("Cluster IPs"), joinAddresses(service.clusterIps));
    if (service.type != ServiceType::ExternalName)
        addRow(general, tr("DNS name"), service.dnsName(snapshot.clusterDomain));
    if (!service.externalName.isEmpty())
        addRow(general, tr("External name"), service.externalName);
    if (!service.externalIps.isEmpty())
        addRow(general, tr("External IPs"), service.externalIps.join(QStringLiteral(", ")));
    if (!service.loadBalancerIngress.isEmpty())
        addRow(general, tr("Load balancer"),
               service.loadBalancerIngress.join(QStringLiteral(", ")));
    if (!service.externalTrafficPolicy.isEmpty())
        addRow(general, tr("External traffic policy"), service.externalTrafficPolicy);

    if (!service.ports.isEmpty()) {
        QTreeWidgetItem *ports = addSection(tr("Ports"));
        for (const ServicePort &port : service.ports) {
            const QString target =
                !port.targetPortName.isEmpty()
                    ? port.targetPortName
                    : QString::number(port.targetPortNumber > 0 ? port.targetPortNumber
                                                                : port.port);
            QString text =
                tr("%1/%2 → target port %3")
                    .arg(QString::number(port.port), protocolName(port.protocol), target);
            if (port.nodePort > 0)
                text += tr(", node port %1").arg(port.nodePort);
            if (!port.appProtocol.isEmpty())
                text += QStringLiteral(" (") + port.appProtocol + u')';
            addRow(ports, port.name.isEmpty() ? tr("port") : port.name, text);
        }
    }

    QTreeWidgetItem *selector = addSection(tr("Selector"));
    if (!service.selector) {
        addRow(selector, tr("None"), tr("endpoints are managed by hand"));
    } else if (service.selector->isEmpty()) {
        addRow(selector, tr("Empty"), tr("selects no pods"));
    } else {
        for (const auto &[key, value] : *service.selector)
            addRow(selector, key, value);
    }

    if (service.selector) {
        const QList<qsizetype> pods = snapshot.podsSelectedBy(service);
        QTreeWidgetItem *backing = addSection(tr("Backing pods (%1)").arg(pods.size()));
        for (qsizetype i = 0; i < pods.size() && i < MaxListedObjects; ++i) {
            const Pod &pod = snapshot.pods.at(pods.at(i));
            QString facts = joinAddresses(pod.podIps);
            if (!pod.nodeName.isEmpty())
                facts += tr(" on %1").arg(pod.nodeName);
            addRow(backing, pod.name, facts, shapeForModel(ModelKind::Pod, pods.at(i)));
        }
        if (pods.size() > MaxListedObjects)
            addRow(backing, tr("…"), tr("%1 more").arg(pods.size() - MaxListedObjects));
        if (pods.isEmpty())
            addRow(backing, tr("None"), tr("no pod matches the selector"))
                ->setForeground(1, warningColor(palette()));
    }

    QTreeWidgetItem *endpoints = nullptr;
    qsizetype listed = 0;
    for (const EndpointSlice &slice : snapshot.endpointSlices) {
        if (slice.namespaceName != service.namespaceName || slice.serviceName != service.name)
            continue;
        if (!endpoints)
            endpoints = addSection(tr("Endpoints"));
        for (const EndpointRef &endpoint : slice.endpoints) {
            if (++listed > MaxListedObjects)
                break;
            QString state = endpoint.ready ? tr("ready") : tr("not ready");
            if (endpoint.terminating)
                state += tr(", terminating");
            QString target =
                endpoint.targetName.isEmpty()
                    ? state
                    : tr("%1 %2 (%3)").arg(endpoint.targetKind, endpoint.targetName, state);
            addRow(endpoints, endpoint.addresses.join(QStringLiteral(", ")), target,
                   endpoint.targetKind == u"Pod"
                       ? shapeForModel(ModelKind::Pod,
                                       snapshot.findPod(endpoint.targetNamespace.isEmpty()
                                                            ? slice.namespaceName
                                                            : endpoint.targetNamespace,
                                                        endpoint.targetName))
                       : -1);
        }
    }

    addLabels(tr("Labels"), service.labels);
    finishTree();
}

// --- namespace -----------------------------------------------------------------------------

void InspectorPanel::showNamespace(qsizetype index)
{
    const ClusterSnapshot &snapshot = *m_cluster.snapshot;
    const Namespace &ns = snapshot.namespaces.at(index);
    setHeader(ns.name, tr("Namespace"));
    qsizetype pods = 0;
    for (const Pod &pod : snapshot.pods)
        pods += pod.namespaceName == ns.name ? 1 : 0;
    QTreeWidgetItem *general = addSection(tr("Namespace"));
    if (!ns.phase.isEmpty())
        addRow(general, tr("Phase"), ns.phase);
    addRow(general, tr("Pods"), QString::number(pods));

    QTreeWidgetItem *services = addSection(tr("Services"));
    for (qsizetype i = 0; i < snapshot.services.size(); ++i) {
        const Service &service = snapshot.services.at(i);
        if (service.namespaceName == ns.name)
            addRow(services, service.name, joinAddresses(service.clusterIps),
                   shapeForModel(ModelKind::Service, i));
    }
    QTreeWidgetItem *policies = addSection(tr("Network policies"));
    for (const NetworkPolicy &policy : snapshot.networkPolicies) {
        if (policy.namespaceName == ns.name)
            addRow(policies, policy.name,
                   policy.podSelector.isEmpty() ? tr("all pods") : policy.podSelector.toString());
    }
    if (policies->childCount() == 0)
        addRow(policies, tr("None"), tr("every pod accepts all traffic"));
    addLabels(tr("Labels"), ns.labels);
    finishTree();
}

// --- interface -----------------------------------------------------------------------------

void InspectorPanel::showInterface(const InterfaceRef &ref)
{
    const ClusterSnapshot &snapshot = *m_cluster.snapshot;
    const NetworkInterface &interface = *ref.get();
    const QString nodeName = ref.network->nodeName;
    setHeader(interface.name,
              tr("%1 interface · %2").arg(interfaceKindName(interface.kind), nodeName));

    QTreeWidgetItem *general = addSection(tr("Interface"));
    addRow(general, tr("Node"), nodeName, shapeForModel(ModelKind::Node, ref.node));
    addRow(general, tr("Kind"), interfaceKindName(interface.kind));
    if (!interface.state.isEmpty())
        addRow(general, tr("State"), interface.state);
    if (interface.mtu > 0)
        addRow(general, tr("MTU"), QString::number(interface.mtu));
    if (!interface.mac.isEmpty())
        addRow(general, tr("MAC"), interface.mac);
    for (const InterfaceAddress &address : interface.addresses) {
        QString text = addressText(address);
        if (!address.scope.isEmpty())
            text += tr(" (scope %1)").arg(address.scope);
        addRow(general, tr("Address"), text);
    }
    if (!interface.master.isEmpty())
        addRow(general, tr("Bridge"), interface.master,
               shapeForInterface(ref.node, interface.master));
    if (!interface.peerPod.isEmpty()) {
        QString text = interface.peerPod;
        if (!interface.peerIfName.isEmpty())
            text += tr(" (%1 inside the pod)").arg(interface.peerIfName);
        addRow(general, tr("Peer pod"), text,
               shapeForModel(ModelKind::Pod, podIndex(interface.peerPod)));
    }

    if (isTunnel(interface.kind)) {
        QTreeWidgetItem *tunnel = addSection(tr("Tunnel"));
        if (interface.vni)
            addRow(tunnel, tr("VNI"), QString::number(*interface.vni));
        if (interface.udpPort > 0)
            addRow(tunnel, tr("UDP port"), QString::number(interface.udpPort));
        if (!interface.tunnelLocal.isNull())
            addRow(tunnel, tr("Local"), interface.tunnelLocal.toString());
        if (!interface.tunnelRemote.isNull())
            addRow(tunnel, tr("Remote"), interface.tunnelRemote.toString());
        if (!interface.underlayDevice.isEmpty())
            addRow(tunnel, tr("Underlay device"), interface.underlayDevice,
                   shapeForInterface(ref.node, interface.underlayDevice));
        if (tunnel->childCount() == 0)
            addRow(tunnel, tr("Parameters"), tr("not reported"));
    }

    if (interface.kind == InterfaceKind::Bridge) {
        QTreeWidgetItem *ports = addSection(tr("Bridge ports"));
        for (const NetworkInterface &port : ref.network->interfaces) {
            if (port.master == interface.name)
                addRow(ports, port.name, port.peerPod, shapeForInterface(ref.node, port.name));
        }
        if (ports->childCount() == 0)
            addRow(ports, tr("None"), QString());
    }

    QTreeWidgetItem *routes = nullptr;
    for (const Route &route : ref.network->routes) {
        if (route.device != interface.name)
            continue;
        if (!routes)
            routes = addSection(tr("Routes via this device"));
        QString via =
            route.gateway.isNull() ? tr("direct") : tr("via %1").arg(route.gateway.toString());
        if (route.onLink)
            via += tr(" onlink");
        addRow(routes,
               route.destination.prefixLength() == 0 ? tr("default") : route.destination.toString(),
               via);
    }
    Q_UNUSED(snapshot)
    finishTree();
}

} // namespace cartograph::app
