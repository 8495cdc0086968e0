#pragma once

#include "Diagnostics.h"

#include <QWidget>

class QLabel;
class QTextBrowser;

namespace cartograph::app {

// The diagnostics dock: every finding about the connection and the cluster, errors first, each
// with the facts behind it and what to do (the same findings `cartograph-cli diagnose` prints).
// Works for a file snapshot too: nodes NotReady, missing mirror pods, a CNI that ignores the
// NetworkPolicies, NodePort URLs.
class DiagnosticsPanel : public QWidget
{
    Q_OBJECT

public:
    explicit DiagnosticsPanel(QWidget *parent = nullptr);

    void setFindings(const QList<kube::Finding> &findings);
    const QList<kube::Finding> &findings() const { return m_findings; }
    QString summaryText() const; // "2 errors, 1 warning, 3 notes"

signals:
    void summaryChanged(const QString &summary);

private:
    QList<kube::Finding> m_findings;
    QLabel *m_summary = nullptr;
    QTextBrowser *m_text = nullptr;
};

} // namespace cartograph::app
