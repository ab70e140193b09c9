/* Private to src/secret. */
#ifndef BW_SECRET_INT_H
#define BW_SECRET_INT_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <hs/hs.h>
#include <pcre2.h>

#include "secret.h"

enum bw_secret_rule_flag {
	BW_SR_GENERIC = 1u << 0,	 /* a catch-all: yields to specific rules on the same bytes */
	BW_SR_B64_USERPASS = 1u << 1,	 /* the secret must base64-decode to "user:password" */
	BW_SR_NO_GLOBAL_ALLOW = 1u << 2, /* the placeholder allow-list does not apply */
};

/* A rule as written: the built-in table (rules_*.c) and custom rules share it. */
struct bw_secret_rule_def {
	const char *id, *title;
	enum bw_severity severity;
	const char *keywords; /* '|'-separated literals; NULL: the regex prefilters itself */
	const char *regex;    /* PCRE2; the group named "secret", else group 1, else all */
	double entropy;	      /* minimum Shannon entropy (bits per byte) of the secret; 0: none */
	const char *allow;    /* PCRE2 on the secret: a match means "not a finding" */
	const char *paths;    /* '|'-separated fnmatch patterns: the rule applies only there */
	unsigned window;      /* bytes after the keyword a match may reach; 0: the line */
	unsigned flags;	      /* enum bw_secret_rule_flag */
};

/* The built-in rule families, each a NULL-id-terminated array. */
extern const struct bw_secret_rule_def bw_secret_rules_cloud[];
extern const struct bw_secret_rule_def bw_secret_rules_vcs[];
extern const struct bw_secret_rule_def bw_secret_rules_saas[];
extern const struct bw_secret_rule_def bw_secret_rules_ai[];
extern const struct bw_secret_rule_def bw_secret_rules_apis[];
extern const struct bw_secret_rule_def bw_secret_rules_keys[];
extern const struct bw_secret_rule_def bw_secret_rules_files[];
extern const struct bw_secret_rule_def bw_secret_rules_generic[];

/* Placeholders and documentation values no rule reports. */
extern const char bw_secret_global_allow[];

/* What a custom-rule file says, before compilation (config.c). Strings and
 * arrays live in arena. */
struct bw_secret_config {
	struct bw_arena arena;
	struct bw_secret_rule_def *rules;
	size_t n_rules;
	const char **disabled; /* built-in rule ids switched off */
	size_t n_disabled;
	const char **allow_paths; /* fnmatch on the absolute path */
	size_t n_allow_paths;
	const char **allow_regexes; /* PCRE2 on the secret */
	size_t n_allow_regexes;
	uint64_t max_file_size; /* 0: default */
	int scan_binary;	/* -1: default */
};

int bw_secret_config_parse(const char *name, const char *yaml, size_t len, struct bw_secret_config *cfg,
			   struct bw_error *err);
void bw_secret_config_release(struct bw_secret_config *cfg);

#endif
