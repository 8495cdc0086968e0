#include "Logging.h"

Q_LOGGING_CATEGORY(lcModel, "cartograph.model")
Q_LOGGING_CATEGORY(lcSnapshotIo, "cartograph.model.snapshotio")
