/* sandbox — private: the policy as bw_sandbox_* builds it, and the two
 * kernel layers that apply it. */
#ifndef BW_SANDBOX_INT_H
#define BW_SANDBOX_INT_H

#include "sandbox.h"

/* Sanitizer builds keep their address space unlimited (ASan's shadow is
 * terabytes of it) and may ptrace themselves (LeakSanitizer's tracer). */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define BW_SANDBOX_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || __has_feature(memory_sanitizer)
#define BW_SANDBOX_SANITIZED 1
#endif
#endif
#ifndef BW_SANDBOX_SANITIZED
#define BW_SANDBOX_SANITIZED 0
#endif

struct sb_rule {
	char *path;
	unsigned access; /* enum bw_sandbox_access bits */
};

struct bw_sandbox {
	struct sb_rule *rules;
	size_t n_rules;
	bool network;
	uint64_t max_file_size, cpu_seconds, address_space_extra;
	int report_fd;
	char prefix[64];
	int limit_status;
	struct bw_buf summary;
};

/* Each appends its lines to sb->summary; 0 or a negative BW_E* code. */
int sb_landlock(struct bw_sandbox *sb, struct bw_error *err);
int sb_seccomp(struct bw_sandbox *sb, struct bw_error *err);

#endif
