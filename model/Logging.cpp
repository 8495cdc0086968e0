#include "Logging.h"

Q_LOGGING_CATEGORY(lcModel, "cartograph.model", QtInfoMsg)
Q_LOGGING_CATEGORY(lcSnapshotIo, "cartograph.model.snapshotio", QtInfoMsg)
