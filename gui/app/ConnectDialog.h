#pragma once

#include "Kubeconfig.h"

#include <QDialog>
#include <optional>

class QCheckBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QTableWidget;

namespace cartograph::app {

// File ▸ Connect: the contexts of the merged kubeconfig (--kubeconfig, else KUBECONFIG, else
// ~/.kube/config, as kubectl reads them) with what each one connects to and how it
// authenticates, so the admin sees an insecure-skip-tls-verify or an exec plugin before anything
// runs. A kubeconfig that is missing or does not parse is shown with the diagnosis, not an error
// code. The dialog only chooses; connecting is the caller's job.
class ConnectDialog : public QDialog
{
    Q_OBJECT

public:
    explicit ConnectDialog(QWidget *parent = nullptr);

    // Reads the kubeconfig from `location` (an explicit file, or the default places) and lists
    // its contexts, the current one selected.
    void load(const kube::KubeconfigLocation &location);

    // The chosen context resolved into a connection; empty until one resolves.
    const std::optional<kube::ClusterConnection> &connection() const { return m_connection; }
    // The namespace to read; empty: every namespace.
    QString namespaceScope() const;
    // Whether the kubeconfig is one the user chose in this dialog (an exec plugin from it is
    // still shown before it runs, see confirmExecPlugin()).
    bool isExplicitFile() const { return m_location.isExplicit(); }

    QTableWidget *contextTable() const { return m_contexts; }
    QString problemText() const;

private:
    void chooseFile();
    void useDefaultFiles();
    void selectionChanged();
    void showProblem(const QString &text);

    kube::KubeconfigLocation m_location;
    std::optional<kube::Kubeconfig> m_config;
    std::optional<kube::ClusterConnection> m_connection;

    QLabel *m_files = nullptr;
    QLabel *m_problem = nullptr;
    QTableWidget *m_contexts = nullptr;
    QLabel *m_details = nullptr;
    QCheckBox *m_allNamespaces = nullptr;
    QLineEdit *m_namespace = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};

// Text for people: what a context connects to and how it authenticates.
QString describeConnection(const kube::ClusterConnection &connection);

} // namespace cartograph::app
