#include "ConnectDialog.h"

#include "Diagnostics.h"
#include "KubeError.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace cartograph::app {

namespace {

enum Column
{
    CurrentColumn,
    NameColumn,
    ClusterColumn,
    ServerColumn,
    UserColumn,
    NamespaceColumn,
    ColumnCount
};

QString authText(const kube::ClusterConnection &connection)
{
    if (connection.exec)
        return ConnectDialog::tr("exec plugin: %1").arg(connection.exec->commandLine());
    if (!connection.clientCertificatePem.isEmpty())
        return connection.clientCertificateFile.isEmpty()
                   ? ConnectDialog::tr("client certificate (embedded)")
                   : ConnectDialog::tr("client certificate %1")
                         .arg(connection.clientCertificateFile);
    if (!connection.tokenFile.isEmpty())
        return ConnectDialog::tr("bearer token from %1").arg(connection.tokenFile);
    if (!connection.token.isEmpty())
        return ConnectDialog::tr("bearer token (embedded)");
    if (!connection.username.isEmpty())
        return ConnectDialog::tr("basic authentication as %1").arg(connection.username);
    return ConnectDialog::tr("none (anonymous)");
}

} // namespace

QString describeConnection(const kube::ClusterConnection &connection)
{
    QStringList lines;
    lines << ConnectDialog::tr("Server: %1").arg(connection.server.toString());
    if (connection.insecureSkipTlsVerify) {
        lines << ConnectDialog::tr(
            "<span style=\"color:#c05000\"><b>TLS verification is off</b> "
            "(insecure-skip-tls-verify): anyone on the path can pose as this API server.</span>");
    } else {
        lines << (connection.caPem.isEmpty()
                      ? ConnectDialog::tr("Trusted CA: the system's certificate store")
                      : ConnectDialog::tr("Trusted CA: from the kubeconfig"));
    }
    if (!connection.tlsServerName.isEmpty())
        lines << ConnectDialog::tr("TLS server name: %1").arg(connection.tlsServerName);
    if (!connection.proxyUrl.isEmpty())
        lines << ConnectDialog::tr("Proxy: %1").arg(connection.proxyUrl.toString());
    lines << ConnectDialog::tr("Authentication: %1").arg(authText(connection).toHtmlEscaped());
    if (connection.exec && !connection.exec->installHint.isEmpty())
        lines << ConnectDialog::tr("Plugin hint: %1")
                     .arg(connection.exec->installHint.toHtmlEscaped());
    lines << ConnectDialog::tr("Defined in: %1").arg(connection.kubeconfigFile.toHtmlEscaped());
    return lines.join(QStringLiteral("<br>"));
}

ConnectDialog::ConnectDialog(QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Connect to a Cluster"));
    auto *layout = new QVBoxLayout(this);

    auto *filesRow = new QHBoxLayout;
    m_files = new QLabel;
    m_files->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_files->setWordWrap(true);
    filesRow->addWidget(m_files, 1);
    auto *chooseButton = new QPushButton(tr("Choose kubeconfig…"));
    connect(chooseButton, &QPushButton::clicked, this, &ConnectDialog::chooseFile);
    filesRow->addWidget(chooseButton);
    auto *defaultButton = new QPushButton(tr("Default files"));
    defaultButton->setToolTip(tr("KUBECONFIG, else ~/.kube/config, as kubectl reads them"));
    connect(defaultButton, &QPushButton::clicked, this, &ConnectDialog::useDefaultFiles);
    filesRow->addWidget(defaultButton);
    layout->addLayout(filesRow);

    m_problem = new QLabel;
    m_problem->setWordWrap(true);
    m_problem->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_problem->setStyleSheet(QStringLiteral("QLabel { color: #b00020; }"));
    m_problem->hide();
    layout->addWidget(m_problem);

    m_contexts = new QTableWidget(0, ColumnCount);
    m_contexts->setHorizontalHeaderLabels(
        {tr("Current"), tr("Context"), tr("Cluster"), tr("Server"), tr("User"), tr("Namespace")});
    m_contexts->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_contexts->setSelectionMode(QAbstractItemView::SingleSelection);
    m_contexts->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_contexts->verticalHeader()->hide();
    m_contexts->horizontalHeader()->setStretchLastSection(true);
    connect(m_contexts, &QTableWidget::itemSelectionChanged, this,
            &ConnectDialog::selectionChanged);
    layout->addWidget(m_contexts, 1);

    m_details = new QLabel;
    m_details->setWordWrap(true);
    m_details->setTextFormat(Qt::RichText);
    m_details->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_details->setMinimumHeight(90);
    m_details->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    layout->addWidget(m_details);

    auto *scopeRow = new QHBoxLayout;
    m_allNamespaces = new QCheckBox(tr("All namespaces"));
    m_allNamespaces->setChecked(true);
    scopeRow->addWidget(m_allNamespaces);
    scopeRow->addWidget(new QLabel(tr("or only:")));
    m_namespace = new QLineEdit;
    m_namespace->setPlaceholderText(tr("namespace"));
    m_namespace->setEnabled(false);
    connect(m_allNamespaces, &QCheckBox::toggled, this,
            [this](bool all) { m_namespace->setEnabled(!all); });
    scopeRow->addWidget(m_namespace, 1);
    layout->addLayout(scopeRow);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Connect"));
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(false);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(m_buttons);
    resize(860, 520);
}

void ConnectDialog::load(const kube::KubeconfigLocation &location)
{
    m_location = location;
    m_config.reset();
    m_connection.reset();
    m_contexts->setRowCount(0);
    m_details->clear();
    m_problem->hide();
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(false);
    m_files->setText(location.isExplicit()
                         ? tr("Kubeconfig: %1").arg(location.explicitPath)
                         : tr("Kubeconfig: %1").arg(location.candidateFiles().join(u':')));

    kube::KubeResult<kube::Kubeconfig> config = kube::loadKubeconfig(location);
    if (!config) {
        QStringList text;
        for (const kube::Finding &finding : kube::diagnoseError(config.error())) {
            text << finding.title + QStringLiteral(": ") + finding.detail;
            if (!finding.suggestion.isEmpty())
                text << finding.suggestion;
        }
        showProblem(text.isEmpty() ? kube::describe(config.error()) : text.join(u'\n'));
        return;
    }
    m_config = std::move(config).value();
    m_files->setText(tr("Kubeconfig: %1").arg(m_config->files.join(u':')));
    if (m_config->contexts.isEmpty()) {
        showProblem(tr("%1 defines no contexts.").arg(m_config->files.join(u':')));
        return;
    }
    int currentRow = 0;
    m_contexts->setRowCount(int(m_config->contexts.size()));
    for (int row = 0; row < m_config->contexts.size(); ++row) {
        const kube::KubeconfigContext &context = m_config->contexts.at(row);
        const kube::KubeconfigCluster *cluster = m_config->cluster(context.cluster);
        const bool current = context.name == m_config->currentContext;
        if (current)
            currentRow = row;
        const QStringList cells{current ? QStringLiteral("*") : QString(),
                                context.name,
                                context.cluster,
                                cluster ? cluster->server : tr("(undefined)"),
                                context.user,
                                context.namespaceName.isEmpty() ? QStringLiteral("default")
                                                                : context.namespaceName};
        for (int column = 0; column < ColumnCount; ++column)
            m_contexts->setItem(row, column, new QTableWidgetItem(cells.at(column)));
    }
    m_contexts->resizeColumnsToContents();
    m_contexts->selectRow(currentRow);
}

QString ConnectDialog::namespaceScope() const
{
    return m_allNamespaces->isChecked() ? QString() : m_namespace->text().trimmed();
}

QString ConnectDialog::problemText() const
{
    return m_problem->isVisible() || !m_problem->text().isEmpty() ? m_problem->text() : QString();
}

void ConnectDialog::chooseFile()
{
    const QString path =
        QFileDialog::getOpenFileName(this, tr("Choose a kubeconfig"), m_location.explicitPath);
    if (path.isEmpty())
        return;
    kube::KubeconfigLocation location;
    location.explicitPath = path;
    load(location);
}

void ConnectDialog::useDefaultFiles()
{
    load(kube::KubeconfigLocation{});
}

void ConnectDialog::selectionChanged()
{
    m_connection.reset();
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(false);
    const QList<QTableWidgetItem *> selected = m_contexts->selectedItems();
    if (!m_config || selected.isEmpty())
        return;
    const QString name = m_contexts->item(selected.first()->row(), NameColumn)->text();
    kube::KubeResult<kube::ClusterConnection> connection = kube::resolveContext(*m_config, name);
    if (!connection) {
        QStringList lines;
        for (const kube::Finding &finding : kube::diagnoseError(connection.error())) {
            lines << finding.detail.toHtmlEscaped();
            if (!finding.suggestion.isEmpty())
                lines << tr("What to do: %1").arg(finding.suggestion.toHtmlEscaped());
        }
        if (lines.isEmpty())
            lines << kube::describe(connection.error()).toHtmlEscaped();
        m_details->setText(QStringLiteral("<span style=\"color:#b00020\">%1</span>")
                               .arg(lines.join(QStringLiteral("<br>"))));
        return;
    }
    m_connection = std::move(connection).value();
    m_details->setText(describeConnection(*m_connection));
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(true);
}

void ConnectDialog::showProblem(const QString &text)
{
    m_problem->setText(text);
    m_problem->show();
}

} // namespace cartograph::app
