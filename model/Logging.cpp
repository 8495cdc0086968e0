#include "Logging.h"

Q_LOGGING_CATEGORY(lcSnapshotIo, "cartograph.model.snapshotio", QtInfoMsg)
