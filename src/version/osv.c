#include "version-int.h"
