// MainWindow's live parts: File ▸ Connect / Disconnect, the connection indicator, the
// diagnostics dock, Capture ▸ Live Capture.

#include "ConnectDialog.h"
#include "DiagnosticsPanel.h"
#include "LiveCaptureDialog.h"
#include "LiveCluster.h"
#include "MainWindow.h"

#include <QAction>
#include <QDockWidget>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QStatusBar>

namespace cartograph::app {

void MainWindow::createLiveParts()
{
    m_live = new LiveCluster(this);
    m_live->setExecConfirmation(
        [this](const kube::ExecPluginConfig &plugin, const QString &context) {
            // A kubeconfig may name any program: it runs only after the user has seen it, once per
            // command line and session.
            const QString command = plugin.commandLine();
            if (m_approvedExecCommands.contains(command))
                return true;
            const auto answer = QMessageBox::question(
                this, tr("Run a credential plugin?"),
                tr("Context %1 gets its credentials by running:\n\n%2\n\n(from %3)\n\nRun it?")
                    .arg(context, command, plugin.sourceFile),
                QMessageBox::Yes | QMessageBox::No, QMessageBox::No);
            if (answer != QMessageBox::Yes)
                return false;
            m_approvedExecCommands.insert(command);
            return true;
        });

    m_connectAction = new QAction(tr("&Connect to Cluster…"), this);
    m_connectAction->setObjectName(QStringLiteral("actionConnect"));
    m_connectAction->setShortcut(QKeySequence(tr("Ctrl+K")));
    m_connectAction->setStatusTip(tr("Pick a kubeconfig context and watch its cluster"));
    connect(m_connectAction, &QAction::triggered, this, &MainWindow::connectDialog);
    m_disconnectAction = new QAction(tr("&Disconnect"), this);
    m_disconnectAction->setObjectName(QStringLiteral("actionDisconnect"));
    m_disconnectAction->setEnabled(false);
    connect(m_disconnectAction, &QAction::triggered, this, &MainWindow::disconnectFromCluster);
    m_liveCaptureAction = new QAction(tr("&Live Capture…"), this);
    m_liveCaptureAction->setObjectName(QStringLiteral("actionLiveCapture"));
    m_liveCaptureAction->setStatusTip(tr("Capture on a local interface"));
    connect(m_liveCaptureAction, &QAction::triggered, this, [this] {
        LiveCaptureDialog *dialog = liveCaptureDialog();
        dialog->show();
        dialog->raise();
    });

    if (QMenu *file = menuBar()->findChild<QMenu *>()) {
        const QList<QAction *> actions = file->actions();
        QAction *before = actions.size() > 4 ? actions.at(4) : nullptr; // after the Open entries
        file->insertAction(before, m_connectAction);
        file->insertAction(before, m_disconnectAction);
        file->insertAction(before, m_liveCaptureAction);
    }

    m_diagnostics = new DiagnosticsPanel(this);
    m_diagnosticsDock = new QDockWidget(tr("Diagnostics"), this);
    m_diagnosticsDock->setObjectName(QStringLiteral("diagnosticsDock"));
    m_diagnosticsDock->setWidget(m_diagnostics);
    addDockWidget(Qt::BottomDockWidgetArea, m_diagnosticsDock);
    m_diagnosticsDock->hide();
    if (QMenu *view = findChild<QMenu *>(QStringLiteral("menuView")))
        view->addAction(m_diagnosticsDock->toggleViewAction());

    m_connectionLabel = new QLabel(this);
    m_connectionLabel->setObjectName(QStringLiteral("connectionIndicator"));
    statusBar()->addPermanentWidget(m_connectionLabel);
    m_connectionLabel->hide();

    connect(m_live, &LiveCluster::statusTextChanged, this, [this](const QString &text) {
        m_connectionLabel->setText(text);
        m_connectionLabel->setVisible(!text.isEmpty());
    });
    connect(m_live, &LiveCluster::stateChanged, this, [this](kube::ConnectionState state) {
        const bool active = state == kube::ConnectionState::Listing ||
                            state == kube::ConnectionState::Live ||
                            state == kube::ConnectionState::Reconnecting;
        m_disconnectAction->setEnabled(active);
        const char *colour = state == kube::ConnectionState::Live           ? "#2e7d32"
                             : state == kube::ConnectionState::Failed       ? "#c62828"
                             : state == kube::ConnectionState::Disconnected ? "#757575"
                                                                            : "#e65100";
        m_connectionLabel->setStyleSheet(
            QStringLiteral("QLabel { color: %1; font-weight: bold; }").arg(QLatin1String(colour)));
        log(tr("Cluster connection: %1").arg(kube::connectionStateName(state)));
    });
    m_liveThrottle.setSingleShot(true);
    m_liveThrottle.setInterval(1000);
    connect(&m_liveThrottle, &QTimer::timeout, this, [this] {
        if (m_pendingLiveModel)
            showLiveModel(*std::exchange(m_pendingLiveModel, std::nullopt),
                          !std::exchange(m_pendingLiveIsFirst, false)); // re-arms if busy
    });
    connect(m_live, &LiveCluster::modelChanged, this,
            [this](const ClusterSnapshot &snapshot, const QList<kube::ObjectChange> &changes,
                   bool initial) {
                if (initial) {
                    showLiveModel(snapshot, false);
                    m_liveThrottle.start();
                    return;
                }
                log(tr("Cluster changed: %n object(s)", nullptr, int(changes.size())));
                m_pendingLiveModel = snapshot; // the newest wins
                if (!m_liveThrottle.isActive()) {
                    m_liveThrottle.start();
                }
            });
    connect(m_live, &LiveCluster::findingsChanged, this, &MainWindow::updateDiagnostics);
    connect(m_live, &LiveCluster::connectionFailed, this, [this](const QString &message) {
        m_diagnosticsDock->show();
        reportError(tr("Could not connect to %1").arg(m_live->connection().contextName),
                    message + u"\n\n" + tr("The Diagnostics panel says what to check."));
    });
    connect(this, &MainWindow::snapshotLoaded, this, &MainWindow::updateDiagnostics);
}

void MainWindow::connectDialog()
{
    ConnectDialog dialog(this);
    dialog.load(kube::KubeconfigLocation{});
    if (dialog.exec() != QDialog::Accepted || !dialog.connection())
        return;
    connectToCluster(*dialog.connection(), dialog.namespaceScope());
}

void MainWindow::connectToCluster(const kube::ClusterConnection &connection,
                                  const QString &namespaceScope)
{
    kube::CollectorOptions options;
    options.namespaceName = namespaceScope;
    m_pendingLiveModel.reset();
    m_pendingLiveIsFirst = false;
    log(tr("Connecting to %1 (%2)").arg(connection.contextName, connection.server.toString()));
    if (!m_live->connectTo(connection, options))
        m_diagnosticsDock->show();
    updateDiagnostics();
}

void MainWindow::disconnectFromCluster()
{
    m_live->disconnectFromCluster();
    m_liveThrottle.stop();
    m_pendingLiveModel.reset();
    m_pendingLiveIsFirst = false;
}

void MainWindow::showLiveModel(const ClusterSnapshot &snapshot, bool update)
{
    if (isLoading()) { // shown when the throttle next fires
        m_pendingLiveModel = snapshot;
        m_pendingLiveIsFirst = m_pendingLiveIsFirst || !update;
        m_liveThrottle.start();
        return;
    }
    startLoad(std::make_shared<MemorySnapshotSource>(
                  snapshot, tr("context %1 (live)").arg(m_live->connection().contextName)),
              {}, update ? LoadPurpose::LiveUpdate : LoadPurpose::LiveFirst);
}

void MainWindow::updateDiagnostics()
{
    if (m_live->state() != kube::ConnectionState::Disconnected)
        m_diagnostics->setFindings(m_live->findings());
    else if (m_cluster.snapshot)
        m_diagnostics->setFindings(kube::diagnoseSnapshot(*m_cluster.snapshot));
    else
        m_diagnostics->setFindings({});
}

LiveCaptureDialog *MainWindow::liveCaptureDialog()
{
    if (!m_liveCapture) {
        m_liveCapture = new LiveCaptureDialog(this);
        // The capture's flows are drawn on the topology, tabled and charted while it runs.
        connect(m_liveCapture, &LiveCaptureDialog::captureStarted, this,
                [this](const QString &interfaceName) {
                    m_followLiveCapture = true;
                    m_liveInterface = interfaceName;
                    m_pendingLiveFlows.reset();
                });
        connect(m_liveCapture, &LiveCaptureDialog::flowsUpdated, this, &MainWindow::showLiveFlows);
        connect(m_liveCapture, &LiveCaptureDialog::captureFinished, this,
                [this](const QString &pcapng, const QString &error) {
                    if (!error.isEmpty())
                        log(tr("Live capture ended: %1").arg(error));
                    // What was captured is kept in the pcapng: replay it onto the topology.
                    if (!pcapng.isEmpty())
                        openCapture(pcapng);
                });
    }
    if (m_cluster.snapshot)
        m_liveCapture->setAttributor(
            std::make_shared<capture::EndpointAttributor>(*m_cluster.snapshot));
    return m_liveCapture;
}

} // namespace cartograph::app
