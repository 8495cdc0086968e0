#include "KubeLogging.h"

Q_LOGGING_CATEGORY(lcKube, "cartograph.collectors.kube", QtInfoMsg)
