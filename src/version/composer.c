#include "version-int.h"
static int v_(struct bw_slice v, struct bw_error *err) { return bw_version_invalid(err, "composer", v, "not implemented"); }
static int c_(struct bw_slice a, struct bw_slice b, int *c, struct bw_error *err) { (void)b; (void)c; return v_(a, err); }
const struct bw_version_ops bw_version_composer_ops = {"composer", v_, c_, NULL};
