/* The license of the linked object. The maps themselves are defined (weak,
 * identical) by common.bpf.h in every program's file, and merged into one
 * set by `bpftool gen object`. */
#include "common.bpf.h"

char LICENSE[] SEC("license") = "GPL";
